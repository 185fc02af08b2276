import { describe, expect, it } from '@jest/globals';
import { declarations } from './go-source.js';
import { checkDeclarations } from './symbols.js';

const SOURCE = `// Package main: a comment with var Fake = "no"
package main

import "fmt"

const defaultVersion = "0.0.0-" + "dev"
const typedConst Kind = "x"

type Kind string

var (
	Version   = defaultVersion
	GitCommit string
	BuildTime = "unknown" /* trailing
	comment */
	Count     int
	Started   = fmt.Sprint("now")
	Named     Kind = "k"
	A, B      = pair()
	Raw       = \`multi
line\`
)

var Single string = "s"

const Constant = "c"

var Joined = "a" +
	"b"

var FromTyped = typedConst

func main() {
	var Local = "not package level"
	fmt.Println(Local, struct{ X string }{X: "}"})
}
`;

function check(...names: string[]) {
  const decls = declarations(SOURCE, 'main.go');
  return Object.fromEntries(
    checkDeclarations(
      names.map((name) => ({ symbol: `main.${name}`, name })),
      decls,
    ).map((result) => [result.symbol.slice(5), result.problem ?? 'ok']),
  );
}

describe('-X target checks on Go sources', () => {
  it('finds package-level declarations in groups and single specs, not locals or comments', () => {
    const names = declarations(SOURCE, 'main.go').map((d) => `${d.kind} ${d.name}`);
    expect(names).toEqual([
      'const defaultVersion',
      'const typedConst',
      'var Version',
      'var GitCommit',
      'var BuildTime',
      'var Count',
      'var Started',
      'var Named',
      'var A',
      'var B',
      'var Raw',
      'var Single',
      'const Constant',
      'var Joined',
      'var FromTyped',
    ]);
  });

  it('accepts uninitialised and constant strings', () => {
    expect(check('Version', 'GitCommit', 'BuildTime', 'Single', 'Raw', 'Joined')).toEqual({
      Version: 'ok',
      GitCommit: 'ok',
      BuildTime: 'ok',
      Single: 'ok',
      Raw: 'ok',
      Joined: 'ok',
    });
  });

  it('names each problem', () => {
    expect(
      check('Missing', 'Fake', 'Local', 'Count', 'Named', 'Started', 'A', 'Constant', 'FromTyped'),
    ).toEqual({
      Missing: 'missing',
      Fake: 'missing',
      Local: 'missing',
      Count: 'not-string',
      Named: 'not-string',
      Started: 'not-constant',
      A: 'not-constant',
      Constant: 'not-a-variable',
      FromTyped: 'not-string',
    });
  });

  it('says where and why', () => {
    const [result] = checkDeclarations(
      [{ symbol: 'main.Count', name: 'Count' }],
      declarations(SOURCE, 'main.go'),
    );
    expect(result.detail).toBe('main.Count has type int (main.go:16); -X needs a variable of type string');
  });
});

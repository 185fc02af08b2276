import { describe, expect, it } from '@jest/globals';
import { checkBuildEnv, parseBuildFlags, splitArguments } from './flags.js';

describe('splitArguments', () => {
  it('splits on whitespace and groups quotes, expanding nothing', () => {
    expect(splitArguments(`-X 'main.Name=a b' -X "main.C=$(id)" \`x\`;y ''`)).toEqual([
      '-X',
      'main.Name=a b',
      '-X',
      'main.C=$(id)',
      '`x`;y',
      '',
    ]);
    expect(() => splitArguments("-X 'open")).toThrow("unterminated ' quote in '-X 'open'");
  });
});

describe('parseBuildFlags', () => {
  it('takes -name and -name=value flags from lines', () => {
    expect(parseBuildFlags(['-race -v', "-gcflags='all=-N -l'", '--mod=mod'])).toEqual([
      '-race',
      '-v',
      '-gcflags=all=-N -l',
      '--mod=mod',
    ]);
  });

  it('refuses words that go build would take as packages, so a shell line cannot sneak in', () => {
    expect(() => parseBuildFlags(['-v; touch /tmp/x'])).toThrow(
      "input 'flags': '-v;' is not a flag; expected go build flags as -name or -name=value",
    );
    expect(() => parseBuildFlags(['-v touch'])).toThrow("input 'flags': 'touch' is not a flag");
    expect(() => parseBuildFlags(['$(touch /tmp/x)'])).toThrow("input 'flags': '$(touch' is not a flag");
  });

  it('sends flags another input owns to that input', () => {
    expect(() => parseBuildFlags(['-o=/etc/passwd'])).toThrow(
      "input 'flags': -o is set by the action; use the output-dir and name-template input",
    );
    expect(() => parseBuildFlags(['-ldflags=-s'])).toThrow('use the ldflags (and strip) input');
    expect(() => parseBuildFlags(['-tags=x'])).toThrow('use the tags input');
  });
});

describe('checkBuildEnv', () => {
  it('keeps ordinary variables and refuses the ones the action sets', () => {
    expect(checkBuildEnv({ GOEXPERIMENT: 'jsonv2', CC: 'zig cc' })).toEqual({
      GOEXPERIMENT: 'jsonv2',
      CC: 'zig cc',
    });
    expect(() => checkBuildEnv({ GOOS: 'plan9' })).toThrow(
      "input 'env': GOOS is set by the action; use the targets input",
    );
    expect(() => checkBuildEnv({ CGO_ENABLED: '1' })).toThrow('use the cgo input');
    expect(() => checkBuildEnv({ 'A-B': '1' })).toThrow("input 'env': 'A-B' is not a variable name");
  });
});

// Go packages as the toolchain sees them: `go list` finds a package's directory, name and files.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExecError } from '@gin-deploy/action';
import { tokenize } from './go-source.js';
import { go } from './toolchain.js';

export interface GoPackage {
  dir: string;
  importPath: string;
  name: string;
  goFiles: string[];
}

/** A package path that names no package, a pattern, or a package that is not the command it should be. */
export class GoPackageError extends Error {
  constructor(
    message: string,
    readonly pkg: string,
  ) {
    super(message);
    this.name = 'GoPackageError';
  }
}

/** `go list -find` locates a package without resolving its imports, so it needs no network or module download. */
export async function findPackage(pkg: string, cwd: string): Promise<GoPackage> {
  try {
    const { stdout } = await go(['list', '-find', '-json', '--', pkg], { cwd, timeoutMs: 120_000 });
    const listed = JSON.parse(stdout) as {
      Dir: string;
      ImportPath: string;
      Name: string;
      GoFiles?: string[];
    };
    return {
      dir: listed.Dir,
      importPath: listed.ImportPath,
      name: listed.Name,
      goFiles: listed.GoFiles ?? [],
    };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    const reason = error.result.stderr
      .trim()
      .split('\n')[0]
      .replace(/; to add it:$/, '');
    throw new GoPackageError(`'${pkg}' is not a Go package in ${cwd} (go list: ${reason})`, pkg);
  }
}

/**
 * The package a path names, checked to be one `package main`: `go build -o` of a library writes nothing and of
 * a pattern writes a directory, neither of which is what a cross build means. Throws GoPackageError. A relative
 * path in cwd's module whose files settle the name (packageNameOfFiles) is answered without starting `go list`.
 */
export async function mainPackage(cwd: string, pkg: string): Promise<Pick<GoPackage, 'dir' | 'name'>> {
  if (pkg.includes('...'))
    throw new GoPackageError(`'${pkg}' is a pattern; expected one main package such as . or ./cmd/api`, pkg);
  const relative = pkg === '.' || pkg === '..' || /^\.\.?\//.test(pkg);
  const dir = path.resolve(cwd, pkg);
  const sameModule = relative && goModOf(dir) !== undefined && goModOf(dir) === goModOf(cwd);
  const name = sameModule ? await packageNameOfFiles(dir) : undefined;
  const found = name === undefined ? await findPackage(pkg, cwd) : { dir, name };
  if (found.name !== 'main')
    throw new GoPackageError(
      `'${pkg}' is package ${found.name}, not a main package; expected a command such as . or ./cmd/api`,
      pkg,
    );
  return found;
}

/** The go.mod of the module a directory belongs to: the nearest one in it or above it. */
function goModOf(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'go.mod'))) return path.join(at, 'go.mod');
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The package name of a directory read from its files alone, when they settle it: the name in the package clause
 * of every file `go build` compiles for any target, that is every `.go` file without a build constraint, an
 * `_` in its name (which may be a _GOOS or _GOARCH suffix, or _test) or `import "C"` (left out with cgo off).
 * Undefined when they do not settle it, and `go list` must answer: no such file, two names, or no directory.
 */
export async function packageNameOfFiles(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir).catch(() => undefined);
  if (!entries) return undefined;
  const always = entries.filter((name) => /^[^._][^_]*\.go$/.test(name));
  const names = new Set<string>();
  for (const file of always) {
    const source = await readFile(path.join(dir, file), 'utf8').catch(() => undefined);
    if (source === undefined) return undefined;
    if (
      /^\s*\/\/(?:go:build|\s*\+build)\s/m.test(source) ||
      /^\s*(?:import\s+)?(?:\w+\s+)?"C"\s*$/m.test(source)
    )
      continue;
    // The clause follows at most comments: read up to the first line that starts with one, or the whole file
    // when that line is inside a comment.
    const line = /^package[ \t]+\S+/m.exec(source);
    const header = line ? source.slice(0, line.index + line[0].length) : source;
    const headerTokens = tokenize(header);
    const tokens = headerTokens.some((token) => token.text === 'package') ? headerTokens : tokenize(source);
    const clause = tokens.findIndex((token) => token.kind === 'ident' && token.text === 'package');
    const name = tokens[clause + 1];
    if (clause < 0 || name?.kind !== 'ident') return undefined;
    names.add(name.text);
  }
  return names.size === 1 ? [...names][0] : undefined;
}

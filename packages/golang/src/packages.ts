// Go packages as the toolchain sees them: `go list` finds a package's directory, name and files.
import { ExecError } from '@gin-deploy/action';
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
 * a pattern writes a directory, neither of which is what a cross build means. Throws GoPackageError.
 */
export async function mainPackage(cwd: string, pkg: string): Promise<GoPackage> {
  if (pkg.includes('...'))
    throw new GoPackageError(`'${pkg}' is a pattern; expected one main package such as . or ./cmd/api`, pkg);
  const found = await findPackage(pkg, cwd);
  if (found.name !== 'main')
    throw new GoPackageError(
      `'${pkg}' is package ${found.name}, not a main package; expected a command such as . or ./cmd/api`,
      pkg,
    );
  return found;
}

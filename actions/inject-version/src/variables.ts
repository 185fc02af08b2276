import { existsSync } from 'node:fs';
import path from 'node:path';
import { info, UserError, warning } from '@gin-deploy/action';
// The module itself, not @gin-deploy/golang's index: the index also holds the build cache, whose lazily
// loaded @actions/cache chunk (2.4 MB) ncc would ship in this bundle although it never runs here.
import { GoPackageError } from '@gin-deploy/golang/packages';
import { checkLinkerSymbols, type SymbolCheck } from '@gin-deploy/golang/symbols';
import { goOnPath } from '@gin-deploy/golang/toolchain';

/** Checks the -X targets in the Go sources of the package: warnings, or one error with strict. */
export async function checkVariables(
  dir: string,
  goPackage: string,
  symbols: string[],
  strict: boolean,
  workspace: string,
): Promise<SymbolCheck[]> {
  if (!goOnPath()) {
    const message = 'go is not on PATH, so the -X variables were not checked against the Go sources';
    if (strict) throw new UserError(`input 'strict': ${message}`);
    warning(message);
    return [];
  }
  if (goPackage === '.' && !hasGoModule(dir)) {
    info(`no go.mod in ${dir} or above: the -X variables were not checked`);
    return [];
  }
  let checks: SymbolCheck[];
  try {
    checks = await checkLinkerSymbols(symbols, { cwd: dir, mainPackage: goPackage });
  } catch (error) {
    if (error instanceof GoPackageError) {
      const source = error.pkg === goPackage ? "input 'go-package'" : 'the package of an -X variable';
      throw new UserError(`${source}: ${error.message}`);
    }
    throw error;
  }
  const problems = checks.filter((check) => check.problem);
  if (strict && problems.length > 0) {
    throw new UserError(`strict: ${problems.map((check) => check.detail).join('; ')}`);
  }
  for (const problem of problems) warning(problem.detail, annotationAt(problem.location, workspace));
  return checks;
}

/** An annotation on the declaration, its file relative to the workspace as GitHub expects it. */
function annotationAt(location: SymbolCheck['location'], workspace: string) {
  if (!location) return undefined;
  const file = path.relative(workspace, location.file).split(path.sep).join('/');
  return { file: file.startsWith('..') ? location.file : file, startLine: location.line };
}

function hasGoModule(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'go.mod')) || existsSync(path.join(current, 'go.work'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

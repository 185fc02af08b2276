import { readFileSync } from 'node:fs';
import path from 'node:path';
import { declarations, type Declaration, type Token } from './go-source.js';
import { findPackage } from './packages.js';

// The linker's -X sets a string variable's initial data and silently ignores a symbol that does not exist;
// it refuses a variable whose type is not exactly `string`, and an initialiser that runs at start-up
// (`var V = f()`) overwrites the injected value. This reads the package's Go sources to catch all three
// before a build that would quietly report "unknown".

export type SymbolProblem = 'missing' | 'not-a-variable' | 'not-string' | 'not-constant';

export interface SymbolCheck {
  /** As given to -X, e.g. `main.Version`. */
  symbol: string;
  problem?: SymbolProblem;
  /** One sentence for the log: where it was found, or what is wrong. */
  detail: string;
  /** The declaration's file (as given to `declarations`, absolute from checkLinkerSymbols) and 1-based line. */
  location?: { file: string; line: number };
}

/** Whether an expression is a constant string: literals, `+`, parentheses and string constants. */
function isConstantString(
  tokens: Token[],
  constants: Map<string, Declaration>,
  seen = new Set<string>(),
): boolean {
  if (tokens.length === 0) return false;
  return tokens.every((token) => {
    if (token.kind === 'string') return true;
    if (token.kind === 'op') return ['+', '(', ')'].includes(token.text);
    if (token.kind !== 'ident' || seen.has(token.text)) return false;
    const constant = constants.get(token.text);
    if (!constant?.value || (constant.type !== '' && constant.type !== 'string')) return false;
    return isConstantString(constant.value, constants, new Set([...seen, token.text]));
  });
}

/** Checks each `-X` variable name against the package's declarations (all its files together). */
export function checkDeclarations(
  names: readonly { symbol: string; name: string }[],
  decls: readonly Declaration[],
): SymbolCheck[] {
  const constants = new Map(decls.filter((d) => d.kind === 'const').map((d) => [d.name, d]));
  return names.map(({ symbol, name }) => {
    const decl = decls.find((d) => d.name === name);
    if (!decl) {
      return {
        symbol,
        problem: 'missing',
        detail: `${symbol} is not declared in the package; Go ignores -X for it`,
      };
    }
    const where = `${path.basename(decl.file) || 'source'}:${decl.line}`;
    const location = { file: decl.file, line: decl.line };
    if (decl.kind === 'const') {
      return {
        symbol,
        location,
        problem: 'not-a-variable',
        detail: `${symbol} is a constant (${where}); -X can only set a variable`,
      };
    }
    if (decl.type !== '' && decl.type !== 'string') {
      return {
        symbol,
        location,
        problem: 'not-string',
        detail: `${symbol} has type ${decl.type} (${where}); -X needs a variable of type string`,
      };
    }
    if (decl.value === undefined) {
      if (decl.type === 'string')
        return { symbol, location, detail: `${symbol} is an uninitialised string (${where})` };
      return { symbol, location, problem: 'not-string', detail: `${symbol} has no type at ${where}` };
    }
    const typedFrom = decl.value.length === 1 ? constants.get(decl.value[0].text) : undefined;
    if (decl.type === '' && typedFrom && typedFrom.type !== '' && typedFrom.type !== 'string') {
      return {
        symbol,
        location,
        problem: 'not-string',
        detail: `${symbol} has type ${typedFrom.type} (${where}); -X needs a variable of type string`,
      };
    }
    if (decl.multiValue || !isConstantString(decl.value, constants)) {
      return {
        symbol,
        location,
        problem: 'not-constant',
        detail: `${symbol} is initialised with a non-constant expression (${where}), which overwrites the -X value at start-up`,
      };
    }
    return { symbol, location, detail: `${symbol} is a string with a constant default (${where})` };
  });
}

/**
 * Checks `-X` targets such as `main.Version` or `example.com/app/buildinfo.Commit`: `main.*` names are looked
 * up in `mainPackage` (a package pattern relative to cwd, as `go build` takes it), other names in the package
 * of their import path.
 */
export async function checkLinkerSymbols(
  symbols: readonly string[],
  options: { cwd: string; mainPackage: string },
): Promise<SymbolCheck[]> {
  const byPackage = new Map<string, { symbol: string; name: string }[]>();
  for (const symbol of symbols) {
    const dot = symbol.lastIndexOf('.');
    const pkg = symbol.slice(0, dot);
    const key = pkg === 'main' ? options.mainPackage : pkg;
    byPackage.set(key, [...(byPackage.get(key) ?? []), { symbol, name: symbol.slice(dot + 1) }]);
  }
  const results = new Map<string, SymbolCheck>();
  for (const [pkg, names] of byPackage) {
    const found = await findPackage(pkg, options.cwd);
    const isMain = names.some((n) => n.symbol.startsWith('main.'));
    if (isMain && found.name !== 'main') {
      for (const { symbol } of names) {
        results.set(symbol, {
          symbol,
          problem: 'missing',
          detail: `${symbol} names package main, but ${pkg} is package ${found.name}`,
        });
      }
      continue;
    }
    const decls = found.goFiles.flatMap((file) =>
      declarations(readFileSync(path.join(found.dir, file), 'utf8'), path.join(found.dir, file)),
    );
    for (const check of checkDeclarations(names, decls)) results.set(check.symbol, check);
  }
  return symbols.map((symbol) => results.get(symbol) as SymbolCheck);
}

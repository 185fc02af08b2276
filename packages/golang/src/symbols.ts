import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exec, ExecError } from '@gin-deploy/action';

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

interface Token {
  kind: 'ident' | 'string' | 'number' | 'rune' | 'op' | ';';
  text: string;
  line: number;
}

interface Declaration {
  kind: 'var' | 'const';
  name: string;
  type: string;
  /** The initialiser's tokens, undefined when there is none. */
  value?: Token[];
  /** More names than values: initialised from a multi-value expression. */
  multiValue: boolean;
  file: string;
  line: number;
}

const OPERATORS = [
  '...',
  '<<=',
  '>>=',
  '&^=',
  '&&',
  '||',
  '<-',
  '++',
  '--',
  '==',
  '!=',
  '<=',
  '>=',
  ':=',
  '&^',
];

/** Go tokens with the spec's automatic semicolons; comments dropped. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const newline = () => {
    const last = tokens[tokens.length - 1];
    const inserts =
      last &&
      (last.kind === 'ident' ||
        last.kind === 'string' ||
        last.kind === 'number' ||
        last.kind === 'rune' ||
        (last.kind === 'op' && [')', ']', '}', '++', '--'].includes(last.text)));
    if (inserts) tokens.push({ kind: ';', text: ';', line });
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      newline();
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      const newlines = source.slice(i, stop).split('\n').length - 1;
      if (newlines > 0) newline();
      line += newlines;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      tokens.push({ kind: c === '"' ? 'string' : 'rune', text: source.slice(i, j + 1), line });
      i = j + 1;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      const stop = end < 0 ? source.length : end + 1;
      tokens.push({ kind: 'string', text: source.slice(i, stop), line });
      line += source.slice(i, stop).split('\n').length - 1;
      i = stop;
    } else {
      const word = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(source.slice(i, i + 256));
      const number = /^\.?[0-9](?:[eEpP][+-]|[0-9a-zA-Z_.])*/.exec(source.slice(i, i + 256));
      if (word) {
        tokens.push({ kind: 'ident', text: word[0], line });
        i += word[0].length;
      } else if (number) {
        tokens.push({ kind: 'number', text: number[0], line });
        i += number[0].length;
      } else {
        const op = OPERATORS.find((candidate) => source.startsWith(candidate, i)) ?? c;
        tokens.push({ kind: op === ';' ? ';' : 'op', text: op, line });
        i += op.length;
      }
    }
  }
  newline();
  return tokens;
}

/** Package-level `var` and `const` declarations of one file. */
export function declarations(source: string, file = ''): Declaration[] {
  const tokens = tokenize(source);
  const found: Declaration[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'op' && '({['.includes(token.text)) depth++;
    else if (token.kind === 'op' && ')}]'.includes(token.text)) depth--;
    else if (depth === 0 && token.kind === 'ident' && (token.text === 'var' || token.text === 'const')) {
      const kind = token.text;
      if (tokens[i + 1]?.text === '(') {
        let j = i + 2;
        let previous: Token[] | undefined;
        let previousType = '';
        while (j < tokens.length && tokens[j].text !== ')') {
          const end = specEnd(tokens, j);
          const spec = tokens.slice(j, end);
          if (spec.length > 0) {
            const decls = parseSpec(
              kind,
              spec,
              file,
              kind === 'const' ? { value: previous, type: previousType } : undefined,
            );
            if (decls.length > 0) {
              previous = decls[decls.length - 1].value;
              previousType = decls[decls.length - 1].type;
            }
            found.push(...decls);
          }
          j = tokens[end]?.kind === ';' ? end + 1 : end;
        }
        i = j;
      } else {
        const end = specEnd(tokens, i + 1);
        found.push(...parseSpec(kind, tokens.slice(i + 1, end), file));
        i = end;
      }
    }
  }
  return found;
}

/** The index of the `;` (or the group's closing `)`) ending the spec that starts at `start`. */
function specEnd(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const text = tokens[i].text;
    if (tokens[i].kind === 'op' && '({['.includes(text)) depth++;
    else if (tokens[i].kind === 'op' && ')}]'.includes(text)) {
      if (depth === 0) return i;
      depth--;
    } else if (tokens[i].kind === ';' && depth === 0) return i;
  }
  return tokens.length;
}

function parseSpec(
  kind: 'var' | 'const',
  spec: Token[],
  file: string,
  implicit?: { value?: Token[]; type: string },
): Declaration[] {
  const names: Token[] = [];
  let i = 0;
  while (i < spec.length && spec[i].kind === 'ident') {
    names.push(spec[i]);
    if (spec[i + 1]?.text !== ',') {
      i++;
      break;
    }
    i += 2;
  }
  const equals = spec.findIndex((token, index) => index >= i && token.text === '=');
  const typeTokens = spec.slice(i, equals < 0 ? spec.length : equals);
  let type = typeTokens.map((token) => token.text).join('');
  let values = equals < 0 ? undefined : splitTopLevel(spec.slice(equals + 1));
  // In a const group a spec without a value repeats the one before it (iota's mechanism).
  if (values === undefined && implicit?.value) {
    values = names.map(() => implicit.value as Token[]);
    type = implicit.type;
  }
  return names
    .filter((name) => name.text !== '_')
    .map((name) => {
      const index = names.indexOf(name);
      return {
        kind,
        name: name.text,
        type,
        value: values?.[index] ?? (values?.length === 1 && names.length > 1 ? values[0] : undefined),
        multiValue: values !== undefined && values.length < names.length,
        file,
        line: name.line,
      };
    });
}

function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'op' && '({['.includes(token.text)) depth++;
    else if (token.kind === 'op' && ')}]'.includes(token.text)) depth--;
    if (depth === 0 && token.text === ',') parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts;
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

export interface GoPackage {
  dir: string;
  importPath: string;
  name: string;
  goFiles: string[];
}

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
    const { stdout } = await exec('go', ['list', '-find', '-json', '--', pkg], { cwd, timeoutMs: 120_000 });
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

export function goOnPath(): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && (existsSync(path.join(dir, 'go')) || existsSync(path.join(dir, 'go.exe'))));
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

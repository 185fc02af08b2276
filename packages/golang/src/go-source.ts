// The Go source parser: the package-level `var` and `const` declarations of one file, read from its tokens with
// the spec's automatic semicolons. Enough of Go for the linker's -X checks, with no toolchain or I/O.

export interface Token {
  kind: 'ident' | 'string' | 'number' | 'rune' | 'op' | ';';
  text: string;
  line: number;
}

export interface Declaration {
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

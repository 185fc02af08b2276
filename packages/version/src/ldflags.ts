export class LdflagsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LdflagsError';
  }
}

/**
 * Quotes one argument the way cmd/go's `quoted.Join` does, so that `go build -ldflags "<joined>"` splits it
 * back (cmd/internal/quoted.Split): an argument with a space or quote is wrapped in the quote it does not
 * contain; there is no escape character, so an argument holding both quotes cannot be expressed at all.
 */
export function quoteGoArg(arg: string): string {
  const sawSpace = /[ \t\n\r]/.test(arg);
  const sawSingle = arg.includes("'");
  const sawDouble = arg.includes('"');
  if (!sawSpace && !sawSingle && !sawDouble && arg !== '') return arg;
  if (!sawSingle) return `'${arg}'`;
  if (!sawDouble) return `"${arg}"`;
  throw new LdflagsError(`${JSON.stringify(arg)} holds both ' and " and cannot be passed in -ldflags`);
}

/** The inverse, as cmd/go reads -ldflags: whitespace separates, a quote runs to its partner. */
export function splitGoArgs(text: string): string[] {
  const args: string[] = [];
  let rest = text.trimStart();
  while (rest !== '') {
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      const end = rest.indexOf(quote, 1);
      if (end < 0) throw new LdflagsError(`unterminated ${quote} string`);
      args.push(rest.slice(1, end));
      rest = rest.slice(end + 1).trimStart();
    } else {
      const end = rest.search(/[ \t\n\r]/);
      args.push(end < 0 ? rest : rest.slice(0, end));
      rest = end < 0 ? '' : rest.slice(end).trimStart();
    }
  }
  return args;
}

export interface Assignment {
  /** `<import path>.<name>` as the linker names it, e.g. `main.Version`. */
  symbol: string;
  value: string;
}

/** `-X 'main.Version=1.2.3' …` ready for `go build -ldflags`. */
export function ldflags(assignments: readonly Assignment[]): string {
  return assignments.flatMap(({ symbol, value }) => ['-X', quoteGoArg(`${symbol}=${value}`)]).join(' ');
}

/** `main.Version` → { pkg: 'main', name: 'Version' }; the package part may itself hold dots and slashes. */
export function splitSymbol(symbol: string): { pkg: string; name: string } | undefined {
  const match = /^(.+)\.([\p{L}_][\p{L}\p{N}_]*)$/u.exec(symbol);
  if (!match || /[\s='"]/.test(match[1])) return undefined;
  return { pkg: match[1], name: match[2] };
}

import { UserError } from '@gin-deploy/action';

/**
 * Splits a line into arguments on whitespace, honouring '…' and "…" quotes the way `go build` splits its own
 * -ldflags and GOFLAGS. Nothing is expanded: `$(…)`, backticks and `;` stay literal text.
 */
export function splitArguments(line: string): string[] {
  const args: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== undefined) args.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + char;
    }
  }
  if (quote) throw new UserError(`unterminated ${quote} quote in '${line}'`);
  if (current !== undefined) args.push(current);
  return args;
}

/** Flags the action sets itself, and the input to use instead. */
const OWNED: Record<string, string> = {
  o: 'output-dir and name-template',
  ldflags: 'ldflags (and strip)',
  tags: 'tags',
  buildvcs: 'buildvcs',
};

/**
 * Extra `go build` flags from the `flags` input: each must be a `-name` or `-name=value` flag, so that no word
 * can be taken as another package to build, and none may take over what another input controls.
 */
export function parseBuildFlags(lines: readonly string[], input = 'flags'): string[] {
  const flags: string[] = [];
  for (const line of lines) {
    let args: string[];
    try {
      args = splitArguments(line);
    } catch (error) {
      throw new UserError(`input '${input}': ${(error as Error).message}`);
    }
    for (const arg of args) {
      const name = /^--?([A-Za-z][\w.-]*)(=|$)/.exec(arg)?.[1];
      if (name === undefined)
        throw new UserError(
          `input '${input}': '${arg}' is not a flag; expected go build flags as -name or -name=value, e.g. -race or -gcflags=all=-l`,
        );
      if (name in OWNED)
        throw new UserError(`input '${input}': -${name} is set by the action; use the ${OWNED[name]} input`);
      flags.push(arg);
    }
  }
  return flags;
}

/** Variables the action sets per target, and the input that controls each. */
const OWNED_ENV: Record<string, string> = {
  GOOS: 'targets',
  GOARCH: 'targets',
  CGO_ENABLED: 'cgo',
};

export function checkBuildEnv(env: Record<string, string>, input = 'env'): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UserError(`input '${input}': '${name}' is not a variable name; expected KEY=value lines`);
    if (name in OWNED_ENV)
      throw new UserError(`input '${input}': ${name} is set by the action; use the ${OWNED_ENV[name]} input`);
  }
  return env;
}

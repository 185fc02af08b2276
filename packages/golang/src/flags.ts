/** A word of the extra `go build` flags that is not a flag, is badly quoted, or is a flag the build sets itself. */
export class BuildFlagError extends Error {
  constructor(
    message: string,
    /** The flag's name when the build sets that flag itself. */
    readonly owned?: OwnedFlag,
  ) {
    super(message);
    this.name = 'BuildFlagError';
  }
}

/** A variable of the build environment that is not a variable name, or one the build sets itself per target. */
export class BuildEnvError extends Error {
  constructor(
    message: string,
    /** The variable's name when the build sets it itself. */
    readonly owned?: OwnedVariable,
  ) {
    super(message);
    this.name = 'BuildEnvError';
  }
}

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
  if (quote) throw new BuildFlagError(`unterminated ${quote} quote in '${line}'`);
  if (current !== undefined) args.push(current);
  return args;
}

/** Flags buildArguments sets itself from BuildSettings. */
export const OWNED_FLAGS = ['o', 'ldflags', 'tags', 'buildvcs'] as const;
export type OwnedFlag = (typeof OWNED_FLAGS)[number];

/**
 * go build flags that take a value (`go help build`): given bare, go would take the next argument as it, which
 * is the action's own `-o`.
 */
const VALUE_FLAGS = new Set([
  'C',
  'p',
  'asmflags',
  'buildmode',
  'compiler',
  'covermode',
  'coverpkg',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'mod',
  'modfile',
  'overlay',
  'pgo',
  'pkgdir',
  'toolexec',
]);

/**
 * Extra `go build` flags, given one or more per line: each must be a `-name` or `-name=value` flag, so that no
 * word can be taken as another package to build, and none may be one of OWNED_FLAGS; a flag that takes a value
 * must have it after `=`. Throws BuildFlagError.
 */
export function parseBuildFlags(lines: readonly string[]): string[] {
  const flags: string[] = [];
  for (const line of lines) {
    for (const arg of splitArguments(line)) {
      const name = /^--?([A-Za-z][\w.-]*)(=|$)/.exec(arg)?.[1];
      if (name === undefined)
        throw new BuildFlagError(
          `'${arg}' is not a flag; expected go build flags as -name or -name=value, e.g. -race or -gcflags=all=-l`,
        );
      if ((OWNED_FLAGS as readonly string[]).includes(name))
        throw new BuildFlagError(`-${name} is set by the action`, name as OwnedFlag);
      if (VALUE_FLAGS.has(name) && !arg.includes('='))
        throw new BuildFlagError(
          `'${arg}' takes a value; write it as -${name}=value (quote a value with spaces: -gcflags='all=-N -l')`,
        );
      flags.push(arg);
    }
  }
  return flags;
}

/** Variables buildEnvironment sets per target. */
export const OWNED_ENV = ['GOOS', 'GOARCH', 'CGO_ENABLED'] as const;
export type OwnedVariable = (typeof OWNED_ENV)[number];

/** Checks the names of the extra build environment; throws BuildEnvError. */
export function checkBuildEnv(env: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new BuildEnvError(`'${name}' is not a variable name; expected KEY=value lines`);
    if ((OWNED_ENV as readonly string[]).includes(name))
      throw new BuildEnvError(`${name} is set by the action`, name as OwnedVariable);
  }
  return env;
}

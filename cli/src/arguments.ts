export type CliArguments =
  | { action: string; inputs: Record<string, string>; json: boolean; summaryFile?: string }
  | { help: boolean }
  | { error: string };

/**
 * `gin-deploy <action> --<input> value … [--json] [--summary-file F]`; `--input=value` works too, and an input
 * given twice is joined with newlines (for list inputs).
 */
export function parseCliArguments(argv: string[], actions: string[]): CliArguments {
  const [action, ...rest] = argv;
  if (action === undefined) return { help: false };
  if (action === '-h' || action === '--help' || action === 'help') return { help: true };
  if (!actions.includes(action))
    return { error: `unknown action '${action}'; expected one of ${actions.join(', ')}` };
  const inputs: Record<string, string> = {};
  let json = false;
  let summaryFile: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (!arg.startsWith('--'))
      return { error: `unexpected argument '${arg}'; inputs are given as --<input> <value>` };
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'json') {
      json = true;
      continue;
    }
    if (value === undefined) {
      if (index + 1 >= rest.length) return { error: `--${name} needs a value` };
      value = rest[++index];
    }
    if (name === 'summary-file') {
      summaryFile = value;
      continue;
    }
    inputs[name] = name in inputs ? `${inputs[name]}\n${value}` : value;
  }
  return { action, inputs, json, summaryFile };
}

export function usage(actions: string[]): string {
  return [
    'Usage: gin-deploy <action> [--<input> <value> …] [--json] [--summary-file <file>]',
    '',
    'Runs the bundled action exactly as the GitHub runner does (inputs as INPUT_* variables, defaults from',
    "action.yml) and prints its outputs as name=value lines (--json: one JSON object). The step's log goes",
    'to stderr; the exit code is the step’s.',
    '',
    `Actions: ${actions.join(', ')}`,
    '',
  ].join('\n');
}

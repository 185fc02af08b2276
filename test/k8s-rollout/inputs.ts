// The runner's input contract for in-process tests of a settings reader, as actions/cache's test utilities
// do it: each input is an INPUT_<NAME> variable, spaces to underscores, upper-cased, hyphens kept.

function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function setInput(name: string, value: string): void {
  process.env[inputVariable(name)] = value;
}

export function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) setInput(name, value);
}

/** Removes every INPUT_* variable, so that each test starts from the action's defaults. */
export function clearInputs(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
}

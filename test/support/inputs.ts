// Inputs as the runner hands them to an action, for in-process tests of a settings reader (the model is
// actions/cache's __tests__ utilities): INPUT_<NAME> with spaces as underscores, upper-cased, hyphens kept.

/** Sets one input as the runner would. */
export function setInput(name: string, value: string): void {
  process.env[inputVariable(name)] = value;
}

/** Sets several inputs at once. */
export function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) setInput(name, value);
}

/** Removes every INPUT_* variable, so each test starts from an action given no inputs. */
export function clearInputs(): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// The runner's input contract for in-process tests of an action's settings reader, as actions/cache's test
// utilities do it (__tests__/testUtils.ts: setInput, clearInputs): each input is an INPUT_<NAME> variable,
// spaces to underscores, upper-cased, hyphens kept.

export function inputVariable(name: string): string {
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

/**
 * Sets runner variables (GITHUB_*, RUNNER_*, SOURCE_DATE_EPOCH…) for one test; the returned function puts the
 * environment back as it was.
 */
export function withEnvironment(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

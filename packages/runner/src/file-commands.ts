/**
 * Parses a runner file-command file (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE): `name=value` lines and
 * `name<<DELIMITER` … `DELIMITER` blocks, as @actions/core writes them. Later values win, as on the runner.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) body.push(lines[index++]);
      if (index >= lines.length)
        throw new Error(`file command '${name}' has no closing delimiter '${delimiter}'`);
      values[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`file command line is neither name=value nor name<<delimiter: '${line}'`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** Writes values in the heredoc format, so a local run can hand state back to a later step. */
export function formatFileCommands(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      const delimiter = `ghadelimiter_${Math.random().toString(36).slice(2)}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, USER… */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  from: Instruction;
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions: comments dropped, `\` continuations joined, heredoc bodies skipped. */
export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i;
    let joined = lines[i];
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, ' ');
      i++;
      // Comment lines inside a continued instruction are dropped, and the continuation goes on after them.
      while (i + 1 < lines.length && lines[i].trim().startsWith('#')) i++;
      joined += lines[i];
    }
    const heredoc = /<<-?\s*["']?([A-Za-z_]\w*)["']?/.exec(joined);
    if (heredoc) {
      while (i + 1 < lines.length && lines[i + 1].trim() !== heredoc[1]) i++;
      i++;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(joined);
    if (match) instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: start + 1 });
  }
  return instructions;
}

/** Groups instructions by FROM; instructions before the first FROM (global ARGs) are not in any stage. */
export function stages(instructions: readonly Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      result.push({
        from: instruction,
        image: words[0] ?? '',
        ...(as >= 0 && words[as + 1] ? { name: words[as + 1].toLowerCase() } : {}),
        instructions: [],
      });
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

import { readdir, readFile } from 'node:fs/promises';

/**
 * The pids of every process below root (children, their children…), read from /proc/<pid>/stat (proc(5): the
 * fourth field is the parent pid). Empty where there is no /proc (macOS, Windows).
 */
export async function descendantProcesses(root: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const parents = new Map<number, number>();
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.length > 1) parents.set(Number(entry), Number(fields[1]));
      }),
  );
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/** Whether pid (one descendantProcesses found) still runs: its /proc entry exists and it is not a zombie (state Z). */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

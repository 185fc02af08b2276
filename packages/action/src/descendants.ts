import { readdir, readFile } from 'node:fs/promises';

/**
 * The pids of every process below root (children, their children…), read from /proc/<pid>/stat (proc(5): the
 * fourth field is the parent pid). Empty where there is no /proc (macOS, Windows).
 */
export async function descendantProcesses(root: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const children = new Map<number, number[]>();
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const parent = Number((await statFields(Number(entry)))?.[1]);
        if (Number.isInteger(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      }),
  );
  const found = [...(children.get(root) ?? [])];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]) ?? []));
  return found;
}

/** Whether pid (one descendantProcesses found) still runs: its /proc entry exists and it is not a zombie (state Z). */
export async function isRunning(pid: number): Promise<boolean> {
  const fields = await statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

/**
 * The fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces): state,
 * parent pid…; undefined when the process is gone.
 */
async function statFields(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

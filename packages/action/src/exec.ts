import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CancelledError, jobCancelledBy } from './cancellation.js';
import { descendantProcesses, isRunning } from './descendants.js';
import { UserError } from './errors.js';

export interface ExecOptions {
  cwd?: string;
  /** Merged over process.env; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
  /** Do not throw on a non-zero exit code. */
  allowFailure?: boolean;
  /** Called with each chunk of output as it arrives (for live logs). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Printed instead of the command in errors, e.g. when an argument holds a secret. */
  displayName?: string;
  /** Suggested fix when the program is not on PATH. */
  missingHint?: string;
  /** Clean-up that must run even after the job was cancelled (every other program is refused then). */
  cleanup?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export class ExecError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

/** Runs a program with an argument array (never through a shell), capturing its output. */
export function exec(
  program: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const started = Date.now();
  const display = options.displayName ?? [program, ...args].join(' ');
  if (jobCancelledBy() && !options.cleanup) return Promise.reject(cancelled(display, 'not started'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: mergeEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills the program's children too.
      detached: true,
    });
    track(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk.toString());
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onStderr?.(chunk.toString());
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(
          new UserError(
            `'${program}' was not found on PATH${options.missingHint ? `; ${options.missingHint}` : ''}`,
          ),
        );
      } else {
        reject(error);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: ExecResult = {
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        durationMs: Date.now() - started,
      };
      if (jobCancelledBy() && !options.cleanup && !timedOut && result.exitCode !== 0) {
        reject(cancelled(display, 'stopped'));
      } else if (timedOut) {
        reject(
          new ExecError(`'${display}' did not finish within ${options.timeoutMs} ms and was stopped`, result),
        );
      } else if (result.exitCode !== 0 && !options.allowFailure) {
        const detail = lastLines(result.stderr || result.stdout, 5);
        reject(
          new ExecError(
            `'${display}' failed with exit code ${result.exitCode}${detail ? `: ${detail}` : ''}`,
            result,
          ),
        );
      } else {
        resolve(result);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

function mergeEnv(overrides: ExecOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Signals the process group a program leads (exec starts each one detached, as a group of its own). */
function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid !== undefined) kill(-pid, signal);
}

/** Programs started by exec that have not exited yet. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  if (child.pid === undefined) return;
  running.add(child);
  child.once('close', () => running.delete(child));
}

function cancelled(display: string, what: 'stopped' | 'not started'): CancelledError {
  return new CancelledError(`cancelled: '${display.split(' ').slice(0, 2).join(' ')}' was ${what}`);
}

/**
 * Stops every program this process started, with their children: SIGINT first, which lets `go build` and
 * buildah remove their temporary files, then SIGKILL for any still running after graceMs. exec's programs are
 * stopped by process group; programs a library started (the cache's tar and zstd) are found as descendants of
 * this process in /proc, where there is one. Once the job is marked cancelled, exec starts no program but
 * `cleanup` ones.
 */
export async function stopRunningPrograms(graceMs: number): Promise<void> {
  const children = [...running];
  const closed = Promise.all(children.map((child) => once(child, 'close')));
  const others = await descendantProcesses(process.pid);
  for (const child of children) killGroup(child.pid, 'SIGINT');
  for (const pid of others) kill(pid, 'SIGINT');
  const allGone = Promise.all([closed, gone(others)]);
  await within(allGone, graceMs);
  for (const child of children) if (running.has(child)) killGroup(child.pid);
  for (const pid of others) if (await isRunning(pid)) kill(pid, 'SIGKILL');
  // A program that moved to a session of its own may still hold our pipes; do not wait on it for long.
  await within(allGone, 1000);
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function gone(pids: number[]): Promise<void> {
  for (;;) {
    const alive = await Promise.all(pids.map(isRunning));
    if (!alive.includes(true)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function lastLines(text: string, count: number): string {
  return text.trim().split(/\r?\n/).slice(-count).join(' ⏎ ');
}

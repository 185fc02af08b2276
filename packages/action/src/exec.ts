import { spawn } from 'node:child_process';
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
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: mergeEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills the program's children too.
      detached: true,
    });
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
      if (timedOut) {
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

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split(/\r?\n/).slice(-count).join(' ⏎ ');
}

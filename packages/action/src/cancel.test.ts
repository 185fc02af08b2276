import { describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCancel, PROGRAM_GRACE_MS, stopOnCancel } from './cancel.js';
import { CancelledError, cancellationSignal, jobCancelledBy } from './cancellation.js';
import { isRunning } from './descendants.js';
import { exec } from './exec.js';
import { Outputs } from './outputs.js';
import { runStep } from './step.js';
import { fetchWithRetry } from './retry.js';
import { sleep } from './retry.js';

// The runner's SIGINT is emitted to this process's listeners (process.emit), not sent: jest must live on. The
// handling is installed once per process, as an action's entry does, and a cancellation is for good.
const onDeadline = jest.fn();
stopOnCancel(onDeadline);

describe('cancellation', () => {
  it('is left to a step that handles it itself (onCancel): its programs run on', async () => {
    const cancellation = onCancel();
    try {
      const running = exec('sh', ['-c', 'sleep 0.5; echo done']);
      process.emit('SIGINT', 'SIGINT');
      expect(cancellation.signal.aborted).toBe(true);
      expect((await running).stdout).toBe('done\n');
      expect(jobCancelledBy()).toBeUndefined();
    } finally {
      cancellation.dispose();
    }
  });

  it('by default stops every running program with its children, then refuses all but clean-up', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-cancel-'));
    const pidFile = path.join(dir, 'pid');
    try {
      const polite = exec('sleep', ['30']).catch((error: unknown) => error);
      // Ignores SIGINT, as does the child it starts: only the SIGKILL after the grace period ends them.
      const stubborn = exec('sh', ['-c', `trap "" INT; sleep 30 & echo $! > ${pidFile}; wait`]).catch(
        (error: unknown) => error,
      );
      // Started by a library, not by exec (as @actions/cache starts tar): found among this process's descendants.
      const library = spawn('sleep', ['30'], { stdio: 'ignore' });
      await sleep(300);
      const child = Number(readFileSync(pidFile, 'utf8'));
      expect(await isRunning(child)).toBe(true);
      const started = Date.now();
      process.emit('SIGINT', 'SIGINT');
      expect(jobCancelledBy()).toBe('SIGINT');

      const stopped = (await polite) as Error;
      expect(stopped).toBeInstanceOf(CancelledError);
      expect(stopped.message).toBe("cancelled: 'sleep 30' was stopped");
      expect(Date.now() - started).toBeLessThan(PROGRAM_GRACE_MS);
      expect(((await stubborn) as Error).message).toBe("cancelled: 'sh -c' was stopped");
      expect(Date.now() - started).toBeGreaterThanOrEqual(PROGRAM_GRACE_MS - 50);
      expect(Date.now() - started).toBeLessThan(PROGRAM_GRACE_MS + 2000);
      expect(await isRunning(child)).toBe(false);
      expect(await isRunning(library.pid!)).toBe(false);

      await expect(exec('true', [])).rejects.toThrow("cancelled: 'true' was not started");
      await expect(exec('true', [], { cleanup: true })).resolves.toMatchObject({ exitCode: 0 });
      expect(cancellationSignal().aborted).toBe(true);
      // No HTTP request is made and no result is written: the step fails through its error path.
      await expect(fetchWithRetry('http://127.0.0.1:9/never')).rejects.toThrow(
        'the job was cancelled (SIGINT) before GET http://127.0.0.1:9/never',
      );
      expect(() => new Outputs().set('digest', 'sha256:…').publish()).toThrow(
        "the job was cancelled (SIGINT) before the step's results were written",
      );
      // A second signal (the runner's SIGTERM) does not start another stop.
      process.emit('SIGTERM', 'SIGTERM');
      expect(jobCancelledBy()).toBe('SIGINT');
      expect(onDeadline).not.toHaveBeenCalled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a cancelled step with no program left, even one a library started after the signal', async () => {
    expect(jobCancelledBy()).toBe('SIGINT');
    const exitCode = process.exitCode;
    let late: number | undefined;
    try {
      await runStep(async () => {
        late = spawn('sleep', ['30'], { stdio: 'ignore' }).pid;
      });
      expect(process.exitCode).toBe(1);
      expect(await isRunning(late!)).toBe(false);
    } finally {
      process.exitCode = exitCode; // runStep failed the "step": this jest process must not exit 1 for it
    }
  });
});

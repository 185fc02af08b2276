import { expect } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ActionRun } from '@gin-deploy/runner';
import { waitFor } from './wait.js';

/**
 * The processes (pid and command line) with an environment variable whose value is `value` (e.g. a GOCACHE or
 * CONTAINERS_STORAGE_CONF folder a test gave a step): what a step started and may have left running.
 */
export function processesUsing(value: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        if (!environ.split('\0').some((entry) => entry.endsWith(`=${value}`))) return [];
        return [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`];
      } catch {
        return []; // exited while read
      }
    });
}

/** Waits until a process whose environment holds `value` runs a command line matching `command`. */
export function waitForProcess(value: string, command: RegExp, timeoutMs = 60_000): Promise<true> {
  return waitFor(`a process matching ${command} with ${value}`, timeoutMs, async () =>
    processesUsing(value).some((line) => command.test(line)) ? true : undefined,
  );
}

/**
 * Cancels a running step as the runner does (SIGINT) and waits for it to end: it must stop well inside the
 * runner's 7.5 s before SIGTERM, failed, with the cancellation warning.
 */
export async function cancelStep(step: ChildProcess, running: Promise<ActionRun>): Promise<ActionRun> {
  const signalledAt = Date.now();
  step.kill('SIGINT');
  const run = await running;
  expect(Date.now() - signalledAt).toBeLessThan(6_000);
  expect(run.exitCode).toBe(1);
  expect(run.warnings).toContain('the job was cancelled (SIGINT); stopping');
  return run;
}

/** A running process's environment, read from /proc/<pid>/environ. */
export function environmentOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(
    entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

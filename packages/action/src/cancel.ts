import * as core from '@actions/core';
import { jobCancelledBy, markCancelled } from './cancellation.js';
import { stopRunningPrograms } from './exec.js';

/**
 * When a job is cancelled the runner sends the step's process SIGINT, then SIGTERM about 7.5 s later, then kills
 * it 2.5 s after that (actions/runner, ProcessInvoker). A step has those seconds to leave things safe, and only
 * if it handles the signals instead of dying at the first one.
 */
const CANCEL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** How long stopped programs get to exit on SIGINT before they are killed. */
export const PROGRAM_GRACE_MS = 2000;
/** When a step that was told to stop has still not ended, it is ended: well before the runner's SIGTERM. */
export const STOP_DEADLINE_MS = 5000;

export interface Cancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Removes the handlers (the default ones kill the process again). */
  dispose(): void;
}

let handledByStep = false;
let installed = false;
const lastWords = new Set<(message: string) => void>();

/**
 * For a step that handles cancellation itself (it has work to undo that takes longer than stopping): turns the
 * runner's signals into an AbortSignal, and switches off the default handling of stopOnCancel.
 */
export function onCancel(): Cancellation {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) core.warning(`the job was cancelled (${signal}); stopping safely`);
    controller.abort();
  };
  handledByStep = true;
  for (const signal of CANCEL_SIGNALS) process.on(signal, handler);
  return {
    signal: controller.signal,
    dispose() {
      handledByStep = false;
      for (const signal of CANCEL_SIGNALS) process.off(signal, handler);
    },
  };
}

/**
 * Registers what the step writes if it is ended at the stop deadline: its failure outputs and summary, given the
 * one-line reason. Returns a function that unregisters it.
 */
export function onStopDeadline(write: (message: string) => void): () => void {
  lastWords.add(write);
  return () => lastWords.delete(write);
}

/**
 * The default handling of cancellation, for every step that does not call onCancel; each action's entry installs
 * it before anything else loads, so a signal in the step's first milliseconds is handled too. On the first SIGINT
 * or SIGTERM the job is marked cancelled (cancellation.ts): the step's programs are stopped and no new one
 * starts, its HTTP requests are aborted, and its results are refused, so the step fails the way it fails on any
 * error: it removes what it half wrote and writes its failure outputs and summary. A step still running
 * STOP_DEADLINE_MS later writes what it registered with onStopDeadline and is ended with exit code 1.
 */
export function stopOnCancel(onDeadline: (message: string) => void = failAndExit): void {
  if (installed) return;
  installed = true;
  const handler = (signal: NodeJS.Signals): void => {
    if (handledByStep || jobCancelledBy()) return;
    markCancelled(signal);
    core.warning(`the job was cancelled (${signal}); stopping`);
    void stopRunningPrograms(PROGRAM_GRACE_MS);
    setTimeout(
      () =>
        onDeadline(
          `the job was cancelled (${signal}) and the step did not stop within ${STOP_DEADLINE_MS} ms`,
        ),
      STOP_DEADLINE_MS,
    ).unref();
  };
  for (const signal of CANCEL_SIGNALS) process.on(signal, handler);
}

function failAndExit(message: string): void {
  for (const write of lastWords) {
    try {
      write(message);
    } catch {
      // The step is ended either way; its own error path may have written already.
    }
  }
  core.setFailed(message);
  // A library may have started a program after the signal (the cache's tar once its download ended).
  void stopRunningPrograms(1000).finally(() => process.exit(1));
}

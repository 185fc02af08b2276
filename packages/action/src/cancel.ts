import * as core from '@actions/core';
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
export const STOP_DEADLINE_MS = 6000;

export interface Cancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Removes the handlers (the default ones kill the process again). */
  dispose(): void;
}

let handledByStep = false;
let cancelledBy: NodeJS.Signals | undefined;

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

/** The signal that cancelled the job while the step ran under stopOnCancel, or undefined. */
export function jobCancelledBy(): NodeJS.Signals | undefined {
  return cancelledBy;
}

/**
 * The default handling of cancellation, installed by runStep for every step that does not call onCancel. On the
 * first SIGINT or SIGTERM, the programs the step started are stopped and no new one starts
 * (stopRunningPrograms): the step's code then fails the way it fails on any error, so it removes what it half
 * wrote and writes its failure outputs and summary. A step still running STOP_DEADLINE_MS later is failed and
 * ended. Returns a function that removes the handlers.
 */
export function stopOnCancel(onDeadline: (message: string) => void = failAndExit): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    if (handledByStep || cancelledBy) return;
    cancelledBy = signal;
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
  return () => {
    for (const signal of CANCEL_SIGNALS) process.off(signal, handler);
  };
}

function failAndExit(message: string): void {
  core.setFailed(message);
  process.exit(1);
}

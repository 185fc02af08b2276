import * as core from '@actions/core';
import { onStopDeadline, PROGRAM_GRACE_MS } from './cancel.js';
import { jobCancelledBy } from './cancellation.js';
import { errorMessage, oneLine } from './errors.js';
import { stopRunningPrograms } from './exec.js';

/**
 * Runs an action's step: any error becomes one `::error::` line and exit code 1. The stack goes to the debug
 * log, where `ACTIONS_STEP_DEBUG` shows it, not into the annotation. A step that ran to its end after the job
 * was cancelled fails too: what it did after the signal was refused or stopped (cancel.ts).
 */
export async function runStep(step: () => Promise<void>): Promise<void> {
  try {
    await step();
    const cancelled = jobCancelledBy();
    if (cancelled) core.setFailed(`the job was cancelled (${cancelled})`);
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureMessage(oneLine(errorMessage(error)), jobCancelledBy()));
  }
  // No program outlives a cancelled step, not even one a library started after the signal.
  if (jobCancelledBy()) await stopRunningPrograms(PROGRAM_GRACE_MS);
}

/**
 * Runs work; when it throws, and at the stop deadline of a cancelled job, writeFailure writes the step's failure
 * outputs and summary first (given the error, or the deadline's one-line reason), so every way out writes them.
 */
export async function withFailureOutputs<T>(
  writeFailure: (reason: unknown) => void,
  work: () => Promise<T>,
): Promise<T> {
  const unregister = onStopDeadline(writeFailure);
  try {
    return await work();
  } catch (error) {
    writeFailure(error);
    throw error;
  } finally {
    unregister();
  }
}

/** After a cancellation every failure follows from it, so the message says so first, once. */
function failureMessage(message: string, cancelledBy: NodeJS.Signals | undefined): string {
  if (!cancelledBy || message.startsWith('the job was cancelled')) return message;
  return `the job was cancelled (${cancelledBy}): ${message.replace(/^cancelled: /, '')}`;
}

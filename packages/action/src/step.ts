import * as core from '@actions/core';
import { jobCancelledBy, stopOnCancel } from './cancel.js';
import { errorMessage, oneLine } from './errors.js';

/**
 * Runs an action's step: any error becomes one `::error::` line and exit code 1. The stack goes to the debug
 * log, where `ACTIONS_STEP_DEBUG` shows it, not into the annotation. A cancelled job stops the step as
 * stopOnCancel describes, unless the step handles cancellation itself (onCancel).
 */
export async function runStep(step: () => Promise<void>): Promise<void> {
  const removeHandlers = stopOnCancel();
  try {
    await step();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureMessage(oneLine(errorMessage(error)), jobCancelledBy()));
  } finally {
    removeHandlers();
  }
}

/** After a cancellation every failure follows from it, so the message says so first, once. */
function failureMessage(message: string, cancelledBy: NodeJS.Signals | undefined): string {
  if (!cancelledBy || message.startsWith('the job was cancelled')) return message;
  return `the job was cancelled (${cancelledBy}): ${message.replace(/^cancelled: /, '')}`;
}

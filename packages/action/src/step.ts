import * as core from '@actions/core';
import { errorMessage, oneLine } from './errors.js';

/**
 * Runs an action's step: any error becomes one `::error::` line and exit code 1. The stack goes to the debug
 * log, where `ACTIONS_STEP_DEBUG` shows it, not into the annotation.
 */
export async function runStep(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(oneLine(errorMessage(error)));
  }
}

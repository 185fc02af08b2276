import * as core from '@actions/core';

export interface Cancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Removes the handlers (the default ones kill the process again). */
  dispose(): void;
}

/**
 * Turns the runner's cancellation into an AbortSignal. When a job is cancelled the runner sends SIGINT,
 * then SIGTERM about 7.5 s later, then kills the process 2.5 s after that: a step that must leave things in
 * a safe state has those seconds, and only if it handles the signals instead of dying at the first one.
 */
export function onCancel(): Cancellation {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) core.warning(`the job was cancelled (${signal}); stopping safely`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

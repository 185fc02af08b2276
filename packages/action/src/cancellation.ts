import { UserError } from './errors.js';

/**
 * Whether the job was cancelled while this step runs, for the step's own code: its programs (exec), its HTTP
 * requests (fetchWithRetry) and its results (Outputs.publish) check it. Set by the default handling of the
 * runner's signals (stopOnCancel in cancel.ts); a step that handles cancellation itself (onCancel) never sets it.
 */
const controller = new AbortController();
let cancelledBy: NodeJS.Signals | undefined;

/** Work refused or stopped because the job was cancelled. */
export class CancelledError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Records the cancellation and aborts cancellationSignal(); only the first call counts. */
export function markCancelled(signal: NodeJS.Signals): void {
  if (cancelledBy) return;
  cancelledBy = signal;
  controller.abort(new CancelledError(`the job was cancelled (${signal})`));
}

/** The signal that cancelled the job, or undefined. */
export function jobCancelledBy(): NodeJS.Signals | undefined {
  return cancelledBy;
}

/** Aborted when the job is cancelled: give it to work that should stop then (fetch, sleeps). */
export function cancellationSignal(): AbortSignal {
  return controller.signal;
}

/** Throws a CancelledError before `act` (a tag, a release, a cache save, the step's results) once cancelled. */
export function throwIfCancelled(act: string): void {
  if (cancelledBy) throw new CancelledError(`the job was cancelled (${cancelledBy}) before ${act}`);
}

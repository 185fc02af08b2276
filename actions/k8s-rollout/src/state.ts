import { getState, saveState } from '@gin-deploy/action';

/** The Lease a run may hold: enough for the post step to release it after the main step was killed. */
export interface HeldLeaseState {
  namespace: string;
  app: string;
  holder: string;
}

const LEASE = 'lease';

export function rememberLease(lease: HeldLeaseState): void {
  saveState(LEASE, JSON.stringify(lease));
}

export function heldLease(): HeldLeaseState | undefined {
  const text = getState(LEASE);
  return text ? (JSON.parse(text) as HeldLeaseState) : undefined;
}

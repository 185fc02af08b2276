/** One look at the app: ready pods (not terminating) against the Deployment's desired replicas. */
export interface AvailabilitySample {
  /** ms since the drill started (the first fault). */
  atMs: number;
  ready: number;
  desired: number;
}

export interface Recovery {
  /** ms from the fault (the slowest one when it repeated) until every desired replica was ready again. */
  recoveryMs: number;
  /** False when some fault was not followed by full availability before the samples end. */
  recovered: boolean;
  /** The lowest ready/desired seen from the first fault on, 0..1. */
  worstAvailability: number;
}

export function availability(sample: AvailabilitySample): number {
  return sample.desired > 0 ? Math.min(1, sample.ready / sample.desired) : 1;
}

/**
 * Recovery after each fault: the first sample taken at or after the fault's time with every desired replica
 * ready. `faultsAtMs` are the instants the fault hit (each pod-kill) or ended (a Chaos Mesh experiment's
 * removal). A fault never followed by full availability counts from its time to the last sample.
 */
export function measureRecovery(samples: AvailabilitySample[], faultsAtMs: number[]): Recovery {
  let recoveryMs = 0;
  let recovered = true;
  const last = samples.at(-1)?.atMs ?? 0;
  for (const at of faultsAtMs) {
    const back = samples.find((sample) => sample.atMs >= at && availability(sample) >= 1);
    if (!back) recovered = false;
    recoveryMs = Math.max(recoveryMs, (back?.atMs ?? last) - at);
  }
  const during = samples.filter((sample) => sample.atMs >= 0);
  const worstAvailability = during.length ? Math.min(...during.map(availability)) : 1;
  return { recoveryMs, recovered, worstAvailability };
}

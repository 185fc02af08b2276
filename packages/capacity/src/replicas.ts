/**
 * Replica arithmetic of capacity planning: N (the replicas that carry the load) plus k spares (the SRE book's
 * N+k redundancy, so that k replicas may be down for a rollout or a failure while the peak is served).
 */

/** `N+2` or `2` → 2; undefined when the text is neither. */
export function parseRedundancy(text: string): number | undefined {
  const match = /^(?:n\s*\+\s*)?(\d+)$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

// Ratios such as 540 × 1.2 / 54 come out as 12.000000000000002 in doubles; whole numbers stay whole.
const ceil = (value: number): number => Math.ceil(value - 1e-9);

/** ceil(peak × (1 + headroom) / perReplica) + redundancy; peak and perReplica in requests/s, perReplica > 0. */
export function requiredReplicas(
  peak: number,
  perReplica: number,
  headroom: number,
  redundancy: number,
): number {
  return Math.max(1, ceil((peak * (1 + headroom)) / perReplica)) + redundancy;
}

/**
 * The share of the forecast peak the supply could carry beyond it, with the redundant replicas down:
 * (maxReplicas − redundancy) × perReplica / peak − 1 (0.25: a quarter more than the peak; negative: short).
 */
export function headroomAt(
  maxReplicas: number,
  redundancy: number,
  perReplica: number,
  peak: number,
): number {
  if (peak <= 0) return Infinity;
  return (Math.max(0, maxReplicas - redundancy) * perReplica) / peak - 1;
}

export type SupplyVerdict = 'pass' | 'warn' | 'fail';

/**
 * pass: the supply holds the required replicas (headroom and redundancy included); warn: it holds the peak with
 * the redundancy but not the headroom; fail: not even that.
 */
export function supplyVerdict(
  maxReplicas: number,
  peak: number,
  perReplica: number,
  headroom: number,
  redundancy: number,
): SupplyVerdict {
  if (maxReplicas >= requiredReplicas(peak, perReplica, headroom, redundancy)) return 'pass';
  if (maxReplicas >= requiredReplicas(peak, perReplica, 0, redundancy)) return 'warn';
  return 'fail';
}

/** HPA bounds (autoscaling/v2 `minReplicas`, `maxReplicas`). */
export interface HpaBounds {
  minReplicas: number;
  maxReplicas: number;
}

/**
 * The HPA bounds the plan recommends: maxReplicas = the required replicas, so the autoscaler may reach the
 * forecast peak with headroom and spares; minReplicas = the spares plus one serving replica, so a replica
 * lost off-peak never leaves the app without one.
 */
export function recommendedBounds(required: number, redundancy: number): HpaBounds {
  const minReplicas = Math.min(required, redundancy + 1);
  return { minReplicas, maxReplicas: required };
}

/** Good and total events counted over one window. */
export interface WindowCounts {
  good: number;
  total: number;
}

/** The SLI: the fraction of good events; null without events. */
export function sliOf(counts: WindowCounts | null): number | null {
  if (counts === null || !(counts.total > 0)) return null;
  return counts.good / counts.total;
}

/** The share of the error budget left: 1 − (1 − SLI)/(1 − objective); negative when overspent. */
export function budgetRemaining(sli: number, objective: number): number {
  return 1 - (1 - sli) / (1 - objective);
}

/** How fast the budget burns: the error ratio over the budget (1 spends exactly the budget over the window). */
export function burnRate(sli: number, objective: number): number {
  return (1 - sli) / (1 - objective);
}

/** Rounds for outputs so that float noise (0.19999999999998) does not reach a workflow's comparison. */
export function roundForOutput(value: number, decimals = 9): number {
  return Number(value.toFixed(decimals));
}

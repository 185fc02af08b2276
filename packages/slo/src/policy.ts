import type { BurnRateCheck } from './burn-rate.js';

export type Verdict = 'pass' | 'warn' | 'fail';

export interface GatePolicy {
  /** Fail below this share of budget left (0 fails only when overspent). */
  minBudgetRemaining: number;
  /** Warn below this share of budget left. */
  warnBudgetRemaining?: number;
  /** Fail when the current burn rate (the first pair's long window, confirmed by its short one) exceeds it. */
  maxBurnRate?: number;
}

export interface SloFigures {
  budgetRemaining: number;
  burnRates: BurnRateCheck[];
}

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

export function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((acc, verdict) => (RANK[verdict] > RANK[acc] ? verdict : acc), 'pass');
}

const percent = (value: number) => `${Number((value * 100).toFixed(4))}%`;

/** The verdict for one SLO and the reasons for anything other than a pass. */
export function judgeSlo(figures: SloFigures, policy: GatePolicy): { verdict: Verdict; reasons: string[] } {
  const found: { verdict: Verdict; reason: string }[] = [];
  const left = figures.budgetRemaining;
  if (left < policy.minBudgetRemaining) {
    found.push({
      verdict: 'fail',
      reason: `budget remaining ${percent(left)} is below the minimum ${percent(policy.minBudgetRemaining)}`,
    });
  } else if (policy.warnBudgetRemaining !== undefined && left < policy.warnBudgetRemaining) {
    found.push({
      verdict: 'warn',
      reason: `budget remaining ${percent(left)} is below the warning level ${percent(policy.warnBudgetRemaining)}`,
    });
  }
  for (const check of figures.burnRates) {
    if (!check.firing) continue;
    found.push({
      verdict: check.severity,
      reason: `burn rate ${round(check.long)} over ${check.window.split('/')[0]} confirmed by ${round(check.short)} over ${check.window.split('/')[1]} is at least ${check.factor}`,
    });
  }
  const current = figures.burnRates[0];
  if (
    policy.maxBurnRate !== undefined &&
    current?.long != null &&
    current.short != null &&
    current.long > policy.maxBurnRate &&
    current.short > policy.maxBurnRate
  ) {
    found.push({
      verdict: 'fail',
      reason: `current burn rate ${round(current.long)} (${current.window}) exceeds max-burn-rate ${policy.maxBurnRate}`,
    });
  }
  return { verdict: worst(found.map((item) => item.verdict)), reasons: found.map((item) => item.reason) };
}

function round(value: number | null): string {
  return value === null ? 'n/a' : String(Number(value.toPrecision(4)));
}

import { formatDuration, parseDuration } from '@gin-deploy/action';

export type Severity = 'fail' | 'warn';

/** A multiwindow alert: both windows must burn faster than `factor` (the short one confirms it is still on). */
export interface BurnRateWindow {
  longMs: number;
  shortMs: number;
  factor: number;
  severity: Severity;
}

/** Which of sloth's alerts an SLO keeps: page alerts fail the gate, ticket alerts warn. */
export interface Alerting {
  page: boolean;
  ticket: boolean;
}

const HOUR = 3_600_000;

/**
 * The SRE Workbook's multiwindow, multi-burn-rate alerts (chapter 5, table 5-8) as sloth v0.16 generates them:
 * page on 2 % of the budget spent in 1h (confirmed over 5m) or 5 % in 6h (30m); ticket on 10 % in 1d (2h) or
 * 10 % in 3d (6h). The factor is that budget share × period ÷ long window, so a 30d period gives 14.4, 6, 3, 1
 * and a 28d one 13.44, 5.6, 2.8, 0.9333.
 */
export const BURN_RATE_ALERTS = [
  { longMs: HOUR, shortMs: 5 * 60_000, budgetShare: 0.02, alert: 'page' },
  { longMs: 6 * HOUR, shortMs: 30 * 60_000, budgetShare: 0.05, alert: 'page' },
  { longMs: 24 * HOUR, shortMs: 2 * HOUR, budgetShare: 0.1, alert: 'ticket' },
  { longMs: 72 * HOUR, shortMs: 6 * HOUR, budgetShare: 0.1, alert: 'ticket' },
] as const;

/** The periods sloth ships these four pairs for (its google-28d and google-30d windows): kept whole. */
const SLOTH_PERIODS_MS = [28 * 24 * HOUR, 30 * 24 * HOUR];

/**
 * The default window pairs for an SLO period (ms): page alerts fail, ticket alerts warn. For 28d and 30d they
 * are sloth's own. sloth refuses any other period unless given windows of its own (its 7d example raises the
 * budget shares); slo-gate keeps the Workbook's shares and leaves out every pair whose factor falls below 1:
 * such a pair fires on a burn that would not spend the budget within the period (a 7d period's 1d/2h pair
 * at 0.7, a 1d period's 1h/5m at 0.48), which is no alert but the budget check's job. So a 7d period keeps
 * 1h/5m (3.36) and 6h/30m (1.4), and a period under 50h none: its budget alone is judged.
 */
export function defaultBurnRateWindows(
  periodMs: number,
  alerting: Alerting = { page: true, ticket: true },
): BurnRateWindow[] {
  const whole = SLOTH_PERIODS_MS.includes(periodMs);
  return BURN_RATE_ALERTS.filter((pair) => alerting[pair.alert])
    .map((pair) => ({
      longMs: pair.longMs,
      shortMs: pair.shortMs,
      factor: Number(((pair.budgetShare * periodMs) / pair.longMs).toPrecision(12)),
      severity: (pair.alert === 'page' ? 'fail' : 'warn') as Severity,
    }))
    .filter((pair) => whole || pair.factor >= 1);
}

const WINDOWS_EXPECTED = 'entries like 1h/5m:14.4 or 3d/6h:1:warn (long/short window:factor[:warn|fail])';

/** Burn-rate window pairs that cannot be read: the entry that is wrong (none when nothing was given). */
export class BurnRateWindowsError extends Error {
  constructor(readonly entry: string | undefined) {
    super(
      entry === undefined
        ? `no windows given; expected ${WINDOWS_EXPECTED}`
        : `'${entry}' is not valid; expected ${WINDOWS_EXPECTED}`,
    );
    this.name = 'BurnRateWindowsError';
  }
}

/** Parses `1h/5m:14.4, 6h/30m:6, 3d/6h:1:warn` (comma or newline separated; severity fail unless `:warn`). */
export function parseBurnRateWindows(text: string): BurnRateWindow[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new BurnRateWindowsError(undefined);
  return items.map((item) => {
    const match = /^([^/:\s]+)\s*\/\s*([^/:\s]+)\s*:\s*(\d+(?:\.\d+)?)\s*(?::\s*(warn|fail))?$/.exec(item);
    const longMs = match ? parseDuration(match[1]) : undefined;
    const shortMs = match ? parseDuration(match[2]) : undefined;
    if (
      !match ||
      longMs === undefined ||
      shortMs === undefined ||
      shortMs > longMs ||
      Number(match[3]) <= 0
    ) {
      throw new BurnRateWindowsError(item);
    }
    return { longMs, shortMs, factor: Number(match[3]), severity: (match[4] ?? 'fail') as Severity };
  });
}

export interface BurnRateCheck {
  window: string;
  factor: number;
  severity: Severity;
  long: number | null;
  short: number | null;
  firing: boolean;
}

/** Evaluates each window pair from the burn rates measured per window length (null: no events). */
export function checkBurnRates(
  windows: BurnRateWindow[],
  rates: Map<number, number | null>,
): BurnRateCheck[] {
  return windows.map((pair) => {
    const long = rates.get(pair.longMs) ?? null;
    const short = rates.get(pair.shortMs) ?? null;
    return {
      window: `${formatDuration(pair.longMs)}/${formatDuration(pair.shortMs)}`,
      factor: pair.factor,
      severity: pair.severity,
      long,
      short,
      firing: long !== null && short !== null && long >= pair.factor && short >= pair.factor,
    };
  });
}

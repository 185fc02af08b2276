import { formatDuration, parseDuration, UserError } from '@gin-deploy/action';

export type Severity = 'fail' | 'warn';

/** A multiwindow alert: both windows must burn faster than `factor` (the short one confirms it is still on). */
export interface BurnRateWindow {
  longMs: number;
  shortMs: number;
  factor: number;
  severity: Severity;
}

/** The SRE Workbook's multiwindow, multi-burn-rate alerts for a 30-day budget; the slow one only warns. */
export const DEFAULT_BURN_RATE_WINDOWS = '1h/5m:14.4, 6h/30m:6, 3d/6h:1:warn';

/** Parses `1h/5m:14.4, 6h/30m:6, 3d/6h:1:warn` (comma or newline separated; severity fail unless `:warn`). */
export function parseBurnRateWindows(text: string, where: string): BurnRateWindow[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  const expected = 'entries like 1h/5m:14.4 or 3d/6h:1:warn (long/short window:factor[:warn|fail])';
  if (items.length === 0) throw new UserError(`${where}: no windows given; expected ${expected}`);
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
      throw new UserError(`${where}: '${item}' is not valid; expected ${expected}`);
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

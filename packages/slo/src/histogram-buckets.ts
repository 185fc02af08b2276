import { UserError } from '@gin-deploy/action';

/** The `le` matchers of a latency SLI: good is the threshold's bucket, total the +Inf bucket, every spelling. */
export interface BucketMatchers {
  /** The threshold's bound as the histogram writes it (the first spelling), for reports. */
  bound: string;
  good: string;
  total: string;
}

/**
 * A bucket bound as exporters write it: `1`, `1.0`, `1e+00`, `+Inf` (the Go client writes `+Inf`, others
 * `Inf`); NaN for anything else.
 */
export function parseLe(text: string): number {
  const trimmed = text.trim();
  if (/^\+?inf$/i.test(trimmed)) return Infinity;
  return trimmed === '' ? NaN : Number(trimmed);
}

const sameBound = (a: number, b: number) =>
  a === b || (Number.isFinite(a) && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));

/** `le="0.3"` for one spelling, a backtick regex `le=~` of all of them for several (a raw string: no escapes). */
export function leMatcher(spellings: string[]): string {
  if (spellings.length === 1) return `le="${spellings[0]}"`;
  return `le=~\`${spellings.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}\``;
}

/**
 * The matchers for a latency threshold from the `le` values the histogram has, matching every spelling of the
 * threshold's bound and of +Inf, so that series of exporters that spell `1` and `1.0` are all counted. A
 * threshold that is no bound of the histogram is an error naming the bounds there are; undefined without
 * values (no data).
 */
export function bucketMatchers(
  leValues: string[],
  thresholdSeconds: number,
  where: string,
): BucketMatchers | undefined {
  if (leValues.length === 0) return undefined;
  const bounds = leValues
    .map((text) => ({ text, value: parseLe(text) }))
    .filter((bound) => !Number.isNaN(bound.value));
  const distinct = [...new Set(bounds.map((bound) => bound.value))].sort((a, b) => a - b);
  const shown = distinct.map((value) => (value === Infinity ? '+Inf' : String(value))).join(', ');
  const good = bounds.filter((bound) => sameBound(bound.value, thresholdSeconds)).map((bound) => bound.text);
  if (good.length === 0) {
    throw new UserError(
      `${where}: the threshold ${thresholdSeconds}s is no bucket bound of the histogram; expected one of its bounds: ${shown}`,
    );
  }
  const total = bounds.filter((bound) => bound.value === Infinity).map((bound) => bound.text);
  if (total.length === 0) {
    throw new UserError(
      `${where}: the histogram has no +Inf bucket to count all requests; its bounds: ${shown}`,
    );
  }
  return { bound: good[0], good: leMatcher(good.sort()), total: leMatcher(total.sort()) };
}

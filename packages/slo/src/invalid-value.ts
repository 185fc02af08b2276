/**
 * A value from Prometheus that no event count or ratio can hold: NaN, ±Inf, a negative count, or more good
 * events than events. Every comparison with NaN is false, so such a value would pass any threshold; callers
 * judge it as an error instead (slo-gate by `on-error`, k8s-rollout by aborting the canary).
 */
export class InvalidValueError extends Error {
  constructor(
    /** The PromQL that gave the value. */
    readonly query: string,
    /** As Prometheus writes it: `NaN`, `+Inf`, `-3`, or `good 120 > total 100`. */
    readonly value: string,
    /** RFC 3339 evaluation time. */
    readonly time: string,
    /** What the value should have been. */
    readonly expected: string,
  ) {
    super(`query '${query}' at ${time} gave ${value}; expected ${expected}`);
    this.name = 'InvalidValueError';
  }
}

/** `NaN`, `+Inf`, `-Inf` or the number, as Prometheus prints them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Throws an InvalidValueError unless `value` is a finite number (of events when `count`: also ≥ 0). */
export function checkValue(
  value: number,
  context: { query: string; time: Date },
  what: string,
  count = true,
): number {
  if (!Number.isFinite(value) || (count && value < 0)) {
    throw new InvalidValueError(
      context.query,
      `${formatValue(value)} for ${what}`,
      context.time.toISOString(),
      count ? 'a finite count of events, 0 or more' : 'a finite number',
    );
  }
  return value;
}

// Shares computed from sums of the same series in different orders may leave [0, 1] by float noise only.
const RATIO_SLACK = 1e-9;

/** Throws an InvalidValueError unless `value` is a share from 0 to 1 (a negative error ratio is no improvement). */
export function checkRatio(value: number, context: { query: string; time: Date }, what: string): number {
  checkValue(value, context, what, false);
  if (value < -RATIO_SLACK || value > 1 + RATIO_SLACK) {
    throw new InvalidValueError(
      context.query,
      `${formatValue(value)} for ${what}`,
      context.time.toISOString(),
      'a ratio from 0 to 1',
    );
  }
  return value;
}

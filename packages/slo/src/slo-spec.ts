import { parseDuration } from '@gin-deploy/action';
import type { Alerting } from './burn-rate.js';
import type { CalendarWindow } from './calendar.js';

export interface RatioSli {
  kind: 'ratio';
  total: string;
  /** Exactly one of good and errors. */
  good?: string;
  errors?: string;
}

export interface LatencySli {
  kind: 'latency';
  /** A histogram's `_bucket` series selector. */
  histogram: string;
  thresholdSeconds: number;
}

/** An error ratio already computed (sloth's `raw.error_ratio_query`), a query using {{window}}; 0–1. */
export interface ErrorRatioSli {
  kind: 'errorRatio';
  query: string;
}

/**
 * A value compared with a threshold at every evaluation (OpenSLO `thresholdMetric` with the objective's `op`
 * and `value`): an evaluation is good when `query op value` holds.
 */
export interface ThresholdSli {
  kind: 'threshold';
  query: string;
  op: 'lt' | 'lte' | 'gt' | 'gte';
  value: number;
}

/**
 * How the budget counts (OpenSLO `budgetingMethod`): occurrences counts events; timeslices counts slices of
 * `sliceMs` as good when their SLI meets `sliceTarget`, and the SLI is the share of good slices.
 */
export type Budgeting =
  { method: 'occurrences' } | { method: 'timeslices'; sliceMs: number; sliceTarget: number };

/** How often a threshold SLI is evaluated inside a window or a slice (one evaluation per minute). */
export const THRESHOLD_RESOLUTION_MS = 60_000;

/** One SLO, whichever format it was written in. */
export interface SloSpec {
  name: string;
  /** A fraction strictly between 0 and 1 (99.95% → 0.9995). */
  objective: number;
  /** The SLO period (the budget's window), from the file unless the `window` input overrides it. */
  windowMs: number;
  /**
   * A calendar-aligned period (OpenSLO `isRolling: false`): the budget runs from the start of the period that
   * holds the evaluation time to that time, and windowMs is only the period's nominal length.
   */
  calendar?: CalendarWindow;
  /** Which default burn-rate alerts apply (sloth's page → fail, ticket → warn); both unless the file says. */
  alerting: Alerting;
  sli: RatioSli | LatencySli | ErrorRatioSli | ThresholdSli;
  budgeting: Budgeting;
  /** What the file says that slo-gate reads differently or not at all: warnings (errors under strict). */
  notes: string[];
  /** A failing key SLO fails the whole gate under weighted scoring. */
  key: boolean;
  weight: number;
  service?: string;
  /** Where it was defined: `inputs` or `<file>: slos[1]`. */
  source: string;
}

/** The fields of an SLO, named as our format names them; the inputs and the other formats map them. */
export type SloField =
  'objective' | 'window' | 'total' | 'good' | 'errors' | 'latency' | 'threshold' | 'errorRatio' | 'weight';

/**
 * A field of one SLO that is missing or wrong, with what was expected there. It names no file and no input:
 * the reader of the file or of the inputs says where the field was written.
 */
export class SloFieldError extends Error {
  constructor(
    readonly field: SloField,
    /** `is required; expected …` when missing, else what is wrong (`'100' is not valid; expected …`). */
    readonly problem: string,
    readonly missing = false,
  ) {
    super(`${field}${missing ? ' ' : ': '}${problem}`);
    this.name = 'SloFieldError';
  }

  /** The message with the field's place in the file or the input (`input 'objective'`) in front. */
  at(where: string): string {
    return `${where}${this.missing ? ' ' : ': '}${this.problem}`;
  }
}

/** `99.95` or `99.95%` → 0.9995; 0, 100 and anything else are errors. */
export function parseObjectivePercent(text: string): number {
  const trimmed = text.trim().replace(/%$/, '');
  const percent = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(percent > 0 && percent < 100)) {
    throw new SloFieldError(
      'objective',
      `'${text}' is not valid; expected a percentage greater than 0 and less than 100, such as 99.9`,
    );
  }
  return Number((percent / 100).toPrecision(15));
}

export function parseWindow(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 60_000) {
    throw new SloFieldError(
      'window',
      `'${text}' is not valid; expected a duration of at least 1m, such as 28d, 7d or 30d`,
    );
  }
  return ms;
}

/** `300ms`, `0.3s` or a bare number of seconds (`0.3`). */
export function parseThresholdSeconds(text: string): number {
  const bare = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : undefined;
  const ms = bare === undefined ? parseDuration(text) : bare * 1000;
  if (ms === undefined || ms <= 0) {
    throw new SloFieldError(
      'threshold',
      `'${text}' is not valid; expected a latency such as 300ms, 1s or 0.25`,
    );
  }
  return ms / 1000;
}

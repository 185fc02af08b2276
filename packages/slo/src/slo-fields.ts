import { UserError } from '@gin-deploy/action';
import type { Alerting } from './burn-rate.js';
import type { CalendarWindow } from './calendar.js';
import {
  parseObjectivePercent,
  parseThresholdSeconds,
  parseWindow,
  SloFieldError,
  type Budgeting,
  type SloField,
  type SloSpec,
} from './slo-spec.js';

/** The fields of one SLO as written, before checking. */
export interface SloFields {
  name: string;
  /** A percentage (99.9), as our format, the inputs and sloth write it. */
  objective?: string;
  /** How the file wrote the objective; a ratio-looking percentage is only suspicious where percentages are. */
  objectiveWritten?: 'percent' | 'fraction';
  window?: string;
  /** A calendar-aligned period (OpenSLO); `window` is then its nominal length. */
  calendar?: CalendarWindow;
  total?: string;
  good?: string;
  errors?: string;
  /** An error ratio query (0–1) using {{window}}. */
  errorRatio?: string;
  latency?: string;
  threshold?: string;
  /** A thresholdMetric query, judged with thresholdOp and thresholdValue at every evaluation. */
  thresholdQuery?: string;
  thresholdOp?: 'lt' | 'lte' | 'gt' | 'gte';
  thresholdValue?: number;
  key?: boolean;
  weight?: number;
  service?: string;
  alerting?: Alerting;
  budgeting?: Budgeting;
  notes?: string[];
}

/** The period of our format and of inline SLOs when none is written. */
export const DEFAULT_WINDOW = '28d';

/**
 * A note when a percentage reads like a ratio (0.999 where 99.9 was meant): 0.999 % is a valid objective, so
 * it is a warning naming the likely intended value, not an error.
 */
export function percentSlip(percent: number, where: string): string | undefined {
  if (percent >= 1) return undefined;
  const meant = Number((percent * 100).toPrecision(12));
  return `${where}: objective ${percent} is a percentage here (${percent}%), which reads like a ratio; did you mean ${meant}?`;
}

/** buildSlo for a file's reader: a field's error names its place in the file (`f.yaml: at 'slos[0].objective'`). */
export function buildSloAt(fields: SloFields, where: (field: SloField) => string, source: string): SloSpec {
  try {
    return buildSlo(fields, source, where);
  } catch (error) {
    if (error instanceof SloFieldError) throw new UserError(error.at(where(error.field)));
    throw error;
  }
}

/**
 * Checks the fields of one SLO (from inputs or any file format) and builds it; a bad field is an SloFieldError.
 * `place` names a field in the notes it writes (a percentage that reads like a ratio is a note, not an error).
 */
export function buildSlo(
  fields: SloFields,
  source: string,
  place: (field: SloField) => string = (field) => field,
): SloSpec {
  if (fields.objective === undefined)
    throw new SloFieldError('objective', 'is required; expected a percentage such as 99.9', true);
  const objective = parseObjectivePercent(fields.objective);
  const windowMs = parseWindow(fields.window ?? DEFAULT_WINDOW);
  const weight = fields.weight ?? 1;
  if (!(weight > 0)) throw new SloFieldError('weight', `'${weight}' is not valid; expected a number above 0`);
  const slip =
    fields.objectiveWritten === 'fraction'
      ? undefined
      : percentSlip(Number((objective * 100).toPrecision(12)), place('objective'));
  const common = {
    name: fields.name,
    objective,
    windowMs,
    ...(fields.calendar ? { calendar: fields.calendar } : {}),
    key: fields.key ?? false,
    alerting: fields.alerting ?? { page: true, ticket: true },
    budgeting: fields.budgeting ?? { method: 'occurrences' as const },
    notes: [...(slip ? [slip] : []), ...(fields.notes ?? [])],
    weight,
    service: fields.service,
    source,
  };
  const kinds = (
    [
      ['latency', fields.latency],
      ['errorRatio', fields.errorRatio],
      ['threshold', fields.thresholdQuery],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (
    kinds.length > 0 &&
    (fields.total !== undefined || fields.good !== undefined || fields.errors !== undefined)
  ) {
    throw new SloFieldError(kinds[0][0], 'takes no total, good or error query beside it');
  }
  if (fields.latency !== undefined) {
    if (fields.threshold === undefined) {
      throw new SloFieldError(
        'threshold',
        'is required with a latency query; expected a latency such as 300ms',
        true,
      );
    }
    return {
      ...common,
      sli: {
        kind: 'latency',
        histogram: fields.latency,
        thresholdSeconds: parseThresholdSeconds(fields.threshold),
      },
    };
  }
  if (fields.errorRatio !== undefined)
    return { ...common, sli: { kind: 'errorRatio', query: fields.errorRatio } };
  if (fields.thresholdQuery !== undefined) {
    if (fields.thresholdOp === undefined || fields.thresholdValue === undefined) {
      throw new SloFieldError('threshold', 'a threshold metric needs op (lt, lte, gt, gte) and value');
    }
    return {
      ...common,
      sli: {
        kind: 'threshold',
        query: fields.thresholdQuery,
        op: fields.thresholdOp,
        value: fields.thresholdValue,
      },
    };
  }
  if (fields.total === undefined) {
    throw new SloFieldError(
      'total',
      'is required; expected counter PromQL, with a good or an error query (or a latency query)',
      true,
    );
  }
  if ((fields.good === undefined) === (fields.errors === undefined)) {
    throw new SloFieldError(
      'good',
      'expected exactly one of a good query and an error query beside the total query',
    );
  }
  return { ...common, sli: { kind: 'ratio', total: fields.total, good: fields.good, errors: fields.errors } };
}

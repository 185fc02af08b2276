import { formatDuration } from '@gin-deploy/action';
import { budgetRemaining, burnRate, sliOf } from './budget.js';
import { checkBurnRates, type BurnRateCheck, type BurnRateWindow } from './burn-rate.js';
import type { Coverage, SloMeasurement, QueryRecord } from './measure.js';
import { judgeSlo, type GatePolicy, type Verdict } from './policy.js';
import type { SloSpec } from './slo-spec.js';

export interface SloResult {
  name: string;
  source: string;
  objective: number;
  window: string;
  key: boolean;
  weight: number;
  sli: number | null;
  budgetRemaining: number | null;
  /** The current burn rate: over the first pair's long window. */
  burnRate: number | null;
  burnRates: BurnRateCheck[];
  good: number | null;
  total: number | null;
  verdict: Verdict;
  reasons: string[];
  /** Warnings: what the file says that slo-gate reads differently or not at all, data younger than the window. */
  notes: string[];
  /** How much of the window the SLI's data covers. */
  coverage: Coverage | null;
  noData: boolean;
  /** Prometheus gave a value no count can hold (NaN, ±Inf, negative, good > total): judged by on-error. */
  invalid: boolean;
  bucket?: string;
  queries: QueryRecord[];
}

/** Below this share of the window covered by data, the SLO is judged by on-no-data. */
export const MIN_COVERAGE = 0.5;

/** What the gate makes of an SLO it cannot judge: without data, or with a value no count can hold. */
export interface Fallbacks {
  onNoData: Verdict;
  onInvalid: Verdict;
}

/** Turns the measured counts into the SLI, budget, burn rates and the verdict for one SLO. */
export function assessSlo(
  slo: SloSpec,
  measured: SloMeasurement,
  windows: BurnRateWindow[],
  policy: GatePolicy,
  fallbacks: Fallbacks,
): SloResult {
  const { onNoData, onInvalid } = fallbacks;
  const counts = measured.counts.get(slo.windowMs) ?? null;
  const sli = sliOf(counts);
  const rates = new Map<number, number | null>();
  for (const [windowMs, windowCounts] of measured.counts) {
    const windowSli = sliOf(windowCounts);
    rates.set(windowMs, windowSli === null ? null : burnRate(windowSli, slo.objective));
  }
  const burnRates = checkBurnRates(windows, rates);
  const base = {
    name: slo.name,
    source: slo.source,
    objective: slo.objective,
    window: formatDuration(slo.windowMs),
    key: slo.key,
    weight: slo.weight,
    notes: [...slo.notes, ...coverageNote(slo, measured.coverage)],
    coverage: measured.coverage,
    burnRates,
    burnRate: burnRates[0]?.long ?? null,
    good: counts?.good ?? null,
    total: counts?.total ?? null,
    bucket: measured.bucket,
    queries: measured.queries,
  };
  if (measured.invalid.length > 0) {
    return {
      ...base,
      burnRates: burnRates.map((check) => ({ ...check, long: null, short: null, firing: false })),
      burnRate: null,
      good: null,
      total: null,
      sli: null,
      budgetRemaining: null,
      verdict: onInvalid,
      reasons: measured.invalid.map((error) => `${error.message}; on-error is ${onInvalid}`),
      noData: false,
      invalid: true,
    };
  }
  if (sli === null) {
    const why =
      counts === null
        ? `no data over ${base.window}`
        : `no events over ${base.window} (total is ${counts.total})`;
    return {
      ...base,
      sli,
      budgetRemaining: null,
      verdict: onNoData,
      reasons: [`${why}; on-no-data is ${onNoData}`],
      noData: true,
      invalid: false,
    };
  }
  const remaining = budgetRemaining(sli, slo.objective);
  if (measured.coverage !== null && measured.coverage.fraction < MIN_COVERAGE) {
    return {
      ...base,
      sli,
      budgetRemaining: remaining,
      verdict: onNoData,
      reasons: [
        `data covers only ${covered(measured.coverage)} of the ${base.window} window, under the minimum ${MIN_COVERAGE * 100}%; on-no-data is ${onNoData}`,
      ],
      noData: true,
      invalid: false,
    };
  }
  const { verdict, reasons } = judgeSlo({ budgetRemaining: remaining, burnRates }, policy);
  return { ...base, sli, budgetRemaining: remaining, verdict, reasons, noData: false, invalid: false };
}

function covered(coverage: Coverage): string {
  return `${coverage.span} (${Number((coverage.fraction * 100).toFixed(1))}%, since ${coverage.since})`;
}

function coverageNote(slo: SloSpec, coverage: Coverage | null): string[] {
  if (coverage === null || !coverage.partial) return [];
  return [
    `SLO '${slo.name}': data covers ${covered(coverage)} of the ${formatDuration(slo.windowMs)} window; the SLI and budget are over that span`,
  ];
}

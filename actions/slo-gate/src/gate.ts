import { errorMessage, formatDuration, warning } from '@gin-deploy/action';
import type { PrometheusClient } from '@gin-deploy/prometheus';
import {
  assessSlo,
  budgetConsumption,
  defaultBurnRateWindows,
  chartStepMs,
  consumptionChart,
  inOrder,
  measureConsumption,
  measureSlo,
  scoreGate,
  sloAt,
  type BucketMatchers,
  type CalendarSpan,
  type GateOutcome,
  type SloResult,
  type SloSpec,
} from '@gin-deploy/slo';
import type { CommonSettings, GateSettings } from './settings.js';

export interface GateRun {
  outcome: GateOutcome;
  slos: (SloResult & {
    chart?: string;
    chartQuery?: string;
    /** A calendar SLO's period and the part of it judged. */
    calendar?: CalendarSpan;
    /** Why an SLO has no default burn-rate pairs. */
    burnRatesNote?: string;
  })[];
  /** From the first query to the decision, before the charts. */
  decidedInMs: number;
}

/**
 * Measures and judges every SLO with one instant query per SLO and window; the charts' query_range runs only
 * after the decision, so it never delays it.
 */
export async function runGate(
  client: PrometheusClient,
  slos: SloSpec[],
  settings: CommonSettings,
  gate: GateSettings,
): Promise<GateRun> {
  const started = Date.now();
  const judged = slos.map((slo) => sloAt(slo, settings.time));
  const windows = judged.map(
    ({ slo, periodMs }) => gate.windows ?? defaultBurnRateWindows(periodMs, slo.alerting),
  );
  const measured = await inOrder(
    judged.map(({ slo }, index) =>
      measureSlo(
        client,
        slo,
        windows[index].flatMap((pair) => [pair.longMs, pair.shortMs]),
        settings.time,
      ),
    ),
  );
  const results = judged.map(({ slo }, index) =>
    assessSlo(slo, measured[index], windows[index], gate.policy, {
      onNoData: settings.onNoData,
      onInvalid: settings.onError,
    }),
  );
  const outcome = scoreGate(results, gate);
  const decidedInMs = Date.now() - started;
  const charts = await Promise.all(
    judged.map(({ slo }, index) => chartOf(client, slo, settings, measured[index].buckets)),
  );
  return {
    outcome,
    slos: results.map((result, index) => ({
      ...result,
      ...charts[index],
      ...(judged[index].calendar ? { calendar: judged[index].calendar } : {}),
      ...(gate.windows === undefined && windows[index].length === 0
        ? { burnRatesNote: shortPeriodNote(judged[index].periodMs, judged[index].slo.alerting) }
        : {}),
    })),
    decidedInMs,
  };
}

function shortPeriodNote(periodMs: number, alerting: { page: boolean; ticket: boolean }): string {
  if (!alerting.page && !alerting.ticket) return 'none: the file disables both page and ticket alerts';
  return `none: for a ${formatDuration(periodMs)} period every default pair's factor is below 1; the budget alone is judged (burn-rate-windows sets pairs)`;
}

/** The budget chart is for people: when its query fails, the gate still decides, with a warning. */
async function chartOf(
  client: PrometheusClient,
  slo: SloSpec,
  settings: CommonSettings,
  buckets: BucketMatchers | undefined,
): Promise<{ chart?: string; chartQuery?: string }> {
  // The first minute of a calendar period holds not one chart step.
  if (slo.windowMs < chartStepMs(slo.windowMs)) return {};
  try {
    const { query, points } = await measureConsumption(
      client,
      slo,
      chartStepMs(slo.windowMs),
      settings.time,
      {},
      buckets,
    );
    if (points.every((point) => point.counts === null)) return { chartQuery: query };
    const consumed = budgetConsumption(points, slo.objective);
    return {
      chart: consumptionChart(`${slo.name}: error budget consumed`, points, consumed),
      chartQuery: query,
    };
  } catch (error) {
    warning(`SLO '${slo.name}': the budget chart was left out: ${errorMessage(error)}`);
    return {};
  }
}

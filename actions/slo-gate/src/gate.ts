import { errorMessage, warning } from '@gin-deploy/action';
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
  type BucketMatchers,
  type GateOutcome,
  type SloResult,
  type SloSpec,
} from '@gin-deploy/slo';
import type { GateSettings, Settings } from './settings.js';

export interface GateRun {
  outcome: GateOutcome;
  slos: (SloResult & { chart?: string; chartQuery?: string })[];
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
  settings: Settings,
  gate: GateSettings,
): Promise<GateRun> {
  const started = Date.now();
  const windows = slos.map((slo) => gate.windows ?? defaultBurnRateWindows(slo.windowMs, slo.alerting));
  const measured = await inOrder(
    slos.map((slo, index) =>
      measureSlo(
        client,
        slo,
        windows[index].flatMap((pair) => [pair.longMs, pair.shortMs]),
        settings.time,
      ),
    ),
  );
  const results = slos.map((slo, index) =>
    assessSlo(slo, measured[index], windows[index], gate.policy, {
      onNoData: settings.onNoData,
      onInvalid: settings.onError,
    }),
  );
  const outcome = scoreGate(results, gate);
  const decidedInMs = Date.now() - started;
  const charts = await Promise.all(
    slos.map((slo, index) => chartOf(client, slo, settings, measured[index].buckets)),
  );
  return { outcome, slos: results.map((result, index) => ({ ...result, ...charts[index] })), decidedInMs };
}

/** The budget chart is for people: when its query fails, the gate still decides, with a warning. */
async function chartOf(
  client: PrometheusClient,
  slo: SloSpec,
  settings: Settings,
  buckets: BucketMatchers | undefined,
): Promise<{ chart?: string; chartQuery?: string }> {
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

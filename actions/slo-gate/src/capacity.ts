import { errorMessage, jobCancelledBy, Outputs, table, warning, writeSummary } from '@gin-deploy/action';
import {
  demandChart,
  formatBytes,
  formatCores,
  planCapacity,
  readCapacityHistory,
  type CapacityHistory,
  type CapacityPlan,
} from '@gin-deploy/capacity';
import { PrometheusClient, PrometheusError } from '@gin-deploy/prometheus';
import { roundForOutput, type Verdict } from '@gin-deploy/slo';
import { writeReport } from './report.js';
import type { CapacitySettings, CommonSettings } from './settings.js';

/** `mode: capacity`: can the app carry its forecast peak while its latency SLO holds? */
export async function capacityStep(
  client: PrometheusClient,
  capacity: CapacitySettings,
  settings: CommonSettings,
  outputs: Outputs,
  started: number,
): Promise<{ decision: Verdict; reasons: string[] }> {
  try {
    const { declared } = capacity.policy;
    const history = await readCapacityHistory(client, capacity.spec, settings.time, {
      maxReplicas: declared.maxReplicas !== undefined,
      requests: declared.requests !== undefined,
    });
    const now = settings.time.getTime() / 1000;
    const plan = planCapacity(history, { ...capacity.policy, now, onNoData: settings.onNoData });
    const report = writeReport({
      mode: 'capacity',
      time: settings.time.toISOString(),
      prometheus: client.displayUrl,
      ...plan,
      dailyPeaks: history.dailyPeaks,
      bucket: history.bucket,
      queries: history.queries,
      queryCounts: client.counts,
      durationMs: Date.now() - started,
    });
    const round = (value: number | null | undefined) => (value == null ? '' : roundForOutput(value));
    outputs.set('decision', plan.decision);
    outputs.set('required-replicas', plan.requiredReplicas ?? '');
    outputs.set('max-replicas', plan.supply.maxReplicas ?? '');
    outputs.set('headroom', round(plan.headroom));
    outputs.set('forecast-peak', round(plan.demand.forecast?.peak));
    outputs.set('recommended-hpa', plan.recommendation ?? '');
    outputs.set('report', report);
    outputs.publish();
    writeSummary(capacitySummary(plan, history, capacity, now, report));
    if (plan.perReplica.source === 'declared') warning(plan.perReplica.note);
    return { decision: plan.decision, reasons: plan.reasons };
  } catch (error) {
    // main's guard writes the outputs of a Prometheus failure and passes it when on-error says so; anything
    // else fails here. Either way a failing step leaves its reason in the summary.
    const passes = error instanceof PrometheusError && !error.isQueryError && settings.onError === 'pass';
    if (jobCancelledBy()) throw error; // main's guard reports it
    if (!(error instanceof PrometheusError)) {
      outputs.set('decision', 'fail');
      outputs.publish({ failure: true });
    }
    if (!passes) writeSummary(['## Capacity: ❌ fail', errorMessage(error)]);
    throw error;
  }
}

const ICON = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' } as const;
const rps = (value: number | null | undefined) =>
  value == null ? 'no data' : `${Number(value.toPrecision(6))} req/s`;
const percent = (value: number) => `${Number((value * 100).toFixed(2))}%`;
const signed = (value: number, text: string) => (value > 0 ? `+${text}` : text);

export function capacitySummary(
  plan: CapacityPlan,
  history: CapacityHistory,
  capacity: CapacitySettings,
  now: number,
  reportPath: string,
): string[] {
  const { forecast, check, lastPeak } = plan.demand;
  const { policy } = capacity;
  const rows: string[][] = [
    ['peak demand over the lookback', rps(lastPeak)],
    [
      'forecast peak',
      forecast
        ? `${rps(forecast.peak)} (trend of ${forecast.days} daily peaks: ${rps(forecast.trendPeak)}${policy.multiplier === 1 ? '' : ` × event multiplier ${policy.multiplier}`})`
        : 'no forecast',
    ],
    [
      'last forecast error',
      check
        ? `${signed(check.error, percent(check.error))}: forecast ${rps(check.forecast)} on ${new Date(check.madeAt * 1000).toISOString().slice(0, 10)}, actual peak ${rps(check.actual)}`
        : 'not enough history before the last horizon',
    ],
    [
      'per-replica capacity',
      `${rps(plan.perReplica.value)} (${plan.perReplica.source ?? 'unknown'}: ${plan.perReplica.note})`,
    ],
    [
      'supply: HPA maxReplicas',
      plan.supply.maxReplicas === null
        ? 'unknown'
        : `${plan.supply.maxReplicas} (${plan.supply.source})${plan.supply.replicas === null ? '' : `; Deployment replicas now ${plan.supply.replicas}`}`,
    ],
    [
      'required replicas',
      plan.requiredReplicas === null
        ? 'unknown'
        : `${plan.requiredReplicas} (${percent(policy.headroom)} headroom, N+${policy.redundancy})`,
    ],
    ['headroom at maxReplicas', plan.headroom === null ? 'unknown' : percent(plan.headroom)],
  ];
  if (plan.utilisation)
    rows.push([
      'utilisation of maxReplicas at peak',
      `${percent(plan.utilisation.current)} now, ${percent(plan.utilisation.forecast)} forecast, trend ${signed(plan.utilisation.trendPerWeek, percent(plan.utilisation.trendPerWeek))} a week`,
    ]);
  if (plan.recommendation)
    rows.push([
      'recommended HPA',
      `minReplicas ${plan.recommendation.minReplicas}, maxReplicas ${plan.recommendation.maxReplicas}`,
    ]);
  if (plan.cost)
    rows.push([
      'cost of the change at full scale-out',
      `${signed(plan.cost.replicas, String(plan.cost.replicas))} replicas: ${signed(plan.cost.cpuCores, formatCores(plan.cost.cpuCores))} CPU, ${signed(plan.cost.memoryBytes, formatBytes(plan.cost.memoryBytes))} memory requested (${formatCores(plan.cost.requests.cpuCores)}, ${formatBytes(plan.cost.requests.memoryBytes)} per replica, from ${plan.cost.source})`,
    ]);
  const chart =
    forecast && plan.perReplica.value !== null && plan.supply.maxReplicas !== null
      ? demandChart({
          title: 'Daily peak requests/s (bars), trend and forecast, capacity at maxReplicas less the spares',
          peaks: history.dailyPeaks,
          now,
          lookbackS: policy.lookbackS,
          horizonS: policy.horizonS,
          fit: forecast.fit,
          multiplier: policy.multiplier,
          capacity: Math.max(0, plan.supply.maxReplicas - policy.redundancy) * plan.perReplica.value,
        })
      : undefined;
  return [
    `## Capacity: ${ICON[plan.decision]}`,
    plan.reasons.map((reason) => `- ${reason}`).join('\n'),
    table(['question', 'answer'], rows),
    chart && `### Demand, forecast and capacity\n\n${chart}`,
    `Report with every query: \`${reportPath}\``,
  ].filter((section): section is string => Boolean(section));
}

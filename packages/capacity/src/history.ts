import { PrometheusClient, singleSeries, singleValue } from '@gin-deploy/prometheus';
import { bucketMatchers } from '@gin-deploy/slo';
import type { ReplicaRequests } from './cost.js';
import { DAY_S, type DailyPeak } from './forecast.js';
import { demandQueries, kubeStateQueries, type CapacitySpec } from './queries.js';

export interface CapacityQuery {
  name: string;
  query: string;
  /** The answer: a number, null for no data, or the number of points of a range query. */
  value: number | null;
}

/** What Prometheus knows about the app's demand and supply. */
export interface CapacityHistory {
  /** One per day of lookback + horizon, oldest first, days without data left out. */
  dailyPeaks: DailyPeak[];
  /** Requests/s per pod at the highest load the latency SLO held; null without latency history. */
  perReplica: number | null;
  /** Milliseconds of the lookback with both request rates and the latency SLI. */
  coveredMs: number;
  /** The bound of the histogram bucket counted as fast enough, as the histogram spells it. */
  bucket?: string;
  maxReplicas: number | null;
  replicas: number | null;
  requests: ReplicaRequests | null;
  queries: CapacityQuery[];
}

// The subquery step of the per-replica queries (RATE_WINDOW).
const STEP_MS = 5 * 60_000;

/**
 * Reads the capacity history at `time`: one range query for the daily peaks (lookback + horizon, so the
 * forecast can be checked against the period that just ended), the histogram's `le` values, two instant
 * queries for per-replica capacity and, with a target, the kube-state-metrics series not `skip`ped.
 * Throws PrometheusError when Prometheus fails or a query gives several series.
 */
export async function readCapacityHistory(
  client: PrometheusClient,
  spec: CapacitySpec,
  time: Date,
  skip: { maxReplicas?: boolean; requests?: boolean } = {},
): Promise<CapacityHistory> {
  const queries: CapacityQuery[] = [];
  const instant = async (name: string, query: string): Promise<number | null> => {
    const value = singleValue(await client.instant(query, time), { url: client.displayUrl, query });
    const finite = value !== null && Number.isFinite(value) ? value : null;
    queries.push({ name, query, value: finite });
    return finite;
  };
  const end = time.getTime() / 1000;
  const since = new Date(time.getTime() - spec.lookbackMs);
  const buckets = bucketMatchers(
    await client.labelValues('le', spec.latency.histogram, since, time),
    spec.latency.thresholdSeconds,
    'the latency histogram',
  );
  const demand = demandQueries(spec, buckets);
  const daysBack = Math.round((spec.lookbackMs + spec.horizonMs) / 1000 / DAY_S);
  const series = singleSeries(
    await client.range(demand.dailyPeak, new Date((end - (daysBack - 1) * DAY_S) * 1000), time, DAY_S),
    { url: client.displayUrl, query: demand.dailyPeak },
  );
  const dailyPeaks = (series?.points ?? [])
    .filter(([, peak]) => Number.isFinite(peak))
    .map(([at, peak]) => ({ time: at, peak }));
  queries.push({ name: 'daily peaks', query: demand.dailyPeak, value: dailyPeaks.length });
  const perReplica = demand.perReplica ? await instant('per-replica capacity', demand.perReplica) : null;
  const covered = demand.covered ? await instant('history covered', demand.covered) : null;
  let maxReplicas: number | null = null;
  let replicas: number | null = null;
  let requests: ReplicaRequests | null = null;
  if (spec.target) {
    const kube = kubeStateQueries(spec.target);
    if (!skip.maxReplicas) maxReplicas = await instant('HPA maxReplicas', kube.maxReplicas);
    replicas = await instant('Deployment replicas', kube.replicas);
    if (!skip.requests) {
      const cpuCores = await instant('CPU requests per replica', kube.cpuCores);
      const memoryBytes = await instant('memory requests per replica', kube.memoryBytes);
      requests = cpuCores !== null && memoryBytes !== null ? { cpuCores, memoryBytes } : null;
    }
  }
  return {
    dailyPeaks,
    perReplica: perReplica !== null && perReplica > 0 ? perReplica : null,
    coveredMs: (covered ?? 0) * STEP_MS,
    bucket: buckets?.bound,
    maxReplicas,
    replicas,
    requests,
    queries,
  };
}

import { costOfChange, type CostOfChange, type ReplicaRequests } from './cost.js';
import { DAY_S, forecastCheck, forecastPeak, type ForecastCheck, type PeakForecast } from './forecast.js';
import type { CapacityHistory } from './history.js';
import {
  headroomAt,
  recommendedBounds,
  requiredReplicas,
  supplyVerdict,
  type HpaBounds,
  type SupplyVerdict,
} from './replicas.js';

export interface CapacityPolicy {
  /** The evaluation time, unix seconds. */
  now: number;
  lookbackS: number;
  horizonS: number;
  minHistoryS: number;
  /** A known event's factor on the forecast peak (1: none). */
  multiplier: number;
  /** Spare share above the forecast peak, e.g. 0.2. */
  headroom: number;
  /** Spare replicas (N+k). */
  redundancy: number;
  /** What a question without data decides. */
  onNoData: SupplyVerdict;
  /** Values given instead of read from history. */
  declared: { perReplica?: number; maxReplicas?: number; requests?: ReplicaRequests };
}

export interface CapacityPlan {
  decision: SupplyVerdict;
  reasons: string[];
  demand: {
    /** Highest daily peak over the lookback, requests/s. */
    lastPeak: number | null;
    forecast: PeakForecast | null;
    check: ForecastCheck | null;
  };
  perReplica: {
    value: number | null;
    source: 'history' | 'declared' | null;
    /** Seconds of the lookback with request rates and latency. */
    historyS: number;
    note: string;
  };
  supply: {
    maxReplicas: number | null;
    source: 'kube-state-metrics' | 'input' | null;
    replicas: number | null;
  };
  requiredReplicas: number | null;
  /** Spare share over the forecast peak at maxReplicas with the spares down (see headroomAt). */
  headroom: number | null;
  utilisation: { current: number; forecast: number; trendPerWeek: number } | null;
  recommendation: HpaBounds | null;
  cost: (CostOfChange & { requests: ReplicaRequests; source: 'kube-state-metrics' | 'input' }) | null;
}

const days = (seconds: number): string => `${Number((seconds / DAY_S).toFixed(2))}d`;
const rate = (value: number): string => `${Number(value.toFixed(3))} req/s`;

/** Answers the capacity questions from the history and the policy; no I/O. */
export function planCapacity(history: CapacityHistory, policy: CapacityPolicy): CapacityPlan {
  const reasons: string[] = [];
  const missing: string[] = [];
  const inLookback = history.dailyPeaks.filter(
    (day) => day.time > policy.now - policy.lookbackS && day.time <= policy.now,
  );
  const lastPeak = inLookback.length > 0 ? Math.max(...inLookback.map((day) => day.peak)) : null;
  const forecast =
    forecastPeak(history.dailyPeaks, policy.now, policy.lookbackS, policy.horizonS, policy.multiplier) ??
    null;
  if (!forecast)
    missing.push(
      `no forecast: ${inLookback.length} daily peak(s) of request rate over the lookback, at least 2 needed`,
    );
  const check = forecastCheck(history.dailyPeaks, policy.now, policy.lookbackS, policy.horizonS) ?? null;

  const historyS = history.coveredMs / 1000;
  let perReplica: CapacityPlan['perReplica'];
  const short = `${days(historyS)} of request-rate and latency history, less than the ${days(policy.minHistoryS)} needed to measure per-replica capacity`;
  if (history.perReplica !== null && historyS >= policy.minHistoryS) {
    perReplica = {
      value: history.perReplica,
      source: 'history',
      historyS,
      note: `highest rate per pod while the latency SLO held, over ${days(historyS)} of history`,
    };
  } else if (policy.declared.perReplica !== undefined) {
    perReplica = {
      value: policy.declared.perReplica,
      source: 'declared',
      historyS,
      note: `${short}; the declared ${rate(policy.declared.perReplica)} per replica is used`,
    };
    reasons.push(perReplica.note);
  } else {
    perReplica = { value: null, source: null, historyS, note: `${short}; declare it with replica-capacity` };
    missing.push(perReplica.note);
  }

  const supply: CapacityPlan['supply'] =
    policy.declared.maxReplicas !== undefined
      ? { maxReplicas: policy.declared.maxReplicas, source: 'input', replicas: history.replicas }
      : {
          maxReplicas: history.maxReplicas,
          source: history.maxReplicas === null ? null : 'kube-state-metrics',
          replicas: history.replicas,
        };
  if (supply.maxReplicas === null)
    missing.push(
      'no supply: no kube_horizontalpodautoscaler_spec_max_replicas series and no max-replicas given',
    );

  const plan: CapacityPlan = {
    decision: policy.onNoData,
    reasons,
    demand: { lastPeak, forecast, check },
    perReplica,
    supply,
    requiredReplicas: null,
    headroom: null,
    utilisation: null,
    recommendation: null,
    cost: null,
  };
  if (!forecast || perReplica.value === null || supply.maxReplicas === null) {
    plan.reasons = [...missing, ...reasons];
    return plan;
  }
  const { headroom, redundancy } = policy;
  const max = supply.maxReplicas;
  const capacity = perReplica.value;
  plan.requiredReplicas = requiredReplicas(forecast.peak, capacity, headroom, redundancy);
  plan.headroom = headroomAt(max, redundancy, capacity, forecast.peak);
  plan.decision = supplyVerdict(max, forecast.peak, capacity, headroom, redundancy);
  const supplied = max * capacity;
  if (supplied > 0) {
    plan.utilisation = {
      current: (inLookback[inLookback.length - 1]?.peak ?? 0) / supplied,
      forecast: forecast.peak / supplied,
      trendPerWeek: (forecast.fit.slope * 7 * DAY_S * policy.multiplier) / supplied,
    };
  }
  plan.recommendation = recommendedBounds(plan.requiredReplicas, redundancy);
  const requests = policy.declared.requests ?? history.requests;
  if (requests) {
    plan.cost = {
      ...costOfChange(max, plan.recommendation.maxReplicas, requests),
      requests,
      source: policy.declared.requests ? 'input' : 'kube-state-metrics',
    };
  }
  const needs = `${plan.requiredReplicas} replicas needed for the forecast peak ${rate(forecast.peak)} (${rate(capacity)} per replica, ${Number((headroom * 100).toFixed(2))}% headroom, N+${redundancy})`;
  if (plan.decision === 'pass') reasons.unshift(`${needs}; maxReplicas ${max} is enough`);
  else if (plan.decision === 'warn')
    reasons.unshift(`${needs}; maxReplicas ${max} carries the peak only without the headroom`);
  else reasons.unshift(`${needs}; maxReplicas ${max} cannot carry it`);
  return plan;
}

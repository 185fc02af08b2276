import {
  durationInput,
  fractionInput,
  invalid,
  numberInput,
  optionalInput,
  parseDuration,
  requiredInput,
  UserError,
} from '@gin-deploy/action';
import {
  parseQuantity,
  parseRedundancy,
  type CapacityPolicy,
  type CapacitySpec,
  type ReplicaRequests,
} from '@gin-deploy/capacity';
import { isSelector, renderTemplate } from '@gin-deploy/slo';

export interface CapacitySettings {
  spec: CapacitySpec;
  policy: Omit<CapacityPolicy, 'now' | 'onNoData'>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The inputs of `mode: capacity`, checked before any query. */
export function readCapacitySettings(): CapacitySettings {
  const service = optionalInput('service');
  const selector = (name: string, text: string, example: string): string => {
    const rendered = renderTemplate(text, { service: service ?? '' }, `input '${name}'`);
    if (!isSelector(rendered)) throw invalid(name, text, `a series selector such as ${example}`);
    return rendered;
  };
  const requestsExample = 'http_requests_total{job="api"}';
  const requests = selector(
    'request-query',
    requiredInput('request-query', `in capacity mode, a series selector such as ${requestsExample}`),
    requestsExample,
  );
  const histogramExample = 'http_request_duration_seconds_bucket{job="api"}';
  const histogram = selector(
    'latency-query',
    requiredInput('latency-query', `in capacity mode, a series selector such as ${histogramExample}`),
    histogramExample,
  );
  const thresholdText = requiredInput('threshold', 'in capacity mode, the latency threshold such as 300ms');
  const thresholdMs = parseDuration(thresholdText);
  if (thresholdMs === undefined || thresholdMs <= 0)
    throw invalid('threshold', thresholdText, 'a duration such as 300ms or 1s');
  const objectivePercent = numberInput('objective', undefined, { min: 0, max: 100 });
  if (objectivePercent <= 0 || objectivePercent >= 100)
    throw invalid('objective', String(objectivePercent), 'a percentage greater than 0 and less than 100');
  const lookbackMs = durationInput('lookback', '28d');
  const horizonMs = durationInput('horizon', '7d');
  for (const [name, ms] of [
    ['lookback', lookbackMs],
    ['horizon', horizonMs],
  ] as const) {
    if (ms < 86_400_000 || ms % 86_400_000 !== 0)
      throw invalid(name, optionalInput(name) ?? '', 'whole days of at least 1d, such as 28d or 7d');
  }
  const redundancyText = optionalInput('redundancy') ?? 'N+1';
  const redundancy = parseRedundancy(redundancyText);
  if (redundancy === undefined)
    throw invalid('redundancy', redundancyText, 'N+0, N+1, N+2 or a whole number');
  const headroom = fractionInput('headroom', 0.2) as number;
  if (headroom < 0) throw invalid('headroom', optionalInput('headroom') ?? '', 'a percentage of 0% or more');
  const perReplica =
    optionalInput('replica-capacity') === undefined
      ? undefined
      : numberInput('replica-capacity', undefined, { min: Number.MIN_VALUE });
  const maxReplicas =
    optionalInput('max-replicas') === undefined
      ? undefined
      : numberInput('max-replicas', undefined, { min: 1, integer: true });
  const minHistoryMs = durationInput('min-history', '7d');
  const target = readTarget();
  if (maxReplicas === undefined && target === undefined) {
    throw new UserError(
      "capacity mode needs input 'max-replicas' or input 'deployment' (whose HPA's maxReplicas is read from kube-state-metrics)",
    );
  }
  return {
    spec: {
      requests,
      latency: { histogram, thresholdSeconds: thresholdMs / 1000, objective: objectivePercent / 100 },
      lookbackMs,
      horizonMs,
      minHistoryMs,
      target,
    },
    policy: {
      lookbackS: lookbackMs / 1000,
      horizonS: horizonMs / 1000,
      minHistoryS: minHistoryMs / 1000,
      multiplier: numberInput('event-multiplier', 1, { min: Number.MIN_VALUE }),
      headroom,
      redundancy,
      declared: { perReplica, maxReplicas, requests: readRequests() },
    },
  };
}

function readTarget(): CapacitySpec['target'] {
  const deployment = optionalInput('deployment');
  if (deployment === undefined) return undefined;
  const namespace = optionalInput('namespace') ?? 'default';
  const hpa = optionalInput('hpa') ?? deployment;
  for (const [name, value] of [
    ['deployment', deployment],
    ['namespace', namespace],
    ['hpa', hpa],
  ] as const) {
    if (!DNS_LABEL.test(value))
      throw invalid(name, value, 'a Kubernetes name: lowercase letters, digits and -');
  }
  return { namespace, deployment, hpa };
}

/** `cpu=250m,memory=256Mi`: one replica's requests, instead of reading them from kube-state-metrics. */
function readRequests(): ReplicaRequests | undefined {
  const text = optionalInput('requests');
  if (text === undefined) return undefined;
  const values: Record<string, number> = {};
  for (const item of text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [key, quantity = ''] = item.split('=', 2).map((part) => part.trim());
    const value = parseQuantity(quantity);
    if ((key !== 'cpu' && key !== 'memory') || value === undefined)
      throw invalid('requests', text, 'cpu and memory quantities such as cpu=250m,memory=256Mi');
    values[key] = value;
  }
  if (values.cpu === undefined || values.memory === undefined)
    throw invalid('requests', text, 'both cpu and memory, such as cpu=250m,memory=256Mi');
  return { cpuCores: values.cpu, memoryBytes: values.memory };
}

import type { PrometheusClient } from '@gin-deploy/prometheus';
import { analyzeCanary, type CanaryAnalysisSpec, type CanaryResult } from '@gin-deploy/slo';

export function runCanary(
  client: PrometheusClient,
  spec: CanaryAnalysisSpec,
  time: Date,
  service: string | undefined,
): Promise<CanaryResult> {
  return analyzeCanary(spec, {
    prometheus: { url: client.url },
    client,
    now: time,
    variables: service === undefined ? {} : { service },
  });
}

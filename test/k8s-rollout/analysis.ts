// Shared by the canary tests: request counters of a stable and a canary track in Prometheus, and the
// analysis that compares their error ratios.
import type { SeriesDefinition } from '../support/prometheus.js';

const STEP = 15_000;
const END = Math.floor(Date.now() / STEP) * STEP - STEP;
const START = END - 3600_000;

/** Cumulative request counters of one side: 200 requests per 15 s, `ratio` of them errors on average. */
export function side(app: string, track: string, ratio: number): SeriesDefinition[] {
  const pattern = [0.5, 1, 1.5, 1].map((weight) => weight * ratio * 200);
  const ok: [number, number][] = [];
  const errors: [number, number][] = [];
  let okTotal = 0;
  let errorTotal = 0;
  for (let time = START, step = 0; time <= END; time += STEP, step++) {
    ok.push([time, okTotal]);
    errors.push([time, errorTotal]);
    errorTotal += pattern[step % 4];
    okTotal += 200 - pattern[step % 4];
  }
  return [
    { metric: 'http_requests_total', labels: { app, track, code: '200' }, samples: ok },
    { metric: 'http_requests_total', labels: { app, track, code: '500' }, samples: errors },
  ];
}

export const ANALYSIS = `
interval: 30m
step: 1m
minSamples: 100
tolerance: 10%
checks:
  - name: errors
    errorRatio:
      errors: http_requests_total{app="{{app}}",code="500"}
      total: http_requests_total{app="{{app}}"}
`;

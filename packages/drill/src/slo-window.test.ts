import { describe, expect, it } from '@jest/globals';
import { parseCanaryAnalysis } from '@gin-deploy/slo';
import { windowAnalysis } from './slo-window.js';

describe('SLO under fault', () => {
  it('shifts the baseline back by the drill window and selects the app on both sides', () => {
    const spec = parseCanaryAnalysis(
      `baseline: job="api"
checks:
  - name: errors
    errorRatio: { errors: 'http_requests_total{code=~"5.."}', total: http_requests_total }
`,
      'analysis.yaml',
    );
    const shifted = windowAnalysis(spec, 42_400);
    expect(shifted.intervalMs).toBe(42_000);
    expect(shifted.canarySelector).toBe('job="api"');
    expect(shifted.checks[0].canaryQuery).not.toContain('offset');
    expect(shifted.checks[0].baselineQuery).toBe(
      spec.checks[0].baselineQuery.replaceAll('[{{interval}}]', '[{{interval}}] offset 42s'),
    );
    expect(shifted.checks[0].baselineSamples).toContain('[{{interval}}] offset 42s');
  });

  it('refuses a check it cannot shift', () => {
    const spec = parseCanaryAnalysis(
      `checks:\n  - name: up\n    query: avg(up{ {{selector}} })\n`,
      'analysis.yaml',
    );
    expect(() => windowAnalysis(spec, 10_000)).toThrow(
      "analysis.yaml: check 'up' has no [{{interval}}] range in its query, so it cannot be compared with the window before the drill",
    );
  });
});

/** One probe of the health score: its weight and how well it did, 0..1 (LitmusChaos' probe success). */
export interface ScoreProbe {
  name: 'recovery' | 'availability' | 'slo';
  weight: number;
  success: number;
}

export interface ScoreInput {
  recoveryMs: number;
  recovered: boolean;
  /** The `drill-recovery` bound, ms. */
  boundMs: number;
  worstAvailability: number;
  crashLoop: boolean;
  /** SLO checks of the drill window against the window before it; absent when no analysis ran. */
  slo?: { passed: number; inconclusive: number; total: number };
}

/**
 * The drill's health score, 0–100, as LitmusChaos' resilience score: the weighted mean of each probe's
 * success, probes that did not run left out.
 *
 * - recovery (weight 40): 1 − recovery time / drill-recovery, at least 0; 0 when not recovered or a pod is
 *   in a crash loop;
 * - availability (weight 30): the worst ready/desired during the drill;
 * - slo (weight 30, only with an analysis): (passed + ½ inconclusive) / checks.
 */
export function healthScore(input: ScoreInput): { score: number; probes: ScoreProbe[] } {
  const recovery =
    input.recovered && !input.crashLoop ? Math.max(0, 1 - input.recoveryMs / input.boundMs) : 0;
  const probes: ScoreProbe[] = [
    { name: 'recovery', weight: 40, success: recovery },
    { name: 'availability', weight: 30, success: Math.max(0, Math.min(1, input.worstAvailability)) },
  ];
  if (input.slo && input.slo.total > 0) {
    probes.push({
      name: 'slo',
      weight: 30,
      success: (input.slo.passed + input.slo.inconclusive / 2) / input.slo.total,
    });
  }
  const weights = probes.reduce((sum, probe) => sum + probe.weight, 0);
  const score = probes.reduce((sum, probe) => sum + probe.weight * probe.success, 0) / weights;
  return { score: Math.round(score * 100), probes };
}

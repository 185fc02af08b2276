import { worst, type Verdict } from './policy.js';

export interface ScoredSlo {
  name: string;
  verdict: Verdict;
  weight: number;
  key: boolean;
}

export interface ScoreOptions {
  scoring: 'worst' | 'weighted';
  /** Percent scores (Keptn's defaults: 90 and 75). */
  passScore: number;
  warnScore: number;
}

export interface GateOutcome {
  decision: Verdict;
  /** Keptn-style: pass counts fully, warn half, fail nothing, weighted; 0–100. */
  score: number;
  reason: string;
}

export function scoreGate(slos: ScoredSlo[], options: ScoreOptions): GateOutcome {
  const totalWeight = slos.reduce((sum, slo) => sum + slo.weight, 0);
  const points = slos.reduce(
    (sum, slo) => sum + slo.weight * { pass: 1, warn: 0.5, fail: 0 }[slo.verdict],
    0,
  );
  const score = totalWeight > 0 ? Number(((points / totalWeight) * 100).toFixed(6)) : 0;
  if (options.scoring === 'worst') {
    const decision = worst(slos.map((slo) => slo.verdict));
    return { decision, score, reason: `worst SLO verdict: ${decision}` };
  }
  const failedKey = slos.filter((slo) => slo.key && slo.verdict === 'fail');
  if (failedKey.length > 0) {
    return {
      decision: 'fail',
      score,
      reason: `key SLO ${failedKey.map((slo) => `'${slo.name}'`).join(', ')} failed`,
    };
  }
  const decision: Verdict =
    score >= options.passScore ? 'pass' : score >= options.warnScore ? 'warn' : 'fail';
  return {
    decision,
    score,
    reason: `score ${score} (pass at ${options.passScore}, warn at ${options.warnScore})`,
  };
}

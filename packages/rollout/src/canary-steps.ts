import { parseDuration } from '@gin-deploy/action';
import { CanaryStepsError } from './errors.js';

export interface CanaryStep {
  /** Percent of the replicas that run the new version. */
  weight: number;
  /** Wait this long at the step before the analysis; `manual` stops and waits for `action: promote`. */
  pauseMs: number | 'manual';
}

/**
 * `10,50,100` with pauses `1m` (one for all steps) or `1m,5m` (one per step; the last repeats). Steps must
 * rise strictly and end at 100 (added when missing). Throws CanaryStepsError for bad input.
 */
export function parseCanarySteps(stepsText: string, pausesText: string[]): CanaryStep[] {
  const items = stepsText.split(/[,\s]+/).filter(Boolean);
  if (items.length === 0) throw new CanaryStepsError('no steps');
  const weights: number[] = [];
  for (const item of items) {
    const weight = Number(item.replace(/%$/, ''));
    if (!Number.isInteger(weight) || weight <= 0)
      throw new CanaryStepsError(`'${item}' is not a whole percentage above 0`);
    if (weight > 100) throw new CanaryStepsError(`step ${weight} is above 100`);
    if (weights.length > 0 && weight <= weights[weights.length - 1]) {
      throw new CanaryStepsError(`steps must increase, but ${weight} follows ${weights[weights.length - 1]}`);
    }
    weights.push(weight);
  }
  if (weights[weights.length - 1] !== 100) weights.push(100);
  const pauses: (number | 'manual')[] = [];
  for (const text of pausesText) {
    if (text === 'manual') {
      pauses.push('manual');
      continue;
    }
    const ms = parseDuration(text);
    if (ms === undefined)
      throw new CanaryStepsError(`pause '${text}' is not a duration (such as 30s or 5m) or 'manual'`, text);
    pauses.push(ms);
  }
  return weights.map((weight, index) => ({
    weight,
    pauseMs: pauses.length === 0 ? 0 : (pauses[index] ?? pauses[pauses.length - 1]),
  }));
}

/** Canary replicas for a step: the step's share of the stable replica count, at least one. */
export function canaryReplicas(weight: number, replicas: number): number {
  return Math.max(1, Math.ceil((replicas * weight) / 100));
}

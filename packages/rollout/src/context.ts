import type { Discovery, KubeClient } from '@gin-deploy/kube';
import type { CanaryStep } from './canary-steps.js';
import type { Timeline } from './timeline.js';
import type { TrafficMode } from './traffic-objects.js';
import type { TrafficConfig } from './traffic.js';
import type { WaitOptions, WaitResult } from './wait.js';

export type Strategy = 'rolling' | 'blue-green' | 'canary';
export type RolloutAction = 'deploy' | 'promote' | 'abort';
export type RolloutStatus = 'succeeded' | 'rolled-back' | 'failed' | 'paused' | 'cancelled';

/** What one canary analysis between steps found, as slo's analyzeCanary reports it. */
export interface AnalysisRecord {
  step: number;
  weight: number;
  verdict: 'pass' | 'fail' | 'inconclusive';
  checks: { name: string; canary: number | null; baseline: number | null; verdict: string; reason: string }[];
}

/** Runs the canary analysis for a step; supplied by the caller so the rollout does not know Prometheus. */
export type CanaryAnalyzer = (step: {
  index: number;
  weight: number;
}) => Promise<Omit<AnalysisRecord, 'step' | 'weight'>>;

export interface RolloutSettings {
  namespace: string;
  wait: WaitOptions;
  rollbackOnFailure: boolean;
  scaleDownDelayMs: number;
  changeCause: string;
  /** Blue-green: stop after the new color is available and leave the switch to `action: promote`. */
  manualSwitch: boolean;
  canarySteps: CanaryStep[];
  analyze?: CanaryAnalyzer;
  /** Canary: exact weights at a router; absent means replica-ratio traffic under the shared Service. */
  traffic?: TrafficConfig;
  /** A resilience drill on the new version's Deployment once it is available, before the blue-green switch
   * or the canary's promotion; a drill that does not pass fails the rollout. */
  drill?: (deployment: string) => Promise<{ passed: boolean; message: string }>;
}

export interface RolloutContext {
  client: KubeClient;
  /** Aborted when the job is cancelled: waits end at once and each strategy puts the app in a safe state. */
  signal?: AbortSignal;
  discovery: Discovery;
  timeline: Timeline;
  settings: RolloutSettings;
}

/** The canary traffic split the rollout set, step by step. */
export interface TrafficRecord {
  mode: TrafficMode;
  /** Where the weights were set, e.g. `HTTPRoute prod/api`; absent for replica-ratio traffic. */
  target?: string;
  steps: { step: string; canary: number; stable: number }[];
}

export type WaitFailure = Extract<WaitResult, { ok: false }>;

export interface RolloutOutcome {
  status: RolloutStatus;
  message: string;
  revision?: number;
  previousRevision?: number;
  activeColor?: string;
  failure?: WaitFailure;
  analyses: AnalysisRecord[];
  traffic?: TrafficRecord;
}

import { type Discovery, type KubeClient, type KubeObject } from '@gin-deploy/kube';
import type { PodProblem } from '@gin-deploy/rollout';
import type { CanaryResult } from '@gin-deploy/slo';
import { ChaosExperiment, chaosExperiment } from './chaos-mesh.js';
import { DrillError } from './errors.js';
import { needsChaosMesh, podsToHit, type FaultSpec } from './fault.js';
import {
  failPods,
  killPods,
  listPods,
  look,
  PAUSE_IMAGE,
  type DrillTarget,
  type FailedPods,
} from './pods.js';
import { measureRecovery, type AvailabilitySample, type Recovery } from './recovery.js';

export interface DrillOptions {
  fault: FaultSpec;
  target: DrillTarget;
  /** How long the fault lasts (a Chaos Mesh experiment, repeated pod-kills) and the shortest drill window, ms. */
  durationMs: number;
  /** The longest recovery that passes, ms (`drill-recovery`). */
  recoveryBoundMs: number;
  /** A container restarted this often during the drill is in a crash loop. */
  maxRestarts: number;
  /** The SLO comparison of the drill window with the one before it; its `fail` fails the drill. */
  slo?: (window: { startMs: number; endMs: number }) => Promise<CanaryResult>;
  /** Aborts the drill (SIGTERM): the fault is removed and the report says cancelled. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** How often the app is looked at, ms (default 500). */
  sampleEveryMs?: number;
}

export interface DrillReport {
  fault: string;
  result: 'pass' | 'fail';
  /** Why it failed, one line each; empty on a pass. */
  reasons: string[];
  cancelled: boolean;
  /** Epoch ms of the first fault and of the end of the drill window. */
  startMs: number;
  endMs: number;
  /** ms after startMs when each fault hit (pod-kill) or ended (experiment removed, images restored). */
  faultsAtMs: number[];
  /** Pods deleted (pod-kill) or failed (pod-failure). */
  killed: string[];
  /** The Chaos Mesh experiment as created (and removed again). */
  experiment?: KubeObject;
  samples: AvailabilitySample[];
  recovery: Recovery;
  crashLoops: PodProblem[];
  slo?: CanaryResult;
}

/**
 * Runs one drill: waits until the app is fully available, injects the fault, looks at the app every
 * `sampleEveryMs` until it has recovered and the window is `durationMs` long (or the recovery bound passed,
 * or a pod crash-loops), then compares the SLO. A Chaos Mesh experiment is removed on every way out.
 */
export async function runDrill(
  client: KubeClient,
  discovery: Discovery,
  options: DrillOptions,
): Promise<DrillReport> {
  const { fault, target, signal } = options;
  const log = options.log ?? (() => undefined);
  const every = options.sampleEveryMs ?? 500;
  await untilAvailable(client, options);
  const startMs = Date.now();
  const at = () => Date.now() - startMs;
  const samples: AvailabilitySample[] = [];
  const crashLoops = new Map<string, PodProblem>();
  const faultsAtMs: number[] = [];
  const killed: string[] = [];
  let experiment: ChaosExperiment | undefined;
  let created: KubeObject | undefined;
  let failed: FailedPods | undefined;
  let faultEndMs = 0;
  const kill = async () => {
    const pods = await listPods(client, target);
    const names = await killPods(client, target, podsToHit(fault.pods, pods.length));
    faultsAtMs.push(at());
    killed.push(...names);
    log(`[${(at() / 1000).toFixed(1)}s] ${fault.kind}: deleted ${names.join(', ')}`);
  };
  try {
    if (needsChaosMesh(fault)) {
      const object = chaosExperiment(fault, {
        namespace: target.namespace,
        labels: target.labels,
        name: `gin-deploy-drill-${target.deployment}-${startMs}`.slice(0, 63).replace(/-+$/, ''),
        durationMs: options.durationMs,
      });
      experiment = await ChaosExperiment.create(client, discovery, object);
      created = experiment.object;
      log(`${object.kind} ${object.metadata?.namespace}/${object.metadata?.name} created for ${fault.text}`);
      faultEndMs = options.durationMs;
    } else if (fault.kind === 'pod-failure') {
      const pods = await listPods(client, target);
      failed = await failPods(client, target, podsToHit(fault.pods, pods.length));
      killed.push(...failed.pods);
      log(`[${(at() / 1000).toFixed(1)}s] pod-failure: ${failed.pods.join(', ')} switched to ${PAUSE_IMAGE}`);
      faultEndMs = options.durationMs;
    } else {
      await kill();
      if (fault.everyMs) faultEndMs = options.durationMs;
    }
    let nextKill = fault.everyMs ?? Infinity;
    for (;;) {
      if (signal?.aborted) break;
      const seen = await look(client, target, at(), options.maxRestarts);
      samples.push(seen.sample);
      for (const problem of seen.crashLoops) crashLoops.set(problem.pod, problem);
      if (crashLoops.size > 0) break;
      if (experiment && at() >= faultEndMs) {
        await experiment.remove();
        faultsAtMs.push(at());
        log(
          `[${(at() / 1000).toFixed(1)}s] ${experiment.object.kind} removed after ${options.durationMs} ms`,
        );
        experiment = undefined;
      }
      if (failed && at() >= faultEndMs) {
        await failed.restore();
        faultsAtMs.push(at());
        log(`[${(at() / 1000).toFixed(1)}s] pod-failure: images restored after ${options.durationMs} ms`);
        failed = undefined;
      }
      if (!experiment && fault.kind === 'pod-kill' && at() >= nextKill && at() < faultEndMs) {
        await kill();
        nextKill += fault.everyMs ?? Infinity;
      }
      const faultOver = !experiment && !failed && at() >= faultEndMs;
      if (faultOver) {
        const recovery = measureRecovery(samples, faultsAtMs);
        if (recovery.recovered && at() >= options.durationMs) break;
        if (!recovery.recovered && at() - (faultsAtMs.at(-1) ?? 0) > options.recoveryBoundMs) break;
      }
      await pause(every, signal);
    }
  } finally {
    await Promise.all([experiment?.remove(), failed?.restore()]);
  }
  const endMs = Date.now();
  const recovery = measureRecovery(samples, faultsAtMs);
  const reasons: string[] = [];
  const cancelled = signal?.aborted ?? false;
  if (cancelled) reasons.push('the drill was cancelled');
  for (const problem of crashLoops.values())
    reasons.push(`pod ${problem.pod} is in a crash loop: ${problem.reason}: ${problem.message}`);
  if (!recovery.recovered)
    reasons.push(
      `not fully available again ${(recovery.recoveryMs / 1000).toFixed(1)} s after the fault (drill-recovery ${options.recoveryBoundMs / 1000} s)`,
    );
  else if (recovery.recoveryMs > options.recoveryBoundMs)
    reasons.push(
      `recovery took ${(recovery.recoveryMs / 1000).toFixed(1)} s, more than drill-recovery ${options.recoveryBoundMs / 1000} s`,
    );
  let slo: CanaryResult | undefined;
  if (options.slo && !cancelled) {
    slo = await options.slo({ startMs, endMs });
    for (const check of slo.checks.filter((c) => c.verdict === 'fail'))
      reasons.push(`SLO check '${check.name}' degraded under the fault: ${check.reason}`);
  }
  return {
    fault: fault.text,
    result: reasons.length ? 'fail' : 'pass',
    reasons,
    cancelled,
    startMs,
    endMs,
    faultsAtMs,
    killed,
    experiment: created,
    samples,
    recovery,
    crashLoops: [...crashLoops.values()],
    slo,
  };
}

async function untilAvailable(client: KubeClient, options: DrillOptions): Promise<void> {
  const deadline = Date.now() + options.recoveryBoundMs;
  for (;;) {
    const { sample } = await look(client, options.target, 0, options.maxRestarts);
    if (sample.ready >= sample.desired && sample.desired > 0) return;
    if (Date.now() > deadline || options.signal?.aborted) {
      throw new DrillError(
        `Deployment ${options.target.namespace}/${options.target.deployment} is not fully available before the drill (${sample.ready}/${sample.desired} pods ready); a drill starts from a healthy app`,
      );
    }
    await pause(options.sampleEveryMs ?? 500, options.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

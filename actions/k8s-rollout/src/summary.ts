import { code, details, table, writeSummary } from '@gin-deploy/action';
import type { PolicyFinding, RolloutOutcome, Timeline } from '@gin-deploy/rollout';
import type { Settings } from './settings.js';

const ICON: Record<string, string> = {
  succeeded: '✅',
  'rolled-back': '↩️',
  failed: '❌',
  paused: '⏸️',
  cancelled: '⛔',
};

export interface SummaryInput {
  /** Absent when the inputs could not be read. */
  settings?: Settings;
  findings: PolicyFinding[];
  outcome?: RolloutOutcome;
  timeline?: Timeline;
  namespace?: string;
  app?: string;
}

/** The job summary: verdict, timeline, replicas over time, failing pods with events, analyses, policy. */
export function writeRolloutSummary({
  settings,
  findings,
  outcome,
  timeline,
  namespace,
  app,
}: SummaryInput): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const failure = outcome?.failure;
  writeSummary([
    `## k8s-rollout: ${app ? `${namespace}/${app}` : 'not started'} — ${outcome ? `${ICON[outcome.status] ?? ''} ${outcome.status}` : 'stopped by the manifest policy'}`,
    outcome &&
      settings &&
      table(
        ['strategy', 'action', 'revision', 'previous revision', 'active color', 'duration'],
        [
          [
            settings.strategy,
            settings.action,
            outcome.revision ?? '',
            outcome.previousRevision ?? '',
            outcome.activeColor ?? '',
            timeline ? seconds(timeline.elapsed()) : '',
          ],
        ],
      ),
    outcome && `**Verdict:** ${outcome.message}`,
    autoscalerLine(settings, timeline, app),
    timeline &&
      timeline.events.length > 0 &&
      `### Timeline\n\n${table(
        ['at', 'event'],
        timeline.events.map((e) => [seconds(e.atMs), e.message]),
      )}`,
    timeline &&
      timeline.samples.length > 0 &&
      details(
        'Replicas over time',
        table(
          ['at', 'deployment', 'desired', 'updated', 'ready', 'available'],
          timeline.samples.map((s) => [
            seconds(s.atMs),
            s.deployment,
            s.desired,
            s.updated,
            s.ready,
            s.available,
          ]),
        ),
      ),
    failure &&
      failure.pods.length > 0 &&
      `### Failing pods\n\n${table(
        ['pod', 'phase', 'ready', 'containers'],
        failure.pods.map((p) => [p.pod, p.phase, p.ready ? 'yes' : 'no', p.containers]),
      )}`,
    failure && failure.events.length > 0 && `### Recent events\n\n${code(failure.events.join('\n'))}`,
    outcome?.traffic &&
      outcome.traffic.steps.length > 0 &&
      `### Traffic: ${outcome.traffic.mode}${outcome.traffic.target ? ` (exact weights at ${outcome.traffic.target})` : ' (replica ratio under the shared Service)'}\n\n${table(
        ['step', 'canary', 'stable'],
        outcome.traffic.steps.map((s) => [s.step, `${s.canary}%`, `${s.stable}%`]),
      )}`,
    outcome &&
      outcome.analyses.length > 0 &&
      `### Canary analysis\n\n${table(
        ['step', 'weight', 'check', 'canary', 'baseline', 'verdict', 'reason'],
        outcome.analyses.flatMap((a) =>
          a.checks.map((c) => [
            a.step,
            `${a.weight}%`,
            c.name,
            c.canary ?? '—',
            c.baseline ?? '—',
            c.verdict,
            c.reason,
          ]),
        ),
      )}`,
    findings.length > 0 &&
      `### Manifest policy (${settings?.policy})\n\n${table(
        ['object', 'container', 'check', 'why'],
        findings.map((f) => [f.object, f.container ?? '', f.rule, f.message]),
      )}`,
  ]);
}

/** The HPA's bounds beside the replicas the Deployment last had. */
function autoscalerLine(
  settings: Settings | undefined,
  timeline: Timeline | undefined,
  app: string | undefined,
): string | undefined {
  const hpa = settings?.app?.autoscale;
  if (!hpa || !settings?.app) return undefined;
  const desired = timeline?.samples.filter((sample) => sample.deployment === app).at(-1)?.desired;
  return `**Autoscaler:** HorizontalPodAutoscaler ${settings.app.name}: minReplicas ${hpa.minReplicas}, maxReplicas ${hpa.maxReplicas}, target CPU ${hpa.targetCpuUtilization}% (from ${hpa.source}); Deployment replicas ${desired ?? settings.app.replicas}`;
}

import {
  code,
  details,
  errorMessage,
  info,
  Outputs,
  runUrl,
  sleep,
  table,
  UserError,
  warning,
  writeSummary,
} from '@gin-deploy/action';
import {
  appendHistory,
  availabilityChart,
  compareWindows,
  compareWithHistory,
  healthScore,
  readHistory,
  resolveTarget,
  runDrill,
  scoreChart,
  type DrillReport,
  type HistoryComparison,
  type ScoreProbe,
} from '@gin-deploy/drill';
import { Discovery, type KubeClient } from '@gin-deploy/kube';
import { acquireLease } from '@gin-deploy/rollout';
import { inputError, leaseHolder, type Settings } from './settings.js';

/** What one drill found and decided, for the outputs, the summary and the rollout that ran it. */
export interface DrillOutcome {
  app: string;
  fault: string;
  result: 'pass' | 'fail';
  message: string;
  report?: DrillReport;
  score?: number;
  probes: ScoreProbe[];
  history?: HistoryComparison & { scores: { label: string; score: number }[] };
}

/** `action: drill`: one drill against the running app, its outputs and its summary. */
export async function drillStep(
  settings: Settings,
  client: KubeClient,
  namespace: string,
  app: string,
): Promise<void> {
  // The runner cancels with SIGINT then SIGTERM: the drill stops and removes its fault before the step ends.
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGTERM', cancel).once('SIGINT', cancel);
  let outcome: DrillOutcome;
  try {
    // The app's rollout Lease: a drill never runs while the same app is being deployed, and the reverse.
    const lease = await acquireLease(client, namespace, app, {
      durationMs: settings.leaseTimeoutMs,
      waitMs: settings.leaseWaitMs,
      holder: leaseHolder(),
    });
    try {
      outcome = await executeDrill(settings, client, namespace, app, controller.signal);
    } finally {
      await lease.release();
    }
  } catch (error) {
    outcome = {
      app,
      fault: settings.drill!.fault.text,
      result: 'fail',
      message: errorMessage(inputError(error)),
      probes: [],
    };
  } finally {
    process.off('SIGTERM', cancel).off('SIGINT', cancel);
    client.close();
  }
  const outputs = new Outputs();
  setDrillOutputs(outputs, outcome);
  outputs.publish();
  writeSummary([`## k8s-rollout drill: ${namespace}/${app}`, drillSummary(outcome)]);
  if (outcome.result === 'fail')
    throw new UserError(`drill of ${namespace}/${app} failed: ${outcome.message}`);
  info(`drill passed: ${outcome.message}`);
}

/** Runs the drill the settings describe against `app` (or its live blue-green color), scores it and keeps history. */
export async function executeDrill(
  settings: Settings,
  client: KubeClient,
  namespace: string,
  app: string,
  signal?: AbortSignal,
  deployment = app,
): Promise<DrillOutcome> {
  const drill = settings.drill!;
  const analysis = drill.slo;
  let report: DrillReport;
  try {
    const target = await resolveTarget(client, namespace, deployment);
    report = await runDrill(client, new Discovery(client), {
      fault: drill.fault,
      target,
      durationMs: drill.durationMs,
      recoveryBoundMs: drill.recoveryMs,
      maxRestarts: settings.maxRestarts,
      signal,
      log: info,
      slo:
        analysis &&
        (async (window) => {
          // Prometheus must have scraped the end of the window before it is queried.
          await sleep(Math.max(0, window.endMs + drill.settleMs - Date.now()));
          return compareWindows(analysis.spec, window, {
            prometheus: { url: analysis.prometheusUrl, headers: analysis.headers },
            variables: { app, namespace },
            slos: analysis.slos,
          });
        }),
    });
  } catch (error) {
    return { app, fault: drill.fault.text, result: 'fail', message: errorMessage(error), probes: [] };
  }
  const slo = report.slo && {
    passed: report.slo.checks.filter((c) => c.verdict === 'pass').length,
    inconclusive: report.slo.checks.filter((c) => c.verdict === 'inconclusive').length,
    total: report.slo.checks.length,
  };
  const { score, probes } = healthScore({
    ...report.recovery,
    boundMs: drill.recoveryMs,
    crashLoop: report.crashLoops.length > 0,
    slo,
  });
  const reasons = [...report.reasons];
  let history: DrillOutcome['history'];
  if (drill.history && !report.cancelled) {
    const key = `${namespace}/${app}`;
    const before = readHistory(drill.history);
    const comparison = compareWithHistory(before, key, score, {
      size: drill.historySize,
      margin: drill.margin,
    });
    const after = appendHistory(drill.history, before, {
      at: new Date(report.startMs).toISOString(),
      app: key,
      fault: report.fault,
      result: report.result,
      recoveryMs: report.recovery.recoveryMs,
      worstAvailability: report.recovery.worstAvailability,
      score,
      slo: report.slo?.verdict,
      run: runUrl(),
    });
    const scores = after.drills
      .filter((entry) => entry.app === key)
      .slice(-(drill.historySize + 1))
      .map((entry) => ({ label: entry.at.slice(5, 16).replace('T', ' '), score: entry.score }));
    history = { ...comparison, scores };
    if (comparison.regressed) {
      if (drill.regression === 'fail') reasons.push(comparison.message);
      else warning(`drill of ${key}: ${comparison.message}`);
    }
  }
  const recovered = `recovered in ${(report.recovery.recoveryMs / 1000).toFixed(1)} s, worst availability ${Math.round(report.recovery.worstAvailability * 100)}%, health score ${score}`;
  return {
    app,
    fault: report.fault,
    result: reasons.length ? 'fail' : 'pass',
    message: reasons.length ? reasons.join('; ') : `${report.fault}: ${recovered}`,
    report,
    score,
    probes,
    history,
  };
}

/** The drill a blue-green deploy runs on its new color before the switch; `outcome` is set once it ran. */
export function drillHook(settings: Settings, client: KubeClient, namespace: string, app: string) {
  const hook = {
    outcome: undefined as DrillOutcome | undefined,
    run: async (deployment: string) => {
      hook.outcome = await executeDrill(settings, client, namespace, app, undefined, deployment);
      return { passed: hook.outcome.result === 'pass', message: hook.outcome.message };
    },
  };
  return hook;
}

export function setDrillOutputs(outputs: Outputs, outcome: DrillOutcome): void {
  outputs.set('drill-result', outcome.result);
  outputs.set(
    'recovery-time',
    outcome.report ? (outcome.report.recovery.recoveryMs / 1000).toFixed(1) : undefined,
  );
  outputs.set('health-score', outcome.score);
}

/** The drill's part of the job summary: verdict, figures, charts, SLO checks, the fault object. */
export function drillSummary(outcome: DrillOutcome): string {
  const report = outcome.report;
  const ms = (value: number) => `${(value / 1000).toFixed(1)} s`;
  return [
    `### Drill: ${outcome.fault} — ${outcome.result === 'pass' ? '✅ pass' : '❌ fail'}`,
    `**Verdict:** ${outcome.message}`,
    report &&
      table(
        ['recovery', 'recovered', 'worst availability', 'health score', 'pods killed', 'window'],
        [
          [
            ms(report.recovery.recoveryMs),
            report.recovery.recovered ? 'yes' : 'no',
            `${Math.round(report.recovery.worstAvailability * 100)}%`,
            outcome.score ?? '',
            report.killed.join(', '),
            ms(report.endMs - report.startMs),
          ],
        ],
      ),
    outcome.probes.length > 0 &&
      table(
        ['probe', 'weight', 'success'],
        outcome.probes.map((p) => [p.name, p.weight, `${Math.round(p.success * 100)}%`]),
      ),
    report && availabilityChart(`ready / desired pods during ${outcome.fault}`, report.samples),
    outcome.history && `**History:** ${outcome.history.message}`,
    outcome.history &&
      outcome.history.scores.length > 1 &&
      scoreChart(
        'health score of this drill and the earlier ones',
        outcome.history.scores,
        outcome.history.median,
      ),
    report?.slo &&
      `#### SLO under the fault (drill window against the same length before it)\n\n${table(
        ['check', 'drill window', 'before', 'verdict', 'reason'],
        report.slo.checks.map((c) => [c.name, c.canary ?? '—', c.baseline ?? '—', c.verdict, c.reason]),
      )}`,
    report?.experiment &&
      details(
        `Chaos Mesh ${report.experiment.kind} (created, then removed)`,
        code(JSON.stringify(report.experiment, null, 2), 'json'),
      ),
  ]
    .filter(Boolean)
    .join('\n\n');
}

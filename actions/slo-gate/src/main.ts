import {
  errorMessage,
  info,
  jobCancelledBy,
  onStopDeadline,
  Outputs,
  UserError,
  warning,
  writeSummary,
} from '@gin-deploy/action';
import { PrometheusClient, PrometheusError } from '@gin-deploy/prometheus';
import {
  InvalidValueError,
  roundForOutput,
  type CanaryAnalysisSpec,
  type CanaryVerdict,
  type SloSpec,
  type Verdict,
} from '@gin-deploy/slo';
import { capacityStep } from './capacity.js';
import { runCanary } from './canary.js';
import { runGate } from './gate.js';
import { writeReport } from './report.js';
import { readSettings, type CommonSettings, type GateSettings } from './settings.js';
import { canarySummary, gateSummary } from './summary.js';

export async function main(): Promise<void> {
  const started = Date.now();
  const settings = readSettings();
  const client = new PrometheusClient({
    ...settings.prometheus,
    onRetry: (message, attempt, delay) =>
      info(`attempt ${attempt} failed (${message}); retrying in ${delay} ms`),
  });
  const outputs = new Outputs();
  onStopDeadline((message) => publishCancelled(outputs, message));
  if (settings.mode === 'canary') {
    const spec = settings.canary;
    await guarded(settings, outputs, () => canaryStep(client, spec, settings, outputs, started));
  } else if (settings.mode === 'capacity') {
    const capacity = settings.capacity;
    await guarded(settings, outputs, async () => {
      const { decision, reasons } = await capacityStep(client, capacity, settings, outputs, started);
      finish(decision, reasons);
    });
  } else {
    const gate = settings.gate;
    await guarded(settings, outputs, () => gateStep(client, gate.slos, settings, gate, outputs, started));
  }
}

async function gateStep(
  client: PrometheusClient,
  slos: SloSpec[],
  settings: CommonSettings,
  gate: GateSettings,
  outputs: Outputs,
  started: number,
): Promise<void> {
  const run = await runGate(client, slos, settings, gate);
  for (const note of run.slos.flatMap((slo) => slo.notes)) warning(note);
  const judged = run.slos.filter((slo) => slo.budgetRemaining !== null);
  const lowest = judged.reduce<(typeof judged)[number] | undefined>(
    (low, slo) =>
      low === undefined || (slo.budgetRemaining as number) < (low.budgetRemaining as number) ? slo : low,
    undefined,
  );
  const rates = run.slos.map((slo) => slo.burnRate).filter((rate): rate is number => rate !== null);
  const report = writeReport({
    mode: 'gate',
    time: settings.time.toISOString(),
    prometheus: client.displayUrl,
    decision: run.outcome.decision,
    score: run.outcome.score,
    reason: run.outcome.reason,
    queries: client.counts,
    durationMs: Date.now() - started,
    decidedInMs: run.decidedInMs,
    slos: run.slos,
  });
  outputs.set('decision', run.outcome.decision);
  outputs.set('budget-remaining', lowest ? roundForOutput(lowest.budgetRemaining as number) : '');
  outputs.set('burn-rate', rates.length > 0 ? roundForOutput(Math.max(...rates)) : '');
  outputs.set('sli', lowest?.sli != null ? roundForOutput(lowest.sli) : '');
  outputs.set('score', run.outcome.score);
  outputs.set('report', report);
  outputs.publish();
  writeSummary(gateSummary(run, report));
  for (const slo of run.slos.filter((entry) => (entry.noData || entry.invalid) && entry.verdict === 'pass')) {
    warning(`SLO '${slo.name}': ${slo.reasons.join('; ')}`);
  }
  info(`decision: ${run.outcome.decision} (${run.outcome.reason}); ${client.counts.instant} instant queries`);
  finish(
    run.outcome.decision,
    run.slos.flatMap((slo) => slo.reasons.map((reason) => `${slo.name}: ${reason}`)),
  );
}

async function canaryStep(
  client: PrometheusClient,
  spec: CanaryAnalysisSpec,
  settings: CommonSettings,
  outputs: Outputs,
  started: number,
): Promise<void> {
  const result = await runCanary(client, spec, settings.time, settings.service);
  const decision = canaryDecision(result.verdict, settings.onNoData);
  const passed = result.checks.filter((check) => check.verdict === 'pass').length;
  const report = writeReport({
    mode: 'canary',
    time: settings.time.toISOString(),
    decision,
    spec,
    ...result,
    queries: client.counts,
    durationMs: Date.now() - started,
  });
  outputs.set('decision', decision);
  outputs.set('score', roundForOutput((passed / result.checks.length) * 100, 6));
  outputs.set('report', report);
  outputs.publish();
  writeSummary(canarySummary(result, decision, report));
  finish(
    decision,
    result.checks
      .filter((check) => check.verdict !== 'pass')
      .map((check) => `${check.name}: ${check.reason}`),
  );
}

/** Inconclusive means too little data: on-no-data decides it, as it does for a gate without data. */
function canaryDecision(verdict: CanaryVerdict, onNoData: Verdict): Verdict {
  return verdict === 'inconclusive' ? onNoData : verdict;
}

function finish(decision: Verdict, reasons: string[]): void {
  if (decision === 'fail')
    throw new UserError(`slo-gate decided fail: ${reasons.join('; ') || 'see the summary'}`);
  if (decision === 'warn') warning(`slo-gate decided warn: ${reasons.join('; ')}`);
}

/** A cancelled job's gate decides fail: never a pass on numbers it did not finish reading, whatever on-error says. */
function publishCancelled(outputs: Outputs, reason: string): void {
  outputs.set('decision', 'fail').publish({ failure: true });
  writeSummary(['## SLO gate: ❌ fail', reason]);
}

/**
 * Prometheus failing (unreachable, HTTP errors, timeouts) and values no check can judge (NaN, ±Inf, negative
 * counts) follow on-error; a query Prometheus rejects or one giving several series is a broken configuration
 * and always fails. Every way out writes the decision, the report and the summary.
 */
async function guarded(
  settings: CommonSettings & { mode: string },
  outputs: Outputs,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    const cancelled = jobCancelledBy();
    if (cancelled) {
      publishCancelled(outputs, `The job was cancelled (${cancelled}) before the gate decided.`);
      throw error;
    }
    const judged =
      (error instanceof PrometheusError && !error.isQueryError) || error instanceof InvalidValueError;
    const known = error instanceof PrometheusError || error instanceof InvalidValueError;
    if (!known) throw error;
    const decision = judged && settings.onError === 'pass' ? 'pass' : 'fail';
    const report = writeReport({
      mode: settings.mode,
      time: settings.time.toISOString(),
      decision,
      error: errorMessage(error),
    });
    outputs.set('decision', decision);
    outputs.set('report', report);
    outputs.publish({ failure: decision === 'fail' });
    const why =
      error instanceof InvalidValueError
        ? 'Prometheus gave a value no check can judge'
        : 'Prometheus could not answer';
    if (decision === 'fail') {
      writeSummary([`## SLO gate: ❌ fail`, `${why}: ${errorMessage(error)}`]);
      throw error;
    }
    warning(`${errorMessage(error)}; on-error is pass, so the gate passes`);
    writeSummary([`## SLO gate: ⚠️ passed on error`, `${why}: ${errorMessage(error)}`]);
  }
}

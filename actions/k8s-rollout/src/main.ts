import {
  errorMessage,
  formatDuration,
  info,
  onCancel,
  Outputs,
  runUrl,
  UserError,
  warning,
  workspaceDir,
  writeSummary,
} from '@gin-deploy/action';
import { Discovery, KubeClient } from '@gin-deploy/kube';
import {
  annotate,
  checkManifestPolicy,
  generateApp,
  isDeployment,
  loadManifests,
  modeOf,
  replaceImage,
  runRollout,
  serviceInFront,
  Timeline,
  type CanaryAnalyzer,
  type Manifest,
  type PolicyFinding,
  type RolloutContext,
  type RolloutOutcome,
} from '@gin-deploy/rollout';
import { analyzeCanary } from '@gin-deploy/slo';
import { drillHook, drillStep, drillSummary, setDrillOutputs } from './drill.js';
import { inputError, leaseHolder, readSettings, type Settings } from './settings.js';
import { rememberLease } from './state.js';
import { writeRolloutSummary } from './summary.js';

/** What is known about the run so far: every path out of the step reports from it. */
interface Run {
  timeline: Timeline;
  signal: AbortSignal;
  settings?: Settings;
  findings: PolicyFinding[];
  namespace?: string;
  app?: string;
  drill?: ReturnType<typeof drillHook>;
}

export async function main(): Promise<void> {
  const cancellation = onCancel();
  const run: Run = { timeline: new Timeline(info), signal: cancellation.signal, findings: [] };
  let outcome: RolloutOutcome | undefined;
  try {
    outcome = await deploy(run);
  } catch (thrown) {
    const error = inputError(thrown);
    const status = run.signal.aborted ? 'cancelled' : 'failed';
    report(run, { status, message: errorMessage(error), analyses: [] });
    throw error;
  } finally {
    cancellation.dispose();
  }
  if (!outcome) return;
  report(run, outcome);
  const requested = run.settings?.action === 'abort' && outcome.status === 'rolled-back';
  const failed = ['failed', 'cancelled'].includes(outcome.status);
  if (failed || (outcome.status === 'rolled-back' && !requested)) {
    throw new UserError(`rollout of ${run.namespace}/${run.app} ${outcome.status}: ${outcome.message}`);
  }
  info(`${outcome.status}: ${outcome.message}`);
}

async function deploy(run: Run): Promise<RolloutOutcome | undefined> {
  const settings = (run.settings = readSettings());
  const manifests = await prepareManifests(settings);
  const findings = settings.action === 'deploy' ? checkManifestPolicy(manifests) : [];
  run.findings = findings;
  for (const finding of findings)
    warning(
      `${finding.object}${finding.container ? ` container ${finding.container}` : ''}: ${finding.message}`,
      finding.file ? { file: finding.file, startLine: finding.line } : undefined,
    );
  if (settings.policy === 'strict' && findings.length > 0) {
    throw new UserError(
      `input 'policy' is strict and ${findings.length} manifest check(s) failed; first: ${findings[0].object}: ${findings[0].message}`,
    );
  }
  const { timeline } = run;
  // A request keeps retrying through an API server restart for as long as the step may wait at all.
  const client = new KubeClient(settings.connection, {
    retryForMs: settings.timeoutMs,
    onRetry: (message, attempt, delayMs) =>
      timeline.add(`API request failed (attempt ${attempt}), retrying in ${delayMs} ms: ${message}`),
  });
  const namespace = settings.namespace ?? settings.connection.namespace ?? 'default';
  const primary = manifests.map((m) => m.object).find(isDeployment);
  const app = settings.name ?? primary?.metadata.name;
  run.namespace = primary?.metadata.namespace ?? namespace;
  run.app = app;
  if (!app)
    throw new UserError(
      `input 'manifests': no Deployment found, so there is nothing to roll out; set 'name' for ${settings.action}`,
    );
  // After a cancel the runner kills the step within seconds: cleanup requests must not wait out an outage.
  run.signal.addEventListener('abort', () => client.limitRetries(3000), { once: true });
  // A drill reports for itself (drill-result, its summary); its own handler removes the fault on cancel.
  if (settings.action === 'drill') {
    await drillStep(settings, client, namespace, app);
    return undefined;
  }
  const drill = (run.drill = settings.drill && drillHook(settings, client, namespace, app));
  const service = serviceName(manifests, app);
  const context: RolloutContext = {
    client,
    signal: run.signal,
    discovery: new Discovery(client),
    timeline,
    settings: {
      namespace,
      wait: {
        timeoutMs: settings.timeoutMs,
        readyTimeoutMs: settings.readyTimeoutMs,
        maxRestarts: settings.maxRestarts,
        signal: run.signal,
      },
      rollbackOnFailure: settings.rollbackOnFailure,
      scaleDownDelayMs: settings.scaleDownDelayMs,
      changeCause: changeCause(settings),
      manualSwitch: settings.manualSwitch,
      canarySteps: settings.canarySteps,
      analyze: analyzer(settings, app, run.namespace),
      drill: drill?.run,
      traffic: settings.traffic.mode === 'replicas' ? undefined : { ...settings.traffic, service },
    },
  };
  const holder = leaseHolder();
  // Kept before the Lease is taken, so that the post step can release it after a hard kill (it checks the
  // holder, so a Lease this run released or never got is left alone).
  rememberLease({ namespace, app, holder });
  try {
    return await runRollout(context, {
      ...modeOf(settings),
      app,
      serviceName: service,
      manifests,
      lease: { durationMs: settings.leaseTimeoutMs, waitMs: settings.leaseWaitMs, holder },
    });
  } finally {
    client.close();
  }
}

/** The outputs and the job summary, written once on every path out of the step. */
function report(run: Run, outcome: RolloutOutcome): void {
  const outputs = new Outputs();
  outputs.set('status', outcome.status);
  outputs.set('revision', outcome.revision);
  outputs.set('previous-revision', outcome.previousRevision);
  outputs.set('active-color', outcome.activeColor);
  outputs.set('duration', formatDuration(run.timeline.elapsed()));
  const drill = run.drill?.outcome;
  if (drill) setDrillOutputs(outputs, drill);
  outputs.publish();
  writeRolloutSummary({ ...run, outcome });
  if (drill) writeSummary([drillSummary(drill)]);
}

async function prepareManifests(settings: Settings): Promise<Manifest[]> {
  if (settings.action !== 'deploy' && settings.manifests.length === 0) return [];
  const manifests = settings.app
    ? generateApp(settings.app).map((object) => ({ object, file: 'generated', line: 1 }))
    : await loadManifests(settings.manifests, workspaceDir());
  if (settings.image && !settings.app) {
    const updated = replaceImage(
      manifests.map((m) => m.object),
      settings.image,
      settings.container,
    );
    info(`image ${settings.image} set in ${updated.join(', ')}`);
  }
  annotate(
    manifests.map((m) => m.object),
    {
      version: settings.version,
      commit: settings.commit,
      runUrl: runUrl(),
      changeCause: changeCause(settings),
    },
  );
  return manifests;
}

/** The Service in front of the app: the one in the manifests that selects its pods, else one named like it. */
function serviceName(manifests: Manifest[], app: string): string {
  const deployment = manifests.map((m) => m.object).find(isDeployment);
  return (deployment && serviceInFront(manifests, deployment)?.object.metadata.name) ?? app;
}

function changeCause(settings: Settings): string {
  const what = settings.image ?? settings.version ?? 'manifests';
  const url = runUrl();
  return `gin-deploy ${settings.strategy} ${settings.action} of ${what}${settings.version && settings.image ? ` (${settings.version})` : ''}${url ? ` by ${url}` : ''}`;
}

function analyzer(settings: Settings, app: string, namespace: string): CanaryAnalyzer | undefined {
  const analysis = settings.analysis;
  if (!analysis) return undefined;
  return async () => {
    const result = await analyzeCanary(analysis.spec, {
      prometheus: { url: analysis.prometheusUrl, headers: analysis.headers },
      variables: { app, namespace, canary: `${app}-canary`, stable: app },
    });
    return { verdict: result.verdict, checks: result.checks };
  };
}

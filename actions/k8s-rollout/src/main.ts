import { formatDuration, info, Outputs, UserError, warning, writeSummary } from '@gin-deploy/action';
import { Discovery, KubeClient } from '@gin-deploy/kube';
import {
  annotate,
  checkManifestPolicy,
  generateApp,
  isDeployment,
  isService,
  loadManifests,
  replaceImage,
  runRollout,
  selects,
  Timeline,
  type CanaryAnalyzer,
  type Manifest,
  type RolloutContext,
  type RolloutOutcome,
} from '@gin-deploy/rollout';
import { analyzeCanary } from '@gin-deploy/slo';
import { drillHook, drillStep, drillSummary, setDrillOutputs } from './drill.js';
import { leaseHolder, readSettings, runUrl, type Settings } from './settings.js';
import { writeRolloutSummary } from './summary.js';

export async function main(): Promise<void> {
  const settings = readSettings();
  const manifests = await prepareManifests(settings);
  const findings = settings.action === 'deploy' ? checkManifestPolicy(manifests) : [];
  for (const finding of findings)
    warning(
      `${finding.object}${finding.container ? ` container ${finding.container}` : ''}: ${finding.message}`,
      finding.file ? { file: finding.file, startLine: finding.line } : undefined,
    );
  if (settings.policy === 'strict' && findings.length > 0) {
    writeRolloutSummary({ settings, findings });
    throw new UserError(
      `input 'policy' is strict and ${findings.length} manifest check(s) failed; first: ${findings[0].object}: ${findings[0].message}`,
    );
  }
  const client = new KubeClient(settings.connection);
  const timeline = new Timeline(info);
  const namespace = settings.namespace ?? settings.connection.namespace ?? 'default';
  const app = settings.name ?? manifests.map((m) => m.object).find(isDeployment)?.metadata.name;
  if (!app)
    throw new UserError(
      `input 'manifests': no Deployment found, so there is nothing to roll out; set 'name' for ${settings.action}`,
    );
  if (settings.action === 'drill') return drillStep(settings, client, namespace, app);
  const drill = settings.drill && drillHook(settings, client, namespace, app);
  const context: RolloutContext = {
    client,
    discovery: new Discovery(client),
    timeline,
    settings: {
      namespace,
      wait: {
        timeoutMs: settings.timeoutMs,
        readyTimeoutMs: settings.readyTimeoutMs,
        maxRestarts: settings.maxRestarts,
      },
      rollbackOnFailure: settings.rollbackOnFailure,
      scaleDownDelayMs: settings.scaleDownDelayMs,
      changeCause: changeCause(settings),
      manualSwitch: settings.manualSwitch,
      canarySteps: settings.canarySteps,
      analyze: analyzer(settings, app, namespace),
      drill: drill?.run,
      traffic:
        settings.traffic.mode === 'replicas'
          ? undefined
          : { ...settings.traffic, service: serviceName(manifests, app) },
    },
  };
  let outcome: RolloutOutcome;
  try {
    outcome = await runRollout(context, {
      strategy: settings.strategy,
      action: settings.action,
      app,
      serviceName: serviceName(manifests, app),
      manifests,
      lease: { durationMs: settings.leaseTimeoutMs, waitMs: settings.leaseWaitMs, holder: leaseHolder() },
    });
  } finally {
    client.close();
  }
  const outputs = new Outputs();
  outputs.set('status', outcome.status);
  outputs.set('revision', outcome.revision);
  outputs.set('previous-revision', outcome.previousRevision);
  outputs.set('active-color', outcome.activeColor);
  outputs.set('duration', formatDuration(timeline.elapsed()));
  if (drill?.outcome) setDrillOutputs(outputs, drill.outcome);
  outputs.publish();
  writeRolloutSummary({ settings, findings, outcome, timeline, namespace, app });
  if (drill?.outcome) writeSummary([drillSummary(drill.outcome)]);
  const requested = settings.action === 'abort' && outcome.status === 'rolled-back';
  if (outcome.status === 'failed' || (outcome.status === 'rolled-back' && !requested)) {
    throw new UserError(`rollout of ${namespace}/${app} ${outcome.status}: ${outcome.message}`);
  }
  info(`${outcome.status}: ${outcome.message}`);
}

async function prepareManifests(settings: Settings): Promise<Manifest[]> {
  if (settings.action !== 'deploy' && settings.manifests.length === 0) return [];
  const manifests = settings.app
    ? generateApp(settings.app).map((object) => ({ object, file: 'generated', line: 1 }))
    : await loadManifests(settings.manifests, process.cwd());
  if (settings.image && !settings.app) {
    const updated = replaceImage(
      manifests.map((m) => m.object),
      settings.image,
      settings.container,
    );
    if (typeof updated === 'string') throw new UserError(`input 'image': ${updated}`);
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
  const service =
    deployment && manifests.map((m) => m.object).find((o) => isService(o) && selects(o, deployment));
  return service?.metadata?.name ?? app;
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

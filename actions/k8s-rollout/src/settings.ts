import os from 'node:os';
import {
  booleanInput,
  durationInput,
  enumInput,
  fileOrInline,
  httpUrlInput,
  invalid,
  listInput,
  maskSecret,
  multilineInput,
  numberInput,
  optionalInput,
  readPathOf,
  secretInput,
  UserError,
  writePathOf,
} from '@gin-deploy/action';
import { DrillError, parseFault, sloChecks, type FaultSpec } from '@gin-deploy/drill';
import { KubeconfigError, loadConnection, secretsOf, type Connection } from '@gin-deploy/kube';
import { HeaderLineError, parsePrometheusHeaders } from '@gin-deploy/prometheus';
import {
  AutoscaleError,
  CanaryStepsError,
  capacityRecommendation,
  CapacityReportError,
  ContainerNotFoundError,
  LeaseHeldError,
  ManifestError,
  NothingToFinishError,
  parseAutoscale,
  parseCanarySteps,
  parseImageReference,
  parseResources,
  ResourcesError,
  RouterNeededError,
  TrafficRouterError,
  type AppSpec,
  type AutoscaleSpec,
  type CanaryStep,
  type RolloutMode,
  type Strategy,
  type TrafficMode,
} from '@gin-deploy/rollout';
import {
  canaryAnalysisFrom,
  parseCanaryAnalysis,
  parseSloFile,
  type CanaryAnalysisSpec,
  type SloSpec,
} from '@gin-deploy/slo';

/** What the step does: a deploy, finishing a paused blue-green or canary deploy, or a drill. */
export type StepMode = RolloutMode | { strategy: Strategy; action: 'drill' };

export type Settings = StepMode & {
  manifests: string[];
  app?: AppSpec;
  name?: string;
  image?: string;
  container?: string;
  namespace?: string;
  connection: Connection;
  drill?: DrillSettings;
  policy: 'warn' | 'strict';
  timeoutMs: number;
  readyTimeoutMs: number;
  maxRestarts: number;
  rollbackOnFailure: boolean;
  canarySteps: CanaryStep[];
  analysis?: Analysis;
  traffic: { mode: TrafficMode; route?: string; ingress?: string };
  scaleDownDelayMs: number;
  manualSwitch: boolean;
  version?: string;
  commit?: string;
  leaseTimeoutMs: number;
  leaseWaitMs: number;
};

/** Checks run against Prometheus: between canary steps, or over a drill's window against the one before. */
export interface Analysis {
  spec: CanaryAnalysisSpec;
  prometheusUrl: string;
  headers: Record<string, string>;
  /** The SLOs of the `slos` file behind some of the checks (a drill reads their histograms' `le` spellings). */
  slos?: SloSpec[];
}

export interface DrillSettings {
  fault: FaultSpec;
  /** The analysis checks and the SLOs of the `slos` file, compared over the drill window. */
  slo?: Analysis;
  durationMs: number;
  recoveryMs: number;
  settleMs: number;
  history?: string;
  historySize: number;
  margin: number;
  regression: 'warn' | 'fail';
}

const CANARY_STEPS = 'increasing percentages up to 100 such as 10,50,100';

/** Reads and checks every input before anything touches the cluster. */
export function readSettings(): Settings {
  // Credentials first: masked before anything else can print them.
  const prometheusHeaders = readPrometheusHeaders();
  const mode = readMode();
  const { strategy, action } = mode;
  const drillFault = readDrill(mode);
  const manifests = listInput('manifests');
  // Files, folders and globs alike resolve inside the workspace.
  for (const pattern of manifests) readPathOf('manifests', pattern);
  const name = optionalInput('name');
  if (name !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw invalid('name', name, 'a DNS label: lowercase letters, digits and -');
  }
  const image = optionalInput('image');
  if (image !== undefined && !parseImageReference(image)) {
    throw invalid(
      'image',
      image,
      'an image reference such as ghcr.io/acme/api@sha256:<64 hex digits> or ghcr.io/acme/api:v1.2.3',
    );
  }
  const pauses = listInput('pause');
  const steps = readCanarySteps(pauses);
  const resources = readResources();
  const port = numberInput('port', 8080, { min: 1, max: 65535, integer: true });
  const replicas = numberInput('replicas', 2, { min: 0, max: 1000, integer: true });
  const autoscale = readAutoscale(strategy, manifests.length > 0);
  const healthPath = optionalInput('health-path') ?? '/health';
  const readyPath = optionalInput('ready-path') ?? '/ready';
  if (action === 'deploy' && manifests.length === 0) {
    if (!name || !image) {
      throw new UserError(
        `inputs 'name' and 'image' are required to generate the app when 'manifests' is not given`,
      );
    }
  }
  if (action !== 'deploy' && manifests.length === 0 && !name) {
    throw new UserError(
      `input 'name' (or 'manifests') is required for action ${action}: it names the app's Deployment`,
    );
  }
  const analysis = readAnalysis(strategy, prometheusHeaders, drillFault !== undefined);
  const drill = drillFault && { ...drillFault, slo: readDrillSlo(analysis, prometheusHeaders) };
  if (!drill && optionalInput('slos') !== undefined)
    throw new UserError(
      `input 'slos' applies to a drill (action: drill, or the drill input of a blue-green or canary deploy)`,
    );
  return {
    ...mode,
    manifests,
    app:
      manifests.length === 0 && name && image
        ? { name, image, port, replicas, healthPath, readyPath, resources, autoscale }
        : undefined,
    name,
    image,
    container: optionalInput('container'),
    namespace: optionalInput('namespace'),
    connection: readConnection(),
    drill,
    policy: enumInput('policy', ['warn', 'strict'] as const, 'warn'),
    timeoutMs: durationInput('timeout', '10m', { positive: true }),
    readyTimeoutMs: durationInput('ready-timeout', '2m', { positive: true }),
    maxRestarts: numberInput('max-restarts', 3, { min: 1, integer: true }),
    rollbackOnFailure: booleanInput('rollback-on-failure', true),
    canarySteps: steps,
    analysis,
    traffic: readTraffic(strategy),
    scaleDownDelayMs: durationInput('scale-down-delay', '30s'),
    manualSwitch: pauses.includes('manual') && strategy === 'blue-green',
    version: optionalInput('version'),
    commit: optionalInput('commit'),
    leaseTimeoutMs: durationInput('lease-timeout', '15m', { positive: true }),
    leaseWaitMs: durationInput('lease-wait', '0s'),
  };
}

/** The strategy and the action; promote and abort finish what only a blue-green or canary deploy pauses. */
function readMode(): StepMode {
  const strategy = enumInput('strategy', ['rolling', 'blue-green', 'canary'] as const, 'rolling');
  const action = enumInput('action', ['deploy', 'promote', 'abort', 'drill'] as const, 'deploy');
  if (action === 'deploy' || action === 'drill') return { strategy, action };
  if (strategy === 'rolling')
    throw new UserError(
      `input 'action': ${action} applies to the blue-green and canary strategies, not rolling`,
    );
  return { strategy, action };
}

/**
 * Said in this action's input names: what the rollout, drill and kube libraries found wrong while they ran,
 * when it goes back to an input. Anything else is returned as it is.
 */
export function inputError(error: unknown): unknown {
  if (error instanceof ManifestError) return new UserError(`input 'manifests': ${error.message}`);
  if (error instanceof NothingToFinishError) return new UserError(`input 'action': ${error.message}`);
  if (error instanceof TrafficRouterError) {
    const input = error.router === 'HTTPRoute' ? 'route' : 'ingress';
    return new UserError(`input '${input}': ${error.message}`);
  }
  if (error instanceof RouterNeededError) {
    return new UserError(
      `input 'traffic': ${error.message}; give the 'traffic' and 'route' or 'ingress' inputs of its deploy to ${error.action} it`,
    );
  }
  if (error instanceof ContainerNotFoundError) {
    return error.container === undefined
      ? new UserError(`input 'image': ${error.message}; expected the 'container' input to name one`)
      : new UserError(`input 'container': ${error.message}`);
  }
  if (error instanceof LeaseHeldError)
    return new UserError(`${error.message}; wait for it, or raise lease-wait`);
  return error;
}

function readCanarySteps(pauses: string[]): CanaryStep[] {
  try {
    return parseCanarySteps(optionalInput('canary-steps') ?? '10,50,100', pauses);
  } catch (error) {
    if (!(error instanceof CanaryStepsError)) throw error;
    if (error.pause !== undefined)
      throw invalid('pause', error.pause, "a duration such as 30s or 5m, or 'manual'");
    throw new UserError(`input 'canary-steps': ${error.message}; expected ${CANARY_STEPS}`);
  }
}

function readResources(): AppSpec['resources'] {
  try {
    return parseResources(optionalInput('resources'));
  } catch (error) {
    if (error instanceof ResourcesError)
      throw invalid('resources', error.item, 'items such as cpu=100m,memory=128Mi or limits.memory=256Mi');
    throw error;
  }
}

export function readConnection(): Connection {
  const kubeconfig = secretInput('kubeconfig');
  // The runner masks within one line; mask each credential of a multi-line kubeconfig on its own too.
  for (const match of (kubeconfig ?? '').matchAll(
    /^\s*(?:token|client-key-data|password)\s*:\s*(\S+)\s*$/gm,
  )) {
    maskSecret(match[1].replace(/^["']|["']$/g, ''));
  }
  try {
    const connection = loadConnection({ kubeconfig, context: optionalInput('context') });
    for (const secret of secretsOf(connection)) maskSecret(secret);
    return connection;
  } catch (error) {
    if (error instanceof KubeconfigError)
      throw new UserError(`input 'kubeconfig': ${kubeconfigProblem(error)}`);
    throw error;
  }
}

function kubeconfigProblem({ from, detail, needsContext }: KubeconfigError): string {
  if (from === 'nowhere')
    return 'no kubeconfig: set the kubeconfig input, KUBECONFIG or ~/.kube/config, or run inside a cluster';
  const source = from === 'text' ? 'the kubeconfig input' : `kubeconfig ${from.file}`;
  return `${source}${detail}${needsContext ? '; set the context input' : ''}`;
}

function readTraffic(strategy: Strategy): Settings['traffic'] {
  const mode = enumInput('traffic', ['replicas', 'gateway-api', 'ingress-nginx'] as const, 'replicas');
  const route = optionalInput('route');
  const ingress = optionalInput('ingress');
  if (mode !== 'replicas' && strategy !== 'canary')
    throw new UserError(`input 'traffic': ${mode} applies to strategy canary, not ${strategy}`);
  if (mode === 'gateway-api' && !route)
    throw new UserError(
      `input 'route' is required when 'traffic' is gateway-api: the name of the HTTPRoute whose backendRefs get the weights`,
    );
  if (mode === 'ingress-nginx' && !ingress)
    throw new UserError(
      `input 'ingress' is required when 'traffic' is ingress-nginx: the name of the stable Ingress the canary Ingress copies`,
    );
  return { mode, route, ingress };
}

/** `Name: value` (or `Name=value`) lines plus a bearer token, every value masked. */
function readPrometheusHeaders(): Record<string, string> {
  let headers: Record<string, string>;
  try {
    headers = parsePrometheusHeaders(multilineInput('prometheus-headers').join('\n'));
  } catch (error) {
    if (!(error instanceof HeaderLineError)) throw error;
    throw new UserError(
      `input 'prometheus-headers': a line is not 'Name: value' (a header name, a colon, the value), e.g. X-Scope-OrgID: tenant-1`,
    );
  }
  for (const value of Object.values(headers)) maskSecret(value);
  const token = secretInput('prometheus-bearer-token');
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

function readAnalysis(
  strategy: Strategy,
  headers: Record<string, string>,
  drill: boolean,
): Settings['analysis'] {
  const analysis = optionalInput('analysis');
  if (analysis === undefined) return undefined;
  if (strategy !== 'canary' && !drill)
    throw new UserError(`input 'analysis' applies to strategy canary or a drill, not ${strategy}`);
  const prometheusUrl = readPrometheusUrl('analysis');
  const { text, file } = fileOrInline('analysis', analysis);
  return {
    spec: parseCanaryAnalysis(text, file ?? "input 'analysis'"),
    prometheusUrl,
    headers,
  };
}

function readPrometheusUrl(forInput: string): string {
  const url = optionalInput('prometheus-url');
  if (!url) throw new UserError(`input 'prometheus-url' is required when '${forInput}' is given`);
  return httpUrlInput('prometheus-url', url);
}

/** What a drill compares over its window: the analysis checks, and the SLOs of the `slos` file. */
function readDrillSlo(analysis: Analysis | undefined, headers: Record<string, string>): Analysis | undefined {
  const given = optionalInput('slos');
  if (given === undefined) return analysis;
  const prometheusUrl = analysis?.prometheusUrl ?? readPrometheusUrl('slos');
  const { text, file } = fileOrInline('slos', given);
  const source = file ?? "input 'slos'";
  const slos = parseSloFile(text, source);
  let checks;
  try {
    checks = sloChecks(slos);
  } catch (error) {
    if (error instanceof DrillError) throw new UserError(`input 'slos': ${error.message}`);
    throw error;
  }
  const names = new Set(analysis?.spec.checks.map((check) => check.name));
  const twice = checks.find((check) => names.has(check.name));
  if (twice)
    throw new UserError(
      `input 'slos': SLO '${twice.name}' has the name of a check in 'analysis'; rename one`,
    );
  const spec = analysis
    ? { ...analysis.spec, checks: [...analysis.spec.checks, ...checks] }
    : canaryAnalysisFrom({ source, checks });
  return { spec, prometheusUrl, headers, slos };
}

/** The generated app's HorizontalPodAutoscaler: `autoscale`, with gaps filled from `capacity-report`. */
function readAutoscale(strategy: Strategy, hasManifests: boolean): AutoscaleSpec | undefined {
  const text = optionalInput('autoscale');
  const report = optionalInput('capacity-report');
  if (text === undefined && report === undefined) return undefined;
  const input = text !== undefined ? 'autoscale' : 'capacity-report';
  if (hasManifests)
    throw new UserError(
      `input '${input}' applies to the generated app (no 'manifests'); put a HorizontalPodAutoscaler in your manifests instead`,
    );
  if (strategy === 'blue-green')
    throw new UserError(
      `input '${input}' applies to strategies rolling and canary, not blue-green (whose Deployments are <name>-blue and <name>-green)`,
    );
  try {
    const recommended =
      report === undefined ? undefined : capacityRecommendation(fileOrInline('capacity-report', report).text);
    return parseAutoscale(text, recommended);
  } catch (error) {
    if (error instanceof CapacityReportError)
      throw new UserError(`input 'capacity-report': ${error.message}`);
    if (error instanceof AutoscaleError)
      throw new UserError(
        `input 'autoscale': ${error.message}; expected min,max,target-cpu such as 2,10,70%`,
      );
    throw error;
  }
}

/** The drill inputs: for `action: drill` (default fault pod-kill 50%), or `drill` during a deploy. */
function readDrill({ strategy, action }: StepMode): DrillSettings | undefined {
  const text = optionalInput('drill') ?? (action === 'drill' ? 'pod-kill 50%' : undefined);
  if (action === 'promote' || action === 'abort') {
    // A drill runs before the switch or promotion of the deploy step; here it would silently not run.
    if (text !== undefined)
      throw new UserError(
        `input 'drill' applies to action deploy (blue-green before the Service switch, canary before promotion) or action drill, not ${action}; give it to the deploy step`,
      );
    return undefined;
  }
  if (text === undefined) return undefined;
  if (action === 'deploy' && strategy === 'rolling')
    throw new UserError(
      `input 'drill' during a deploy applies to strategies blue-green (before the Service switch) and canary (before promotion), not rolling; or use action: drill`,
    );
  let fault: FaultSpec;
  try {
    fault = parseFault(text);
  } catch (error) {
    if (error instanceof DrillError) throw new UserError(`input 'drill': ${error.message}`);
    throw error;
  }
  const history = optionalInput('drill-history');
  return {
    fault,
    durationMs: durationInput('drill-duration', '30s'),
    recoveryMs: durationInput('drill-recovery', '60s', { positive: true }),
    settleMs: durationInput('drill-settle', '30s'),
    // Read and written back: a path inside the workspace or the runner temp folder.
    history: history === undefined ? undefined : writePathOf('drill-history', history),
    historySize: numberInput('drill-history-size', 5, { min: 1, integer: true }),
    margin: numberInput('drill-margin', 10, { min: 0, max: 100 }),
    regression: enumInput('drill-regression', ['warn', 'fail'] as const, 'warn'),
  };
}

export function leaseHolder(): string {
  const env = process.env;
  const run = env.GITHUB_RUN_ID
    ? `${env.GITHUB_REPOSITORY ?? ''} run ${env.GITHUB_RUN_ID}/${env.GITHUB_RUN_ATTEMPT ?? '1'} job ${env.GITHUB_JOB ?? ''}`
    : 'local';
  return `${run} (${os.hostname()} pid ${process.pid})`;
}

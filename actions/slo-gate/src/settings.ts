// Every input of slo-gate is read here, once, into one typed Settings object: the connection first (so the
// credentials are masked before anything else can print them), then the inputs of the mode.
import { existsSync, readFileSync } from 'node:fs';
import {
  booleanInput,
  durationInput,
  enumInput,
  fractionInput,
  httpUrlInput,
  invalid,
  keyValueInput,
  maskSecret,
  numberInput,
  optionalInput,
  parseDuration,
  readPathOf,
  requiredInput,
  secretInput,
  UserError,
} from '@gin-deploy/action';
import {
  parseQuantity,
  parseRedundancy,
  type CapacityPolicy,
  type CapacitySpec,
  type ReplicaRequests,
} from '@gin-deploy/capacity';
import {
  HeaderLineError,
  parsePrometheusHeaders,
  secretsOf,
  type PrometheusClientOptions,
} from '@gin-deploy/prometheus';
import {
  bothSides,
  BurnRateWindowsError,
  buildSlo,
  canaryAnalysisFrom,
  enforceStrict,
  errorRatioQueries,
  isSelector,
  latencyQueries,
  parseBurnRateWindows,
  parseCanaryAnalysis,
  parseSloFile,
  parseWindow,
  QueryTemplateError,
  renderTemplate,
  SloFieldError,
  type BurnRateWindow,
  type CanaryAnalysisSpec,
  type CanaryCheckSpec,
  type GatePolicy,
  type SloSpec,
  type Verdict,
} from '@gin-deploy/slo';

/** What every mode shares: where Prometheus is, when to evaluate, and what no data and errors mean. */
export interface CommonSettings {
  prometheus: PrometheusClientOptions;
  time: Date;
  onNoData: Verdict;
  onError: 'fail' | 'pass';
  /** Put in place of {{service}} in queries. */
  service?: string;
}

export type Settings = CommonSettings &
  (
    | { mode: 'gate'; gate: GateSettings }
    | { mode: 'canary'; canary: CanaryAnalysisSpec }
    | { mode: 'capacity'; capacity: CapacitySettings }
  );

export function readSettings(): Settings {
  const common = readCommonSettings();
  const mode = enumInput('mode', ['gate', 'canary', 'capacity'] as const, 'gate');
  if (mode === 'canary') return { ...common, mode, canary: readCanaryAnalysis() };
  if (mode === 'capacity') return { ...common, mode, capacity: readCapacitySettings() };
  return { ...common, mode, gate: readGateSettings() };
}

/** Connection settings first: the credentials are masked before anything else can print them. */
function readCommonSettings(): CommonSettings {
  const password = secretInput('password');
  const bearerToken = secretInput('bearer-token');
  const headers = readHeaders();
  const url = httpUrlInput(
    'prometheus-url',
    requiredInput('prometheus-url', 'the base URL of a Prometheus-compatible API'),
  );
  const username = optionalInput('username');
  const prometheus: PrometheusClientOptions = {
    url,
    username,
    password,
    bearerToken,
    headers,
    timeoutMs: durationInput('timeout', '30s', { positive: true }),
    attempts: 4,
  };
  for (const secret of secretsOf(prometheus)) maskSecret(secret);
  return {
    prometheus,
    time: readTime(),
    onNoData: enumInput('on-no-data', ['fail', 'warn', 'pass'] as const, 'fail'),
    onError: enumInput('on-error', ['fail', 'pass'] as const, 'fail'),
    service: optionalInput('service'),
  };
}

/** `Name: value` lines (`Name=value` too); every value is masked, and an error names the line, never a value. */
function readHeaders(): Record<string, string> {
  const text = optionalInput('headers');
  if (text === undefined) return {};
  let headers: Record<string, string>;
  try {
    headers = parsePrometheusHeaders(text);
  } catch (error) {
    if (!(error instanceof HeaderLineError)) throw error;
    throw new UserError(
      `input 'headers': ${error.message}; expected Name: value lines such as X-Scope-OrgID: tenant-1 (Name=value is read too)`,
    );
  }
  for (const value of Object.values(headers)) maskSecret(value);
  return headers;
}

function readTime(): Date {
  const text = optionalInput('query-time');
  if (text === undefined) return new Date();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const time = new Date(text);
  if (!rfc3339.test(text) || Number.isNaN(time.getTime())) {
    throw new UserError(
      `input 'query-time': '${text}' is not valid; expected an RFC 3339 time such as 2026-01-31T12:00:00Z`,
    );
  }
  return time;
}

export interface GateSettings {
  slos: SloSpec[];
  policy: GatePolicy;
  /** The `burn-rate-windows` input; without it each SLO's pairs follow from its period and alerting. */
  windows?: BurnRateWindow[];
  scoring: 'worst' | 'weighted';
  passScore: number;
  warnScore: number;
}

function readGateSettings(): GateSettings {
  const minBudgetRemaining = fractionInput('min-budget-remaining', 0) ?? 0;
  const warnBudgetRemaining = fractionInput('warn-budget-remaining');
  const maxBurnRate =
    optionalInput('max-burn-rate') === undefined
      ? undefined
      : numberInput('max-burn-rate', undefined, { min: 0 });
  const passScore = numberInput('pass-score', 90, { min: 0, max: 100 });
  const warnScore = numberInput('warn-score', 75, { min: 0, max: 100 });
  if (warnScore > passScore) {
    throw new UserError(
      `input 'warn-score': ${warnScore} is above pass-score ${passScore}; expected at most ${passScore}`,
    );
  }
  const windows = optionalInput('burn-rate-windows');
  return {
    slos: readSlos(),
    policy: { minBudgetRemaining, warnBudgetRemaining, maxBurnRate },
    windows: windows === undefined ? undefined : readBurnRateWindows(windows),
    scoring: enumInput('scoring', ['worst', 'weighted'] as const, 'worst'),
    passScore,
    warnScore,
  };
}

/** Runs `build`, saying a QueryTemplateError at the input whose text it names. */
function atInput<T>(inputs: Record<string, string>, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof QueryTemplateError)) throw error;
    const names = Object.keys(inputs);
    const name = names.find((key) => inputs[key] === error.query) ?? names[0];
    throw new UserError(`input '${name}': ${error.message}`);
  }
}

function readBurnRateWindows(text: string): BurnRateWindow[] {
  try {
    return parseBurnRateWindows(text);
  } catch (error) {
    if (error instanceof BurnRateWindowsError)
      throw new UserError(`input 'burn-rate-windows': ${error.message}`);
    throw error;
  }
}

/** A path from an input, relative to the workspace, that must be a readable file. */
function readInputFile(input: string, file: string): { path: string; text: string } {
  const full = readPathOf(input, file);
  if (!existsSync(full))
    throw new UserError(`input '${input}': file '${file}' does not exist (looked at ${full})`);
  return { path: file, text: readFileSync(full, 'utf8') };
}

/** The SLOs to judge: from the `slos` file (its periods overridden by `window` when given), or the inline SLO. */
function readSlos(): SloSpec[] {
  const file = optionalInput('slos');
  const window = optionalInput('window');
  const service = optionalInput('service');
  const strict = booleanInput('strict', false);
  const inline = {
    objective: optionalInput('objective'),
    total: optionalInput('total-query'),
    good: optionalInput('good-query'),
    errors: optionalInput('error-query'),
    latency: optionalInput('latency-query'),
    threshold: optionalInput('threshold'),
  };
  const names: Record<string, string> = {
    objective: 'objective',
    window: 'window',
    total: 'total-query',
    good: 'good-query',
    errors: 'error-query',
    latency: 'latency-query',
    threshold: 'threshold',
  };
  const input = (field: string) => `input '${names[field] ?? field}'`;
  if (file !== undefined) {
    const given = Object.entries(inline).filter(([, value]) => value !== undefined);
    if (given.length > 0) {
      throw new UserError(
        `input 'slos': a file replaces the inline SLO inputs; drop ${given.map(([key]) => names[key]).join(', ')} or the file`,
      );
    }
    // Checked here, so that a bad override names the input rather than a field of the file it replaces.
    if (window !== undefined) {
      try {
        parseWindow(window);
      } catch (error) {
        if (error instanceof SloFieldError) throw new UserError(error.at(input('window')));
        throw error;
      }
    }
    const { path: shown, text } = readInputFile('slos', file);
    return enforceStrict(parseSloFile(text, shown, { window, service }), strict);
  }
  if (inline.objective === undefined) {
    throw new UserError(
      "input 'objective' is required without an 'slos' file; expected a percentage such as 99.9",
    );
  }
  try {
    const slo = buildSlo(
      { ...inline, window, service, name: optionalInput('name') ?? 'slo' },
      'inputs',
      input,
    );
    return enforceStrict([slo], strict);
  } catch (error) {
    if (error instanceof SloFieldError) throw new UserError(error.at(input(error.field)));
    throw error;
  }
}

/** The analysis from the `analysis` file and/or the inline inputs; inputs given override the file. */
function readCanaryAnalysis(): CanaryAnalysisSpec {
  const file = optionalInput('analysis');
  const overrides: Partial<CanaryAnalysisSpec> = {};
  const canarySelector = optionalInput('canary-selector');
  const baselineSelector = optionalInput('baseline-selector');
  if (canarySelector !== undefined) overrides.canarySelector = canarySelector;
  if (baselineSelector !== undefined) overrides.baselineSelector = baselineSelector;
  if (optionalInput('analysis-interval') !== undefined)
    overrides.intervalMs = durationInput('analysis-interval', undefined, { positive: true });
  if (optionalInput('min-samples') !== undefined)
    overrides.minSamples = numberInput('min-samples', undefined, { min: 0 });
  const tolerance = fractionInput('tolerance');
  if (tolerance !== undefined) {
    if (tolerance < 0)
      throw new UserError(
        `input 'tolerance': '${optionalInput('tolerance')}' is not valid; expected 0% or more`,
      );
    overrides.tolerance = tolerance;
  }
  const checks = inlineChecks(tolerance ?? 0.1);
  if (file !== undefined) {
    const { path: shown, text } = readInputFile('analysis', file);
    const spec = parseCanaryAnalysis(text, shown);
    return { ...spec, ...overrides, checks: [...spec.checks, ...checks] };
  }
  if (checks.length === 0) {
    throw new UserError(
      "canary mode needs checks: input 'analysis' (a file), 'error-query' with 'total-query', 'latency-query', or 'canary-queries' with 'baseline-queries'",
    );
  }
  return canaryAnalysisFrom({ ...overrides, checks });
}

function inlineChecks(tolerance: number): CanaryCheckSpec[] {
  const common = { direction: 'lower' as const, tolerance, absoluteTolerance: 0 };
  const checks: CanaryCheckSpec[] = [];
  const errors = optionalInput('error-query');
  const total = optionalInput('total-query');
  if ((errors === undefined) !== (total === undefined)) {
    throw new UserError(
      "canary mode: input 'error-query' and input 'total-query' go together; give both or neither",
    );
  }
  if (errors !== undefined && total !== undefined) {
    const queries = atInput({ 'error-query': errors, 'total-query': total }, () =>
      errorRatioQueries(errors, total),
    );
    checks.push({ name: 'error-ratio', ...common, ...bothSides(queries), ratio: true });
  }
  const latency = optionalInput('latency-query');
  if (latency !== undefined) {
    checks.push({
      name: 'latency-p99',
      ...common,
      ...bothSides(atInput({ 'latency-query': latency }, () => latencyQueries(latency, 0.99))),
    });
  }
  const canary = keyValueInput('canary-queries');
  const baseline = keyValueInput('baseline-queries');
  const names = [...new Set([...Object.keys(canary), ...Object.keys(baseline)])];
  for (const name of names) {
    if (canary[name] === undefined || baseline[name] === undefined) {
      throw new UserError(
        `input '${canary[name] === undefined ? 'canary-queries' : 'baseline-queries'}': no query named '${name}'; expected the same names in canary-queries and baseline-queries`,
      );
    }
    checks.push({ name, ...common, canaryQuery: canary[name], baselineQuery: baseline[name] });
  }
  return checks;
}

export interface CapacitySettings {
  spec: CapacitySpec;
  policy: Omit<CapacityPolicy, 'now' | 'onNoData'>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The inputs of `mode: capacity`, checked before any query. */
function readCapacitySettings(): CapacitySettings {
  const service = optionalInput('service');
  const selector = (name: string, text: string, example: string): string => {
    const rendered = atInput({ [name]: text }, () => renderTemplate(text, { service: service ?? '' }));
    if (!isSelector(rendered)) throw invalid(name, text, `a series selector such as ${example}`);
    return rendered;
  };
  const requestsExample = 'http_requests_total{job="api"}';
  const requests = selector(
    'request-query',
    requiredInput('request-query', `in capacity mode, a series selector such as ${requestsExample}`),
    requestsExample,
  );
  const histogramExample = 'http_request_duration_seconds_bucket{job="api"}';
  const histogram = selector(
    'latency-query',
    requiredInput('latency-query', `in capacity mode, a series selector such as ${histogramExample}`),
    histogramExample,
  );
  const thresholdText = requiredInput('threshold', 'in capacity mode, the latency threshold such as 300ms');
  const thresholdMs = parseDuration(thresholdText);
  if (thresholdMs === undefined || thresholdMs <= 0)
    throw invalid('threshold', thresholdText, 'a duration such as 300ms or 1s');
  const objectivePercent = numberInput('objective', undefined, { min: 0, max: 100 });
  if (objectivePercent <= 0 || objectivePercent >= 100)
    throw invalid('objective', String(objectivePercent), 'a percentage greater than 0 and less than 100');
  const lookbackMs = durationInput('lookback', '28d');
  const horizonMs = durationInput('horizon', '7d');
  for (const [name, ms] of [
    ['lookback', lookbackMs],
    ['horizon', horizonMs],
  ] as const) {
    if (ms < 86_400_000 || ms % 86_400_000 !== 0)
      throw invalid(name, optionalInput(name) ?? '', 'whole days of at least 1d, such as 28d or 7d');
  }
  const redundancyText = optionalInput('redundancy') ?? 'N+1';
  const redundancy = parseRedundancy(redundancyText);
  if (redundancy === undefined)
    throw invalid('redundancy', redundancyText, 'N+0, N+1, N+2 or a whole number');
  const headroom = fractionInput('headroom', 0.2) as number;
  if (headroom < 0) throw invalid('headroom', optionalInput('headroom') ?? '', 'a percentage of 0% or more');
  const perReplica =
    optionalInput('replica-capacity') === undefined
      ? undefined
      : numberInput('replica-capacity', undefined, { min: Number.MIN_VALUE });
  const maxReplicas =
    optionalInput('max-replicas') === undefined
      ? undefined
      : numberInput('max-replicas', undefined, { min: 1, integer: true });
  const minHistoryMs = durationInput('min-history', '7d');
  const target = readTarget();
  if (maxReplicas === undefined && target === undefined) {
    throw new UserError(
      "capacity mode needs input 'max-replicas' or input 'deployment' (whose HPA's maxReplicas is read from kube-state-metrics)",
    );
  }
  return {
    spec: {
      requests,
      latency: { histogram, thresholdSeconds: thresholdMs / 1000, objective: objectivePercent / 100 },
      lookbackMs,
      horizonMs,
      minHistoryMs,
      target,
    },
    policy: {
      lookbackS: lookbackMs / 1000,
      horizonS: horizonMs / 1000,
      minHistoryS: minHistoryMs / 1000,
      multiplier: numberInput('event-multiplier', 1, { min: Number.MIN_VALUE }),
      headroom,
      redundancy,
      declared: { perReplica, maxReplicas, requests: readRequests() },
    },
  };
}

function readTarget(): CapacitySpec['target'] {
  const deployment = optionalInput('deployment');
  if (deployment === undefined) return undefined;
  const namespace = optionalInput('namespace') ?? 'default';
  const hpa = optionalInput('hpa') ?? deployment;
  for (const [name, value] of [
    ['deployment', deployment],
    ['namespace', namespace],
    ['hpa', hpa],
  ] as const) {
    if (!DNS_LABEL.test(value))
      throw invalid(name, value, 'a Kubernetes name: lowercase letters, digits and -');
  }
  return { namespace, deployment, hpa };
}

/** `cpu=250m,memory=256Mi`: one replica's requests, instead of reading them from kube-state-metrics. */
function readRequests(): ReplicaRequests | undefined {
  const text = optionalInput('requests');
  if (text === undefined) return undefined;
  const values: Record<string, number> = {};
  for (const item of text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [key, quantity = ''] = item.split('=', 2).map((part) => part.trim());
    const value = parseQuantity(quantity);
    if ((key !== 'cpu' && key !== 'memory') || value === undefined)
      throw invalid('requests', text, 'cpu and memory quantities such as cpu=250m,memory=256Mi');
    values[key] = value;
  }
  if (values.cpu === undefined || values.memory === undefined)
    throw invalid('requests', text, 'both cpu and memory, such as cpu=250m,memory=256Mi');
  return { cpuCores: values.cpu, memoryBytes: values.memory };
}

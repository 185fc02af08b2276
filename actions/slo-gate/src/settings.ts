import { existsSync, readFileSync } from 'node:fs';
import {
  booleanInput,
  durationInput,
  enumInput,
  fractionInput,
  keyValueInput,
  maskSecret,
  numberInput,
  optionalInput,
  readPathOf,
  requiredInput,
  secretInput,
  UserError,
} from '@gin-deploy/action';
import { secretsOf, type PrometheusClientOptions } from '@gin-deploy/prometheus';
import {
  bothSides,
  buildSlo,
  canaryAnalysisFrom,
  enforceStrict,
  errorRatioQueries,
  latencyQueries,
  parseBurnRateWindows,
  parseCanaryAnalysis,
  parseSloFile,
  type BurnRateWindow,
  type CanaryAnalysisSpec,
  type CanaryCheckSpec,
  type GatePolicy,
  type SloSpec,
  type Verdict,
} from '@gin-deploy/slo';

export interface Settings {
  mode: 'gate' | 'canary' | 'capacity';
  prometheus: PrometheusClientOptions;
  time: Date;
  onNoData: Verdict;
  onError: 'fail' | 'pass';
  /** Put in place of {{service}} in queries. */
  service?: string;
}

/** Connection settings first: the credentials are masked before anything else can print them. */
export function readSettings(): Settings {
  const password = secretInput('password');
  const bearerToken = secretInput('bearer-token');
  const headers = keyValueInput('headers');
  for (const value of Object.values(headers)) maskSecret(value);
  const url = requiredInput('prometheus-url', 'the base URL of a Prometheus-compatible API');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`input 'prometheus-url': '${url}' is not valid; expected an http:// or https:// URL`);
  }
  maskSecret(parsed.password);
  try {
    maskSecret(decodeURIComponent(parsed.password));
  } catch {
    // Not percent-encoded: masked as written above.
  }
  const username = optionalInput('username');
  const prometheus: PrometheusClientOptions = {
    url,
    username,
    password,
    bearerToken,
    headers,
    timeoutMs: durationInput('timeout', '30s'),
    attempts: 4,
  };
  for (const secret of secretsOf(prometheus)) maskSecret(secret);
  return {
    mode: enumInput('mode', ['gate', 'canary', 'capacity'] as const, 'gate'),
    prometheus,
    time: readTime(),
    onNoData: enumInput('on-no-data', ['fail', 'warn', 'pass'] as const, 'fail'),
    onError: enumInput('on-error', ['fail', 'pass'] as const, 'fail'),
    service: optionalInput('service'),
  };
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

export function readGateSettings(): GateSettings {
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
    windows: windows === undefined ? undefined : parseBurnRateWindows(windows, "input 'burn-rate-windows'"),
    scoring: enumInput('scoring', ['worst', 'weighted'] as const, 'worst'),
    passScore,
    warnScore,
  };
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
  if (file !== undefined) {
    const given = Object.entries(inline).filter(([, value]) => value !== undefined);
    if (given.length > 0) {
      throw new UserError(
        `input 'slos': a file replaces the inline SLO inputs; drop ${given.map(([key]) => key).join(', ')} or the file`,
      );
    }
    const { path: shown, text } = readInputFile('slos', file);
    return enforceStrict(parseSloFile(text, shown, { window, service }), strict);
  }
  const names: Record<string, string> = {
    objective: 'objective',
    window: 'window',
    total: 'total-query',
    good: 'good-query',
    errors: 'error-query',
    latency: 'latency-query',
    threshold: 'threshold',
  };
  if (inline.objective === undefined) {
    throw new UserError(
      "input 'objective' is required without an 'slos' file; expected a percentage such as 99.9",
    );
  }
  return enforceStrict(
    [
      buildSlo(
        { ...inline, window, service, name: optionalInput('name') ?? 'slo' },
        (field) => `input '${names[field] ?? field}'`,
        'inputs',
      ),
    ],
    strict,
  );
}

/** The analysis from the `analysis` file and/or the inline inputs; inputs given override the file. */
export function readCanaryAnalysis(): CanaryAnalysisSpec {
  const file = optionalInput('analysis');
  const overrides: Partial<CanaryAnalysisSpec> = {};
  const canarySelector = optionalInput('canary-selector');
  const baselineSelector = optionalInput('baseline-selector');
  if (canarySelector !== undefined) overrides.canarySelector = canarySelector;
  if (baselineSelector !== undefined) overrides.baselineSelector = baselineSelector;
  if (optionalInput('analysis-interval') !== undefined)
    overrides.intervalMs = durationInput('analysis-interval');
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
    const queries = errorRatioQueries(errors, total, "input 'error-query'/'total-query'");
    checks.push({ name: 'error-ratio', ...common, ...bothSides(queries) });
  }
  const latency = optionalInput('latency-query');
  if (latency !== undefined) {
    checks.push({
      name: 'latency-p99',
      ...common,
      ...bothSides(latencyQueries(latency, 0.99, "input 'latency-query'")),
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

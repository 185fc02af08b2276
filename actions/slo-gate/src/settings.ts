import {
  durationInput,
  enumInput,
  fractionInput,
  keyValueInput,
  maskSecret,
  numberInput,
  optionalInput,
  requiredInput,
  secretInput,
  UserError,
} from '@gin-deploy/action';
import { secretsOf, type PrometheusClientOptions } from '@gin-deploy/prometheus';
import {
  DEFAULT_BURN_RATE_WINDOWS,
  parseBurnRateWindows,
  type BurnRateWindow,
  type GatePolicy,
  type Verdict,
} from '@gin-deploy/slo';

export interface Settings {
  mode: 'gate' | 'canary' | 'capacity';
  prometheus: PrometheusClientOptions;
  time: Date;
  onNoData: Verdict;
  onError: 'fail' | 'pass';
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
  policy: GatePolicy;
  windows: BurnRateWindow[];
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
  return {
    policy: { minBudgetRemaining, warnBudgetRemaining, maxBurnRate },
    windows: parseBurnRateWindows(
      optionalInput('burn-rate-windows') ?? DEFAULT_BURN_RATE_WINDOWS,
      "input 'burn-rate-windows'",
    ),
    scoring: enumInput('scoring', ['worst', 'weighted'] as const, 'worst'),
    passScore,
    warnScore,
  };
}

import { parseDuration } from '@gin-deploy/action';
import { DrillError } from './errors.js';

export type FaultKind = 'pod-kill' | 'pod-failure' | 'network-delay' | 'cpu-stress' | 'memory-stress';

export const FAULT_KINDS: readonly FaultKind[] = [
  'pod-kill',
  'pod-failure',
  'network-delay',
  'cpu-stress',
  'memory-stress',
];

/** How many of the app's pods a fault hits: a count, or a percentage as Chaos Mesh's `fixed-percent` mode. */
export type PodShare = { count: number } | { percent: number };

/**
 * One fault, as written in the `drill` input: the kind, then the share of pods, then `key=value` fields named
 * as in Chaos Mesh's API (`latency`, `jitter`, `correlation` of NetworkChaos `delay`; `workers`, `load` of
 * StressChaos `stressors.cpu`; `workers`, `size` of `stressors.memory`) plus `every` for repeated pod-kill:
 *
 *   pod-kill 50%                 pod-kill 1 every=10s
 *   network-delay 100% latency=200ms jitter=20ms
 *   cpu-stress 1 workers=2 load=80        memory-stress 1 size=256MB
 */
export interface FaultSpec {
  kind: FaultKind;
  text: string;
  pods: PodShare;
  /** pod-kill only: kill again every this many ms while the fault lasts. */
  everyMs?: number;
  /** Fields of the Chaos Mesh experiment, as strings or numbers of its API. */
  fields: Record<string, string | number>;
}

const FIELDS: Record<FaultKind, Record<string, 'duration' | 'count' | 'percent' | 'size'>> = {
  'pod-kill': { every: 'duration' },
  'pod-failure': {},
  'network-delay': { latency: 'duration', jitter: 'duration', correlation: 'percent' },
  'cpu-stress': { workers: 'count', load: 'percent' },
  'memory-stress': { workers: 'count', size: 'size' },
};

const DEFAULTS: Record<FaultKind, Record<string, string | number>> = {
  'pod-kill': {},
  'pod-failure': {},
  'network-delay': { latency: '100ms', jitter: '0ms', correlation: '0' },
  'cpu-stress': { workers: 1, load: 100 },
  'memory-stress': { workers: 1, size: '256MB' },
};

const FORMAT =
  "'<kind> [<pods: N or N%>] [key=value…]', kind one of pod-kill, pod-failure, network-delay, cpu-stress, memory-stress (e.g. pod-kill 50%, pod-kill 1 every=10s, network-delay 100% latency=200ms)";

/** Parses one fault; a DrillError names the part that is wrong and the format. */
export function parseFault(text: string): FaultSpec {
  const [kind, ...rest] = text.trim().split(/\s+/);
  if (!FAULT_KINDS.includes(kind as FaultKind))
    throw new DrillError(`'${text}' is not a fault; expected ${FORMAT}`);
  const fault: FaultSpec = {
    kind: kind as FaultKind,
    text: text.trim().replace(/\s+/g, ' '),
    pods: { percent: 100 },
    fields: { ...DEFAULTS[kind as FaultKind] },
  };
  for (const [index, token] of rest.entries()) {
    const share = /^(\d+)(%?)$/.exec(token);
    if (index === 0 && share) {
      const value = Number(share[1]);
      if (value < 1 || (share[2] && value > 100))
        throw new DrillError(`'${text}': pods '${token}' must be at least 1 (or 1% to 100%)`);
      fault.pods = share[2] ? { percent: value } : { count: value };
      continue;
    }
    const pair = /^([a-z]+)=(\S+)$/.exec(token);
    const type = pair && FIELDS[fault.kind][pair[1]];
    if (!pair || !type) {
      const known = Object.keys(FIELDS[fault.kind]);
      throw new DrillError(
        `'${text}': '${token}' is not understood; ${fault.kind} takes the pods (N or N%) first${known.length ? ` and ${known.map((k) => `${k}=`).join(', ')}` : ''}`,
      );
    }
    fault.fields[pair[1]] = checkField(text, pair[1], pair[2], type);
  }
  if (fault.fields.every !== undefined) {
    fault.everyMs = parseDuration(String(fault.fields.every));
    delete fault.fields.every;
  }
  return fault;
}

function checkField(text: string, key: string, value: string, type: string): string | number {
  const fail = (expected: string) => new DrillError(`'${text}': ${key}=${value} is not ${expected}`);
  if (type === 'duration') {
    const ms = parseDuration(value);
    if (ms === undefined || (key === 'every' && ms < 1000)) throw fail('a duration such as 200ms or 10s');
    return value;
  }
  if (type === 'count') {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw fail('a whole number of at least 1');
    return Number(value);
  }
  if (type === 'percent') {
    if (!/^\d+$/.test(value) || Number(value) > 100) throw fail('a whole percentage from 0 to 100');
    return key === 'correlation' ? value : Number(value);
  }
  // Chaos Mesh's memory stressor takes stress-ng sizes: a number with B, KB, MB, GB (or a percentage).
  if (!/^\d+(B|KB|MB|GB|%)$/i.test(value)) throw fail('a size such as 256MB or 50%');
  return value;
}

/** True for the faults only Chaos Mesh's controller can cause; pod-kill and pod-failure need only the API. */
export function needsChaosMesh(fault: FaultSpec): boolean {
  return fault.kind !== 'pod-kill' && fault.kind !== 'pod-failure';
}

/**
 * How many of `total` pods a share hits: a count (at most all of them), or a percentage rounded down as
 * Chaos Mesh's fixed-percent mode does, but never zero pods when there is any.
 */
export function podsToHit(share: PodShare, total: number): number {
  if (total <= 0) return 0;
  if ('count' in share) return Math.min(share.count, total);
  return Math.max(1, Math.floor((total * share.percent) / 100));
}

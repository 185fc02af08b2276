import type { SpecNode } from './spec-reader.js';
import { buildSloAt } from './slo-fields.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

const ROOT_FIELDS = ['window', 'service', 'slos'] as const;
const SLO_FIELDS = [
  'name',
  'objective',
  'window',
  'total',
  'good',
  'errors',
  'latency',
  'threshold',
  'key',
  'weight',
  'service',
] as const;

/**
 * Our format: `window`, `service` and `slos: [{name, objective (a percentage), window, total, good | errors,
 * latency + threshold, key, weight, service}]`; the period is 28d unless written.
 */
export function parseOwnFormat(root: SpecNode, options: SloFileOptions): SloSpec[] {
  root.only(ROOT_FIELDS);
  const window = options.window ?? root.child('window').optionalString('a duration such as 28d');
  const service = root.child('service').optionalString('a service name') ?? options.service;
  const items = root.child('slos').list('a list of SLOs');
  if (items.length === 0) throw root.child('slos').fail('at least one SLO');
  return items.map((item, index) => {
    item.record('an SLO mapping with name, objective, total and good or errors (or latency and threshold)');
    item.only(SLO_FIELDS);
    const text = (field: string) => {
      const node = item.child(field);
      if (!node.present) return undefined;
      if (typeof node.value === 'number') return String(node.value);
      return node.string(field === 'objective' ? 'a percentage such as 99.9' : 'a string');
    };
    return buildSloAt(
      {
        name: item.child('name').optionalString('an SLO name') ?? `slo-${index + 1}`,
        objective: text('objective'),
        window: options.window ?? text('window') ?? window,
        total: text('total'),
        good: text('good'),
        errors: text('errors'),
        latency: text('latency'),
        threshold: text('threshold'),
        key: item.child('key').optionalBoolean(),
        weight: item.child('weight').optionalNumber('a number above 0'),
        service: text('service') ?? service,
      },
      (field) => `${item.source}: at '${item.child(field).path}'`,
      `${root.source}: ${item.path}`,
    );
  });
}

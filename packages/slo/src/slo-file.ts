import { UserError } from '@gin-deploy/action';
import { parseAllDocuments } from 'yaml';
import type { Alerting } from './burn-rate.js';
import { SpecNode } from './spec-reader.js';
import {
  checkObjectiveFraction,
  parseObjectivePercent,
  parseThresholdSeconds,
  parseWindow,
  type SloSpec,
} from './slo-spec.js';

/** The fields of one SLO as written, before checking; `where(field)` names a field in errors. */
export interface SloFields {
  name: string;
  objective?: string;
  window?: string;
  total?: string;
  good?: string;
  errors?: string;
  latency?: string;
  threshold?: string;
  key?: boolean;
  weight?: number;
  service?: string;
  alerting?: Alerting;
}

export interface SloFileOptions {
  /** Overrides the period every SLO in the file sets (the `window` input). */
  window?: string;
  /** The service when the file names none. */
  service?: string;
}

/** The period of our format and of inline SLOs when none is written. */
export const DEFAULT_WINDOW = '28d';

/** Checks the fields of one SLO (from inputs or our file format) and builds it. */
export function buildSlo(fields: SloFields, where: (field: string) => string, source: string): SloSpec {
  if (fields.objective === undefined)
    throw new UserError(`${where('objective')} is required; expected a percentage such as 99.9`);
  const objective = parseObjectivePercent(fields.objective, where('objective'));
  const windowMs = parseWindow(fields.window ?? DEFAULT_WINDOW, where('window'));
  const weight = fields.weight ?? 1;
  if (!(weight > 0))
    throw new UserError(`${where('weight')}: '${weight}' is not valid; expected a number above 0`);
  const common = {
    name: fields.name,
    objective,
    windowMs,
    key: fields.key ?? false,
    alerting: fields.alerting ?? { page: true, ticket: true },
    weight,
    service: fields.service,
    source,
  };
  if (fields.latency !== undefined) {
    if (fields.total !== undefined || fields.good !== undefined || fields.errors !== undefined) {
      throw new UserError(`${where('latency')}: a latency SLO takes no total, good or error query`);
    }
    if (fields.threshold === undefined) {
      throw new UserError(
        `${where('threshold')} is required with a latency query; expected a latency such as 300ms`,
      );
    }
    return {
      ...common,
      sli: {
        kind: 'latency',
        histogram: fields.latency,
        thresholdSeconds: parseThresholdSeconds(fields.threshold, where('threshold')),
      },
    };
  }
  if (fields.total === undefined) {
    throw new UserError(
      `${where('total')} is required; expected counter PromQL, with a good or an error query (or a latency query)`,
    );
  }
  if ((fields.good === undefined) === (fields.errors === undefined)) {
    throw new UserError(
      `${where('good')}: expected exactly one of a good query and an error query beside the total query`,
    );
  }
  return { ...common, sli: { kind: 'ratio', total: fields.total, good: fields.good, errors: fields.errors } };
}

const FORMATS =
  'our format (slos: [{name, objective, window, total, good|errors}]), OpenSLO v1 (apiVersion: openslo/v1, kind: SLO) or sloth (version: prometheus/v1)';

/** Reads an SLO file in our format, OpenSLO v1 (one or more documents) or sloth's prometheus/v1. */
export function parseSloFile(text: string, file: string, defaults: SloFileOptions = {}): SloSpec[] {
  let documents: unknown[];
  try {
    const parsed = parseAllDocuments(text);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const document of list) if (document.errors.length > 0) throw document.errors[0];
    documents = list
      .map((document) => document.toJS())
      .filter((document) => document !== null && document !== undefined);
  } catch (error) {
    throw new UserError(
      `${file}: not valid YAML (${(error as Error).message.split('\n')[0]}); expected ${FORMATS}`,
    );
  }
  const first = new SpecNode(documents[0], file, '');
  if (
    documents.length > 0 &&
    documents.every((document) =>
      String(new SpecNode(document, file, '').child('apiVersion').value).startsWith('openslo/'),
    )
  ) {
    return parseOpenSlo(documents, file, defaults);
  }
  if (documents.length === 1 && first.child('version').value === 'prometheus/v1')
    return parseSloth(first, defaults);
  if (
    documents.length === 1 &&
    first.isRecord() &&
    first.child('slos').present &&
    !first.child('version').present
  ) {
    return parseOwn(first, defaults);
  }
  throw new UserError(`${file}: not an SLO file in any known format; expected ${FORMATS}`);
}

function fieldNamer(node: SpecNode): (field: string) => string {
  return (field) => `${node.source}: at '${node.child(field).path}'`;
}

function parseOwn(root: SpecNode, defaults: SloFileOptions): SloSpec[] {
  const window = defaults.window ?? root.child('window').optionalString('a duration such as 28d');
  const service = root.child('service').optionalString('a service name') ?? defaults.service;
  const items = root.child('slos').list('a list of SLOs');
  if (items.length === 0) throw root.child('slos').fail('at least one SLO');
  return items.map((item, index) => {
    item.record('an SLO mapping with name, objective, total and good or errors (or latency and threshold)');
    const text = (field: string) => {
      const node = item.child(field);
      if (!node.present) return undefined;
      if (typeof node.value === 'number') return String(node.value);
      return node.string(field === 'objective' ? 'a percentage such as 99.9' : 'a string');
    };
    return buildSlo(
      {
        name: item.child('name').optionalString('an SLO name') ?? `slo-${index + 1}`,
        objective: text('objective'),
        window: defaults.window ?? text('window') ?? window,
        total: text('total'),
        good: text('good'),
        errors: text('errors'),
        latency: text('latency'),
        threshold: text('threshold'),
        key: item.child('key').optionalBoolean(),
        weight: item.child('weight').optionalNumber('a number above 0'),
        service: text('service') ?? service,
      },
      fieldNamer(item),
      `${root.source}: ${item.path}`,
    );
  });
}

function parseSloth(root: SpecNode, defaults: SloFileOptions): SloSpec[] {
  const service = root.child('service').string('the service name');
  const items = root.child('slos').list('a list of SLOs');
  return items.map((item) => {
    item.record('a sloth SLO mapping');
    const name = item.child('name').string('an SLO name');
    const objectiveNode = item.child('objective');
    if (typeof objectiveNode.value !== 'number' && typeof objectiveNode.value !== 'string') {
      throw objectiveNode.fail('a percentage such as 99.9');
    }
    const events = item.child('sli').record('an sli mapping with events').child('events');
    events.record('events with errorQuery and totalQuery (raw and plugin SLIs are not supported)');
    return buildSlo(
      {
        name,
        objective: String(objectiveNode.value),
        // sloth's period is a generate flag (--default-slo-period), 30d unless given.
        window: defaults.window ?? '30d',
        alerting: {
          page: item.child('alerting').child('page_alert').child('disable').optionalBoolean() !== true,
          ticket: item.child('alerting').child('ticket_alert').child('disable').optionalBoolean() !== true,
        },
        errors: events.child('errorQuery').string('an error query using {{.window}}'),
        total: events.child('totalQuery').string('a total query using {{.window}}'),
        service,
      },
      (field) =>
        `${root.source}: at '${field === 'objective' ? objectiveNode.path : field === 'window' ? 'window input' : events.path}'`,
      `${root.source}: ${item.path}`,
    );
  });
}

function parseOpenSlo(documents: unknown[], file: string, defaults: SloFileOptions): SloSpec[] {
  const nodes = documents.map(
    (document, index) => new SpecNode(document, file, documents.length > 1 ? `[${index}]` : ''),
  );
  const named = (node: SpecNode) => node.child('metadata').child('name').optionalString('a name');
  const slis = new Map(
    nodes.filter((node) => node.child('kind').value === 'SLI').map((node) => [named(node), node]),
  );
  const slos = nodes.filter((node) => node.child('kind').value === 'SLO');
  if (slos.length === 0) throw nodes[0].child('kind').fail("'SLO' in at least one document");
  return slos.flatMap((node) => {
    const name = node.child('metadata').child('name').string('the SLO name');
    const spec = node.child('spec').record('the SLO spec');
    let indicator = spec.child('indicator');
    if (!indicator.present) {
      const ref = spec
        .child('indicatorRef')
        .string('an indicator or an indicatorRef naming an SLI in the same file');
      const found = slis.get(ref);
      if (!found) throw spec.child('indicatorRef').fail(`the name of an SLI document in ${file}`);
      indicator = found;
    }
    const ratio = indicator
      .child('spec')
      .child('ratioMetric')
      .record('a ratioMetric with good or bad, and total');
    const query = (part: string) => {
      const source = ratio.child(part);
      if (!source.present) return undefined;
      const spec = source.child('metricSource').record('a metricSource').child('spec');
      return (
        spec.child('query').optionalString('a PromQL query') ?? spec.child('promql').string('a PromQL query')
      );
    };
    const windows = spec.child('timeWindow').present
      ? spec.child('timeWindow').list('a list with one time window')
      : [];
    const window = defaults.window ?? windows[0]?.child('duration').string('a duration such as 28d');
    const objectives = spec.child('objectives').list('a list of objectives with target or targetPercent');
    if (objectives.length === 0) throw spec.child('objectives').fail('at least one objective');
    return objectives.map((objectiveNode, index) => {
      const percent = objectiveNode.child('targetPercent').optionalNumber('a percentage such as 99.9');
      const fraction = objectiveNode.child('target').optionalNumber('a fraction such as 0.999');
      if (percent === undefined && fraction === undefined)
        throw objectiveNode.fail('target or targetPercent');
      const where = (field: string) =>
        `${file}: at '${field === 'objective' ? objectiveNode.child(percent !== undefined ? 'targetPercent' : 'target').path : field === 'window' ? `${spec.path}.timeWindow` : ratio.path}'`;
      const objective =
        percent !== undefined
          ? String(percent)
          : String(checkObjectiveFraction(fraction as number, where('objective')) * 100);
      const label = objectiveNode.child('displayName').optionalString('a name');
      return buildSlo(
        {
          name: objectives.length > 1 ? `${name}/${label ?? index + 1}` : name,
          objective: String(Number(Number(objective).toPrecision(12))),
          window,
          total: query('total'),
          good: query('good'),
          errors: query('bad'),
          service: spec.child('service').optionalString('a service name') ?? defaults.service,
        },
        where,
        `${file}: ${node.path || 'SLO'} ${name}`,
      );
    });
  });
}

import { UserError } from '@gin-deploy/action';
import type { SpecNode } from './spec-reader.js';
import {
  budgetingOf,
  objectivePercent,
  objectiveSlo,
  objectivesOf,
  periodOf,
  shorthandMs,
  shorthandOf,
  thresholdOf,
  timeWindowOf,
  type OpenSloPeriod,
} from './format-openslo.js';
import type { SloFields } from './slo-fields.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

const SLO_SPEC_FIELDS = [
  'description',
  'service',
  'indicator',
  'indicatorRef',
  'budgetingMethod',
  'timeWindow',
  'objectives',
  'alertPolicies',
];
const OBJECTIVE_FIELDS = [
  'displayName',
  'op',
  'value',
  'target',
  'targetPercent',
  'timeSliceTarget',
  'timeSliceWindow',
];

/**
 * OpenSLO v1 (github.com/OpenSLO/OpenSLO `pkg/openslo/v1`): `kind: SLO` documents with an inline `indicator`
 * or an `indicatorRef` to a `kind: SLI` document of the file; ratioMetric (good or bad, and total; or raw with
 * rawType failure | success) and thresholdMetric SLIs from Prometheus metric sources; a rolling or calendar-aligned `timeWindow`;
 * Occurrences or Timeslices budgeting; one SLO per objective. Other kinds (Service, AlertPolicy…) have no
 * bearing on the gate and are skipped; unknown fields are errors.
 */
export function parseOpenSloV1(documents: SpecNode[], options: SloFileOptions): SloSpec[] {
  const named = (node: SpecNode) => node.child('metadata').child('name').optionalString('a name');
  const slis = new Map(
    documents.filter((node) => node.child('kind').value === 'SLI').map((node) => [named(node), node]),
  );
  return documents
    .filter((node) => node.child('kind').value === 'SLO')
    .flatMap((node) => {
      node.only(['apiVersion', 'kind', 'metadata', 'spec']);
      const name = node.child('metadata').child('name').string('the SLO name');
      const spec = node.child('spec').record('the SLO spec').only(SLO_SPEC_FIELDS);
      let indicator = spec.child('indicator');
      if (indicator.present === spec.child('indicatorRef').present) {
        throw spec.fail('exactly one of indicator and indicatorRef');
      }
      if (!indicator.present) {
        const ref = spec.child('indicatorRef').string('the name of an SLI document in the same file');
        const found = slis.get(ref);
        if (!found) throw spec.child('indicatorRef').fail(`the name of an SLI document in ${node.source}`);
        indicator = found;
      }
      const sli = indicatorFields(indicator);
      const notes = spec.child('alertPolicies').present
        ? [
            `${node.source}: at '${spec.child('alertPolicies').path}': alert policies are not used; slo-gate judges burn rates by burn-rate-windows`,
          ]
        : [];
      const period = timeWindow(spec.child('timeWindow'), options);
      const { objectives, document } = objectivesOf(
        { node, spec, name, windowNode: spec.child('timeWindow'), period, options },
        'a list of objectives with target or targetPercent',
      );
      return objectives.map((objective, index) => {
        objective.record('an objective mapping').only(OBJECTIVE_FIELDS);
        const target = objectivePercent(objective);
        const slice = objective.child('timeSliceWindow');
        const budgeting = budgetingOf(
          spec.child('budgetingMethod'),
          objective,
          slice.present ? shorthandMs(slice) : undefined,
        );
        const threshold = sli.thresholdQuery === undefined ? undefined : thresholdOf(objective);
        return objectiveSlo(document, objective, index, target, indicator, {
          ...sli,
          thresholdOp: threshold?.op,
          thresholdValue: threshold?.value,
          budgeting,
          notes,
        });
      });
    });
}

/** The period, and its calendar when it is calendar-aligned; the window input makes it rolling. */
function timeWindow(node: SpecNode, options: SloFileOptions): OpenSloPeriod {
  const found = timeWindowOf(
    node,
    options.window !== undefined,
    ['duration', 'isRolling', 'calendar'],
    '[{duration: 28d, isRolling: true}]',
  );
  if (found === undefined) return { windowMs: 0 };
  const { count, unit, ms, text } = shorthandOf(found.window.child('duration'));
  return periodOf(found, ms, options, () => ({ count, unit, duration: text }));
}

/** The SLI fields of an SLO from an inline indicator or an SLI document (both have `spec`). */
function indicatorFields(indicator: SpecNode): Partial<SloFields> {
  indicator.record('an indicator with metadata and spec').only(['apiVersion', 'kind', 'metadata', 'spec']);
  const spec = indicator
    .child('spec')
    .record('an SLI spec')
    .only(['description', 'ratioMetric', 'thresholdMetric']);
  const ratio = spec.child('ratioMetric');
  const threshold = spec.child('thresholdMetric');
  if (ratio.present === threshold.present) throw spec.fail('exactly one of ratioMetric and thresholdMetric');
  if (threshold.present) return { thresholdQuery: metricQuery(threshold) };
  ratio.record().only(['counter', 'good', 'bad', 'total', 'rawType', 'raw']);
  const counter = ratio.child('counter').optionalBoolean() ?? true;
  const query = (part: string) => {
    const node = ratio.child(part);
    if (!node.present) return undefined;
    const text = metricQuery(node);
    if (!counter && !text.includes('window')) {
      throw new UserError(
        `${node.source}: at '${node.path}': with counter: false the query must count the events itself over {{window}}, e.g. sum(sum_over_time(x[{{window}}]))`,
      );
    }
    return text;
  };
  if (ratio.child('raw').present) {
    const rawType = ratio.child('rawType').string('rawType: failure or success');
    if (rawType !== 'failure' && rawType !== 'success')
      throw ratio.child('rawType').fail('failure or success');
    const raw = metricQuery(ratio.child('raw'));
    return { errorRatio: rawType === 'failure' ? raw : `1 - (${raw})` };
  }
  if (ratio.child('good').present && ratio.child('bad').present) throw ratio.fail('good or bad, not both');
  return { total: query('total'), good: query('good'), errors: query('bad') };
}

/** The PromQL of a `{metricSource: {type: Prometheus, spec: {query}}}`. */
function metricQuery(node: SpecNode): string {
  const source = node.record('a metric with a metricSource').only(['metricSource']).child('metricSource');
  source.record('a metricSource with type and spec').only(['metricSourceRef', 'type', 'spec']);
  if (source.child('metricSourceRef').present) {
    throw new UserError(
      `${source.source}: at '${source.child('metricSourceRef').path}': DataSource references are not supported; slo-gate queries the prometheus-url input — write type: Prometheus and spec.query`,
    );
  }
  const type = source.child('type').optionalString('a metric source type');
  if (type !== undefined && type.toLowerCase() !== 'prometheus') {
    throw source.child('type').fail('Prometheus (slo-gate queries a Prometheus-compatible API)');
  }
  const spec = source.child('spec').record('a spec with the PromQL in query').only(['query', 'promql']);
  return (
    spec.child('query').optionalString('a PromQL query') ??
    spec.child('promql').string('a PromQL query in query')
  );
}

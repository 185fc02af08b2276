import { UserError } from '@gin-deploy/action';
import type { SpecNode } from './spec-reader.js';
import type { CalendarUnit } from './calendar.js';
import {
  budgetingOf,
  objectivePercent,
  objectiveSlo,
  objectivesOf,
  periodOf,
  thresholdOf,
  timeWindowOf,
  type OpenSloPeriod,
} from './format-openslo.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

const UNIT_MS: Record<string, number> = {
  Second: 1000,
  Day: 86_400_000,
  Week: 7 * 86_400_000,
  Month: 30 * 86_400_000,
  Quarter: 90 * 86_400_000,
};

/**
 * OpenSLO v1alpha (github.com/OpenSLO/OpenSLO `pkg/model/v1alpha`, the format sloth also reads): `kind: SLO`
 * with `timeWindows: [{unit, count, isRolling}]`, objectives holding `target` and either `ratioMetrics: {good,
 * total}` or, with the spec's `indicator.thresholdMetric`, `op` and `value`; metric sources `{source:
 * prometheus, queryType: promql, query}`. v1alpha has no slice length, so Timeslices budgeting is refused.
 */
export function parseOpenSloV1alpha(documents: SpecNode[], options: SloFileOptions): SloSpec[] {
  return documents
    .filter((node) => node.child('kind').value === 'SLO')
    .flatMap((node) => {
      node.only(['apiVersion', 'kind', 'metadata', 'spec']);
      const name = node.child('metadata').child('name').string('the SLO name');
      const spec = node
        .child('spec')
        .record('the SLO spec')
        .only(['description', 'service', 'indicator', 'timeWindows', 'budgetingMethod', 'objectives']);
      const period = timeWindows(spec.child('timeWindows'), options);
      const indicator = spec.child('indicator');
      const thresholdQuery = indicator.present
        ? metricQuery(indicator.record().only(['thresholdMetric']).child('thresholdMetric'))
        : undefined;
      if (spec.child('budgetingMethod').value === 'Timeslices') {
        throw new UserError(
          `${node.source}: at '${spec.child('budgetingMethod').path}': openslo/v1alpha defines no slice length for Timeslices; write the SLO in openslo/v1 with timeSliceWindow`,
        );
      }
      const { objectives, document } = objectivesOf(
        { node, spec, name, windowNode: spec.child('timeWindows'), period, options },
        'a list of objectives with target',
      );
      return objectives.map((objective, index) => {
        objective
          .record('an objective mapping')
          .only(['displayName', 'value', 'target', 'op', 'ratioMetrics', 'timeSliceTarget']);
        const target = objectivePercent(objective);
        const ratio = objective.child('ratioMetrics');
        if (ratio.present === (thresholdQuery !== undefined)) {
          throw objective.fail('ratioMetrics, or op and value with the spec indicator.thresholdMetric');
        }
        const threshold = thresholdQuery === undefined ? undefined : thresholdOf(objective);
        if (ratio.present) ratio.record().only(['good', 'total', 'counter', 'incremental']);
        return objectiveSlo(document, objective, index, target, ratio.present ? ratio : indicator, {
          good: ratio.present ? metricQuery(ratio.child('good')) : undefined,
          total: ratio.present ? metricQuery(ratio.child('total')) : undefined,
          thresholdQuery,
          thresholdOp: threshold?.op,
          thresholdValue: threshold?.value,
          budgeting: budgetingOf(spec.child('budgetingMethod'), objective, undefined),
        });
      });
    });
}

const CALENDAR_UNITS: Record<string, CalendarUnit> = { Day: 'd', Week: 'w', Month: 'M', Quarter: 'Q' };

/** The period, and its calendar when it is calendar-aligned; the window input makes it rolling. */
function timeWindows(node: SpecNode, options: SloFileOptions): OpenSloPeriod {
  const found = timeWindowOf(
    node,
    options.window !== undefined,
    ['unit', 'count', 'isRolling', 'calendar'],
    '[{unit: Day, count: 30, isRolling: true}]',
  );
  if (found === undefined) return { windowMs: 0 };
  const { window } = found;
  const unit = window.child('unit').string('a unit: Second, Day, Week, Month or Quarter');
  if (UNIT_MS[unit] === undefined)
    throw window.child('unit').fail('a unit: Second, Day, Week, Month or Quarter');
  const count = window.child('count').optionalNumber('a whole count above 0');
  if (count === undefined || !Number.isInteger(count) || count <= 0)
    throw window.child('count').fail('a whole count above 0');
  return periodOf(found, count * UNIT_MS[unit], options, () => {
    if (CALENDAR_UNITS[unit] === undefined)
      throw window.child('unit').fail('a calendar unit: Day, Week, Month or Quarter');
    return { count, unit: CALENDAR_UNITS[unit], duration: `${count} ${unit}` };
  });
}

/** The PromQL of `{source: prometheus, queryType: promql, query}`. */
function metricQuery(node: SpecNode): string {
  node
    .record('a metric source with source, queryType and query')
    .only(['source', 'queryType', 'query', 'metadata']);
  const source = node.child('source').optionalString('prometheus');
  if (source !== undefined && source.toLowerCase() !== 'prometheus') {
    throw node.child('source').fail('prometheus (slo-gate queries a Prometheus-compatible API)');
  }
  const type = node.child('queryType').optionalString('promql');
  if (type !== undefined && type.toLowerCase() !== 'promql') throw node.child('queryType').fail('promql');
  return node.child('query').string('a PromQL query');
}

import { UserError } from '@gin-deploy/action';
import type { SpecNode } from './spec-reader.js';
import { buildSloAt } from './slo-fields.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

/** The keys one sloth format spells its fields with (prometheus/v1 in snake_case, Kubernetes in camelCase). */
export interface SlothSpelling {
  format: string;
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
  sloPlugins: string;
}

/** sloth's own period default (`sloth generate --default-slo-period`): the files carry none. */
export const SLOTH_PERIOD = '30d';

/**
 * The `service` and `slos` of a sloth spec (sloth v0.16 `pkg/prometheus/api/v1` and
 * `pkg/kubernetes/api/sloth/v1`): events SLIs (error and total queries using {{.window}}) and raw SLIs (an
 * error ratio query); `alerting.<page>.disable` / `<ticket>.disable` drop the failing or warning burn-rate
 * pairs. Plugins are refused: they change what sloth generates in ways slo-gate cannot follow.
 */
export function parseSlothSpec(spec: SpecNode, spelling: SlothSpelling, options: SloFileOptions): SloSpec[] {
  spec.only(['service', 'labels', spelling.sloPlugins, 'slos']);
  refusePlugins(spec.child(spelling.sloPlugins), spelling);
  const service = spec.child('service').string('the service name');
  const items = spec.child('slos').list('a list of SLOs');
  if (items.length === 0) throw spec.child('slos').fail('at least one SLO');
  return items.map((item) => {
    item.record(`a ${spelling.format} SLO mapping`);
    item.only(['name', 'description', 'objective', 'labels', 'plugins', 'sli', 'alerting']);
    refusePlugins(item.child('plugins'), spelling);
    const name = item.child('name').string('an SLO name');
    const objectiveNode = item.child('objective');
    if (typeof objectiveNode.value !== 'number' && typeof objectiveNode.value !== 'string') {
      throw objectiveNode.fail('a percentage such as 99.9');
    }
    const sli = item
      .child('sli')
      .record('an sli mapping with events or raw')
      .only(['events', 'raw', 'plugin']);
    if (sli.child('plugin').present) {
      throw new UserError(
        `${sli.source}: at '${sli.child('plugin').path}': sloth SLI plugins are not supported; write the plugin's queries as events (${spelling.errorQuery}, ${spelling.totalQuery}) or raw (${spelling.errorRatioQuery})`,
      );
    }
    const events = sli.child('events');
    const raw = sli.child('raw');
    if (events.present === raw.present) throw sli.fail('exactly one of events and raw');
    if (events.present) events.record().only([spelling.errorQuery, spelling.totalQuery]);
    if (raw.present) raw.record().only([spelling.errorRatioQuery]);
    const alerting = item.child('alerting');
    if (alerting.present)
      alerting.record().only(['name', 'labels', 'annotations', spelling.pageAlert, spelling.ticketAlert]);
    const enabled = (key: string) => {
      const alert = alerting.child(key);
      if (alert.present) alert.record().only(['disable', 'labels', 'annotations']);
      return alert.child('disable').optionalBoolean() !== true;
    };
    const fieldPath = (field: string) =>
      field === 'objective'
        ? objectiveNode.path
        : field === 'window'
          ? 'window input'
          : (events.present ? events : raw).path;
    return buildSloAt(
      {
        name,
        objective: String(objectiveNode.value),
        window: options.window ?? SLOTH_PERIOD,
        errors: events.present
          ? events.child(spelling.errorQuery).string('an error query using {{.window}}')
          : undefined,
        total: events.present
          ? events.child(spelling.totalQuery).string('a total query using {{.window}}')
          : undefined,
        errorRatio: raw.present
          ? raw.child(spelling.errorRatioQuery).string('an error ratio query using {{.window}}')
          : undefined,
        service,
        alerting: { page: enabled(spelling.pageAlert), ticket: enabled(spelling.ticketAlert) },
      },
      (field) => `${spec.source}: at '${fieldPath(field)}'`,
      `${spec.source}: ${item.path}`,
    );
  });
}

function refusePlugins(node: SpecNode, spelling: SlothSpelling): void {
  if (node.present) {
    throw new UserError(
      `${node.source}: at '${node.path}': sloth SLO plugins are not supported by slo-gate (${spelling.format}); remove them or judge the SLO with sloth's rules`,
    );
  }
}

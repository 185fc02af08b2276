import type { SpecNode } from './spec-reader.js';
import { parseSlothSpec } from './format-sloth.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

/** sloth's `version: prometheus/v1` file (snake_case keys: error_query, total_query, page_alert…). */
export function parseSlothPrometheus(root: SpecNode, options: SloFileOptions): SloSpec[] {
  const { version, ...spec } = root.value as Record<string, unknown>;
  void version;
  return parseSlothSpec(
    root.with(spec),
    {
      format: 'sloth prometheus/v1',
      errorQuery: 'error_query',
      totalQuery: 'total_query',
      errorRatioQuery: 'error_ratio_query',
      pageAlert: 'page_alert',
      ticketAlert: 'ticket_alert',
      sloPlugins: 'slo_plugins',
    },
    options,
  );
}

export function isSlothPrometheus(root: SpecNode): boolean {
  return root.child('version').value === 'prometheus/v1';
}

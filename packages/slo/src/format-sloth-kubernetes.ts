import type { SpecNode } from './spec-reader.js';
import { parseSlothSpec } from './format-sloth.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

/** sloth's Kubernetes resource `apiVersion: sloth.slok.dev/v1, kind: PrometheusServiceLevel` (camelCase keys). */
export function parseSlothKubernetes(root: SpecNode, options: SloFileOptions): SloSpec[] {
  root.only(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  return parseSlothSpec(
    root.child('spec').record('the PrometheusServiceLevel spec'),
    {
      format: 'sloth PrometheusServiceLevel',
      errorQuery: 'errorQuery',
      totalQuery: 'totalQuery',
      errorRatioQuery: 'errorRatioQuery',
      pageAlert: 'pageAlert',
      ticketAlert: 'ticketAlert',
      sloPlugins: 'sloPlugins',
    },
    options,
  );
}

export function isSlothKubernetes(root: SpecNode): boolean {
  return (
    root.child('apiVersion').value === 'sloth.slok.dev/v1' &&
    root.child('kind').value === 'PrometheusServiceLevel'
  );
}

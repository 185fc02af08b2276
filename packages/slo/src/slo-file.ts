import { UserError } from '@gin-deploy/action';
import { parseAllDocuments } from 'yaml';
import { isOpenSlo } from './format-openslo.js';
import { parseOpenSloV1 } from './format-openslo-v1.js';
import { parseOpenSloV1alpha } from './format-openslo-v1alpha.js';
import { parseOwnFormat } from './format-own.js';
import { isSlothKubernetes, parseSlothKubernetes } from './format-sloth-kubernetes.js';
import { isSlothPrometheus, parseSlothPrometheus } from './format-sloth-prometheus.js';
import { SpecNode } from './spec-reader.js';
import type { SloFileOptions } from './slo-file-options.js';
import type { SloSpec } from './slo-spec.js';

export type { SloFileOptions } from './slo-file-options.js';

const FORMATS =
  'our format (slos: [{name, objective, window, total, good|errors}]), OpenSLO (apiVersion: openslo/v1 or openslo/v1alpha, kind: SLO), sloth (version: prometheus/v1) or sloth Kubernetes (apiVersion: sloth.slok.dev/v1, kind: PrometheusServiceLevel)';

/**
 * Reads an SLO file of one or more YAML documents, each in our format, sloth `prometheus/v1`, sloth
 * `PrometheusServiceLevel` or OpenSLO v1 / v1alpha (OpenSLO documents of one version read together, so an
 * indicatorRef finds its SLI document). Errors name the file, the path inside it and what was expected.
 */
export function parseSloFile(text: string, file: string, options: SloFileOptions = {}): SloSpec[] {
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
  const nodes = documents.map(
    (document, index) => new SpecNode(document, file, documents.length > 1 ? `[${index}]` : ''),
  );
  const openSloV1 = nodes.filter((node) => isOpenSlo(node, 'openslo/v1'));
  const openSloV1alpha = nodes.filter((node) => isOpenSlo(node, 'openslo/v1alpha'));
  const slos: SloSpec[] = [];
  for (const node of nodes) {
    if (isSlothPrometheus(node)) slos.push(...parseSlothPrometheus(node, options));
    else if (isSlothKubernetes(node)) slos.push(...parseSlothKubernetes(node, options));
    else if (node.isRecord() && node.child('slos').present && !node.child('apiVersion').present)
      slos.push(...parseOwnFormat(node, options));
    else if (!openSloV1.includes(node) && !openSloV1alpha.includes(node)) {
      const what = node.child('apiVersion').present
        ? ` (apiVersion ${JSON.stringify(node.child('apiVersion').value)}, kind ${JSON.stringify(node.child('kind').value)})`
        : '';
      throw new UserError(
        `${file}${node.path ? ` document ${node.path}` : ''}: not an SLO file in any known format${what}; expected ${FORMATS}`,
      );
    }
  }
  slos.push(...parseOpenSloV1(openSloV1, options), ...parseOpenSloV1alpha(openSloV1alpha, options));
  if (slos.length === 0) throw new UserError(`${file}: no SLO in the file; expected ${FORMATS}`);
  const names = new Set<string>();
  for (const slo of slos) {
    if (names.has(slo.name))
      throw new UserError(`${slo.source}: the SLO name '${slo.name}' is used twice in ${file}`);
    names.add(slo.name);
  }
  return slos;
}

/** Under strict validation, the first note of any SLO (a percent/ratio slip, an unused field) is an error. */
export function enforceStrict(slos: SloSpec[], strict: boolean): SloSpec[] {
  const note = slos.flatMap((slo) => slo.notes)[0];
  if (strict && note !== undefined) throw new UserError(`${note} (strict validation)`);
  return slos;
}

import type { KubeObject, Service } from '@gin-deploy/kube';
import { TrafficRouterError } from './errors.js';

/** How canary traffic is split: by replica ratio under one Service, or by exact weights at a router. */
export type TrafficMode = 'replicas' | 'gateway-api' | 'ingress-nginx';

export const CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
export const CANARY_WEIGHT_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight';
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [field: string]: unknown;
}

export interface HttpRoute extends KubeObject {
  spec?: { rules?: { backendRefs?: BackendRef[]; [field: string]: unknown }[]; [field: string]: unknown };
}

interface IngressPath {
  backend?: { service?: { name?: string; port?: unknown }; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    rules?: { host?: string; http?: { paths?: IngressPath[] } }[];
    [field: string]: unknown;
  };
}

/** Canary weight `weight` (0–100), or `promoted`: the stable Service takes everything and the canary leaves. */
export type RouteWeight = number | 'promoted';

function isServiceRef(ref: BackendRef, name: string, namespace: string, routeNamespace: string): boolean {
  return (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service' &&
    ref.name === name &&
    (ref.namespace ?? routeNamespace) === namespace
  );
}

/**
 * The HTTPRoute's rules with every rule that sends to the stable Service splitting `100 − weight` / `weight`
 * between it and the canary Service (same port); other backends and rules are kept as they are. Throws
 * TrafficRouterError when no rule reaches the stable Service.
 */
export function weightedRules(
  route: HttpRoute,
  services: { stable: string; canary: string; namespace: string },
  weight: RouteWeight,
): NonNullable<HttpRoute['spec']>['rules'] {
  const routeNamespace = route.metadata?.namespace ?? services.namespace;
  const is = (ref: BackendRef, name: string) => isServiceRef(ref, name, services.namespace, routeNamespace);
  let matched = 0;
  const rules = (route.spec?.rules ?? []).map((rule) => {
    const refs = rule.backendRefs ?? [];
    const stable = refs.find((ref) => is(ref, services.stable));
    if (!stable) return rule;
    matched++;
    const canary = weight === 'promoted' ? [] : [{ ...stable, name: services.canary, weight }];
    const kept = refs.filter((ref) => ref !== stable && !is(ref, services.canary));
    const stableWeight = weight === 'promoted' ? 100 : 100 - weight;
    return { ...rule, backendRefs: [{ ...stable, weight: stableWeight }, ...canary, ...kept] };
  });
  if (matched === 0)
    throw new TrafficRouterError(
      `HTTPRoute ${routeNamespace}/${route.metadata?.name} has no rule with a backendRef to Service ${services.stable}`,
      'HTTPRoute',
    );
  return rules;
}

/**
 * The ingress-nginx canary Ingress beside `stable`: its host/path rules that reach the stable Service, sent to
 * the canary Service instead, with the canary weight annotation. Throws TrafficRouterError when no path
 * reaches the stable Service.
 */
export function canaryIngress(
  stable: Ingress,
  services: { stable: string; canary: string },
  weight: number,
): Ingress {
  const rules = (stable.spec?.rules ?? []).flatMap((rule) => {
    const paths = (rule.http?.paths ?? [])
      .filter((p) => p.backend?.service?.name === services.stable)
      .map((p) => ({ ...p, backend: { service: { ...p.backend?.service, name: services.canary } } }));
    return paths.length > 0 ? [{ ...rule, http: { paths } }] : [];
  });
  const name = stable.metadata?.name ?? '';
  if (rules.length === 0)
    throw new TrafficRouterError(
      `Ingress ${stable.metadata?.namespace}/${name} has no path whose backend is Service ${services.stable}`,
      'Ingress',
    );
  const ingressClass = stable.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: `${name}-canary`,
      namespace: stable.metadata?.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'gin-deploy' },
      annotations: {
        ...(ingressClass ? { [INGRESS_CLASS_ANNOTATION]: ingressClass } : {}),
        [CANARY_ANNOTATION]: 'true',
        [CANARY_WEIGHT_ANNOTATION]: String(weight),
      },
    },
    spec: {
      ...(stable.spec?.ingressClassName ? { ingressClassName: stable.spec.ingressClassName } : {}),
      rules,
    },
  };
}

/** `<name>-canary`: the stable Service's ports in front of the canary track's pods only. */
export function canaryService(
  stable: Service,
  name: string,
  trackLabel: string,
  canaryTrack: string,
): Service {
  // A nodePort belongs to one Service; the canary's would collide with the stable one's.
  const ports = ((stable.spec?.ports as Record<string, unknown>[] | undefined) ?? []).map((port) =>
    Object.fromEntries(Object.entries(port).filter(([key]) => key !== 'nodePort')),
  );
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: stable.metadata.namespace,
      labels: { ...stable.metadata.labels, [trackLabel]: canaryTrack },
    },
    spec: { selector: { ...stable.spec?.selector, [trackLabel]: canaryTrack }, ports },
  };
}

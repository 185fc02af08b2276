import type { Container, Deployment, KubeObject } from '@gin-deploy/kube';
import { isMutable, parseImageReference } from './image.js';
import { containersOf, isDeployment } from './workload.js';

export interface PolicyFinding {
  /** `Deployment/api` */
  object: string;
  container?: string;
  rule: 'readiness-probe' | 'liveness-probe' | 'resources' | 'non-root' | 'mutable-tag';
  message: string;
  /** The manifest file and the object's 1-based line, when the object was read from a file. */
  file?: string;
  line?: number;
}

/** The production checklist for Deployments: probes, requests and limits, non-root, immutable images. */
export function checkPolicy(objects: KubeObject[]): PolicyFinding[] {
  return objects
    .filter(isDeployment)
    .flatMap((deployment) => containersOf(deployment).flatMap((c) => checkContainer(deployment, c)));
}

/** checkPolicy over objects read from manifest files: each finding carries its object's file and line. */
export function checkManifestPolicy(
  manifests: readonly { object: KubeObject; file: string; line: number }[],
): PolicyFinding[] {
  return manifests.flatMap(({ object, file, line }) =>
    checkPolicy([object]).map((finding) => ({ ...finding, file, line })),
  );
}

function checkContainer(deployment: Deployment, container: Container): PolicyFinding[] {
  const object = `Deployment/${deployment.metadata.name}`;
  const findings: PolicyFinding[] = [];
  const add = (rule: PolicyFinding['rule'], message: string): void => {
    findings.push({ object, container: container.name, rule, message });
  };
  if (!container.readinessProbe) {
    add(
      'readiness-probe',
      'no readinessProbe: traffic reaches pods before they can serve, and a rollout cannot tell a healthy pod from a started one',
    );
  }
  if (!container.livenessProbe) add('liveness-probe', 'no livenessProbe: a hung process is never restarted');
  const resources = (container.resources ?? {}) as { requests?: object; limits?: object };
  const missing = [!resources.requests && 'requests', !resources.limits && 'limits'].filter(Boolean);
  if (missing.length > 0) {
    add(
      'resources',
      `no resource ${missing.join(' or ')}: the scheduler cannot place the pod reliably and one pod can starve its node`,
    );
  }
  if (runsAsRoot(deployment, container)) {
    add('non-root', 'may run as root: set securityContext.runAsNonRoot: true and a non-zero runAsUser');
  }
  const image = container.image ? parseImageReference(container.image) : undefined;
  if (image && isMutable(image)) {
    const tag = image.tag ?? 'latest';
    add(
      'mutable-tag',
      `image ${container.image} uses the mutable tag '${tag}' without a digest: applying an unchanged tag does not roll the pods, and nodes may run different content under one tag; deploy name@sha256:digest`,
    );
  }
  return findings;
}

function runsAsRoot(deployment: Deployment, container: Container): boolean {
  const pod = (deployment.spec.template.spec?.securityContext ?? {}) as SecurityContext;
  const own = (container.securityContext ?? {}) as SecurityContext;
  const user = own.runAsUser ?? pod.runAsUser;
  if (user === 0) return true;
  const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
  return !(nonRoot === true || (user !== undefined && user > 0));
}

interface SecurityContext {
  runAsUser?: number;
  runAsNonRoot?: boolean;
}

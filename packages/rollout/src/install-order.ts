import type { KubeObject } from '@gin-deploy/kube';

/**
 * The order Helm installs kinds in (pkg/releaseutil/kind_sorter.go, InstallOrder), with
 * CustomResourceDefinition moved up beside Namespace: a CRD must be served before anything of its kind,
 * and nothing in the set depends on a CRD except its own resources. Kinds not listed (custom resources)
 * come last, as in Helm.
 */
export const INSTALL_ORDER = [
  'PriorityClass',
  'Namespace',
  'CustomResourceDefinition',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

/** A stable sort by INSTALL_ORDER: objects of one kind keep the order they were given in. */
export function inInstallOrder<T extends { object: KubeObject }>(items: T[]): T[] {
  const rank = (item: T): number => {
    const index = INSTALL_ORDER.indexOf(item.object.kind ?? '');
    return index < 0 ? INSTALL_ORDER.length : index;
  };
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

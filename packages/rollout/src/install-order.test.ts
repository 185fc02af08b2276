import { describe, expect, it } from '@jest/globals';
import { kindsDefinedBy } from './crds.js';
import { inInstallOrder } from './install-order.js';

const item = (kind: string, name = kind.toLowerCase()) => ({
  object: { apiVersion: 'v1', kind, metadata: { name } },
});

describe('install order', () => {
  it('puts namespaces and CRDs first, then RBAC, config, Services, workloads, and custom kinds last', () => {
    const given = [
      item('Widget'),
      item('Deployment'),
      item('Service'),
      item('ConfigMap', 'b'),
      item('RoleBinding'),
      item('CustomResourceDefinition'),
      item('ConfigMap', 'a'),
      item('Secret'),
      item('Namespace'),
      item('ServiceAccount'),
    ];
    expect(inInstallOrder(given).map((m) => `${m.object.kind}/${m.object.metadata.name}`)).toEqual([
      'Namespace/namespace',
      'CustomResourceDefinition/customresourcedefinition',
      'ServiceAccount/serviceaccount',
      'Secret/secret',
      'ConfigMap/b',
      'ConfigMap/a',
      'RoleBinding/rolebinding',
      'Service/service',
      'Deployment/deployment',
      'Widget/widget',
    ]);
  });

  it('knows the kinds a CRD of the set serves', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [{ name: 'v1' }, { name: 'v1beta1', served: false }],
      },
    };
    expect([...kindsDefinedBy([crd])]).toEqual(['example.com/v1 Widget']);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Deployment, KubeObject } from '@gin-deploy/kube';
import { ContainerNotFoundError } from './errors.js';
import { annotate, replaceImage } from './workload.js';

const DIGEST = `sha256:${'1'.repeat(64)}`;

function deployment(name: string, containers: [string, string][]): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { spec: { containers: containers.map(([c, image]) => ({ name: c, image })) } } },
  };
}

describe('replaceImage', () => {
  it('updates the containers of the same repository only', () => {
    const objects = [
      deployment('api', [
        ['api', 'ghcr.io/acme/api:v1'],
        ['proxy', 'envoyproxy/envoy:v1'],
      ]),
    ];
    expect(replaceImage(objects, `ghcr.io/acme/api@${DIGEST}`)).toEqual(['api/api']);
    expect(objects[0].spec.template.spec?.containers?.map((c) => c.image)).toEqual([
      `ghcr.io/acme/api@${DIGEST}`,
      'envoyproxy/envoy:v1',
    ]);
  });

  it('takes the named container, or the only one', () => {
    expect(
      replaceImage(
        [
          deployment('a', [
            ['x', 'one:1'],
            ['y', 'two:1'],
          ]),
        ],
        'three:1',
        'y',
      ),
    ).toEqual(['a/y']);
    expect(replaceImage([deployment('a', [['x', 'one:1']])], 'three:1')).toEqual(['a/x']);
  });

  it('says what it found when nothing matches', () => {
    expect(() =>
      replaceImage(
        [
          deployment('a', [
            ['x', 'one:1'],
            ['y', 'two:1'],
          ]),
        ],
        'three:1',
      ),
    ).toThrow(
      new ContainerNotFoundError(
        "no container's image has the repository docker.io/library/three (containers: a/x (one:1), a/y (two:1))",
        undefined,
      ),
    );
    expect(() => replaceImage([deployment('a', [['x', 'one:1']])], 'three:1', 'z')).toThrow(
      new ContainerNotFoundError("no Deployment has a container named 'z'; containers: a/x (one:1)", 'z'),
    );
    expect(() => replaceImage([deployment('a', [['x', 'one:1']])], 'three:1', 'z')).toThrow(
      ContainerNotFoundError,
    );
  });
});

describe('annotate', () => {
  it('annotates object metadata, never the pod template', () => {
    const objects: KubeObject[] = [
      deployment('a', [['x', 'one:1']]),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
    ];
    annotate(objects, { version: 'v1.0.0', commit: 'abc', changeCause: 'why' });
    expect(objects[1].metadata?.annotations).toEqual({
      'gin-deploy/version': 'v1.0.0',
      'gin-deploy/commit': 'abc',
      'kubernetes.io/change-cause': 'why',
    });
    expect((objects[0] as Deployment).spec.template.metadata).toBeUndefined();
  });
});

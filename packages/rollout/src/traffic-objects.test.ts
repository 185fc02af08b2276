import { describe, expect, it } from '@jest/globals';
import { canaryIngress, canaryService, weightedRules, type HttpRoute } from './traffic-objects.js';
import { TrafficRouterError } from './errors.js';

const services = { stable: 'api', canary: 'api-canary', namespace: 'prod' };
const route: HttpRoute = {
  metadata: { name: 'web', namespace: 'prod' },
  spec: {
    rules: [
      { matches: [{ path: { value: '/' } }], backendRefs: [{ name: 'api', port: 80 }] },
      { backendRefs: [{ name: 'docs', port: 8080 }] },
    ],
  },
};

describe('weightedRules', () => {
  it('splits the rules that reach the stable Service and leaves the others alone', () => {
    expect(weightedRules(route, services, 20)).toEqual([
      {
        matches: [{ path: { value: '/' } }],
        backendRefs: [
          { name: 'api', port: 80, weight: 80 },
          { name: 'api-canary', port: 80, weight: 20 },
        ],
      },
      { backendRefs: [{ name: 'docs', port: 8080 }] },
    ]);
  });

  it('updates an existing canary ref in place and removes it on promotion', () => {
    const weighted = { ...route, spec: { rules: weightedRules(route, services, 20) as never } };
    expect((weightedRules(weighted, services, 50) as { backendRefs: unknown[] }[])[0].backendRefs).toEqual([
      { name: 'api', port: 80, weight: 50 },
      { name: 'api-canary', port: 80, weight: 50 },
    ]);
    expect(
      (weightedRules(weighted, services, 'promoted') as { backendRefs: unknown[] }[])[0].backendRefs,
    ).toEqual([{ name: 'api', port: 80, weight: 100 }]);
  });

  it('ignores same-named refs of another kind or namespace and says when nothing reaches the Service', () => {
    const other: HttpRoute = {
      metadata: { name: 'web', namespace: 'prod' },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'api', namespace: 'dev' },
              { name: 'api', kind: 'Backend', group: 'x.io' },
            ],
          },
        ],
      },
    };
    expect(() => weightedRules(other, services, 10)).toThrow(
      new TrafficRouterError('HTTPRoute prod/web has no rule with a backendRef to Service api', 'HTTPRoute'),
    );
    expect(() => weightedRules(other, services, 10)).toThrow(
      expect.objectContaining({ router: 'HTTPRoute' }),
    );
  });
});

describe('canaryIngress', () => {
  const stable = {
    metadata: { name: 'web', namespace: 'prod', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['api.example'] }],
      rules: [
        {
          host: 'api.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
              {
                path: '/docs',
                pathType: 'Prefix',
                backend: { service: { name: 'docs', port: { number: 80 } } },
              },
            ],
          },
        },
        { host: 'docs.example', http: { paths: [{ path: '/', backend: { service: { name: 'docs' } } }] } },
      ],
    },
  };

  it('copies the host/paths of the stable Service onto the canary Service with the weight annotations', () => {
    expect(canaryIngress(stable, services, 30)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'web-canary',
        namespace: 'prod',
        labels: { 'app.kubernetes.io/managed-by': 'gin-deploy' },
        annotations: {
          'kubernetes.io/ingress.class': 'nginx',
          'nginx.ingress.kubernetes.io/canary': 'true',
          'nginx.ingress.kubernetes.io/canary-weight': '30',
        },
      },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'api.example',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api-canary', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('says when no path reaches the stable Service', () => {
    const unreached = () => canaryIngress(stable, { stable: 'nope', canary: 'nope-canary' }, 5);
    expect(unreached).toThrow(
      new TrafficRouterError('Ingress prod/web has no path whose backend is Service nope', 'Ingress'),
    );
    expect(unreached).toThrow(expect.objectContaining({ router: 'Ingress' }));
  });
});

describe('canaryService', () => {
  it('selects the canary track with the stable ports, without node ports', () => {
    const service = canaryService(
      {
        metadata: { name: 'api', namespace: 'prod', labels: { app: 'api' } },
        spec: {
          selector: { app: 'api', track: 'stable' },
          clusterIP: '10.0.0.1',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        },
      },
      'api-canary',
      'track',
      'canary',
    );
    expect(service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api-canary', namespace: 'prod', labels: { app: 'api', track: 'canary' } },
      spec: {
        selector: { app: 'api', track: 'canary' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { generateApp, DEFAULT_RESOURCES } from './app.js';
import { checkManifestPolicy, checkPolicy } from './policy.js';

describe('checkPolicy', () => {
  it('passes the generated app', () => {
    const objects = generateApp({
      name: 'api',
      image: `ghcr.io/acme/api@sha256:${'0'.repeat(64)}`,
      port: 8080,
      replicas: 2,
      healthPath: '/health',
      readyPath: '/ready',
      resources: DEFAULT_RESOURCES,
    });
    expect(checkPolicy(objects)).toEqual([]);
  });

  it('names every missing piece of the checklist, and why', () => {
    const bare = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api' }] } } },
    };
    const findings = checkPolicy([bare]);
    expect(findings.map((f) => f.rule)).toEqual([
      'readiness-probe',
      'liveness-probe',
      'resources',
      'non-root',
      'mutable-tag',
    ]);
    expect(findings[4].message).toBe(
      "image ghcr.io/acme/api uses the mutable tag 'latest' without a digest: applying an unchanged tag does not roll the pods, and nodes may run different content under one tag; deploy name@sha256:digest",
    );
    expect(findings[2].message).toMatch(/^no resource requests or limits/);
  });

  it('sees runAsUser 0 as root even with runAsNonRoot on the pod', () => {
    const root = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: true },
            containers: [{ name: 'api', securityContext: { runAsUser: 0 } }],
          },
        },
      },
    };
    expect(checkPolicy([root]).map((f) => f.rule)).toContain('non-root');
  });
});

describe('checkManifestPolicy', () => {
  it("carries each object's manifest file and line on its findings", () => {
    const deployment = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:latest' }] } } },
    });
    const findings = checkManifestPolicy([
      { object: deployment('a'), file: 'deploy/a.yaml', line: 1 },
      { object: deployment('b'), file: 'deploy/b.yaml', line: 12 },
    ]);
    expect(new Set(findings.map((f) => `${f.object} ${f.file}:${f.line}`))).toEqual(
      new Set(['Deployment/a deploy/a.yaml:1', 'Deployment/b deploy/b.yaml:12']),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromText, loadConnection, secretsOf } from './kubeconfig.js';

const CONFIG = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev-cluster
    cluster: { server: "https://10.0.0.1:6443/", certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')} }
  - name: prod-cluster
    cluster: { server: "https://prod:6443", insecure-skip-tls-verify: true }
users:
  - name: dev-user
    user: { token: dev-token }
  - name: prod-user
    user: { client-certificate: certs/prod.crt, client-key-data: ${Buffer.from('KEY\nline-long-enough-to-mask-1234').toString('base64')} }
contexts:
  - name: dev
    context: { cluster: dev-cluster, user: dev-user, namespace: team }
  - name: prod
    context: { cluster: prod-cluster, user: prod-user }
`;

describe('kubeconfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  writeFileSync(path.join(dir, 'config'), CONFIG);
  writeFileSync(path.join(dir, 'certs-prod.crt'), 'CERT');

  it('resolves the current context: server, CA, token, namespace', () => {
    expect(fromText(CONFIG, 'cfg')).toEqual({
      server: 'https://10.0.0.1:6443',
      ca: 'CA PEM',
      cert: undefined,
      key: undefined,
      token: 'dev-token',
      username: undefined,
      password: undefined,
      insecureSkipTlsVerify: false,
      tlsServerName: undefined,
      namespace: 'team',
      source: 'cfg',
      context: 'dev',
    });
  });

  it('reads certificate files relative to the kubeconfig, and masks key lines', () => {
    writeFileSync(path.join(dir, 'config'), CONFIG.replace('certs/prod.crt', 'certs-prod.crt'));
    const prod = loadConnection({ kubeconfig: path.join(dir, 'config'), context: 'prod' });
    expect([prod.server, prod.cert, prod.key, prod.insecureSkipTlsVerify]).toEqual([
      'https://prod:6443',
      'CERT',
      'KEY\nline-long-enough-to-mask-1234',
      true,
    ]);
    expect(secretsOf(prod)).toEqual(['line-long-enough-to-mask-1234']);
  });

  it('uses KUBECONFIG, then the in-cluster service account', () => {
    expect(
      loadConnection({
        env: { KUBECONFIG: path.join(dir, 'missing') + path.delimiter + path.join(dir, 'config') },
      }).source,
    ).toBe(path.join(dir, 'config'));
    const sa = mkdtempSync(path.join(os.tmpdir(), 'sa-'));
    writeFileSync(path.join(sa, 'token'), 'sa-token\n');
    writeFileSync(path.join(sa, 'ca.crt'), 'SA CA');
    writeFileSync(path.join(sa, 'namespace'), 'apps');
    const env = {
      HOME: dir + '/nohome',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    };
    expect(loadConnection({ env, serviceAccountDir: sa })).toEqual({
      server: 'https://10.96.0.1:443',
      ca: 'SA CA',
      token: 'sa-token',
      namespace: 'apps',
      source: 'in-cluster',
    });
  });

  it.each([
    ['clusters: [x', /^the kubeconfig text is not valid YAML: /],
    ['apiVersion: v1\nkind: Config\n', /^the kubeconfig text is not a kubeconfig: it has no clusters list$/],
    [
      CONFIG.replace('current-context: dev', 'current-context: nope'),
      /^the kubeconfig text has no context 'nope'; it has: dev, prod$/,
    ],
    [
      CONFIG.replace('https://10.0.0.1:6443/', '10.0.0.1'),
      /^the kubeconfig text: cluster 'dev-cluster' server '10.0.0.1' is not an http\(s\) URL$/,
    ],
  ])('explains a kubeconfig it cannot use (%#)', (text, message) => {
    expect(() => loadConnection({ kubeconfig: text })).toThrow(message);
  });
});

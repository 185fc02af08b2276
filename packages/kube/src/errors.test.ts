import { describe, expect, it } from '@jest/globals';
import { apiError, describePath, isTransient, KubeConnectionError, verbOf } from './errors.js';

describe('API errors', () => {
  it('names verbs as RBAC does', () => {
    expect(verbOf('GET', '/apis/apps/v1/namespaces/a/deployments/x')).toBe('get');
    expect(verbOf('GET', '/api/v1/namespaces/a/pods?labelSelector=x')).toBe('list');
    expect(verbOf('GET', '/api/v1/namespaces/a/pods?watch=true')).toBe('watch');
    expect(verbOf('PATCH', '/apis/apps/v1/namespaces/a/deployments/x')).toBe('patch');
    expect(verbOf('POST', '/apis/coordination.k8s.io/v1/namespaces/a/leases')).toBe('create');
  });

  it('describes paths as resource, name and namespace', () => {
    expect(describePath('/apis/apps/v1/namespaces/a/deployments/x/scale')).toEqual({
      resource: 'deployments.apps/scale',
      name: 'x',
      namespace: 'a',
    });
    expect(describePath('/api/v1/namespaces/a')).toEqual({ resource: 'namespaces', name: 'a' });
  });

  it('says which verb and resource a 403 denies, and names the server', () => {
    const body = JSON.stringify({
      kind: 'Status',
      reason: 'Forbidden',
      message: 'deployments.apps "x" is forbidden',
    });
    const error = apiError(
      'https://k:6443',
      'PATCH',
      '/apis/apps/v1/namespaces/a/deployments/x?force=true',
      403,
      body,
    );
    expect(error.message).toBe(
      "the Kubernetes API server at https://k:6443 denied 'patch' on deployments.apps 'x' in namespace 'a' (missing RBAC permission: verb 'patch', resource 'deployments.apps'): deployments.apps \"x\" is forbidden",
    );
    expect(apiError('https://k:6443', 'GET', '/api/v1/namespaces/a/pods/p', 404, 'not json').message).toBe(
      "get pods 'p' in namespace 'a' on https://k:6443 failed (404): not json",
    );
  });

  it('retries what client-go retries: refused always, broken connections and 5xx unless a POST, 429 and 503 always', () => {
    const connection = (code: string) => new KubeConnectionError('x', 'https://k', code);
    const status = (code: number) => apiError('https://k', 'GET', '/api/v1/pods', code, '{}');
    expect(isTransient(connection('ECONNREFUSED'), 'POST')).toBe(true);
    expect(isTransient(connection('ECONNRESET'), 'PATCH')).toBe(true);
    expect(isTransient(connection('ECONNRESET'), 'POST')).toBe(false);
    expect(isTransient(status(429), 'POST')).toBe(true);
    expect(isTransient(status(503), 'POST')).toBe(true);
    expect(isTransient(status(500), 'GET')).toBe(true);
    expect(isTransient(status(500), 'POST')).toBe(false);
    expect(isTransient(status(404), 'GET')).toBe(false);
    expect(isTransient(status(409), 'PUT')).toBe(false);
    expect(isTransient(new Error('x'), 'GET')).toBe(false);
    // What a drill's cleanup sends: deleting the experiment, patching the pods' images back.
    expect(isTransient(connection('ECONNRESET'), 'DELETE')).toBe(true);
    expect(isTransient(status(503), 'DELETE')).toBe(true);
  });
});

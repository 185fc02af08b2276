import { describe, expect, it } from '@jest/globals';
import { authHeaders, secretsOf, splitCredentials } from './auth.js';

describe('Prometheus authentication', () => {
  it('builds basic, bearer and custom headers', () => {
    expect(authHeaders({ username: 'u', password: 'p' })).toEqual({ Authorization: 'Basic dTpw' });
    expect(authHeaders({ bearerToken: 't' })).toEqual({ Authorization: 'Bearer t' });
    expect(authHeaders({ bearerToken: 't', headers: { 'X-Scope-OrgID': 'a' } })).toEqual({
      Authorization: 'Bearer t',
      'X-Scope-OrgID': 'a',
    });
    expect(authHeaders({})).toEqual({});
  });

  it('lists every value that must be masked, the encoded basic pair included', () => {
    expect(secretsOf({ username: 'u', password: 'p', headers: { 'X-Scope-OrgID': 'tenant' } })).toEqual([
      'p',
      'Basic dTpw',
      'dTpw',
      'tenant',
    ]);
  });

  it('moves credentials out of the URL', () => {
    expect(splitCredentials('https://us%40er:p%3Ass@mimir.example/prometheus')).toEqual({
      url: 'https://mimir.example/prometheus',
      username: 'us@er',
      password: 'p:ss',
    });
    expect(splitCredentials('http://127.0.0.1:9090')).toEqual({ url: 'http://127.0.0.1:9090' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCredentials, parseChallenge } from './auth.js';

describe('parseChallenge', () => {
  it('reads Bearer realm, service and scope', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/api:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/api:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('findCredentials', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dockercfg-'));
  const config = path.join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      auths: {
        'registry.example.com': { auth: Buffer.from('bob:s3cret:with:colons').toString('base64') },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:hubpass').toString('base64') },
      },
    }),
  );

  it('prefers explicit credentials, then GITHUB_TOKEN for ghcr.io, then the docker config', () => {
    expect(findCredentials('ghcr.io', { username: 'u', password: 'p', env: {} })).toMatchObject({
      username: 'u',
      password: 'p',
    });
    expect(findCredentials('ghcr.io', { env: { GITHUB_TOKEN: 'ghs_x', GITHUB_ACTOR: 'octo' } })).toEqual({
      username: 'octo',
      password: 'ghs_x',
      source: 'GITHUB_TOKEN',
    });
    expect(findCredentials('registry.example.com', { env: {}, dockerConfig: config })).toMatchObject({
      username: 'bob',
      password: 's3cret:with:colons',
    });
    expect(findCredentials('docker.io', { env: {}, dockerConfig: config })).toMatchObject({
      username: 'hub',
    });
    expect(findCredentials('quay.io', { env: {}, dockerConfig: config })).toBeUndefined();
    expect(findCredentials('ghcr.io', { env: {}, dockerConfig: config })).toBeUndefined();
  });
});

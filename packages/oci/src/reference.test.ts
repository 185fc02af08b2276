import { describe, expect, it } from '@jest/globals';
import { checkTag, formatReference, parseReference, parseRepository, registryHost } from './reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['alpine', { domain: 'docker.io', path: 'library/alpine' }],
    ['acme/api:1.2.3', { domain: 'docker.io', path: 'acme/api', tag: '1.2.3' }],
    ['ghcr.io/acme/api', { domain: 'ghcr.io', path: 'acme/api' }],
    ['localhost/api:dev', { domain: 'localhost', path: 'api', tag: 'dev' }],
    ['127.0.0.1:5000/a/b/c:v1', { domain: '127.0.0.1:5000', path: 'a/b/c', tag: 'v1' }],
    [
      `gcr.io/distroless/static-debian12:nonroot@${DIGEST}`,
      { domain: 'gcr.io', path: 'distroless/static-debian12', tag: 'nonroot', digest: DIGEST },
    ],
    [
      'registry.example.com/my_org/my-app__x.y',
      { domain: 'registry.example.com', path: 'my_org/my-app__x.y' },
    ],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it('round-trips through formatReference', () => {
    expect(formatReference(parseReference(`ghcr.io/acme/api:1@${DIGEST}`))).toBe(
      `ghcr.io/acme/api:1@${DIGEST}`,
    );
  });

  it.each([
    ['ghcr.io/Acme/api', /not a repository path/],
    ['acme//api', /not a repository path/],
    ['acme/api:', /tag '' is not valid/],
    ['acme/api:-x', /tag '-x' is not valid/],
    ['acme/api@sha256:abc', /not a digest/],
    ['', /empty/],
    ['my_host:5000x/api', /not a repository path|not a registry host/],
    [`a/${'b'.repeat(260)}`, /longer than 255/],
  ])('rejects %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(message);
  });

  it('wants a repository without tag for image names', () => {
    expect(() => parseRepository('ghcr.io/acme/api:1')).toThrow(/without a tag or digest/);
  });

  it('accepts tags of 128 word characters, dots and dashes only', () => {
    expect(() => checkTag('v1.2.3-rc.1_build')).not.toThrow();
    expect(() => checkTag('a'.repeat(128))).not.toThrow();
    expect(() => checkTag('a'.repeat(129))).toThrow();
    expect(() => checkTag('1.0+meta')).toThrow();
  });

  it('reaches Docker Hub through its API host', () => {
    expect(registryHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('ghcr.io')).toBe('ghcr.io');
  });
});

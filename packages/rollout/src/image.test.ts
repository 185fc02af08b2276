import { describe, expect, it } from '@jest/globals';
import { isMutable, parseImageReference } from './image.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference', () => {
  it.each([
    ['nginx', { repository: 'docker.io/library/nginx' }],
    ['ghcr.io/acme/api:v1.2.3', { repository: 'ghcr.io/acme/api', tag: 'v1.2.3' }],
    [`localhost:5000/api@${DIGEST}`, { repository: 'localhost:5000/api', digest: DIGEST }],
    [`acme/api:v1@${DIGEST}`, { repository: 'docker.io/acme/api', tag: 'v1', digest: DIGEST }],
  ])('parses %s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each(['Acme/API', 'api:v1 beta', 'api@sha256:abc', 'api:', '/api', 'api//x'])('rejects %s', (text) => {
    expect(parseImageReference(text)).toBeUndefined();
  });

  it('calls references without a digest mutable', () => {
    expect(isMutable(parseImageReference('api:v1')!)).toBe(true);
    expect(isMutable(parseImageReference(`api@${DIGEST}`)!)).toBe(false);
  });
});

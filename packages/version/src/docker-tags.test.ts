import { describe, expect, it } from '@jest/globals';
import { checkTag, ReferenceError } from '@gin-deploy/oci/reference';
import { dockerTags, normalizeImage, sanitizeTag, type DockerTagContext } from './docker-tags.js';
import { detectLicense, ociLabels, webUrlOfRemote } from './labels.js';
import { parseSemVer, type SemVer } from './semver.js';

const v = (text: string) => parseSemVer(text) as SemVer;
const release: DockerTagContext = {
  version: v('1.4.2'),
  isRelease: true,
  isHighestRelease: true,
  latest: 'auto',
  short: 'abc1234',
  branch: 'main',
};

describe('image tags', () => {
  it('a highest release: version, X.Y, X, latest, branch and sha', () => {
    expect(dockerTags(release)).toEqual(['1.4.2', '1.4', '1', 'latest', 'main', 'sha-abc1234']);
  });

  it('no X for 0.x and no latest for an older line', () => {
    expect(
      dockerTags({ ...release, version: v('0.3.1'), isHighestRelease: false, branch: undefined }),
    ).toEqual(['0.3.1', '0.3', 'sha-abc1234']);
  });

  it('a pre-release or dev build: only its own version, never latest under auto', () => {
    expect(dockerTags({ ...release, version: v('2.0.0-rc.1') })).toEqual([
      '2.0.0-rc.1',
      'main',
      'sha-abc1234',
    ]);
    expect(
      dockerTags({
        ...release,
        version: v('1.4.3-dev.2+abc1234'),
        isRelease: false,
        branch: 'feature/Login',
      }),
    ).toEqual(['1.4.3-dev.2-abc1234', 'feature-Login', 'sha-abc1234']);
    expect(dockerTags({ ...release, isRelease: false, latest: 'true', version: v('1.4.3-dev.1') })).toContain(
      'latest',
    );
    expect(dockerTags({ ...release, latest: 'false' })).not.toContain('latest');
  });

  it('pr-N instead of the branch for pull requests, and the image prefix', () => {
    expect(
      dockerTags({
        ...release,
        isRelease: false,
        version: v('1.4.3-dev.1'),
        pullRequest: 42,
        image: 'ghcr.io/acme/api',
      }),
    ).toEqual(['ghcr.io/acme/api:1.4.3-dev.1', 'ghcr.io/acme/api:pr-42', 'ghcr.io/acme/api:sha-abc1234']);
  });

  it('sanitises to the OCI tag grammar', () => {
    expect(sanitizeTag('feature/ABC_1+x')).toBe('feature-ABC_1-x');
    expect(sanitizeTag('.hidden/..')).toBe('hidden');
    expect(sanitizeTag('x'.repeat(200))).toHaveLength(128);
    expect(sanitizeTag('///')).toBe('none');
    // Whatever the branch is called, the result is a tag the reference grammar accepts.
    for (const branch of ['renovate/@types/node-22.x', '-._', 'ü/ß', 'release/1.2+build.7', '_x'])
      expect(() => checkTag(sanitizeTag(branch))).not.toThrow();
  });

  it('lower-cases image names and rejects ones with a tag', () => {
    expect(normalizeImage('GHCR.io/Acme/API')).toBe('ghcr.io/acme/api');
    expect(normalizeImage('localhost:5000/acme/api')).toBe('localhost:5000/acme/api');
    expect(() => normalizeImage('ghcr.io/acme/api:1.0')).toThrow(
      new ReferenceError("'ghcr.io/acme/api:1.0' must be a repository name without a tag or digest"),
    );
    expect(() => normalizeImage('has space')).toThrow(ReferenceError);
    expect(() => normalizeImage('ghcr.io/acme/api@sha256:' + 'a'.repeat(64))).toThrow(ReferenceError);
    // The registry host follows the grammar's host rules, which have no '_'.
    expect(() => normalizeImage('my_host:5000/api')).toThrow("'my_host:5000' is not a registry host");
  });
});

describe('OCI labels', () => {
  it('holds what is known, url defaulting to source', () => {
    expect(
      ociLabels({
        version: '1.0.0',
        revision: 'abc',
        created: '2024-01-01T00:00:00Z',
        source: 'https://github.com/a/b',
        title: 'b',
        licenses: 'MIT',
      }),
    ).toEqual({
      'org.opencontainers.image.title': 'b',
      'org.opencontainers.image.version': '1.0.0',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
      'org.opencontainers.image.source': 'https://github.com/a/b',
      'org.opencontainers.image.url': 'https://github.com/a/b',
      'org.opencontainers.image.licenses': 'MIT',
    });
  });

  it('turns remotes into web addresses without credentials', () => {
    expect(webUrlOfRemote('git@github.com:acme/api.git')).toBe('https://github.com/acme/api');
    expect(webUrlOfRemote('https://x-access-token:s3cret@github.com/acme/api.git')).toBe(
      'https://github.com/acme/api',
    );
    expect(webUrlOfRemote('/srv/git/api.git')).toBeUndefined();
    expect(webUrlOfRemote('file:///srv/git/api.git')).toBeUndefined();
  });

  it('recognises common license texts', () => {
    expect(
      detectLicense(
        'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy',
      ),
    ).toBe('MIT');
    expect(detectLicense('Apache License\n                           Version 2.0, January 2004')).toBe(
      'Apache-2.0',
    );
    expect(detectLicense('All rights reserved.')).toBeUndefined();
  });
});

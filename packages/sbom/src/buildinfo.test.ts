import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModInfo, readBuildInfo } from './buildinfo.js';
import { spdxDocument } from './spdx.js';

const fixture = path.resolve(import.meta.dirname, '../../../test/fixtures/gin-service');

describe('readBuildInfo', () => {
  let dir: string;
  let binary: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'buildinfo-'));
    binary = path.join(dir, 'api');
    execFileSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', binary, '.'], {
      cwd: fixture,
      env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'arm64' },
    });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what `go version -m` prints, from a stripped cross-built binary', () => {
    const info = readBuildInfo(binary)!;
    const printed = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
    const [first, ...rest] = printed.trimEnd().split('\n');
    expect(first).toBe(`${binary}: ${info.goVersion}`);
    expect(info).toEqual(parseModInfo(info.goVersion, rest.join('\n')));
    expect(info.path).toBe('github.com/gin-deploy/sample-api');
    expect(info.settings).toMatchObject({
      GOOS: 'linux',
      GOARCH: 'arm64',
      CGO_ENABLED: '0',
      '-trimpath': 'true',
    });
    expect(info.deps).toContainEqual(
      expect.objectContaining({ path: 'github.com/gin-gonic/gin', version: 'v1.11.0' }),
    );
  });

  it('finds nothing in a file that is not a Go binary', () => {
    const file = path.join(dir, 'text');
    writeFileSync(file, 'not a binary');
    expect(readBuildInfo(file)).toBeUndefined();
  });
});

describe('spdxDocument', () => {
  const info = parseModInfo(
    'go1.26.8',
    [
      'path\texample.com/app',
      'mod\texample.com/app\t(devel)\t',
      'dep\tgolang.org/x/sys\tv0.35.0\th1:abc=',
      'dep\texample.com/old\tv1.0.0',
      '=>\texample.com/new\tv1.1.0\th1:def=',
      'build\tGOARCH=amd64',
    ].join('\n'),
  );

  it('lists each binary, the standard library and the modules (replacements applied), deterministically', () => {
    const binaries = [{ platform: 'linux/amd64', sha256: 'f'.repeat(64), buildInfo: info }];
    const document = spdxDocument({ name: 'ghcr.io/acme/app', version: '1.0.0', created: 0 }, binaries);
    expect(document.spdxVersion).toBe('SPDX-2.3');
    expect(document.creationInfo.created).toBe('1970-01-01T00:00:00Z');
    expect(document.packages.map((p) => `${p.name}@${p.versionInfo ?? ''}`)).toEqual([
      'ghcr.io/acme/app@1.0.0',
      'example.com/app@(devel)',
      'stdlib@v1.26.8',
      'golang.org/x/sys@v0.35.0',
      'example.com/new@v1.1.0',
    ]);
    expect(document.packages[3].externalRefs?.[0].referenceLocator).toBe(
      'pkg:golang/golang.org/x/sys@v0.35.0',
    );
    expect(document.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON')).toHaveLength(3);
    expect(spdxDocument({ name: 'ghcr.io/acme/app', version: '1.0.0', created: 0 }, binaries)).toEqual(
      document,
    );
  });
});

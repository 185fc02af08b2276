import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManifestError } from './errors.js';
import { expand, globToRegExp, loadManifests, parseManifests } from './manifests.js';

describe('parseManifests', () => {
  it('reads multi-document YAML and Lists with the line of each document', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n# comment\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Secret, metadata: { name: b } }\n---\n';
    const manifests = parseManifests(text, 'x.yaml');
    expect(manifests.map((m) => [m.object.kind, m.object.metadata?.name, m.line])).toEqual([
      ['ConfigMap', 'a', 1],
      ['Secret', 'b', 6],
    ]);
  });

  it('names file, line and column of a syntax error', () => {
    expect(() => parseManifests('a: 1\n---\nb: [1,\n', 'bad.yaml')).toThrow(ManifestError);
    expect(() => parseManifests('a: 1\n---\nb: [1,\n', 'bad.yaml')).toThrow(/^bad\.yaml:4:1: invalid YAML: /);
  });

  it('rejects a document that is not an object with apiVersion, kind and name', () => {
    expect(() => parseManifests('---\nkind: ConfigMap\n', 'k.yaml')).toThrow(
      'k.yaml:2: not a Kubernetes object (expected a mapping with apiVersion and kind)',
    );
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\n', 'n.yaml')).toThrow(
      'n.yaml:1: ConfigMap has no metadata.name',
    );
  });
});

describe('loadManifests', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  mkdirSync(path.join(dir, 'deploy/base'), { recursive: true });
  writeFileSync(path.join(dir, 'deploy/b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');
  writeFileSync(path.join(dir, 'deploy/a.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
  writeFileSync(
    path.join(dir, 'deploy/base/c.json'),
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}',
  );
  writeFileSync(path.join(dir, 'deploy/notes.txt'), 'not a manifest');

  it('reads folders recursively in name order, and globs', async () => {
    const names = async (patterns: string[]) =>
      (await loadManifests(patterns, dir)).map((m) => `${m.file}:${m.object.metadata?.name}`);
    expect(await names(['deploy'])).toEqual(['deploy/a.yml:a', 'deploy/b.yaml:b', 'deploy/base/c.json:c']);
    expect(await names(['deploy/*.yaml'])).toEqual(['deploy/b.yaml:b']);
    expect(await names(['deploy/**/*.json'])).toEqual(['deploy/base/c.json:c']);
  });

  it('builds a folder with a kustomization through kubectl kustomize', async () => {
    mkdirSync(path.join(dir, 'overlay'));
    writeFileSync(path.join(dir, 'overlay/kustomization.yaml'), 'namePrefix: prod-\nresources: [cm.yaml]\n');
    writeFileSync(
      path.join(dir, 'overlay/cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n',
    );
    const manifests = await loadManifests(['overlay'], dir);
    expect(manifests.map((m) => [m.file, m.object.metadata?.name])).toEqual([
      ['kustomize overlay', 'prod-settings'],
    ]);
  });

  it('fails for a pattern that matches nothing', async () => {
    await expect(loadManifests(['nope/*.yaml'], dir)).rejects.toThrow(
      `'nope/*.yaml' matches no file (relative to ${dir})`,
    );
  });

  it('translates globs', () => {
    expect(globToRegExp('**/*.yaml').test('a/b/c.yaml')).toBe(true);
    expect(globToRegExp('**/*.yaml').test('c.yaml')).toBe(true);
    expect(globToRegExp('*.yaml').test('a/c.yaml')).toBe(false);
    expect(expand('deploy/?.yml', dir)).toEqual([path.join(dir, 'deploy/a.yml')]);
  });
});

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { exec } from '@gin-deploy/action';
import type { KubeObject } from '@gin-deploy/kube';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors.js';

/** One object from the manifests, with where it came from for messages. */
export interface Manifest {
  object: KubeObject;
  file: string;
  line: number;
}

const YAML_FILE = /\.(ya?ml|json)$/i;
const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Reads manifests from files, folders (recursively, YAML and JSON; a folder with a kustomization is built
 * with `kubectl kustomize`) and globs, in the order given, files of a folder in name order.
 */
export async function loadManifests(patterns: string[], cwd: string): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const pattern of patterns) {
    const matches = expand(pattern, cwd);
    if (matches.length === 0) {
      throw new ManifestError(`'${pattern}' matches no file (relative to ${cwd})`);
    }
    for (const match of matches) {
      if (statSync(match).isDirectory()) manifests.push(...(await loadFolder(match, cwd)));
      else manifests.push(...parseManifests(readFileSync(match, 'utf8'), path.relative(cwd, match) || match));
    }
  }
  return manifests;
}

async function loadFolder(dir: string, cwd: string): Promise<Manifest[]> {
  const display = path.relative(cwd, dir) || '.';
  if (KUSTOMIZATION.some((name) => existsSync(path.join(dir, name)))) {
    const result = await exec('kubectl', ['kustomize', dir], {
      missingHint: 'kubectl is needed to build Kustomize folders',
      displayName: `kubectl kustomize ${display}`,
    });
    return parseManifests(result.stdout, `kustomize ${display}`);
  }
  return walk(dir)
    .filter((file) => YAML_FILE.test(file))
    .flatMap((file) => parseManifests(readFileSync(file, 'utf8'), path.relative(cwd, file)));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : walk(full);
      return [full];
    });
}

/** Multi-document YAML (or JSON) to objects; a syntax error names the file, line and column. */
export function parseManifests(text: string, file: string): Manifest[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  const error = documents.flatMap((document) => document.errors)[0];
  if (error) {
    const position = lineCounter.linePos(error.pos[0]);
    throw new ManifestError(
      `${file}:${position.line}:${position.col}: invalid YAML: ${error.message.split('\n')[0]}`,
    );
  }
  const manifests: Manifest[] = [];
  for (const document of documents) {
    const value: unknown = document.toJS();
    const line = lineCounter.linePos(document.contents?.range[0] ?? 0).line;
    if (value === null || value === undefined) continue;
    const items = isList(value) ? value.items : [value];
    for (const item of items) {
      if (!isObject(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
        throw new ManifestError(
          `${file}:${line}: not a Kubernetes object (expected a mapping with apiVersion and kind)`,
        );
      }
      const name = (item.metadata as { name?: unknown } | undefined)?.name;
      if (typeof name !== 'string' || name === '') {
        throw new ManifestError(`${file}:${line}: ${item.kind} has no metadata.name`);
      }
      manifests.push({ object: item as KubeObject, file, line });
    }
  }
  return manifests;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isList(value: unknown): value is { items: unknown[] } {
  return (
    isObject(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  );
}

/** A path, or a glob with `*`, `?` and `**`, to the existing paths it names, sorted. */
export function expand(pattern: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, pattern);
  if (!/[*?[]/.test(pattern)) return existsSync(absolute) ? [absolute] : [];
  const parts = absolute.split(path.sep);
  const firstGlob = parts.findIndex((part) => /[*?[]/.test(part));
  const root = parts.slice(0, firstGlob).join(path.sep) || path.sep;
  if (!existsSync(root)) return [];
  const matcher = globToRegExp(parts.slice(firstGlob).join('/'));
  return walk(root)
    .filter((file) => matcher.test(path.relative(root, file).split(path.sep).join('/')))
    .sort();
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

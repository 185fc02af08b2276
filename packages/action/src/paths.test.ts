import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containedPath, fileOrInline, PathOutsideError } from './paths.js';

const top = mkdtempSync(path.join(os.tmpdir(), 'paths-test-'));
const workspace = path.join(top, 'workspace');
const temp = path.join(top, 'temp');
mkdirSync(path.join(workspace, 'build'), { recursive: true });
mkdirSync(temp);
mkdirSync(path.join(top, 'elsewhere'));
symlinkSync(path.join(top, 'elsewhere'), path.join(workspace, 'link-out'));
const roots = [
  { label: 'the workspace', dir: workspace },
  { label: 'the runner temp folder', dir: temp },
];
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('containedPath', () => {
  it('resolves relative paths against the base and accepts them inside a root, existing or not', () => {
    expect(containedPath('build/bin', workspace, roots)).toBe(path.join(workspace, 'build/bin'));
    expect(containedPath('.', workspace, roots)).toBe(workspace);
    expect(containedPath(path.join(temp, 'x/y.json'), workspace, roots)).toBe(path.join(temp, 'x/y.json'));
    expect(containedPath('../x', path.join(workspace, 'build'), roots)).toBe(path.join(workspace, 'x'));
  });

  it('refuses .., absolute paths outside and links that lead out, naming what it resolved to', () => {
    expect(() => containedPath('../elsewhere', workspace, roots)).toThrow(
      `'../elsewhere' resolves to ${path.join(top, 'elsewhere')}, outside the workspace ${workspace} and the runner temp folder ${temp}`,
    );
    expect(() => containedPath('/etc/passwd', workspace, roots)).toThrow(PathOutsideError);
    expect(() => containedPath('link-out/sbom.json', workspace, roots)).toThrow(PathOutsideError);
    expect(() => containedPath(`${workspace}-sibling/file`, workspace, roots)).toThrow(PathOutsideError);
  });
});

describe('fileOrInline', () => {
  const env = { ...process.env };
  afterAll(() => {
    process.env = env;
  });

  it('reads a one-line value naming a file in the workspace, and keeps anything else as the text', () => {
    process.env.GITHUB_WORKSPACE = workspace;
    writeFileSync(path.join(workspace, 'analysis.yaml'), 'checks: []\n');
    expect(fileOrInline('analysis', 'analysis.yaml')).toEqual({
      text: 'checks: []\n',
      file: 'analysis.yaml',
    });
    expect(fileOrInline('analysis', 'checks: []\nmore: 1')).toEqual({ text: 'checks: []\nmore: 1' });
    expect(fileOrInline('analysis', '{"a": 1}')).toEqual({ text: '{"a": 1}' });
    expect(fileOrInline('analysis', 'build')).toEqual({ text: 'build' });
  });

  it('refuses a file outside the workspace, naming the input', () => {
    process.env.GITHUB_WORKSPACE = workspace;
    writeFileSync(path.join(top, 'elsewhere', 'secret.yaml'), 'x: 1\n');
    expect(() => fileOrInline('analysis', 'link-out/secret.yaml')).toThrow(
      /^input 'analysis': 'link-out\/secret.yaml' resolves to .*, outside the workspace .*; expected a path inside the workspace$/,
    );
  });
});

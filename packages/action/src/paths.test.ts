import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containedPath, PathOutsideError } from './paths.js';

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

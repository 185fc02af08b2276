import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findActions } from './metadata.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'find-actions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findActions', () => {
  it('finds the root folders holding an action.yml, sorted, and nothing deeper or without one', () => {
    for (const dir of ['zeta', 'alpha', 'docs', 'nested/inner'])
      mkdirSync(path.join(root, dir), { recursive: true });
    for (const dir of ['zeta', 'alpha', 'nested/inner'])
      writeFileSync(path.join(root, dir, 'action.yml'), 'name: x\n');
    writeFileSync(path.join(root, 'action.yml'), 'name: the root action\n');
    expect(findActions(root)).toEqual(['alpha', 'zeta']);
  });
});

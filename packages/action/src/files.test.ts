import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFileAtomicAsync } from './files.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['writeFileAtomic', async (file: string, data: string) => writeFileAtomic(file, data)],
  ['writeFileAtomicAsync', writeFileAtomicAsync],
])('%s', (name, write) => {
  it('replaces the file in one step, making its folder, and leaves nothing beside it', async () => {
    const folder = path.join(dir, name, 'made');
    const file = path.join(folder, 'index.json');
    await write(file, '{"old": true}\n');
    await write(file, '{"new": true}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"new": true}\n');
    expect(readdirSync(folder)).toEqual(['index.json']);
  });

  it('keeps the old file and removes its temporary one when the rename fails', async () => {
    const folder = path.join(dir, name, 'blocked');
    // A folder where the file should be: the data is written, the rename over a folder fails.
    mkdirSync(path.join(folder, 'report.json'), { recursive: true });
    writeFileSync(path.join(folder, 'report.json', 'kept'), 'x');
    await expect(write(path.join(folder, 'report.json'), 'new')).rejects.toThrow();
    expect(readdirSync(folder)).toEqual(['report.json']);
  });
});

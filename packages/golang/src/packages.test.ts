import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoPackageError, mainPackage, packageNameOfFiles } from './packages.js';

let root: string;
/** A directory under root holding the given files. */
function dir(name: string, files: Record<string, string>): string {
  const folder = path.join(root, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(folder, file), text);
  return folder;
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'golang-packages-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('packageNameOfFiles', () => {
  it('reads the name every always-compiled file shares, whatever the constrained files say', () => {
    const folder = dir('cmd', {
      'main.go': '// Command api.\npackage main\n\nfunc main() {}\n',
      'routes.go': '/* routes */ package main\n',
      'doc.go': '/*\npackage example is not the clause\n*/\npackage main\n',
      'gen.go': '//go:build ignore\n\npackage generator\n',
      'old.go': '// +build tools\n\npackage tools\n',
      'main_test.go': 'package main_test\n',
      'sys_windows.go': 'package winonly\n',
      'cgo.go': 'package native\n\nimport "C"\n',
      '.hidden.go': 'package hidden\n',
      'README.md': 'package nothing',
    });
    return expect(packageNameOfFiles(folder)).resolves.toBe('main');
  });

  it('reads a library name', () =>
    expect(packageNameOfFiles(dir('lib', { 'lib.go': 'package lib\n' }))).resolves.toBe('lib'));

  it.each([
    ['no always-compiled file', { 'only_linux.go': 'package main\n' }],
    ['two names', { 'a.go': 'package a\n', 'b.go': 'package b\n' }],
    ['no package clause', { 'main.go': 'func main() {}\n' }],
  ])('leaves it to go list with %s', (name, files) =>
    expect(packageNameOfFiles(dir(name.replace(/ /g, '-'), files))).resolves.toBeUndefined(),
  );

  it('leaves a path that is no directory to go list', () =>
    expect(packageNameOfFiles(path.join(root, 'missing'))).resolves.toBeUndefined());
});

describe('mainPackage', () => {
  it('answers a relative path in the same module from its files, without go', async () => {
    dir('svc', { 'go.mod': 'module example.com/svc\n', 'main.go': 'package main\n' });
    dir('svc/cmd/api', { 'main.go': 'package main\n' });
    const env = { PATH: process.env.PATH };
    process.env.PATH = '/nonexistent';
    try {
      await expect(mainPackage(path.join(root, 'svc'), './cmd/api')).resolves.toEqual({
        dir: path.join(root, 'svc/cmd/api'),
        name: 'main',
      });
      await expect(mainPackage(path.join(root, 'svc'), '.')).resolves.toEqual({
        dir: path.join(root, 'svc'),
        name: 'main',
      });
    } finally {
      process.env.PATH = env.PATH;
    }
  });

  it('asks go list about a package in a module of its own', async () => {
    dir('svc/tools', { 'go.mod': 'module example.com/tools\n', 'main.go': 'package main\n' });
    const env = { PATH: process.env.PATH };
    process.env.PATH = '/nonexistent';
    try {
      await expect(mainPackage(path.join(root, 'svc'), './tools')).rejects.toThrow(
        "'go' was not found on PATH",
      );
    } finally {
      process.env.PATH = env.PATH;
    }
  });

  it('refuses a library and a pattern, naming the package', async () => {
    dir('svc', { 'go.mod': 'module example.com/svc\n', 'main.go': 'package main\n' });
    dir('svc/internal/db', { 'db.go': 'package db\n' });
    await expect(mainPackage(path.join(root, 'svc'), './internal/db')).rejects.toThrow(
      new GoPackageError(
        "'./internal/db' is package db, not a main package; expected a command such as . or ./cmd/api",
        './internal/db',
      ),
    );
    await expect(mainPackage(path.join(root, 'svc'), './...')).rejects.toBeInstanceOf(GoPackageError);
  });
});

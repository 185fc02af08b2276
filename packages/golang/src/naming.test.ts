import { describe, expect, it } from '@jest/globals';
import {
  archiveBaseName,
  binaryNameFromModule,
  DEFAULT_NAME_TEMPLATE,
  NameTemplateError,
  outputNames,
  renderName,
} from './naming.js';
import type { Target } from './targets.js';

const t = (os: string, arch: string, variant = ''): Target => ({ os, arch, variant });

describe('naming', () => {
  it('renders the default template with .exe on windows and the variant glued to the arch', () => {
    expect(
      outputNames(DEFAULT_NAME_TEMPLATE, 'api', [
        t('linux', 'amd64'),
        t('linux', 'arm', 'v7'),
        t('windows', 'amd64'),
      ]),
    ).toEqual(['api-linux-amd64', 'api-linux-armv7', 'api-windows-amd64.exe']);
    expect(renderName('{name}_{os}_{arch}{ext}', 'api', t('js', 'wasm'))).toBe('api_js_wasm.wasm');
  });

  it('allows folders per target and names archives without the suffix', () => {
    expect(outputNames('{os}_{arch}/{name}{ext}', 'api', [t('windows', 'arm64')])).toEqual([
      'windows_arm64/api.exe',
    ]);
    expect(archiveBaseName(DEFAULT_NAME_TEMPLATE, 'api', t('windows', 'amd64'))).toBe('api-windows-amd64');
  });

  it('refuses unknown placeholders, names leaving the directory, and clashes', () => {
    expect(() => renderName('{name}-{goos}', 'api', t('linux', 'amd64'))).toThrow(NameTemplateError);
    expect(() => renderName('{name}-{goos}', 'api', t('linux', 'amd64'))).toThrow(
      new Error('unknown placeholder {goos}; valid: {name}, {os}, {arch}, {variant}, {ext}'),
    );
    expect(() => outputNames('../{name}', 'api', [t('linux', 'amd64')])).toThrow(
      new Error("'../{name}' gives '../api'; expected a relative file name inside the output directory"),
    );
    expect(() => outputNames('/tmp/{name}', 'api', [t('linux', 'amd64')])).toThrow(
      'expected a relative file name',
    );
    expect(() =>
      outputNames('{name}-{os}-{arch}', 'api', [t('linux', 'amd64'), t('linux', 'amd64', 'v3')]),
    ).toThrow(
      new Error(
        "'{name}-{os}-{arch}' gives 'api-linux-amd64' for both linux/amd64 and linux/amd64/v3; add {os}, {arch} or {variant}",
      ),
    );
  });

  it('names the binary after the module like go install does', () => {
    expect(binaryNameFromModule('github.com/gin-deploy/sample-api')).toBe('sample-api');
    expect(binaryNameFromModule('example.com/acme/api/v2')).toBe('api');
    expect(binaryNameFromModule('tool')).toBe('tool');
  });
});

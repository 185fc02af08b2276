import { describe, expect, it } from '@jest/globals';
import { archiveFormatFor } from './crossbuild.js';
import { upxSkipReason } from './upx.js';

const t = (os: string, arch: string) => ({ os, arch, variant: '' });

describe('per-target packaging', () => {
  it('packs with UPX only what UPX can pack, saying why not for the rest', () => {
    expect(upxSkipReason(t('linux', 'amd64'))).toBeUndefined();
    expect(upxSkipReason(t('windows', 'amd64'))).toBeUndefined();
    expect(upxSkipReason(t('darwin', 'arm64'))).toBe('UPX cannot pack macOS binaries (they would not start)');
    expect(upxSkipReason(t('windows', 'arm64'))).toBe('UPX cannot pack windows/arm64 binaries');
  });

  it('archives windows as zip whenever archives are made', () => {
    expect(archiveFormatFor('tar.gz', t('linux', 'arm64'))).toBe('tar.gz');
    expect(archiveFormatFor('tar.gz', t('windows', 'amd64'))).toBe('zip');
    expect(archiveFormatFor('zip', t('linux', 'amd64'))).toBe('zip');
    expect(archiveFormatFor('none', t('windows', 'amd64'))).toBeUndefined();
  });
});

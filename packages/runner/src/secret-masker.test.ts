import { describe, expect, it } from '@jest/globals';
import { SecretMasker } from './secret-masker.js';

describe('SecretMasker', () => {
  it('takes in an add-mask command, hides its line and masks the value afterwards', () => {
    const masker = new SecretMasker();
    expect(masker.line('before p4ssw0rd')).toBe('before p4ssw0rd');
    expect(masker.line('::add-mask::p4ssw0rd')).toBeUndefined();
    expect(masker.line('after p4ssw0rd, twice p4ssw0rd')).toBe('after ***, twice ***');
  });

  it('masks a multi-line value whole, line by line and JSON-escaped', () => {
    const masker = new SecretMasker();
    expect(
      masker.line('::add-mask::-----BEGIN KEY-----%0Aline-one%0D%0Aline-two 100%25%0A-----END KEY-----'),
    ).toBe(undefined);
    expect(masker.mask('x line-one y')).toBe('x *** y');
    expect(masker.mask('line-two 100%')).toBe('***');
    expect(
      masker.mask(
        JSON.stringify({ key: '-----BEGIN KEY-----\nline-one\r\nline-two 100%\n-----END KEY-----' }),
      ),
    ).toBe('{"key":"***"}');
  });

  it('ignores empty and whitespace-only values and lines', () => {
    const masker = new SecretMasker();
    masker.add('');
    masker.add('  \nabc\n\n');
    expect(masker.mask('a b  c abc')).toBe('a b  c ***');
  });
});

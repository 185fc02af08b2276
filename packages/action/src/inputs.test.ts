import { afterEach, describe, expect, it } from '@jest/globals';
import {
  booleanInput,
  durationInput,
  enumInput,
  fractionInput,
  jsonInput,
  keyValueInput,
  listInput,
  multilineInput,
  numberInput,
  optionalInput,
  requiredInput,
} from './inputs.js';

function setInput(name: string, value: string): void {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

describe('inputs', () => {
  it('treats absent and empty inputs alike and trims values', () => {
    expect(optionalInput('absent')).toBeUndefined();
    setInput('empty', '');
    expect(optionalInput('empty')).toBeUndefined();
    setInput('padded', '  value  ');
    expect(optionalInput('padded')).toBe('value');
  });

  it('names the input and the expectation when a required one is missing', () => {
    expect(() => requiredInput('image', 'an image name such as ghcr.io/acme/api')).toThrow(
      "input 'image' is required and was not supplied; expected an image name such as ghcr.io/acme/api",
    );
  });

  it('parses booleans and rejects anything else', () => {
    setInput('push', 'TRUE');
    expect(booleanInput('push', false)).toBe(true);
    setInput('push', 'no');
    expect(booleanInput('push', true)).toBe(false);
    expect(booleanInput('other', true)).toBe(true);
    setInput('push', 'maybe');
    expect(() => booleanInput('push', true)).toThrow(
      "input 'push': 'maybe' is not valid; expected true or false",
    );
  });

  it('splits lists on commas and newlines, multiline on newlines only', () => {
    setInput('targets', 'linux/amd64, linux/arm64\n\n darwin/arm64 ,');
    expect(listInput('targets')).toEqual(['linux/amd64', 'linux/arm64', 'darwin/arm64']);
    setInput('flags', '-tags=a,b\n# a comment\n-v');
    expect(multilineInput('flags')).toEqual(['-tags=a,b', '-v']);
  });

  it('parses KEY=value lines, keeping = in values', () => {
    setInput('env', 'GOFLAGS=-mod=mod\nA = b');
    expect(keyValueInput('env')).toEqual({ GOFLAGS: '-mod=mod', A: 'b' });
    setInput('env', 'novalue');
    expect(() => keyValueInput('env')).toThrow(
      "input 'env': 'novalue' is not valid; expected KEY=value lines",
    );
  });

  it('parses JSON and reports the parser error on one line', () => {
    setInput('artifacts', '[{"os":"linux"}]');
    expect(jsonInput('artifacts')).toEqual([{ os: 'linux' }]);
    setInput('artifacts', '[{');
    expect(() => jsonInput('artifacts')).toThrow(/^input 'artifacts': not valid JSON \(/);
  });

  it('parses durations', () => {
    setInput('timeout', '1h30m');
    expect(durationInput('timeout')).toBe(5_400_000);
    expect(durationInput('absent', '10m')).toBe(600_000);
    setInput('window', '28x');
    expect(() => durationInput('window')).toThrow(
      "input 'window': '28x' is not valid; expected a duration such as 500ms, 30s, 10m, 1h30m or 28d",
    );
  });

  it('accepts only listed enum values and lists them in the error', () => {
    setInput('bump', 'Minor');
    expect(enumInput('bump', ['auto', 'major', 'minor'] as const)).toBe('minor');
    setInput('bump', 'sideways');
    expect(() => enumInput('bump', ['auto', 'major', 'minor'] as const)).toThrow(
      "input 'bump': 'sideways' is not one of auto, major, minor",
    );
    expect(enumInput('absent', ['a', 'b'] as const, 'b')).toBe('b');
  });

  it('checks number bounds', () => {
    setInput('parallel', '4');
    expect(numberInput('parallel', 1, { min: 1, integer: true })).toBe(4);
    setInput('parallel', '0');
    expect(() => numberInput('parallel', 1, { min: 1, integer: true })).toThrow(
      "input 'parallel': '0' is not valid; expected a whole number of at least 1",
    );
    setInput('objective', 'abc');
    expect(() => numberInput('objective', undefined, { min: 0, max: 100 })).toThrow('a number from 0 to 100');
  });

  it('reads fractions as percentages or plain numbers', () => {
    setInput('min', '30%');
    expect(fractionInput('min')).toBeCloseTo(0.3);
    setInput('min', '0.25');
    expect(fractionInput('min')).toBe(0.25);
    setInput('min', 'lots');
    expect(() => fractionInput('min')).toThrow("input 'min': 'lots' is not valid");
  });
});

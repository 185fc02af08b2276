import { describe, expect, it } from '@jest/globals';
import { formatFileCommands, parseFileCommands } from './file-commands.js';

describe('file commands', () => {
  it('parses name=value lines and heredoc blocks; later values win', () => {
    const text = 'a=1\nb<<ghadelimiter_x\nline 1\nline=2\nghadelimiter_x\na=3\n';
    expect(parseFileCommands(text)).toEqual({ a: '3', b: 'line 1\nline=2' });
  });

  it('keeps an empty heredoc value', () => {
    expect(parseFileCommands('e<<D\nD\n')).toEqual({ e: '' });
  });

  it('rejects a block without its closing delimiter', () => {
    expect(() => parseFileCommands('b<<D\nvalue\n')).toThrow("file command 'b' has no closing delimiter 'D'");
  });

  it('round-trips what it formats', () => {
    const values = { one: 'x', two: 'multi\nline', three: '' };
    expect(parseFileCommands(formatFileCommands(values))).toEqual(values);
  });
});

import { describe, expect, it } from '@jest/globals';
import { ldflags, quoteGoArg, splitGoArgs, splitSymbol } from './ldflags.js';

describe('-ldflags quoting as cmd/go reads it', () => {
  it('leaves plain arguments bare and quotes the rest with the quote they lack', () => {
    expect(quoteGoArg('main.Version=1.2.3+abc')).toBe('main.Version=1.2.3+abc');
    expect(quoteGoArg('main.Motto=hello world')).toBe("'main.Motto=hello world'");
    expect(quoteGoArg("main.Motto=it's")).toBe(`"main.Motto=it's"`);
    expect(quoteGoArg('main.Motto=say "hi"')).toBe(`'main.Motto=say "hi"'`);
    expect(() => quoteGoArg(`main.Motto=it's "x"`)).toThrow('holds both');
  });

  it('round-trips through the splitter', () => {
    const assignments = [
      { symbol: 'main.Version', value: '1.2.3' },
      { symbol: 'main.Motto', value: "ci runner's build" },
      { symbol: 'example.com/app/build.Note', value: 'say "hi"  twice' },
    ];
    const flags = ldflags(assignments);
    expect(flags).toBe(
      `-X main.Version=1.2.3 -X "main.Motto=ci runner's build" -X 'example.com/app/build.Note=say "hi"  twice'`,
    );
    expect(splitGoArgs(flags)).toEqual(assignments.flatMap((a) => ['-X', `${a.symbol}=${a.value}`]));
  });

  it('splits symbols at the last dot', () => {
    expect(splitSymbol('main.Version')).toEqual({ pkg: 'main', name: 'Version' });
    expect(splitSymbol('github.com/acme/api/internal/build.Commit')).toEqual({
      pkg: 'github.com/acme/api/internal/build',
      name: 'Commit',
    });
    expect(splitSymbol('Version')).toBeUndefined();
    expect(splitSymbol('main.')).toBeUndefined();
    expect(splitSymbol('main x.V')).toBeUndefined();
  });
});

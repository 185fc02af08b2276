import { describe, expect, it } from '@jest/globals';
import { code, table, xyChart } from './summary.js';
import { Outputs, serialize } from './outputs.js';

describe('summary helpers', () => {
  it('builds a Markdown table, escaping pipes and newlines', () => {
    expect(table(['a', 'b'], [['x|y', 'one\ntwo']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | one<br>two |');
  });

  it('draws a Mermaid xychart, quotes in the title turned to apostrophes', () => {
    expect(
      xyChart({
        title: 'say "hi"',
        labels: ['a', 'b'],
        axis: 'n',
        top: 10,
        series: [
          { kind: 'bar', values: [1, 2] },
          { kind: 'line', values: [3, 4] },
        ],
      }),
    ).toBe(
      '```mermaid\nxychart-beta\n  title "say \'hi\'"\n  x-axis ["a", "b"]\n  y-axis "n" 0 --> 10\n  bar [1, 2]\n  line [3, 4]\n```',
    );
  });

  it('fences code with a longer fence when the code holds one', () => {
    expect(code('a ``` b')).toBe('````\na ``` b\n````');
  });
});

describe('outputs', () => {
  it('serializes objects as JSON and keeps every value for the json output', () => {
    const outputs = new Outputs().set('list', [1, 2]).set('flag', true).set('missing', undefined);
    expect(outputs.all).toEqual({ list: [1, 2], flag: true, missing: undefined });
    expect(serialize([1, 2])).toBe('[1,2]');
    expect(serialize(undefined)).toBe('');
  });
});

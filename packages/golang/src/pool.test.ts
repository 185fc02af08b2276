import { describe, expect, it } from '@jest/globals';
import { sleep } from '@gin-deploy/action';
import { runPool } from './pool.js';

describe('runPool', () => {
  it('never runs more than the limit at once, and keeps results in item order', async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([30, 10, 20, 5, 15], 2, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return index * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([0, 10, 20, 30, 40]);
  });

  it('lets the others finish when one fails', async () => {
    const done: number[] = [];
    const results = await runPool([1, 2, 3], 3, async (n) => {
      if (n === 1) throw new Error('one failed');
      await sleep(5);
      done.push(n);
      return n;
    });
    expect(done.sort()).toEqual([2, 3]);
    expect(results[0]).toEqual({ status: 'rejected', reason: new Error('one failed') });
  });
});

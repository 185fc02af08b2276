import { describe, expect, it } from '@jest/globals';
import { parseFault, podsToHit } from './fault.js';

describe('faults', () => {
  it('reads the kind, the pod share and the Chaos Mesh fields', () => {
    expect(parseFault('pod-kill 50%')).toMatchObject({ kind: 'pod-kill', pods: { percent: 50 } });
    expect(parseFault(' pod-kill  2 every=10s ')).toMatchObject({
      text: 'pod-kill 2 every=10s',
      pods: { count: 2 },
      everyMs: 10_000,
      fields: {},
    });
    expect(parseFault('network-delay latency=200ms')).toMatchObject({
      pods: { percent: 100 },
      fields: { latency: '200ms', jitter: '0ms', correlation: '0' },
    });
    expect(parseFault('cpu-stress 1 workers=2 load=80').fields).toEqual({ workers: 2, load: 80 });
    expect(parseFault('memory-stress 1 size=128MB').fields).toEqual({ workers: 1, size: '128MB' });
  });

  it('names what is wrong and the format', () => {
    expect(() => parseFault('pod-kil 50%')).toThrow(/'pod-kil 50%' is not a fault; expected '<kind>/);
    expect(() => parseFault('pod-kill 0')).toThrow(/pods '0' must be at least 1/);
    expect(() => parseFault('pod-kill 150%')).toThrow(/pods '150%'/);
    expect(() => parseFault('pod-kill 1 latency=1s')).toThrow(
      /'latency=1s' is not understood; pod-kill takes/,
    );
    expect(() => parseFault('network-delay latency=fast')).toThrow(/latency=fast is not a duration/);
    expect(() => parseFault('memory-stress size=lots')).toThrow(/size=lots is not a size/);
  });

  it('rounds percentages down as fixed-percent does, but hits at least one pod', () => {
    expect(podsToHit({ percent: 50 }, 2)).toBe(1);
    expect(podsToHit({ percent: 50 }, 5)).toBe(2);
    expect(podsToHit({ percent: 10 }, 3)).toBe(1);
    expect(podsToHit({ count: 5 }, 3)).toBe(3);
    expect(podsToHit({ percent: 100 }, 0)).toBe(0);
  });
});

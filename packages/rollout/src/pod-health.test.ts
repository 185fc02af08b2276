import { describe, expect, it } from '@jest/globals';
import type { ContainerStatus, Pod } from '@gin-deploy/kube';
import { nextReadyDeadline, podProblems } from './pod-health.js';

const NOW = Date.parse('2026-01-01T00:01:00Z');
const options = { now: NOW, readyTimeoutMs: 30_000, maxRestarts: 3 };

function pod(name: string, created: string, container: Partial<ContainerStatus>, ready = false): Pod {
  return {
    metadata: { name, creationTimestamp: created },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', message: 'containers with unready status: [api]' },
      ],
      containerStatuses: [{ name: 'api', ready, restartCount: 0, ...container }],
    },
  };
}

describe('podProblems', () => {
  it.each(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError'])(
    'fails at once on %s',
    (reason) => {
      const problems = podProblems(
        [pod('p', '2026-01-01T00:00:59Z', { state: { waiting: { reason, message: 'why' } } })],
        options,
      );
      expect(problems).toEqual([{ pod: 'p', container: 'api', reason, message: 'why' }]);
    },
  );

  it('fails on restarts even while the container runs', () => {
    const restarted = pod('p', '2026-01-01T00:00:59Z', {
      restartCount: 3,
      state: { running: {} },
      lastState: { terminated: { reason: 'Error', exitCode: 2 } },
    });
    expect(podProblems([restarted], options)).toEqual([
      {
        pod: 'p',
        container: 'api',
        reason: 'Restarts',
        message: 'restarted 3 times (last exit: Error code 2)',
      },
    ]);
  });

  it('waits for readiness until ready-timeout, then fails', () => {
    const young = pod('young', '2026-01-01T00:00:40Z', { state: { running: {} } });
    const old = pod('old', '2026-01-01T00:00:20Z', { state: { running: {} } });
    expect(podProblems([young], options)).toEqual([]);
    expect(podProblems([old], options)).toEqual([
      {
        pod: 'old',
        reason: 'NotReady',
        message: 'not Ready 40 s after creation (ready-timeout 30 s): containers with unready status: [api]',
      },
    ]);
    expect(nextReadyDeadline([young, old], 30_000)).toBe(Date.parse('2026-01-01T00:00:50Z'));
  });

  it('ignores ready and terminating pods', () => {
    const ready = pod('r', '2026-01-01T00:00:00Z', { state: { running: {} } }, true);
    const leaving = pod('l', '2026-01-01T00:00:00Z', { state: { waiting: { reason: 'CrashLoopBackOff' } } });
    leaving.metadata.deletionTimestamp = '2026-01-01T00:00:59Z';
    expect(podProblems([ready, leaving], options)).toEqual([]);
  });
});

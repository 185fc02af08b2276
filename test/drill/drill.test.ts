import { describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeRun } from '../support/action.js';
import { kubectl } from '../support/cluster.js';
import { deployApp, drill, podNames, sampleApp, useDemoCluster } from './support.js';

// action: drill against pods that are real processes of the sample service (the demo kubelet): a killed pod
// is replaced by a new process that must pass its real readiness probe before the app counts as recovered.

const demo = useDemoCluster();
jest.setTimeout(5 * 60_000);

/** Deploys the sample app with `env` through k8s-rollout with `inputs` (a strategy and a drill), in a new namespace. */
async function deployer(namespace: string, inputs: Record<string, string>) {
  await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
  const workspace = path.join(demo.work, namespace);
  mkdirSync(workspace, { recursive: true });
  return (env: Record<string, string>) => {
    writeFileSync(path.join(workspace, 'app.yaml'), sampleApp('api', demo.image, { replicas: 2, env }));
    return drill(
      demo.kubeconfig,
      { action: 'deploy', manifests: 'app.yaml', namespace, timeout: '90s', ...inputs },
      { workspace },
    );
  };
}

describe('k8s-rollout action: drill', () => {
  it('kills 50% of a healthy app, measures its recovery and passes', async () => {
    const namespace = 'drill-healthy';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', demo.image, { replicas: 2 }));
    const before = await podNames(demo.kubeconfig, namespace, 'api');

    const run = await drill(demo.kubeconfig, { name: 'api', namespace, drill: 'pod-kill 50%' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['drill-result']).toBe('pass');
    const recovery = Number(run.outputs['recovery-time']);
    // A new process had to start and pass /ready: never instant, well inside the 30 s bound.
    expect(recovery).toBeGreaterThan(0.5);
    expect(recovery).toBeLessThan(30);
    const json = JSON.parse(run.outputs.json) as Record<string, unknown>;
    expect(json).toMatchObject({
      'drill-result': 'pass',
      'health-score': Number(run.outputs['health-score']),
    });
    // recovery 40 × (1 − r/30) + availability 30 × 0.5, over 70.
    const expected = ((40 * (1 - recovery / 30) + 15) / 70) * 100;
    expect(Math.abs(Number(run.outputs['health-score']) - expected)).toBeLessThanOrEqual(1);
    const after = await podNames(demo.kubeconfig, namespace, 'api');
    expect(after).toHaveLength(2);
    expect(after.filter((pod) => before.includes(pod))).toHaveLength(1);
    expect(run.summary).toContain('### Drill: pod-kill 50% — ✅ pass');
    expect(run.summary).toMatch(/xychart-beta[\s\S]*line \[[^\]]*\b50\b/);
    process.stdout.write(`healthy drill: recovery ${recovery} s, score ${run.outputs['health-score']}\n`);
  });

  it('fails a version that starts slowly: not available again within drill-recovery', async () => {
    const namespace = 'drill-slow';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(
      demo.kubeconfig,
      namespace,
      sampleApp('api', demo.image, { replicas: 2, env: { READY_AFTER: '20s' } }),
      120_000,
    );
    const started = Date.now();
    const run = await drill(demo.kubeconfig, {
      name: 'api',
      namespace,
      drill: 'pod-kill 50%',
      'drill-recovery': '8s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['drill-result']).toBe('fail');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^drill of drill-slow\/api failed: not fully available again \d+\.\d s after the fault \(drill-recovery 8 s\)$/,
    );
    expect(Number(run.outputs['recovery-time'])).toBeGreaterThanOrEqual(8);
    // The drill stops at the bound instead of waiting for the slow pod.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.summary).toContain('❌ fail');
  });

  it('keeps a history: three drills, then a worse fourth warns with the margin', async () => {
    const namespace = 'drill-history';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', demo.image, { replicas: 4 }));
    // The history file is named relative to the workspace, as a workflow names it.
    const history = path.join(demo.work, 'history', 'drills.json');
    const inputs = { name: 'api', namespace, 'drill-history': 'history/drills.json', 'drill-margin': '10' };
    const workspace = { workspace: demo.work };
    for (let index = 0; index < 3; index++) {
      const run = await drill(demo.kubeconfig, { ...inputs, drill: 'pod-kill 1' }, workspace);
      expect([run.exitCode, run.warnings]).toEqual([0, []]);
    }
    const kept = JSON.parse(readFileSync(history, 'utf8')) as { drills: { score: number; fault: string }[] };
    expect(kept.drills.map((d) => d.fault)).toEqual(['pod-kill 1', 'pod-kill 1', 'pod-kill 1']);
    const scores = kept.drills.map((d) => d.score).sort((a, b) => a - b);

    const worse = await drill(demo.kubeconfig, { ...inputs, drill: 'pod-kill 100%' }, workspace);
    expect(worse.exitCode).toBe(0);
    const score = Number(worse.outputs['health-score']);
    // Losing every pod at once costs the 30 availability points that losing 1 of 4 keeps at 22.5.
    expect(score).toBeLessThan(scores[1] - 10);
    expect(worse.warnings).toEqual([
      `drill of drill-history/api: health score ${score} is ${scores[1] - score} points below the median ${scores[1]} of the last 3 drills (margin 10)`,
    ]);
    expect(worse.summary).toMatch(/\*\*History:\*\* health score \d+ is \d+ points below the median/);
    expect(worse.summary).toMatch(/bar \[\d+, \d+, \d+, \d+\]\n {2}line \[/);
    expect((JSON.parse(readFileSync(history, 'utf8')) as { drills: unknown[] }).drills).toHaveLength(4);
    process.stdout.write(`history scores ${kept.drills.map((d) => d.score).join(', ')}, then ${score}\n`);
  });

  it('fails pods through the API alone (pause image, then restored), and repeats pod-kill', async () => {
    const namespace = 'drill-failure';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', demo.image, { replicas: 2 }));
    const run = (fault: string, duration: string) =>
      drill(demo.kubeconfig, { name: 'api', namespace, drill: fault, 'drill-duration': duration });
    const failure = await run('pod-failure 1', '6s');
    expect([failure.exitCode, failure.outputs['drill-result']]).toEqual([0, 'pass']);
    expect(failure.stdout).toMatch(/pod-failure: api-\S+ switched to registry\.k8s\.io\/pause:3\.10/);
    // Recovery counts from the restore: the container is recreated with its image and must pass /ready again.
    expect(Number(failure.outputs['recovery-time'])).toBeGreaterThan(0.5);
    expect(failure.summary).toMatch(/\| 50% \|/);
    const pods = JSON.parse(
      await kubectl(demo.kubeconfig, ['-n', namespace, 'get', 'pods', '-l', 'app=api', '-o', 'json']),
    ) as {
      items: {
        spec: { containers: { image: string }[] };
        status: { containerStatuses: { restartCount: number }[] };
      }[];
    };
    expect(pods.items.map((pod) => pod.spec.containers[0].image)).toEqual([demo.image, demo.image]);
    expect(pods.items.map((pod) => pod.status.containerStatuses[0].restartCount).sort()).toEqual([0, 2]);

    const repeated = await run('pod-kill 1 every=4s', '9s');
    expect([repeated.exitCode, repeated.outputs['drill-result']]).toEqual([0, 'pass']);
    expect(repeated.stdout.match(/pod-kill: deleted api-/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('drills the new color of a blue-green deploy: a slow version is rolled back, the Service never switches', async () => {
    const namespace = 'drill-blue-green';
    const deploy = await deployer(namespace, {
      strategy: 'blue-green',
      drill: 'pod-kill 50%',
      'drill-recovery': '10s',
      'scale-down-delay': '0s',
    });
    const selector = async () =>
      kubectl(demo.kubeconfig, ['-n', namespace, 'get', 'service', 'api', '-o', 'jsonpath={.spec.selector}']);

    const good = await deploy({ VERSION_NOTE: 'good' });
    expect([good.exitCode, good.outputs.status, good.outputs['active-color']]).toEqual([
      0,
      'succeeded',
      'blue',
    ]);
    expect(good.outputs['drill-result']).toBe('pass');
    expect(Number(good.outputs['recovery-time'])).toBeGreaterThan(0);
    expect(JSON.parse(await selector())).toEqual({ app: 'api', 'gin-deploy/color': 'blue' });

    const slow = await deploy({ READY_AFTER: '15s' });
    expect(slow.exitCode).toBe(1);
    expect([slow.outputs.status, slow.outputs['active-color'], slow.outputs['drill-result']]).toEqual([
      'rolled-back',
      'blue',
      'fail',
    ]);
    expect(slow.errors[0]).toMatch(
      /^rollout of drill-blue-green\/api rolled-back: drill failed: not fully available again .* \(drill-recovery 10 s\); Service api was not switched and still selects blue$/,
    );
    expect(JSON.parse(await selector())).toEqual({ app: 'api', 'gin-deploy/color': 'blue' });
    const green = await kubectl(demo.kubeconfig, [
      '-n',
      namespace,
      'get',
      'deployment',
      'api-green',
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    expect(green).toBe('0');
    expect(slow.summary).toContain('### Drill: pod-kill 50% — ❌ fail');
  });

  it('drills the canary before promotion: a slow version is aborted and stable keeps its template', async () => {
    const namespace = 'drill-canary';
    const deploy = await deployer(namespace, {
      strategy: 'canary',
      'canary-steps': '50,100',
      drill: 'pod-kill 1',
      'drill-recovery': '6s',
    });
    // The first deploy has no stable to compare with: it rolls out directly, without a drill.
    const first = await deploy({});
    expect([first.exitCode, first.outputs.status, first.outputs['drill-result']]).toEqual([
      0,
      'succeeded',
      undefined,
    ]);

    const slow = await deploy({ READY_AFTER: '12s' });
    expect([slow.exitCode, slow.outputs.status, slow.outputs['drill-result']]).toEqual([
      1,
      'rolled-back',
      'fail',
    ]);
    expect(slow.errors[0]).toMatch(
      /^rollout of drill-canary\/api rolled-back: drill failed: not fully available again .*; the canary was scaled to 0 and the stable api is available$/,
    );
    const stable = await kubectl(demo.kubeconfig, [
      '-n',
      namespace,
      'get',
      'deployment',
      'api',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].env}',
    ]);
    expect(stable).not.toContain('READY_AFTER');
    const canary = await kubectl(demo.kubeconfig, [
      '-n',
      namespace,
      'get',
      'deployment',
      'api-canary',
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    expect(canary).toBe('0');
  });

  it('refuses a fault it does not know on one line naming the input', async () => {
    const run = await drill(demo.kubeconfig, { name: 'api', drill: 'pod-kil 50%' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^input 'drill': 'pod-kil 50%' is not a fault; expected /),
    ]);
    expect(describeRun(run)).not.toMatch(/at .*index\.js:\d+/m);
  });
});

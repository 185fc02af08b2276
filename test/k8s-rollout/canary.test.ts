import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { ANALYSIS, side } from './analysis.js';
import { appManifests, digestImage, tempDir, writeFiles, useRolloutCluster } from './support.js';

let prometheus: RunningPrometheus;
const cluster = useRolloutCluster(200_000);

beforeAll(async () => {
  prometheus = await startPrometheus([
    ...side('good', 'stable', 0.01),
    ...side('good', 'canary', 0.01),
    ...side('bad', 'stable', 0.01),
    ...side('bad', 'canary', 0.05),
  ]);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
}, 120_000);

async function setUp(app: string, image: string) {
  const namespace = await cluster.createNamespace(`canary-${app}`);
  const workspace = writeFiles(tempDir(`canary-${app}`), {
    'app.yaml': appManifests(app, image, 4),
    'analysis.yaml': ANALYSIS,
  });
  const deploy = (inputs: Record<string, string>) =>
    cluster.rollout({ manifests: 'app.yaml', namespace, strategy: 'canary', ...inputs }, workspace);
  const first = await deploy({});
  expect([first.exitCode, first.outputs.status]).toEqual([0, 'succeeded']);
  expect(first.stdout).toContain('deploying it directly');
  return { namespace, deploy };
}

describe('k8s-rollout canary', () => {
  it('promotes a canary whose analysis passes at every step', async () => {
    const v1 = digestImage('good', '1');
    const v2 = digestImage('good', '2');
    const { namespace, deploy } = await setUp('good', v1);
    const run = await deploy({
      image: v2,
      'canary-steps': '25,50,100',
      analysis: 'analysis.yaml',
      'prometheus-url': prometheus.url,
    });
    expect([
      run.exitCode,
      run.outputs.status,
      run.outputs['previous-revision'],
      run.outputs.revision,
    ]).toEqual([0, 'succeeded', '1', '2']);
    expect(run.stdout).toContain('step 1: 25% → 1 canary pod(s) beside 4 stable (20% of the endpoints)');
    expect(run.stdout).toContain('step 2: 50% → 2 canary pod(s) beside 4 stable (33% of the endpoints)');
    expect(run.stdout.match(/analysis at \d+%: pass/g)).toHaveLength(2);
    expect(run.summary).toContain('### Canary analysis');
    expect(await cluster.readyPodImages(namespace, 'app=good')).toEqual([v2, v2, v2, v2]);
    expect((await cluster.deployment(namespace, 'good-canary')).spec.replicas).toBe(0);
  });

  it('scales a canary that fails its analysis to 0 and keeps stable serving', async () => {
    const v1 = digestImage('bad', '1');
    const v2 = digestImage('bad', '2');
    const { namespace, deploy } = await setUp('bad', v1);
    const run = await deploy({
      image: v2,
      'canary-steps': '25,100',
      analysis: 'analysis.yaml',
      'prometheus-url': prometheus.url,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors[0]).toMatch(
      /canary analysis at 25% is fail \(errors: canary significantly worse than baseline/,
    );
    expect((await cluster.deployment(namespace, 'bad-canary')).spec.replicas).toBe(0);
    const stable = await cluster.deployment(namespace, 'bad');
    expect(stable.spec.template.spec.containers[0].image).toBe(v1);
    expect(await cluster.readyPodImages(namespace, 'app=bad')).toEqual([v1, v1, v1, v1]);
  });

  it('stops at a manual pause; abort drops the canary and promote moves its template to stable', async () => {
    const v1 = digestImage('manual', '1');
    const v2 = digestImage('manual', '2');
    const v3 = digestImage('manual', '3');
    const { namespace, deploy } = await setUp('manual', v1);
    const paused = await deploy({ image: v2, 'canary-steps': '50', pause: 'manual' });
    expect([paused.exitCode, paused.outputs.status]).toEqual([0, 'paused']);
    expect(await cluster.readyPodImages(namespace, 'app=manual')).toEqual([v1, v1, v1, v1, v2, v2].sort());
    const aborted = await cluster.rollout({
      name: 'manual',
      namespace,
      strategy: 'canary',
      action: 'abort',
    });
    expect([aborted.exitCode, aborted.outputs.status]).toEqual([0, 'rolled-back']);
    expect(await cluster.readyPodImages(namespace, 'app=manual')).toEqual([v1, v1, v1, v1]);

    expect((await deploy({ image: v3, 'canary-steps': '50', pause: 'manual' })).outputs.status).toBe(
      'paused',
    );
    const promoted = await cluster.rollout({
      name: 'manual',
      namespace,
      strategy: 'canary',
      action: 'promote',
    });
    expect([promoted.exitCode, promoted.outputs.status]).toEqual([0, 'succeeded']);
    const stable = await cluster.deployment(namespace, 'manual');
    expect(stable.spec.template.spec.containers[0].image).toBe(v3);
    expect(await cluster.readyPodImages(namespace, 'app=manual')).toEqual([v3, v3, v3, v3]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readActionMetadata } from '@gin-deploy/runner';
import { ACTIONS, repoRoot } from '../support/action.js';

const examplesDir = path.join(repoRoot, 'workflows-examples');
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.yml'));
const actionlint = path.join(
  process.env.GIN_DEPLOY_CACHE ?? path.join(os.homedir(), '.cache/gin-deploy'),
  'bin/actionlint',
);
const OUR_ACTION = /^[\w.-]+\/gin-deploy\/([a-z-]+)@(.+)$/;

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  concurrency?: unknown;
  environment?: unknown;
}

describe('workflows-examples', () => {
  it('has the workflows users copy', () => {
    expect(examples.sort()).toEqual([
      'canary.yml',
      'capacity.yml',
      'deploy.yml',
      'drill.yml',
      'image.yml',
      'promote.yml',
      'release.yml',
      'waves.yml',
    ]);
  });

  it('passes actionlint', () => {
    expect(existsSync(actionlint)).toBe(true);
    const files = examples.map((name) => path.join(examplesDir, name));
    expect(() => execFileSync(actionlint, ['-no-color', ...files], { encoding: 'utf8' })).not.toThrow();
  });

  describe.each(examples)('%s', (file) => {
    const workflow = parse(readFileSync(path.join(examplesDir, file), 'utf8')) as {
      permissions?: unknown;
      jobs: Record<string, Job>;
    };

    it('grants no permissions at the top and the least per job', () => {
      expect(workflow.permissions).toEqual({});
      for (const job of Object.values(workflow.jobs)) expect(job.permissions).toBeDefined();
    });

    it('serialises deployments per environment', () => {
      for (const job of Object.values(workflow.jobs)) {
        if (job.environment) expect(job.concurrency).toBeDefined();
      }
    });

    it.each(Object.keys(workflow.jobs))(
      'job %s uses only declared inputs and outputs, pinned by version',
      (jobName) => {
        const job = workflow.jobs[jobName];
        const ours = new Map<string, string>();
        for (const step of job.steps ?? []) {
          const match = step.uses ? OUR_ACTION.exec(step.uses) : null;
          if (!match) continue;
          const [, action, ref] = match;
          expect(ACTIONS).toContain(action);
          expect(ref).toMatch(/^v\d+(\.\d+){0,2}$/);
          const declared = Object.keys(readActionMetadata(path.join(repoRoot, action)).inputs);
          for (const input of Object.keys(step.with ?? {}))
            expect([action, input, declared.includes(input)]).toEqual([action, input, true]);
          if (step.id) ours.set(step.id, action);
        }
        const text = JSON.stringify(job);
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const action = ours.get(id);
          if (!action) continue;
          const declared = Object.keys(readActionMetadata(path.join(repoRoot, action)).outputs);
          expect([action, output, declared.includes(output)]).toEqual([action, output, true]);
        }
      },
    );
  });
});

describe('README', () => {
  it('has per-action tables that match action.yml', () => {
    expect(() =>
      execFileSync(process.execPath, [path.join(repoRoot, 'scripts/readme.mjs'), '--check'], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});

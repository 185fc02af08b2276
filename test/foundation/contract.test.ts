import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readActionMetadata } from '@gin-deploy/runner';
import { ACTIONS, describeRun, repoRoot, runBundledAction } from '../support/action.js';

const INPUT_READ =
  /\b(?:optional|required|boolean|list|multiline|keyValue|json|duration|enum|number|fraction|secret|readPath|writePath)Input(?:<[^>()]*>)?\(\s*'([a-z0-9-]+)'/g;
const OUTPUT_WRITE = /\boutputs\.set\(\s*'([a-z0-9-]+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

function namesIn(action: string, pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(repoRoot, 'actions', action, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) names.add(match[1]);
  }
  return names;
}

describe.each(ACTIONS)('%s action.yml', (action) => {
  const metadata = readActionMetadata(path.join(repoRoot, action));

  it('runs the bundle with node24 from dist/', () => {
    expect(metadata.runs).toMatchObject({ using: 'node24', main: `../dist/${action}/index.js` });
    const post = existsSync(path.join(repoRoot, 'actions', action, 'src', 'post.ts'));
    expect(metadata.runs.post).toBe(post ? `../dist/${action}/post/index.js` : undefined);
    expect(metadata.name).toMatch(/gin-deploy/);
    expect(metadata.description.length).toBeGreaterThan(20);
  });

  it('describes every input and output', () => {
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect([name, input.description?.length ?? 0]).toEqual([name, expect.any(Number)]);
      expect(input.description?.trim()).toBeTruthy();
    }
    for (const output of Object.values(metadata.outputs)) expect(output.description?.trim()).toBeTruthy();
  });

  it('declares exactly the inputs the code reads', () => {
    expect([...namesIn(action, INPUT_READ)].sort()).toEqual(Object.keys(metadata.inputs).sort());
  });

  it('declares exactly the outputs the code writes, plus json', () => {
    const written = namesIn(action, OUTPUT_WRITE);
    written.add('json');
    expect(Object.keys(metadata.outputs).sort()).toEqual([...written].sort());
  });

  const required = Object.entries(metadata.inputs).filter(
    ([, input]) => input.required && input.default === undefined,
  );
  const requiredNames = required.map(([name]) => name);
  (requiredNames.length > 0 ? it.each(requiredNames) : it.skip.each(['(none: every input has a default)']))(
    'fails with one ::error:: line naming a missing required input %s',
    async (name) => {
      const given = Object.fromEntries(
        required.filter(([other]) => other !== name).map(([other]) => [other, 'x']),
      );
      // Under Node 24 as the runner runs it, and Node 20 as a local machine may.
      for (const node of [undefined, process.execPath]) {
        const run = await runBundledAction(action, { inputs: given, ...(node ? { node } : {}) });
        expect(run.exitCode).not.toBe(0);
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toContain(`'${name}'`);
        expect(run.errors[0]).not.toContain('\n');
        expect(describeRun(run)).not.toMatch(/at .*index\.js:\d+/m);
      }
    },
  );
});

// One malformed value per action: every action must reject it on one line that names the input.
const BAD_INPUT: Record<(typeof ACTIONS)[number], [string, string]> = {
  'inject-version': ['bump', 'sideways'],
  'go-cross-build': ['targets', 'linux/arm65'],
  'docker-multistage': ['push', 'maybe'],
  'slo-gate': ['on-no-data', 'shrug'],
  'k8s-rollout': ['strategy', 'big-bang'],
};

// Well-formed values for required inputs, so that only the malformed one can be the cause.
const SAMPLE: Record<string, string> = {
  'prometheus-url': 'http://127.0.0.1:9',
  image: '127.0.0.1:5000/app',
};

describe.each(ACTIONS)('%s bundle', (action) => {
  it('rejects a malformed input value with one ::error:: line naming the input', async () => {
    const metadata = readActionMetadata(path.join(repoRoot, action));
    const required = Object.entries(metadata.inputs).filter(
      ([, input]) => input.required && input.default === undefined,
    );
    const [name, value] = BAD_INPUT[action];
    const inputs = {
      ...Object.fromEntries(required.map(([other]) => [other, SAMPLE[other] ?? 'x'])),
      [name]: value,
    };
    const run = await runBundledAction(action, { inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`'${name}'`);
    expect(run.errors[0]).toContain(value);
  });
});

describe('the bundles', () => {
  it('stay inside the 8 MB dist budget', () => {
    const size = (dir: string): number =>
      readdirSync(dir).reduce((total, name) => {
        const full = path.join(dir, name);
        return total + (statSync(full).isDirectory() ? size(full) : statSync(full).size);
      }, 0);
    expect(size(path.join(repoRoot, 'dist'))).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('ship the licenses of what they bundle', () => {
    for (const action of ACTIONS) {
      expect(readFileSync(path.join(repoRoot, 'dist', action, 'licenses.txt'), 'utf8')).toContain(
        '@actions/core',
      );
    }
  });
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { findActions, runAction, type ActionRun, type RunActionOptions } from '@gin-deploy/runner';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The Node.js 24 the runner uses for `runs.using: node24` (tools/node24, installed by `make deps`). */
export const node24 = path.join(repoRoot, 'tools/node24/node_modules/node/bin/node');

export function runtimeNode(): string {
  if (process.env.GIN_DEPLOY_NODE) return process.env.GIN_DEPLOY_NODE;
  if (existsSync(node24)) return node24;
  throw new Error(
    `${node24} is missing: run 'make deps' (the bundles declare node24 and are tested with it)`,
  );
}

export type BundledRunOptions = Omit<RunActionOptions, 'actionDir'>;

/** Runs `dist/<action>/index.js` through its action.yml exactly as the runner would, under Node 24. */
export function runBundledAction(action: string, options: BundledRunOptions = {}): Promise<ActionRun> {
  return runAction({
    node: runtimeNode(),
    timeoutMs: 10 * 60_000,
    ...options,
    actionDir: path.join(repoRoot, action),
  });
}

/** The repository's actions, found as the runner finds them: the root folders with an action.yml. */
export const ACTIONS = findActions(repoRoot);

/** Lets a failing run explain itself in the test output. */
export function describeRun(run: ActionRun): string {
  return `exit ${run.exitCode}\n--- stdout\n${run.stdout.replace(/^::debug::.*\n/gm, '')}\n--- stderr\n${run.stderr}`;
}

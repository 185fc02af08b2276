import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; pre?: string; post?: string };
  /** The folder holding action.yml; `runs.main` is relative to it. */
  dir: string;
}

/**
 * The actions of a repository: the folders at its root that hold an action.yml, as `uses:
 * <owner>/<repository>/<action>@<ref>` finds them; sorted by name.
 */
export function findActions(repoRoot: string): string[] {
  return readdirSync(repoRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(repoRoot, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

export function readActionMetadata(actionDir: string): ActionMetadata {
  const file = path.join(actionDir, 'action.yml');
  const doc = parse(readFileSync(file, 'utf8')) as Omit<ActionMetadata, 'dir'>;
  if (!doc?.runs?.main) throw new Error(`${file}: runs.main is missing`);
  return {
    ...doc,
    inputs: normalizeInputs(doc.inputs ?? {}),
    outputs: doc.outputs ?? {},
    dir: actionDir,
  };
}

function normalizeInputs(inputs: Record<string, ActionInput>): Record<string, ActionInput> {
  const result: Record<string, ActionInput> = {};
  for (const [name, input] of Object.entries(inputs)) {
    // The runner passes defaults as strings, whatever YAML type they were written as.
    result[name] = { ...input, default: input.default === undefined ? undefined : String(input.default) };
  }
  return result;
}

/** `INPUT_<NAME>` as the runner names it: spaces to underscores, upper-cased, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// The repository's actions for the scripts: the folders at the root that hold an action.yml, as
// `uses: <owner>/gin-deploy/<action>@v1` finds them (packages/runner's findActions does the same for the
// TypeScript side: the CLI and the tests).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

export function findActions() {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

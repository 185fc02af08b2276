// Bundles every action entry (actions/<action>/src/index.ts) and the CLI with ncc into dist/<name>/,
// with the licenses of what each bundle contains beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const entries = readdirSync(path.join(root, 'actions'))
  .filter((name) => existsSync(path.join(root, 'actions', name, 'src', 'index.ts')))
  .map((name) => ({ name, entry: path.join('actions', name, 'src', 'index.ts') }));
entries.push({ name: 'cli', entry: path.join('cli', 'src', 'index.ts') });

mkdirSync(path.join(root, 'dist'), { recursive: true });
// The bundles are ES modules; this keeps them so even where the repository's package.json is not beside them.
writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');

for (const { name, entry } of entries) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = path.join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      entry,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--minify',
      '--no-source-map-register',
      '-q',
      '--target',
      'es2022',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  console.log(`built dist/${name} in ${Date.now() - started} ms`);
}

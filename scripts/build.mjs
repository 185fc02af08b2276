// Bundles every action entry (actions/<action>/src/index.ts) and the CLI with ncc into dist/<name>/,
// with the licenses of what each bundle contains beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { minify } from 'terser';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const entries = readdirSync(path.join(root, 'actions'))
  .filter((name) => existsSync(path.join(root, 'actions', name, 'src', 'index.ts')))
  .flatMap((name) => [
    { name, entry: path.join('actions', name, 'src', 'index.ts') },
    // An action's post step (runs.post), bundled beside its main one into dist/<action>/post/.
    ...(existsSync(path.join(root, 'actions', name, 'src', 'post.ts'))
      ? [{ name: `${name}/post`, entry: path.join('actions', name, 'src', 'post.ts'), parent: name }]
      : []),
  ]);
entries.push({ name: 'cli', entry: path.join('cli', 'src', 'index.ts') });
// @actions/cache once for every bundle that caches (packages/action/src/actions-cache.ts loads it); built with any
// action when it is missing.
entries.push({
  name: 'actions-cache',
  entry: path.join('packages', 'action', 'src', 'actions-cache-library.ts'),
  shared: true,
});

mkdirSync(path.join(root, 'dist'), { recursive: true });
// The bundles are ES modules; this keeps them so even where the repository's package.json is not beside them.
writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');

for (const { name, entry, parent, shared } of entries) {
  const missing = shared && !existsSync(path.join(root, 'dist', name, 'index.js'));
  if (only.length > 0 && !only.includes(parent ?? name) && !missing) continue;
  const out = path.join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  const statsFile = path.join(os.tmpdir(), `ncc-stats-${name.replace(/\//g, '-')}-${process.pid}.json`);
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      entry,
      '-o',
      out,
      '--minify',
      '--no-source-map-register',
      '-q',
      '--target',
      'es2022',
      '--stats-out',
      statsFile,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  await minifyChunks(out);
  writeFileSync(path.join(out, 'licenses.txt'), licenses(JSON.parse(readFileSync(statsFile, 'utf8'))));
  rmSync(statsFile, { force: true });
  console.log(`built dist/${name} in ${Date.now() - started} ms`);
}

// ncc minifies only a bundle's entry file: the chunks of lazily loaded modules (e.g. @actions/core's OIDC client,
// loaded by getIDToken alone) are written as they are, so terser minifies them here.
async function minifyChunks(dir) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js') && name !== 'index.js')) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    const { code } = await minify(source, { module: true, ecma: 2022, compress: true, mangle: true });
    writeFileSync(path.join(dir, file), code);
  }
}

// ncc's own --license lists only the last chunk's packages when a bundle has lazily loaded chunks, so the
// list is made here from every module of every chunk.
function licenses(stats) {
  const packageDirs = new Set();
  const visit = (modules) => {
    for (const module of modules ?? []) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec((module.name ?? '').replace(/^\.\//, ''));
      if (match) packageDirs.add(path.resolve(root, match[1]));
      visit(module.modules);
    }
  };
  visit(stats.modules);
  const entries = [...packageDirs]
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const licenseFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
      const text = licenseFile ? readFileSync(path.join(dir, licenseFile), 'utf8').trim() : '';
      return { name: manifest.name, license: manifest.license ?? 'UNKNOWN', text };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set();
  return (
    entries
      .filter((entry) => !seen.has(entry.name) && seen.add(entry.name))
      .map((entry) => `${entry.name}\n${entry.license}\n${entry.text}`)
      .join('\n\n') + '\n'
  );
}

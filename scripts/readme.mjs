// Writes the per-action input and output tables of README.md from each action.yml, between the markers
// <!-- action:NAME --> and <!-- /action:NAME -->. `--check` only reports whether README.md is current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findActions, root } from './actions.mjs';

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

export function actionTables(action) {
  const doc = parse(readFileSync(path.join(root, action, 'action.yml'), 'utf8'));
  const inputs = Object.entries(doc.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required && input.default === undefined ? 'yes' : ''} | ${input.default === undefined || input.default === '' ? '' : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
  );
  const outputs = Object.entries(doc.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return [
    `### ${action}`,
    '',
    cell(doc.description),
    '',
    '| input | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

export function renderReadme(readme) {
  let result = readme;
  for (const action of findActions()) {
    const start = `<!-- action:${action} -->`;
    const end = `<!-- /action:${action} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
    result = result.slice(0, from + start.length) + '\n' + actionTables(action) + '\n' + result.slice(to);
  }
  return result;
}

const file = path.join(root, 'README.md');
const current = readFileSync(file, 'utf8');
const rendered = renderReadme(current);
if (process.argv.includes('--check')) {
  if (rendered !== current) {
    console.error('README.md action tables differ from action.yml: run `node scripts/readme.mjs`');
    process.exit(1);
  }
} else if (rendered !== current) {
  writeFileSync(file, rendered);
  console.log('README.md action tables updated');
}

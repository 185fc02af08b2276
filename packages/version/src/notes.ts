import type { ConventionalCommit } from './conventional.js';

const SECTIONS: { title: string; matches: (commit: ConventionalCommit) => boolean }[] = [
  { title: '⚠ Breaking changes', matches: (c) => c.breaking },
  { title: 'Features', matches: (c) => c.type === 'feat' },
  { title: 'Bug fixes', matches: (c) => c.type === 'fix' },
  { title: 'Performance', matches: (c) => c.type === 'perf' },
  { title: 'Reverts', matches: (c) => c.type === 'revert' },
  { title: 'Documentation', matches: (c) => c.type === 'docs' },
  { title: 'Other changes', matches: () => true },
];

/** Release notes in Markdown: one section per commit type, breaking changes first, each commit once. */
export function releaseNotes(commits: readonly ConventionalCommit[], shortLength = 7): string {
  const placed = new Set<ConventionalCommit>();
  const sections: string[] = [];
  for (const section of SECTIONS) {
    const items = commits.filter((commit) => !placed.has(commit) && section.matches(commit));
    if (items.length === 0) continue;
    for (const item of items) placed.add(item);
    const lines = items.map((commit) => {
      const scope = commit.scope ? `**${commit.scope}:** ` : '';
      return `- ${scope}${commit.description} (${commit.sha.slice(0, shortLength)})`;
    });
    sections.push(`### ${section.title}\n\n${lines.join('\n')}`);
  }
  return sections.length > 0 ? sections.join('\n\n') : 'No changes since the previous release.';
}

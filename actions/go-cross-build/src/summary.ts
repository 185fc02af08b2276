import { formatBytes, table } from '@gin-deploy/action';
import { targetLabel, type CacheOutcome, type CrossBuildResult, type SourceTime } from '@gin-deploy/golang';

export interface Report {
  module: string;
  goVersion: string;
  upx?: string;
  result: CrossBuildResult;
  cache: CacheOutcome | { state: 'off' };
  sourceTime?: SourceTime;
  reproducible: boolean;
  /** 'on', 'off' (reuse-links: false), or why kept binaries cannot be used for these settings. */
  linkReuse: string;
  strip: boolean;
  /** The compiler flags the action added (`-gcflags=all=-dwarf=false` when the linker drops DWARF). */
  compilerFlags: string[];
  /** Whether the final ldflags drop DWARF (the last -w is on). */
  linkerDropsDwarf: boolean;
  parallel: number;
  /** `-p=N` when the builds running at once share the CPUs. */
  processFlags: string[];
  display: (file: string) => string;
  durationMs: number;
  /** The signal that cancelled the job during the build, if one did. */
  cancelledBy?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderSummary(report: Report): string[] {
  const { result, display } = report;
  const failed = result.outcomes.filter((outcome) => !outcome.ok).length;
  const rows = result.outcomes.map((outcome) => [
    targetLabel(outcome.target),
    outcome.ok ? '✅' : `❌ ${outcome.error ?? ''}`,
    outcome.binary ? `\`${display(outcome.binary.file)}\`` : '',
    outcome.binary ? formatBytes(outcome.binary.size) : '',
    outcome.binary ? `\`${outcome.binary.sha256}\`` : '',
    outcome.archive ? `\`${display(outcome.archive.file)}\` (${formatBytes(outcome.archive.size)})` : '',
    outcome.reused ? `${seconds(outcome.durationMs)}, not linked again` : seconds(outcome.durationMs),
  ]);
  return [
    `### go-cross-build${report.cancelledBy ? ` cancelled (${report.cancelledBy})` : ''}: ` +
      `${result.outcomes.length - failed} of ${result.outcomes.length} targets built` +
      `${failed ? `, ${failed} ${report.cancelledBy ? 'stopped or failed' : 'failed'}; nothing was published` : ''}`,
    `\`${report.module}\` with ${report.goVersion}, ${report.parallel} at a time` +
      (report.processFlags.length
        ? ` (\`${report.processFlags.join(' ')}\` each: the CPUs shared out)`
        : '') +
      `, ${seconds(report.durationMs)} in all.`,
    table(['target', 'status', 'binary', 'size', 'sha256', 'archive', 'build time'], rows),
    reusedLine(report),
    stripLine(report),
    reproducibleLine(report),
    report.upx && `Packed with ${report.upx}.`,
    result.checksums && `Checksums: \`${display(result.checksums.file)}\` (\`sha256sum -c\` reads it).`,
    cacheLine(report.cache),
  ].filter((line): line is string => Boolean(line));
}

function stripLine({ result, strip: stripped, compilerFlags, linkerDropsDwarf }: Report): string | undefined {
  const flags = compilerFlags.join(' ');
  if (!stripped)
    return flags
      ? `The linker drops DWARF (\`-w\` in ldflags), so the compiler generated none (\`${flags}\`).`
      : undefined;
  const dwarf = flags ? ` The compiler generated no DWARF either (\`${flags}\`).` : '';
  const how = linkerDropsDwarf
    ? '`-s -w`: no symbol table, no DWARF'
    : '`-s`: no symbol table; DWARF kept, as ldflags turn `-w` off';
  const strip = result.strip;
  if (!strip) return `Stripped (${how}); \`measure-strip: true\` reports the size this saves.${dwarf}`;
  const saved = strip.unstripped - strip.stripped;
  const percent = Math.round((saved / strip.unstripped) * 100);
  return (
    `Stripping (${how}) saved ${formatBytes(saved)} (${percent}%) on ${targetLabel(strip.target)}: ` +
    `${formatBytes(strip.unstripped)} unstripped → ${formatBytes(strip.stripped)}, measured by one more build without ` +
    `\`-s -w\` (${seconds(strip.durationMs)}).${dwarf}`
  );
}

function reusedLine({ result, linkReuse }: Report): string | undefined {
  if (linkReuse === 'off') return 'Every target linked (`reuse-links: false`).';
  if (linkReuse !== 'on')
    return `Every target linked: ${linkReuse}, so no binary kept from an earlier build is used.`;
  const reused = result.outcomes.filter((outcome) => outcome.reused).length;
  if (reused === 0) return undefined;
  return (
    `${reused} of ${result.outcomes.length} targets not linked again: the binary kept from the last build on this ` +
    'runner carried the build ID this build would give it (same sources, flags and toolchain), and its sha256 ' +
    'matched the one it was kept under.'
  );
}

function reproducibleLine(report: Report): string {
  if (!report.reproducible) return 'Not reproducible: `reproducible` is false (file times as built).';
  const time = report.sourceTime;
  if (!time)
    return 'Reproducible binaries (`-trimpath`, build IDs from the inputs); file times as built: no git commit and no SOURCE_DATE_EPOCH.';
  const when = new Date(time.seconds * 1000).toISOString();
  return `Reproducible: \`-trimpath\`, build IDs from the inputs, file times set to ${when} (${time.from === 'commit' ? 'the commit time' : 'SOURCE_DATE_EPOCH'}).`;
}

function cacheLine(cache: Report['cache']): string {
  switch (cache.state) {
    case 'off':
      return 'Cache: off (`cache: false`).';
    case 'local':
      return `Cache: no Actions cache service here (not on GitHub), nothing restored or saved; key \`${cache.key}\`.`;
    case 'hit':
    case 'unchanged':
      return `Cache: restored \`${cache.key}\` (exact hit), not saved again.`;
    case 'saved':
      return `Cache: ${cache.matchedKey ? `restored \`${cache.matchedKey}\`, ` : 'nothing to restore, '}saved \`${cache.key}\`.`;
    case 'partial':
    case 'miss':
      return `Cache: ${cache.matchedKey ? `restored \`${cache.matchedKey}\`` : 'nothing to restore'}; not saved because a target failed; key \`${cache.key}\`.`;
    case 'failed':
      return `Cache: failed (${cache.detail ?? 'see the warnings'}); key \`${cache.key}\`.`;
  }
}

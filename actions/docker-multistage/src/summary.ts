import { code, formatBytes, table, writeSummary } from '@gin-deploy/action';
import { repositoryName, type LayerStats } from '@gin-deploy/oci';
import type { BuildResult } from './result.js';
import type { Settings } from './settings.js';

export function writeImageSummary(settings: Settings, result: BuildResult, imageRef: string): void {
  const name = repositoryName(settings.image);
  writeSummary([
    `### docker-multistage: ${name}`,
    `Builder \`${result.builder}\` on ${result.base ? `\`${result.base.name}@${result.base.digest}\`` : '`scratch`'}; ` +
      (result.pushed
        ? `pushed as \`${imageRef}\`.`
        : `written as an OCI image layout to \`${settings.outputDir}\`.`),
    table(
      ['platform', 'manifest', 'layers', 'size', 'base', 'added'],
      result.platforms.map((p) => [
        p.platform,
        `\`${p.digest.slice(0, 19)}…\``,
        p.layers,
        formatBytes(p.size),
        formatBytes(p.baseSize),
        formatBytes(p.size - p.baseSize),
      ]),
    ),
    result.layers && layersLine(result.layers),
    tagsLine(settings, result),
    result.binaries &&
      table(
        ['platform', 'binary sha256 (verified)', 'size'],
        result.binaries.map((b) => [b.platform, `\`${b.sha256}\``, formatBytes(b.size)]),
      ),
    result.sbom &&
      `SBOM: \`${result.sbom.file}\`${result.sbom.artifact ? ` (attached as \`${result.sbom.artifact}\`)` : ''}`,
    result.lint &&
      result.lint.length > 0 &&
      `Dockerfile lint:\n\n${result.lint.map((line) => `- ${line}`).join('\n')}`,
    result.pushed && code(`docker pull ${imageRef}`, 'sh'),
  ]);
}

function tagsLine(settings: Settings, result: BuildResult): string | false {
  const quote = (tags: string[]) => tags.map((tag) => `\`${tag}\``).join(', ');
  const tags = result.tags;
  if (!tags) return settings.tags.length > 0 && `Tags: ${quote(settings.tags)}`;
  if (!tags.error) return tags.moved.length > 0 && `Tags: ${quote(tags.moved)}`;
  return (
    `**Tagging failed** at \`${tags.unmoved[0]}\`: ${tags.error}. ` +
    `Moved: ${quote(tags.moved) || 'none'}. Not moved: ${quote(tags.unmoved)}.`
  );
}

/** One line on how the layers were made: what was compressed (size, time) and what the layer cache saved. */
export function layersLine(stats: LayerStats): string {
  const made =
    stats.compressed === 0
      ? `Layers (${stats.compression}): none compressed`
      : `Layers (${stats.compression}): ${stats.compressed} compressed, ${formatBytes(stats.uncompressedBytes)} → ` +
        `${formatBytes(stats.compressedBytes)} in ${(stats.compressMs / 1000).toFixed(2)} s`;
  const reused =
    stats.reused > 0 ? `; ${stats.reused} reused from the layer cache (already in the registry)` : '';
  const missing =
    stats.missing > 0 ? `; ${stats.missing} cached but not in the registry, so compressed again` : '';
  return `${made}${reused}${missing}.`;
}

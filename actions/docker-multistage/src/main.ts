import { errorMessage, oneLine, Outputs, withFailureOutputs, writeSummary } from '@gin-deploy/action';
import { repositoryName } from '@gin-deploy/oci';
import { runAssemble } from './assemble.js';
import { runDockerfileBuild } from './dockerfile-build.js';
import { PartialPushError } from './push.js';
import type { BuildResult } from './result.js';
import { asInputError, readSettings, type Settings } from './settings.js';
import { writeImageSummary } from './summary.js';

export async function main(): Promise<void> {
  let read: Settings | undefined; // for the failure outputs, once the inputs are read
  // Every way out writes outputs and a summary: a digest already in the registry is still reported.
  const { settings, result } = await withFailureOutputs(
    (error) => publishFailure(read, error instanceof PartialPushError ? error.digest : undefined, error),
    async () => {
      try {
        const settings = (read = readSettings());
        const result =
          settings.builder === 'assemble' ? await runAssemble(settings) : await runDockerfileBuild(settings);
        return { settings, result };
      } catch (caught) {
        throw asInputError(caught);
      }
    },
  );
  publish(settings, result);
  writeImageSummary(settings, result, `${repositoryName(settings.image)}@${result.digest}`);
  const tags = result.tags;
  if (tags?.error) {
    throw new Error(
      `${repositoryName(settings.image)}@${result.digest} is pushed, but tag ${tags.unmoved[0]} failed: ${tags.error}; ` +
        `moved: ${tags.moved.join(', ') || 'none'}; not moved: ${tags.unmoved.join(', ')}`,
    );
  }
}

function publish(settings: Settings, result: BuildResult): void {
  const name = repositoryName(settings.image);
  const imageRef = `${name}@${result.digest}`;
  const sizes = Object.fromEntries(result.platforms.map((p) => [p.platform, p.size]));
  const tags = result.tags?.moved ?? settings.tags;
  const outputs = new Outputs();
  outputs.set('image', name);
  outputs.set('digest', result.digest);
  outputs.set('image-ref', imageRef);
  outputs.set('tags', tags.map((tag) => `${name}:${tag}`).join(','));
  outputs.set('platforms', result.platforms.map((p) => p.platform).join(','));
  outputs.set('size', sizes);
  outputs.set('sbom', result.sbom?.file ?? '');
  outputs.set('metadata', {
    'image.name': tags.map((tag) => `${name}:${tag}`).join(','),
    'containerimage.digest': result.digest,
    builder: result.builder,
    pushed: result.pushed,
    ...(result.pushed ? {} : { 'oci-layout': settings.outputDir }),
    platforms: result.platforms,
    ...(result.binaries ? { binaries: result.binaries } : {}),
    ...(result.layers ? { layers: result.layers } : {}),
    ...(result.layerCache ? { 'layer-cache': result.layerCache } : {}),
    ...(result.base ? { base: result.base } : {}),
    ...(result.sbom ? { sbom: result.sbom } : {}),
    ...(result.lint ? { lint: result.lint } : {}),
    ...(result.tags?.error ? { 'tags-not-moved': result.tags.unmoved } : {}),
  });
  outputs.publish();
}

/**
 * The outputs and summary of a step that failed before it had a whole image to report, bad input included:
 * every declared output is written, empty but for a digest already in the registry.
 */
function publishFailure(settings: Settings | undefined, digest: string | undefined, error: unknown): void {
  const name = settings ? repositoryName(settings.image) : '';
  const outputs = new Outputs();
  outputs.set('image', name);
  outputs.set('digest', digest ?? '');
  outputs.set('image-ref', digest && name ? `${name}@${digest}` : '');
  outputs.set('tags', '');
  outputs.set('platforms', '');
  outputs.set('size', {});
  outputs.set('sbom', '');
  outputs.set('metadata', {
    ...(settings ? { builder: settings.builder } : {}),
    ...(digest ? { 'containerimage.digest': digest } : {}),
    pushed: Boolean(digest),
    error: oneLine(errorMessage(error)),
  });
  outputs.publish({ failure: true });
  writeSummary([
    `### docker-multistage: ${name || 'the step'} failed`,
    digest
      ? `The image is in the registry as \`${name}@${digest}\`, but no tag was moved: ${errorMessage(error)}`
      : `Nothing was tagged: ${errorMessage(error)}`,
  ]);
}

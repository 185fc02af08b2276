import path from 'node:path';
import { optionalInput, Outputs } from '@gin-deploy/action';
import { repositoryName } from '@gin-deploy/oci';
import { runAssemble } from './assemble.js';
import { runDockerfileBuild } from './dockerfile-build.js';
import { readSettings } from './settings.js';
import { writeImageSummary } from './summary.js';

export async function main(): Promise<void> {
  const settings = readSettings();
  const sbomFile = path.resolve(settings.workspace, optionalInput('sbom-file') ?? 'sbom.spdx.json');
  const result =
    settings.builder === 'assemble'
      ? await runAssemble(settings, sbomFile)
      : await runDockerfileBuild(settings);
  const name = repositoryName(settings.image);
  const imageRef = `${name}@${result.digest}`;
  const sizes = Object.fromEntries(result.platforms.map((p) => [p.platform, p.size]));
  const outputs = new Outputs();
  outputs.set('image', name);
  outputs.set('digest', result.digest);
  outputs.set('image-ref', imageRef);
  outputs.set('tags', settings.tags.map((tag) => `${name}:${tag}`).join(','));
  outputs.set('platforms', result.platforms.map((p) => p.platform).join(','));
  outputs.set('size', sizes);
  outputs.set('sbom', result.sbom?.file ?? '');
  outputs.set('metadata', {
    'image.name': settings.tags.map((tag) => `${name}:${tag}`).join(','),
    'containerimage.digest': result.digest,
    builder: result.builder,
    pushed: result.pushed,
    ...(result.pushed ? {} : { 'oci-layout': settings.outputDir }),
    platforms: result.platforms,
    ...(result.base ? { base: result.base } : {}),
    ...(result.sbom ? { sbom: result.sbom } : {}),
    ...(result.lint ? { lint: result.lint } : {}),
  });
  outputs.publish();
  writeImageSummary(settings, result, imageRef);
}

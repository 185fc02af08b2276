import { errorMessage, info, jobCancelledBy, rfc3339 } from '@gin-deploy/action';
import {
  artifactManifest,
  MediaType,
  pushBlobs,
  pushImage,
  pushReferrer,
  pushTags,
  RegistryAccess,
  RegistryClient,
  repositoryName,
  type Artifact,
  type AssembledImage,
  type Blob,
} from '@gin-deploy/oci';
import type { BuildResult } from './result.js';
import type { Settings } from './settings.js';

export interface PushOptions {
  client: RegistryClient;
  /** Reads base layers that live on another registry. */
  baseClient?: RegistryClient;
  /** The SBOM to attach as a referrer of the image, before any tag. */
  sbom?: Blob;
}

/**
 * The one way every builder's image reaches the registry, in go-containerregistry's remote.Write order: blobs,
 * manifests and the index by digest, then the SBOM referrer, then the tags. A refused tag is reported (moved and
 * not moved), not thrown, so the step still writes the digest.
 */
export async function pushByDigest(
  settings: Settings,
  image: AssembledImage,
  { client, baseClient, sbom }: PushOptions,
): Promise<{ sbomDigest?: string; tags: NonNullable<BuildResult['tags']> }> {
  const digest = image.index.descriptor.digest;
  const artifact = sbom
    ? artifactManifest(image.index.descriptor, MediaType.spdx, sbom, {
        'org.opencontainers.image.created': rfc3339(settings.epoch),
      })
    : undefined;
  // The SBOM's blobs go up beside the image's; its manifest, which names the index, only after the index.
  const [pushed, sbomBlobs] = await Promise.allSettled([
    pushImage(image, { client, repo: settings.image.path, baseClient }),
    artifact ? pushBlobs(client, settings.image.path, artifact.blobs) : undefined,
  ]);
  if (pushed.status === 'rejected') throw pushed.reason;
  const report = pushed.value;
  info(
    `pushed ${repositoryName(settings.image)}@${digest}: ${report.blobs.uploaded} blobs uploaded, ${report.blobs.mounted} mounted, ${report.blobs.exists} already there`,
  );
  const sbomDigest = artifact ? await attachSbom(settings, client, image, artifact, sbomBlobs) : undefined;
  const moved = await pushTags(client, settings.image.path, image.index, settings.tags);
  // Once the job is cancelled no tag PUT is sent (fetchWithRetry refuses it), and the step fails with the digest.
  const cancelled = jobCancelledBy();
  if (cancelled)
    throw new PartialPushError(
      `the job was cancelled (${cancelled}): ${repositoryName(settings.image)}@${digest} is pushed; ` +
        `tags moved: ${moved.moved.join(', ') || 'none'}; not moved or not confirmed: ${moved.unmoved.join(', ') || 'none'}`,
      digest,
    );
  if (moved.moved.length > 0) info(`tagged ${moved.moved.join(', ')}`);
  return {
    sbomDigest,
    tags: { moved: moved.moved, unmoved: moved.unmoved, error: moved.error && errorMessage(moved.error) },
  };
}

/** The SBOM as a referrer of the index, pushed before any tag: a tagged image always has its SBOM. */
async function attachSbom(
  settings: Settings,
  client: RegistryClient,
  image: AssembledImage,
  artifact: Artifact,
  blobs: PromiseSettledResult<unknown>,
): Promise<string> {
  const digest = image.index.descriptor.digest;
  try {
    if (blobs.status === 'rejected') throw blobs.reason;
    const pushed = await pushReferrer(client, settings.image.path, artifact, MediaType.spdx);
    info(
      `SBOM ${pushed.digest} refers to ${digest}${pushed.fallbackTag ? ` (referrers tag ${pushed.fallbackTag})` : ''}`,
    );
    return pushed.digest;
  } catch (error) {
    throw new PartialPushError(
      `the SBOM of ${repositoryName(settings.image)}@${digest} could not be attached (${errorMessage(error)}); no tag was moved`,
      digest,
    );
  }
}

/** A failure after the image itself is in the registry by digest: the step still reports that digest. */
export class PartialPushError extends Error {
  constructor(
    message: string,
    readonly digest: string,
  ) {
    super(message);
    this.name = 'PartialPushError';
  }
}

/** The registry clients and credentials of this step, for every builder. */
export function registryAccess(settings: Settings): RegistryAccess {
  return new RegistryAccess({
    target: settings.image.domain,
    username: settings.username,
    password: settings.password,
    insecureRegistries: settings.insecureRegistries,
    log: info,
  });
}

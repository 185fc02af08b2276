import type { AssembledImage } from './assemble.js';
import {
  emptyConfigBlob,
  jsonBlob,
  plainDescriptor,
  type Blob,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from './image.js';
import { MediaType } from './media-types.js';
import type { BlobPushResult, RegistryClient } from './registry.js';

export interface PushTarget {
  client: RegistryClient;
  repo: string;
  /** Reads base layers when the base lives on another registry (no cross-repository mount possible). */
  baseClient?: RegistryClient;
  concurrency?: number;
}

export interface PushReport {
  digest: string;
  blobs: Record<BlobPushResult, number>;
}

/**
 * Pushes every blob, then the platform manifests and the index, all by digest; no tag moves. Follows
 * go-containerregistry's remote.Write: call pushTags only after everything the tags will point at (the SBOM
 * referrer included) is accepted, so a tag never names an incomplete image.
 */
export async function pushImage(image: AssembledImage, target: PushTarget): Promise<PushReport> {
  const { client, repo } = target;
  // Layers made without their bytes were found in the repository while the image was assembled.
  const counts: Record<BlobPushResult, number> = { exists: image.present.length, mounted: 0, uploaded: 0 };
  const ours = new Set(
    [...image.blobs, ...image.present.map((descriptor) => ({ descriptor }))].map((b) => b.descriptor.digest),
  );
  const jobs: (() => Promise<void>)[] = [];
  const base = image.base;
  if (base) {
    const sameRegistry = base.domain === client.domain;
    const reader = sameRegistry ? client : (target.baseClient ?? client);
    const seen = new Set<string>();
    for (const layer of image.platforms.flatMap((p) => p.layers)) {
      if (seen.has(layer.digest) || ours.has(layer.digest)) continue;
      seen.add(layer.digest);
      jobs.push(async () => {
        const result = await client.pushBlob(
          repo,
          layer,
          () => reader.getBlob(base.repo, layer.digest),
          sameRegistry ? base.repo : undefined,
        );
        counts[result]++;
      });
    }
  }
  for (const blob of image.blobs) {
    jobs.push(async () => {
      counts[await client.pushBlob(repo, blob.descriptor, async () => blob.data)]++;
    });
  }
  await runLimited(jobs, target.concurrency ?? 3);
  // The platform manifests name only blobs, so they go at once; the index names them, so it goes after.
  await Promise.all(
    image.platforms.map(({ manifest }) =>
      client.putManifest(repo, manifest.descriptor.digest, manifest.data, manifest.descriptor.mediaType),
    ),
  );
  const digest = image.index.descriptor.digest;
  await client.putManifest(repo, digest, image.index.data, image.index.descriptor.mediaType);
  return { digest, blobs: counts };
}

export interface TagReport {
  moved: string[];
  /** Tags not moved: the one that failed first, then those not tried. */
  unmoved: string[];
  error?: Error;
}

/**
 * Points each tag at a manifest already in the registry, in order; stops at the first tag the registry refuses
 * (after the client's retries) and reports which tags moved and which did not, instead of throwing.
 */
export async function pushTags(
  client: RegistryClient,
  repo: string,
  manifest: Blob,
  tags: readonly string[],
): Promise<TagReport> {
  const moved: string[] = [];
  for (const [i, tag] of tags.entries()) {
    try {
      await client.putManifest(repo, tag, manifest.data, manifest.descriptor.mediaType);
    } catch (error) {
      return {
        moved,
        unmoved: tags.slice(i),
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
    moved.push(tag);
  }
  return { moved, unmoved: [] };
}

export interface Artifact {
  manifest: Blob;
  blobs: Blob[];
}

/** An artifact manifest (image-spec 1.1: empty config, `artifactType`, `subject`) holding one file. */
export function artifactManifest(
  subject: Descriptor,
  artifactType: string,
  file: Blob,
  annotations: Record<string, string>,
): Artifact {
  const config = emptyConfigBlob();
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    artifactType,
    config: config.descriptor,
    layers: [file.descriptor],
    subject: plainDescriptor(subject),
    annotations,
  };
  return { manifest: jsonBlob(manifest, MediaType.manifest), blobs: [config, file] };
}

/** Pushes blobs at once (each HEAD first, then uploaded when missing). */
export async function pushBlobs(client: RegistryClient, repo: string, blobs: readonly Blob[]): Promise<void> {
  await Promise.all(blobs.map((blob) => client.pushBlob(repo, blob.descriptor, async () => blob.data)));
}

/**
 * Pushes an artifact that refers to its subject: its blobs, then its manifest (pushReferrer).
 */
export async function pushArtifact(
  client: RegistryClient,
  repo: string,
  artifact: Artifact,
  artifactType: string,
): Promise<{ digest: string; fallbackTag?: string }> {
  await pushBlobs(client, repo, artifact.blobs);
  return pushReferrer(client, repo, artifact, artifactType);
}

/**
 * Pushes the manifest of an artifact whose blobs the repository holds. Registries without the referrers API (no
 * OCI-Subject header) find it through the fallback tag `sha256-<subject hex>`, an index of the subject's
 * referrers, read while the manifest goes up.
 */
export async function pushReferrer(
  client: RegistryClient,
  repo: string,
  artifact: Artifact,
  artifactType: string,
): Promise<{ digest: string; fallbackTag?: string }> {
  const digest = artifact.manifest.descriptor.digest;
  const parsed = JSON.parse(artifact.manifest.data.toString('utf8')) as ImageManifest;
  const fallbackTag = parsed.subject!.digest.replace(':', '-');
  const existing = client.getManifest(repo, fallbackTag).then(
    (response) => JSON.parse(response.data.toString('utf8')) as ImageIndex,
    // No referrers yet.
    (): ImageIndex => ({ schemaVersion: 2, mediaType: MediaType.index, manifests: [] }),
  );
  const { subjectAccepted } = await client.putManifest(
    repo,
    digest,
    artifact.manifest.data,
    MediaType.manifest,
  );
  if (subjectAccepted) return { digest };
  const index = await existing;
  const entry: Descriptor = {
    ...plainDescriptor(artifact.manifest.descriptor),
    artifactType,
    ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
  };
  index.manifests = [...index.manifests.filter((m) => m.digest !== digest), entry];
  const blob = jsonBlob(index, MediaType.index);
  await client.putManifest(repo, fallbackTag, blob.data, MediaType.index);
  return { digest, fallbackTag };
}

async function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

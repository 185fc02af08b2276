import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import {
  errorMessage,
  info,
  restoreActionsCache,
  saveActionsCache,
  UserError,
  type CacheEntry,
  type CacheOutcome,
} from '@gin-deploy/action';
import {
  assembleImage,
  binaryLayerEntries,
  digestOf,
  carriedLayersEntry,
  HOST_CA_CERTIFICATES,
  HOST_ZONEINFO,
  LayerCache,
  CARRIED_LAYERS_DIR,
  layerCacheDir,
  layerMaker,
  MediaType,
  platformString,
  readBaseImage,
  readBinary,
  verifyBinary,
  formatReference,
  RegistryAuthError,
  RegistryClient,
  repositoryName,
  writeLayout,
  type AssembledImage,
  type Blob,
  type PlatformBinary,
  type Reference,
  type VerifiedBinary,
} from '@gin-deploy/oci';
import { parseBuildInfoBinary, spdxDocument, type SbomBinary } from '@gin-deploy/sbom';
import { enforceImageUser } from './hardening.js';
import { pushByDigest, registryAccess } from './push.js';
import { layersLine } from './summary.js';
import type { BuildResult } from './result.js';
import type { Settings } from './settings.js';

/** The daemonless builder: binaries onto scratch or a base, pushed with the registry client or written as a layout. */
export async function runAssemble(settings: Settings): Promise<BuildResult> {
  const sbomFile = settings.sbomFile;
  enforceImageUser(settings);
  const registries = registryAccess(settings);
  const target = registries.client(settings.image.domain);
  const baseClient = settings.base ? registries.client(settings.base.domain) : undefined;
  const binaryPath = `/usr/local/bin/${settings.binaryName}`;
  const cache = settings.push ? new LayerCache(layerCacheDir()) : undefined;
  const carried = cache ? carriedLayers(settings, binaryPath) : undefined;
  const restored = carried && cache ? await restoreLayers(carried, cache) : undefined;
  const layers = layerMaker({
    compression: settings.compression,
    ...(cache
      ? { cache, inRegistry: (digest: string) => target.blobExists(settings.image.path, digest) }
      : {}),
  });
  // The registry is asked about the layers the reported hashes name while the binaries are read and hashed.
  for (const binary of settings.binaries)
    if (binary.expected)
      layers.prefetch(binaryLayerEntries(binaryPath, { sha256: binary.expected.sha256 }), settings.epoch);
  // Each binary is read once; its layer and the SBOM take exactly the bytes that are verified.
  const [read, base] = await Promise.all([
    Promise.all(settings.binaries.map(readBinary)),
    settings.base && baseClient ? readBase(settings.base, baseClient, settings.binaries) : undefined,
  ]);
  if (base) info(`base ${base.name}@${base.digest}`);
  // Hashed before packing: the layer cache is keyed by the verified sha256 (~25 ms for a 22 MB binary), and a
  // mismatch stops the step before any layer is made.
  const binaries = read.map(verifyBinary);
  const [image, sbomBinaries] = await Promise.all([
    assembleImage(
      binaries,
      {
        binaryPath,
        user: settings.user,
        entrypoint: settings.entrypoint ?? [`/usr/local/bin/${settings.binaryName}`],
        env: settings.env,
        ports: settings.port ? [settings.port] : [],
        labels: settings.labels,
        annotations: settings.annotations,
        epoch: settings.epoch,
        scratch: { caCertificates: HOST_CA_CERTIFICATES },
        zoneinfo: settings.tzdata ? HOST_ZONEINFO : undefined,
      },
      base,
      layers.make,
    ),
    // Parsed and hashed on this thread while the layers compress on the thread pool.
    settings.sbom ? Promise.resolve().then(() => describeBinaries(binaries)) : undefined,
  ]);
  const digest = image.index.descriptor.digest;
  info(`index ${digest} for ${image.platforms.map((p) => platformString(p.platform)).join(', ')}`);
  info(layersLine(layers.stats));

  const sbom = sbomBinaries ? writeSbom(settings, sbomBinaries, image, sbomFile) : undefined;
  let sbomDigest: string | undefined;
  let tags: BuildResult['tags'];
  let layerCache: BuildResult['layerCache'];
  if (settings.push) {
    ({ sbomDigest, tags } = await pushByDigest(settings, image, { client: target, baseClient, sbom }));
    // Saved once the blobs the entries name are in the registry.
    if (carried && cache && restored) layerCache = await saveLayers(carried, cache, restored, layers.keys);
  } else {
    const blobs: Blob[] = [...image.blobs, ...image.platforms.map((p) => p.manifest), image.index];
    if (base && baseClient) {
      const ours = new Set(blobs.map((b) => b.descriptor.digest));
      for (const layer of new Map(
        image.platforms.flatMap((p) => p.layers).map((l) => [l.digest, l]),
      ).values()) {
        if (!ours.has(layer.digest))
          blobs.push({ descriptor: layer, data: await baseClient.getBlob(base.repo, layer.digest) });
      }
    }
    writeLayout(settings.outputDir, blobs, image.index.descriptor, settings.tags);
    info(`wrote the OCI image layout ${settings.outputDir}`);
  }
  return {
    builder: 'assemble',
    digest,
    pushed: settings.push,
    platforms: image.platforms.map((p) => ({
      platform: platformString(p.platform),
      digest: p.manifest.descriptor.digest,
      size: p.size,
      baseSize: p.baseSize,
      layers: p.layers.length,
    })),
    base: base ? { name: base.name, digest: base.digest } : undefined,
    sbom: sbom ? { file: sbomFile, digest: sbom.descriptor.digest, artifact: sbomDigest } : undefined,
    binaries: binaries.map((b) => ({ platform: platformString(b.platform), sha256: b.sha256, size: b.size })),
    layers: layers.stats,
    layerCache,
    tags,
  };
}

/** The layer cache's entries ride the Actions cache between runs (GitHub-hosted runners start empty). */
function carriedLayers(settings: Settings, binaryPath: string): CacheEntry {
  return carriedLayersEntry({
    os: process.env.RUNNER_OS ?? process.platform,
    compression: settings.compression,
    binaries: settings.binaries.map((b) => b.expected?.sha256 ?? b.file),
    layout: [binaryPath, settings.epoch, settings.base ?? 'scratch', settings.tzdata],
    dir: CARRIED_LAYERS_DIR,
  });
}

async function restoreLayers(entry: CacheEntry, cache: LayerCache): Promise<CacheOutcome> {
  const restored = await restoreActionsCache(entry, 'layer cache');
  if (restored.state === 'hit' || restored.state === 'partial') {
    const added = await cache.importFrom(entry.paths[0]);
    info(`layer cache: ${added} entries restored from the Actions cache (${restored.matchedKey})`);
  }
  await rm(entry.paths[0], { recursive: true, force: true });
  return restored;
}

async function saveLayers(
  entry: CacheEntry,
  cache: LayerCache,
  restored: CacheOutcome,
  keys: readonly string[],
): Promise<CacheOutcome> {
  if (restored.state === 'local' || restored.state === 'hit')
    return saveActionsCache(entry, restored, 'layer cache');
  await cache.exportTo(entry.paths[0], keys);
  const saved = await saveActionsCache(entry, restored, 'layer cache');
  await rm(entry.paths[0], { recursive: true, force: true });
  info(
    `layer cache: ${saved.state === 'saved' ? `saved ${keys.length} entries as ${entry.key}` : `not saved (${saved.detail ?? saved.state})`}`,
  );
  return saved;
}

async function readBase(ref: Reference, client: RegistryClient, binaries: readonly PlatformBinary[]) {
  try {
    return await readBaseImage(
      client,
      ref,
      binaries.map((b) => b.platform),
    );
  } catch (error) {
    if (error instanceof UserError || error instanceof RegistryAuthError) throw error;
    throw new UserError(`input 'base': ${formatReference(ref)} could not be read: ${errorMessage(error)}`);
  }
}

function describeBinaries(binaries: readonly VerifiedBinary[]): SbomBinary[] {
  const described: SbomBinary[] = [];
  for (const binary of binaries) {
    const buildInfo = parseBuildInfoBinary(binary.data);
    if (!buildInfo) {
      info(`no Go build info in ${binary.file}; it is left out of the SBOM`);
      continue;
    }
    described.push({
      platform: platformString(binary.platform),
      sha256: binary.sha256,
      buildInfo,
    });
  }
  return described;
}

function writeSbom(settings: Settings, binaries: SbomBinary[], image: AssembledImage, file: string): Blob {
  const document = spdxDocument(
    { name: repositoryName(settings.image), version: settings.tags[0], created: settings.epoch },
    binaries,
  );
  const data = Buffer.from(JSON.stringify(document, null, 2) + '\n');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  info(`SBOM ${file}: ${document.packages.length} packages (image ${image.index.descriptor.digest})`);
  return { descriptor: { mediaType: MediaType.spdx, digest: digestOf(data), size: data.length }, data };
}

import { readFileSync } from 'node:fs';
import { rfc3339 } from '@gin-deploy/action';
import {
  jsonBlob,
  platformString,
  samePlatform,
  type Blob,
  type ContainerConfig,
  type Descriptor,
  type HistoryEntry,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './image.js';
import { buildLayer } from './layer.js';
import type { ImageLayer, LayerMaker } from './layer-cache.js';
import { MediaType, ociLayerType } from './media-types.js';
import { scratchEntries, treeEntries, type ScratchOptions } from './rootfs.js';
import type { TarEntry } from './tar.js';

export interface PlatformBinary {
  platform: Platform;
  /** The binary on the host. */
  file: string;
  /** Its bytes, when the caller has read them already (each binary is read once). */
  data?: Buffer;
  /** Hex sha256 of data, when the caller has hashed it (the layer cache key uses it). */
  sha256?: string;
  /** What its build reported (sha256 in hex, size in bytes), checked by readVerifiedBinary. */
  expected?: { sha256: string; size: number };
}

/** One platform of a base image, as read from its registry. */
export interface BasePlatform {
  platform: Platform;
  manifestDigest: string;
  config: ImageConfig;
  layers: Descriptor[];
}

export interface BaseImage {
  /** `domain/path` of the base repository. */
  name: string;
  domain: string;
  repo: string;
  /** The digest the base was pinned to (its index, or its single manifest). */
  digest: string;
  platforms: BasePlatform[];
}

export interface ImageSettings {
  /** Where the binary goes in the image, e.g. `/usr/local/bin/api`. */
  binaryPath: string;
  user: string;
  entrypoint: string[];
  cmd?: string[];
  env: Record<string, string>;
  ports: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  workingDir?: string;
  /** Seconds since the epoch for every mtime and `created` (SOURCE_DATE_EPOCH). */
  epoch: number;
  scratch: ScratchOptions;
  /** tzdata as its own layer when on a base (on scratch it joins the rootfs layer). */
  zoneinfo?: string;
}

export interface AssembledPlatform {
  platform: Platform;
  manifest: Blob;
  config: ImageConfig;
  layers: Descriptor[];
  /** Compressed bytes: config plus every layer, base layers included. */
  size: number;
  /** Compressed bytes of the base's layers. */
  baseSize: number;
}

export interface AssembledImage {
  index: Blob;
  platforms: AssembledPlatform[];
  /** Layers and configs this build made; base layers are not among them. */
  blobs: Blob[];
  /** Layers of this build that the target repository already holds (made without their bytes). */
  present: Descriptor[];
  base?: BaseImage;
}

/**
 * Builds one image per binary on scratch or a base, and the index over them; pure but for reading files and
 * what makeLayer does (by default: tar and gzip every layer). All layers are made at once, so the platforms'
 * compression runs in parallel on the thread pool.
 */
export async function assembleImage(
  binaries: readonly PlatformBinary[],
  settings: ImageSettings,
  base?: BaseImage,
  makeLayer: LayerMaker = buildLayer,
): Promise<AssembledImage> {
  const created = rfc3339(settings.epoch);
  const sharedEntries = !base
    ? [scratchEntries({ ...settings.scratch, zoneinfo: settings.zoneinfo })]
    : settings.zoneinfo
      ? [treeEntries(settings.zoneinfo, 'usr/share/zoneinfo', ['right'])]
      : [];
  const [shared, binaryLayers] = await Promise.all([
    Promise.all(sharedEntries.map((entries) => makeLayer(entries, settings.epoch))),
    Promise.all(
      binaries.map((binary) =>
        makeLayer(
          binaryLayerEntries(settings.binaryPath, {
            data: binary.data ?? readFileSync(binary.file),
            sha256: binary.data ? binary.sha256 : undefined,
          }),
          settings.epoch,
        ),
      ),
    ),
  ]);
  const annotations: Record<string, string> = {
    'org.opencontainers.image.created': created,
    ...(base
      ? {
          'org.opencontainers.image.base.name': base.name,
          'org.opencontainers.image.base.digest': base.digest,
        }
      : {}),
    ...settings.annotations,
  };
  const blobs = new Map<string, Blob>();
  const present = new Map<string, Descriptor>();
  const add = ({ descriptor, data }: ImageLayer | Blob) => {
    if (data) blobs.set(descriptor.digest, { descriptor, data });
    else present.set(descriptor.digest, descriptor);
  };
  shared.forEach(add);

  const platforms = binaries.map((binary, i) => {
    const basePlatform = base ? pickBase(base, binary.platform) : undefined;
    const binaryLayer = binaryLayers[i];
    add(binaryLayer);
    const ours = [...shared, binaryLayer];
    const baseLayers = (basePlatform?.layers ?? []).map((layer) => ({
      mediaType: ociLayerType(layer.mediaType),
      digest: layer.digest,
      size: layer.size,
    }));
    const config = imageConfig(
      binary.platform,
      settings,
      created,
      basePlatform?.config,
      ours,
      shared.length > 0 && !base,
    );
    const configBlob = jsonBlob(config, MediaType.config);
    add(configBlob);
    const layers = [...baseLayers, ...ours.map((layer) => layer.descriptor)];
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.manifest,
      config: configBlob.descriptor,
      layers,
      annotations,
    };
    const manifestBlob = jsonBlob(manifest, MediaType.manifest);
    const baseSize = baseLayers.reduce((sum, layer) => sum + layer.size, 0);
    const size = configBlob.descriptor.size + layers.reduce((sum, layer) => sum + layer.size, 0);
    return { platform: binary.platform, manifest: manifestBlob, config, layers, size, baseSize };
  });

  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.index,
    manifests: platforms.map(({ manifest, platform }) => ({ ...manifest.descriptor, platform })),
    annotations,
  };
  return {
    index: jsonBlob(index, MediaType.index),
    platforms,
    blobs: [...blobs.values()],
    present: [...present.values()],
    base,
  };
}

/** The one file of a binary's layer; its sha256 alone (no data) is enough to key the layer cache. */
export function binaryLayerEntries(binaryPath: string, file: { data?: Buffer; sha256?: string }): TarEntry[] {
  return [{ path: binaryPath, type: 'file', mode: 0o555, ...file }];
}

/** A base image without an image for a platform the binaries need. */
export class BasePlatformError extends Error {
  constructor(
    /** `name@digest` of the base. */
    readonly base: string,
    readonly platform: string,
    readonly offered: readonly string[],
  ) {
    super(`${base} has no ${platform} image; it offers ${offered.join(', ') || 'none'}`);
    this.name = 'BasePlatformError';
  }
}

function pickBase(base: BaseImage, platform: Platform): BasePlatform {
  const match = base.platforms.find((candidate) => samePlatform(candidate.platform, platform));
  if (!match) {
    throw new BasePlatformError(
      `${base.name}@${base.digest}`,
      platformString(platform),
      base.platforms.map((p) => platformString(p.platform)),
    );
  }
  return match;
}

function imageConfig(
  platform: Platform,
  settings: ImageSettings,
  created: string,
  base: ImageConfig | undefined,
  ours: ImageLayer[],
  hasRootfsLayer: boolean,
): ImageConfig {
  const inherited: ContainerConfig = base?.config ?? {};
  const env = new Map<string, string>();
  for (const line of inherited.Env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']) {
    const eq = line.indexOf('=');
    env.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
  }
  if (!base) env.set('SSL_CERT_FILE', '/etc/ssl/certs/ca-certificates.crt');
  for (const [key, value] of Object.entries(settings.env)) env.set(key, value);
  const ports: Record<string, object> = { ...inherited.ExposedPorts };
  for (const port of settings.ports) ports[port.includes('/') ? port : `${port}/tcp`] = {};
  const config: ContainerConfig = {
    User: settings.user,
    ...(Object.keys(ports).length > 0 ? { ExposedPorts: ports } : {}),
    Env: [...env].map(([key, value]) => `${key}=${value}`),
    Entrypoint: settings.entrypoint,
    ...(settings.cmd ? { Cmd: settings.cmd } : {}),
    WorkingDir: settings.workingDir ?? inherited.WorkingDir ?? '/',
    Labels: { ...inherited.Labels, ...settings.labels },
    ...(inherited.StopSignal ? { StopSignal: inherited.StopSignal } : {}),
  };
  const history: HistoryEntry[] = [...(base?.history ?? [])];
  ours.forEach((_, i) =>
    history.push({
      created,
      created_by:
        i === ours.length - 1
          ? `gin-deploy docker-multistage: COPY binary ${settings.binaryPath}`
          : hasRootfsLayer
            ? 'gin-deploy docker-multistage: scratch rootfs (CA certificates, passwd, group)'
            : 'gin-deploy docker-multistage: tzdata',
    }),
  );
  return {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config,
    rootfs: {
      type: 'layers',
      diff_ids: [...(base?.rootfs.diff_ids ?? []), ...ours.map((layer) => layer.diffId)],
    },
    history,
  };
}

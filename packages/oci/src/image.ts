import { createHash } from 'node:crypto';
import { MediaType } from './media-types.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** Small blobs inlined (the empty config of artifacts). */
  data?: string;
}

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** A blob with its bytes: what gets pushed or written to a layout. */
export interface Blob {
  descriptor: Descriptor;
  data: Buffer;
}

/** The OCI digest (`sha256:<hex>`) of some bytes. */
export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** JSON bytes of a manifest, index or config; key order is the order the objects are built in. */
export function jsonBlob(value: object, mediaType: string): Blob {
  const data = Buffer.from(JSON.stringify(value));
  return { descriptor: { mediaType, digest: digestOf(data), size: data.length }, data };
}

export function platformString(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9]+$/.test(part))) {
    return undefined;
  }
  const [os, architecture, variant] = parts;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Same os and architecture; a variant counts only when both name one (arm64 images often leave out v8). */
export function samePlatform(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os &&
    a.architecture === b.architecture &&
    (!a.variant || !b.variant || a.variant === b.variant)
  );
}

/** The empty JSON object that artifact manifests use as their config (image-spec "empty descriptor"). */
export function emptyConfigBlob(): Blob {
  const data = Buffer.from('{}');
  return {
    descriptor: {
      mediaType: MediaType.empty,
      digest: digestOf(data),
      size: 2,
      data: data.toString('base64'),
    },
    data,
  };
}

/** A descriptor without the inlined data, as registries and manifests list it. */
export function plainDescriptor({ mediaType, digest, size }: Descriptor): Descriptor {
  return { mediaType, digest, size };
}

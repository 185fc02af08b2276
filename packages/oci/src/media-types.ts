export const MediaType = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  empty: 'application/vnd.oci.empty.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  spdx: 'application/spdx+json',
} as const;

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.index || mediaType === MediaType.dockerManifestList;
}

export function isManifestType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.manifest || mediaType === MediaType.dockerManifest;
}

/** Docker schema 2 layers are the same bytes as OCI gzip layers; OCI manifests name them the OCI way. */
export function ociLayerType(mediaType: string): string {
  return mediaType === MediaType.dockerLayerGzip ? MediaType.layerGzip : mediaType;
}

/** What a registry is asked for when reading a manifest of any kind. */
export const MANIFEST_ACCEPT = [
  MediaType.index,
  MediaType.manifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(', ');

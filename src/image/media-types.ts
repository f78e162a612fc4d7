// Media types of manifests, configs and layers (OCI and Docker v2), and what they mean for reading.

export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerZstd: 'application/vnd.docker.image.rootfs.diff.tar.zstd',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** Every manifest kind, for registry `Accept` headers. */
export const manifestAcceptTypes = [
  MediaTypes.ociIndex,
  MediaTypes.dockerList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
] as const;

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerList;
}

export function isManifestType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociManifest || mediaType === MediaTypes.dockerManifest;
}

export function isSchema1Type(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.schema1 || mediaType === MediaTypes.schema1Signed;
}

export function isImageConfigType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociConfig || mediaType === MediaTypes.dockerConfig;
}

/** Non-distributable ("foreign") layers: their bytes usually live elsewhere (Windows base layers). */
export function isForeignLayerType(mediaType: string): boolean {
  return mediaType.includes('.foreign.') || mediaType.includes('.nondistributable.');
}

/** A layer type whose bytes are a (possibly compressed) filesystem changeset tar. */
export function isTarLayerType(mediaType: string): boolean {
  return (
    /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/.test(mediaType) ||
    /^application\/vnd\.docker\.image\.rootfs\.(foreign\.)?diff\.tar(\.gzip|\.zstd)?$/.test(mediaType)
  );
}

/**
 * An OCI layer encrypted with ocicrypt (`tar+gzip+encrypted` and the like): a filesystem layer ballast cannot read
 * without the key, not an artifact's blob.
 */
export function isEncryptedLayerType(mediaType: string): boolean {
  return /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+gzip|\+zstd)?\+encrypted$/.test(
    mediaType,
  );
}

/**
 * A layer stored compressed (gzip or zstd), whose stored size is what a pull downloads: `docker save` (and some OCI
 * layouts) store plain tars, whose stored size is their uncompressed size.
 */
export function isCompressedLayerType(mediaType: string): boolean {
  return /[.+](gzip|zstd)$/.test(mediaType);
}

/** The layer media type to report for a docker-archive layer, by its sniffed compression. */
export function layerTypeFor(compression: Compression, oci: boolean): string {
  if (oci) {
    return compression === 'gzip'
      ? MediaTypes.ociLayerGzip
      : compression === 'zstd'
        ? MediaTypes.ociLayerZstd
        : MediaTypes.ociLayer;
  }
  return compression === 'gzip'
    ? MediaTypes.dockerLayerGzip
    : compression === 'zstd'
      ? MediaTypes.dockerLayerZstd
      : MediaTypes.dockerLayer;
}

export type Compression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

/** Compression by magic bytes; names and media types are never trusted for this. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  // A zstd stream may start with a skippable frame (0x184D2A50..5F, little-endian).
  if (head.length >= 4 && (head[0] & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) {
    return 'zstd';
  }
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  if (
    head.length >= 6 &&
    head[0] === 0xfd &&
    head[1] === 0x37 &&
    head[2] === 0x7a &&
    head[3] === 0x58 &&
    head[4] === 0x5a &&
    head[5] === 0x00
  ) {
    return 'xz';
  }
  return 'none';
}

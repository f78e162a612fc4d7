// Shape checks on a parsed manifest or index, made by every source (registry, OCI layout, archives) before it reads
// a field: valid JSON can still be `null`, a list, or hold `null` or `{}` where a descriptor or a list belongs, and
// none of that may surface as a TypeError ("Cannot read properties of null").
import type { Descriptor } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A descriptor ballast can use: an object with a string digest, and a media type, size and urls of the right types. */
export function isDescriptor(value: unknown): value is Descriptor {
  return (
    isObject(value) &&
    typeof value.digest === 'string' &&
    (value.mediaType === undefined || typeof value.mediaType === 'string') &&
    (value.size === undefined || typeof value.size === 'number') &&
    (value.urls === undefined || Array.isArray(value.urls))
  );
}

function whatJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Why `body` is not an image manifest (a config descriptor and a list of layer descriptors); undefined if it is one. */
export function manifestShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `it is ${whatJson(body)}, not an object`;
  if (!isDescriptor(body.config)) return 'it has no config descriptor';
  if (!Array.isArray(body.layers)) return 'it has no list of layers';
  const bad = body.layers.findIndex((layer) => !isDescriptor(layer));
  if (bad >= 0) return `its layer ${bad} is not a descriptor`;
  return undefined;
}

/**
 * Why `body` is not an image index; undefined if it is one. `manifests` may be absent (an empty index); entries that
 * are not descriptors are left to the callers, which skip them as the spec says to skip what they do not know.
 */
export function indexShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `it is ${whatJson(body)}, not an object`;
  if (body.manifests !== undefined && body.manifests !== null && !Array.isArray(body.manifests)) {
    return 'its "manifests" is not a list';
  }
  return undefined;
}

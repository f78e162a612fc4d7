// Shape checks on a parsed manifest or index, made by every source (registry, OCI layout, archives) before it reads
// a field: valid JSON can still be `null`, a list, or hold `null` or `{}` where a descriptor or a list belongs, and
// none of that may surface as a TypeError ("Cannot read properties of null").
import { digestProblem } from './digest.js';
import type { Descriptor, Platform } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why `value` is not a descriptor ballast can use; undefined if it is one: an object with a usable digest, and a media
 * type, size and urls of the right types. The size is a byte count (a safe whole number, 0 or more): a negative or
 * astronomical one would be printed as the image's size and taken as the length of the blob to read.
 */
export function descriptorProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `it is ${jsonKind(value)}, not an object`;
  const digest = digestProblem(value.digest);
  if (digest) return `its digest is ${digest}`;
  if (value.mediaType !== undefined && typeof value.mediaType !== 'string') return 'its mediaType is not a string';
  if (value.size !== undefined && !(Number.isSafeInteger(value.size) && (value.size as number) >= 0)) {
    return `its size ${JSON.stringify(value.size)} is not a byte count (a whole number from 0 to 2^53-1)`;
  }
  if (value.urls !== undefined && !Array.isArray(value.urls)) return 'its urls is not a list';
  if (value.data !== undefined && typeof value.data !== 'string') return 'its data is not a base64 string';
  if (value.platform !== undefined && value.platform !== null) {
    if (!isObject(value.platform)) return `its platform is ${jsonKind(value.platform)}, not an object`;
    const platform = platformFieldProblem(value.platform, 'platform.');
    if (platform) return `its ${platform}`;
  }
  return undefined;
}

/** A descriptor ballast can use (see `descriptorProblem`). */
export function isDescriptor(value: unknown): value is Descriptor {
  return descriptorProblem(value) === undefined;
}

/** What a JSON value is, as a message says it: "a number", "a list", "null". */
export function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Why `list` (named `name` in the message) is not a list of strings, naming the first item that is not one
 * (`RepoTags[0] is a number, not a string`); undefined when it is one, or absent (undefined or null). Tags and paths
 * are matched and printed as text: `[1e308]` or `[{"toString": 1}]` surfaced as a TypeError.
 */
export function stringListProblem(list: unknown, name: string): string | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return `${name} is ${jsonKind(list)}, not a list of strings`;
  const bad = list.findIndex((item) => typeof item !== 'string');
  return bad >= 0 ? `${name}[${bad}] is ${jsonKind(list[bad])}, not a string` : undefined;
}

/**
 * Which of a platform's os, architecture and variant (in an index entry's `platform`, or at the top of an image
 * config) is not a string, naming it with `prefix`; undefined when each is a string or absent. They are compared and
 * printed as text: `{"os": 5}` surfaced as a JavaScript TypeError.
 */
export function platformFieldProblem(value: Record<string, unknown>, prefix: string): string | undefined {
  for (const key of ['os', 'architecture', 'variant']) {
    const field = value[key];
    if (field !== undefined && field !== null && typeof field !== 'string')
      return `${prefix}${key} is ${jsonKind(field)}, not a string`;
  }
  return undefined;
}

/** Why `body` is not an image manifest (a config descriptor and a list of layer descriptors); undefined if it is one. */
export function manifestShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `it is ${jsonKind(body)}, not an object`;
  if (!isObject(body.config)) return 'it has no config descriptor';
  const config = descriptorProblem(body.config);
  if (config) return `its config descriptor is not usable: ${config}`;
  if (!Array.isArray(body.layers)) return 'it has no list of layers';
  for (const [i, layer] of body.layers.entries()) {
    if (!isObject(layer)) return `its layer ${i} is not a descriptor`;
    const problem = descriptorProblem(layer);
    if (problem) return `its layer ${i} descriptor is not usable: ${problem}`;
  }
  return undefined;
}

/**
 * Why `body` is not an image index; undefined if it is one. `manifests` may be absent (an empty index); entries that
 * are not descriptors are left to the callers, which skip them as the spec says to skip what they do not know.
 */
export function indexShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `it is ${jsonKind(body)}, not an object`;
  if (body.manifests !== undefined && body.manifests !== null && !Array.isArray(body.manifests)) {
    return 'its "manifests" is not a list';
  }
  return undefined;
}

/**
 * The platform an index entry names, when it names one readably, even if the entry is malformed otherwise: asked for
 * that platform, the user learns its entry is broken rather than that the index has no such image.
 */
export function namedPlatform(entry: unknown): Platform | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const value = (entry as { platform?: unknown }).platform;
  if (value === null || typeof value !== 'object') return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture) return undefined;
  return { os, architecture, ...(typeof variant === 'string' && variant ? { variant } : {}) };
}

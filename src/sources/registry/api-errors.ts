// What the registry answered, as one-line errors: its JSON error codes (`MANIFEST_UNKNOWN`, ...) and the
// messages for a missing repository, a missing blob and any other unexpected status.
import { SourceError } from '../../errors.js';
import { shortDigest } from '../../image/digest.js';
import type { Descriptor } from '../../image/types.js';

/** The registry's error codes (`MANIFEST_UNKNOWN`, ...) from a JSON error body. */
export function registryErrors(body: Buffer): { code?: string; message?: string }[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    return Array.isArray(parsed.errors) ? parsed.errors : [];
  } catch {
    return [];
  }
}

export interface Where {
  registry: string;
  repository: string;
  loginHint(): string;
}

/**
 * `unnamed` ("the blob"), for a layer's blob: `what` without the layer's name, for the error's detail
 * (BallastErrorOptions.detail), as the walk names the layer itself.
 */
export function unexpectedStatus(
  where: Where,
  status: number,
  body: Buffer,
  what: string,
  unnamed?: string,
): SourceError {
  const errors = registryErrors(body);
  const detail = errors
    .map((e) => e.code ?? e.message)
    .filter(Boolean)
    .join(', ');
  if (status === 403) {
    return new SourceError(`${where.registry} denied access to ${where.repository} (${detail || 'HTTP 403'})`, {
      code: 'denied',
      hint: where.loginHint(),
    });
  }
  const answered = (subject: string) =>
    `${where.registry} answered HTTP ${status}${detail ? ` (${detail})` : ''} for ${subject}`;
  return new SourceError(answered(what), {
    code: status === 429 ? 'rate-limited' : status >= 500 ? 'registry-error' : 'registry-http',
    detail: unnamed === undefined ? undefined : answered(unnamed),
    hint: status === 429 ? 'the registry rate-limits pulls; wait, or log in for a higher limit' : 'try again later',
  });
}

export function repositoryMissing(where: Where): SourceError {
  return new SourceError(`${where.registry} has no repository ${where.repository}`, {
    code: 'repository-not-found',
    hint: 'check the name (and that you are logged in, since private repositories can look absent)',
  });
}

/** `unnamed` as in unexpectedStatus: the detail leaves out the digest too, which the walk names the layer by. */
export function blobMissing(where: Where, descriptor: Descriptor, what: string, unnamed?: string): SourceError {
  const repository = `${where.registry}/${where.repository}`;
  return new SourceError(`${repository} has no blob ${shortDigest(descriptor.digest)} (${what})`, {
    code: 'blob-unknown',
    detail: unnamed === undefined ? undefined : `${repository} does not have ${unnamed}`,
    hint: 'the image in the registry is incomplete; push it again',
  });
}

/**
 * An HTTP 416 (Range Not Satisfiable) to a request that resumed nothing: `range` is the one it asked, if any. The
 * registry refuses this blob, which another try will not change. `unnamed` as in blobMissing.
 */
export function rangeRefused(
  where: Where,
  descriptor: Descriptor,
  what: string,
  range?: string,
  unnamed?: string,
): SourceError {
  const repository = `${where.registry}/${where.repository}`;
  const refused = (subject: string) =>
    `${repository} refused ${range ? `the range ${range} of` : 'the request for'} ${subject} (HTTP 416)`;
  return new SourceError(refused(`blob ${shortDigest(descriptor.digest)} (${what})`), {
    code: 'registry-http',
    detail: unnamed === undefined ? undefined : refused(unnamed),
    hint: 'the registry (or a proxy in front of it) will not serve this blob, and retrying will not help; check the registry, or push the image again',
  });
}

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

export function unexpectedStatus(where: Where, status: number, body: Buffer, what: string): SourceError {
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
  return new SourceError(`${where.registry} answered HTTP ${status}${detail ? ` (${detail})` : ''} for ${what}`, {
    code: status === 429 ? 'rate-limited' : status >= 500 ? 'registry-error' : 'registry-http',
    hint: status === 429 ? 'the registry rate-limits pulls; wait, or log in for a higher limit' : 'try again later',
  });
}

export function repositoryMissing(where: Where): SourceError {
  return new SourceError(`${where.registry} has no repository ${where.repository}`, {
    code: 'repository-not-found',
    hint: 'check the name (and that you are logged in, since private repositories can look absent)',
  });
}

export function blobMissing(where: Where, descriptor: Descriptor, what: string): SourceError {
  return new SourceError(
    `${where.registry}/${where.repository} has no blob ${shortDigest(descriptor.digest)} (${what})`,
    {
      code: 'blob-unknown',
      hint: 'the image in the registry is incomplete; push it again',
    },
  );
}

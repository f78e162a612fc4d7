// Manifests and tags of one repository: a manifest by tag or digest (verified against the digest asked for,
// or the one the registry announced), the tag list page by page, and the helpful "no such tag" message.
import { SourceError } from '../../errors.js';
import { sha256 } from '../../image/digest.js';
import { manifestAcceptTypes } from '../../image/media-types.js';
import { MANIFEST_LIMIT } from '../files.js';
import { registryErrors, repositoryMissing, unexpectedStatus } from './api-errors.js';
import type { RegistryClient } from './client.js';

export interface FetchedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string;
}

/** The `mediaType` a manifest declares in its body ('' when it has none). */
function declaredMediaType(raw: Buffer): string {
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : '';
  } catch {
    return '';
  }
}

/**
 * The path and query of the `rel="next"` link of a paginated listing (RFC 8288), as the distribution spec sends
 * it: `</v2/name/tags/list?n=100&last=x>; rel="next"`.
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  for (const part of text.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2])) continue;
    let url: URL;
    try {
      url = new URL(match[1], 'http://registry.invalid');
    } catch {
      return undefined;
    }
    // Only the path is kept: the next page is asked of the same registry, never of a host a header names.
    return url.pathname.startsWith('/v2/') ? `${url.pathname}${url.search}` : undefined;
  }
  return undefined;
}

/** Fetches a manifest (any of the four kinds) by tag or digest and verifies its digest. */
export async function fetchManifest(client: RegistryClient, reference: string): Promise<FetchedManifest> {
  const { registry, repository, cache } = client;
  // A manifest named by digest never changes: the cache answers it (verified) without a request.
  if (reference.startsWith('sha256:')) {
    const cached = await cache?.read(reference);
    if (cached) return { raw: cached, mediaType: declaredMediaType(cached), digest: reference };
  }
  // Held to the cap layouts and archives put on manifests (4 MiB, what the distribution registry accepts), not to a
  // config's 64 MiB: a 50 MB one would be read and parsed whole for nothing.
  const { res, body } = await client.fetch(
    `/v2/${repository}/manifests/${reference}`,
    { accept: manifestAcceptTypes.join(', ') },
    MANIFEST_LIMIT,
  );
  const status = res.statusCode ?? 0;
  const byDigest = reference.includes(':');
  if (status === 404) {
    const codes = registryErrors(body).map((e) => e.code);
    if (codes.includes('NAME_UNKNOWN')) throw repositoryMissing(client);
    throw await manifestNotFound(client, reference, byDigest);
  }
  if (status !== 200) throw unexpectedStatus(client, status, body, `the manifest ${reference} of ${repository}`);
  const computed = sha256(body);
  const header = res.headers['docker-content-digest'];
  if (byDigest && reference.startsWith('sha256:') && computed !== reference) {
    throw new SourceError(
      `the manifest ${reference} from ${registry}/${repository} does not match its digest (got ${computed})`,
      {
        code: 'digest-mismatch',
        hint: 'the registry or something between you and it altered the manifest; try again',
      },
    );
  }
  if (!byDigest && typeof header === 'string' && header.startsWith('sha256:') && header !== computed) {
    throw new SourceError(
      `the manifest ${repository}:${reference} from ${registry} does not match the digest the registry announced (${header})`,
      {
        code: 'digest-mismatch',
        hint: 'something between you and the registry altered the manifest; try again',
      },
    );
  }
  const mediaType =
    String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim() || declaredMediaType(body);
  await cache?.put(computed, body).catch(() => {});
  return { raw: body, mediaType, digest: computed };
}

async function manifestNotFound(client: RegistryClient, reference: string, byDigest: boolean): Promise<SourceError> {
  const { registry, repository } = client;
  const what = byDigest ? `${repository}@${reference}` : `${repository}:${reference}`;
  let sample = '';
  if (!byDigest) {
    try {
      const { tags } = await tagPage(client, `/v2/${repository}/tags/list?n=20`, false);
      if (tags.length > 0) sample = `; some of its tags: ${tags.slice(0, 10).join(', ')}`;
    } catch (error) {
      // The tag list is only a courtesy in the message, unless it shows the whole repository is missing.
      if (error instanceof SourceError && error.code === 'repository-not-found') return error;
    }
  }
  return new SourceError(`${registry} has no ${byDigest ? 'manifest' : 'tag'} ${what}${sample}`, {
    code: 'manifest-unknown',
    hint: `list the tags with \`skopeo list-tags docker://${registry}/${repository}\` (or GET /v2/${repository}/tags/list)`,
  });
}

/**
 * Every tag of the repository, following the `Link: <...>; rel="next"` header page by page (`n` per page),
 * up to `limit` tags. Unlike the courtesy list in messages, a registry that will not list tags is an error here.
 */
export async function listTags(
  client: RegistryClient,
  options: { pageSize?: number; limit?: number } = {},
): Promise<{ tags: string[]; pages: number; truncated: boolean }> {
  const limit = options.limit ?? 20_000;
  const tags: string[] = [];
  let path: string | undefined = `/v2/${client.repository}/tags/list?n=${options.pageSize ?? 1000}`;
  let pages = 0;
  const seen = new Set<string>();
  let dropped = false;
  while (path && tags.length < limit) {
    // A registry that sends the same next link twice would otherwise loop forever.
    if (seen.has(path)) break;
    seen.add(path);
    const page = await tagPage(client, path, true);
    pages++;
    // One at a time: a page is as long as the registry makes it (4 MiB holds 500,000 short tags), and spreading it
    // into push() passes each tag as an argument, past the stack's limit.
    for (const tag of page.tags) {
      if (tags.length === limit) {
        dropped = true;
        break;
      }
      tags.push(tag);
    }
    path = page.next;
  }
  return { tags, pages, truncated: dropped || (path !== undefined && tags.length >= limit) };
}

/** One page of tags; `strict` false makes every failure an empty page (for courtesy lists in messages). */
export async function tagPage(
  client: RegistryClient,
  path: string,
  strict: boolean,
): Promise<{ tags: string[]; next?: string }> {
  const { registry, repository } = client;
  const { res, body } = await client.fetch(path, {}, 4 * 1024 * 1024);
  const status = res.statusCode ?? 0;
  if (status === 404 && registryErrors(body).some((e) => e.code === 'NAME_UNKNOWN')) throw repositoryMissing(client);
  if (status !== 200) {
    if (!strict) return { tags: [] };
    throw unexpectedStatus(client, status, body, `the tag list of ${repository}`);
  }
  let parsed: { tags?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as { tags?: unknown };
  } catch (error) {
    if (!strict) return { tags: [] };
    throw new SourceError(`${registry} sent a tag list for ${repository} that is not JSON`, {
      code: 'bad-tag-list',
      cause: error,
      hint: 'the registry answered with something other than its API (a proxy or login page?); check the registry name',
    });
  }
  const tags = Array.isArray(parsed.tags) ? parsed.tags.filter((t): t is string => typeof t === 'string') : [];
  return { tags, next: nextLink(res.headers.link) };
}

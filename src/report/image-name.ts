// An image as the reports, the saved results and the messages name it, so the name can be passed back to ballast.
import { splitDigest } from '../image/reference.js';

/**
 * The image as its argument names it, so a report's name can be passed back to ballast: `host/app:1.0`,
 * `host/app@sha256:…` (pulled by digest: the reference holds the digest), `host/app:1.0@sha256:…` (with the tag
 * written beside it), `docker-daemon:app:1.0` as it was read from a daemon, and for an image inside an archive the
 * file and its selector, `demo.tar:app:1.0` or `demo.tar:@1`. A tag of `@sha256:…` is how earlier reports named a
 * pull by digest (saved baselines may hold it).
 */
export function imageArgument(image: { reference: string; tag?: string | null }): string {
  const { reference, tag } = image;
  // A daemon's image is named by the argument that read it (`docker-daemon:app:1`, `podman:app`); its tag is the
  // daemon's own name for it (`docker.io/library/app:1`), which would make `docker-daemon:app:1:app:1` of it.
  if (!tag || /^(?:docker-daemon|podman):/.test(reference)) return reference;
  if (/^@[a-z0-9]+:/.test(tag)) return `${reference}${tag}`;
  // A registry reference pinned by digest, its tag a bare tag (an archive's RepoTags hold a ':'): the tag goes before
  // the digest, as it was written.
  const pinned = splitDigest(reference);
  if (pinned.digest && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tag)) return `${pinned.name}:${tag}@${pinned.digest}`;
  return `${reference}:${tag}`;
}

/**
 * An image as a report's header names it: its path or reference, and a note, the tag chosen inside an archive or
 * layout that its path does not say (`demo.tar`, `app:1.0`). A registry image is named by its reference with its tag
 * where it was typed (`host/app:1.0`, `host/app:1.0@sha256:…`): the tag alone in brackets after the repository read
 * as something chosen inside it.
 */
export function imageTitle(image: { reference: string; tag?: string | null; source?: string }): {
  name: string;
  note: string;
} {
  if (image.source === 'registry') return { name: imageArgument(image), note: '' };
  return { name: image.reference, note: image.tag ?? '' };
}

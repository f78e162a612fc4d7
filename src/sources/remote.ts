// Images that live in a registry or a daemon. Placeholder until the registry and daemon sources land:
// every call fails with an honest error instead of pretending.
import { SourceError } from '../errors.js';
import type { Image, OpenOptions } from '../image/types.js';

export interface RemoteOptions extends OpenOptions {
  engine?: 'docker' | 'podman';
}

function notYet(what: string): SourceError {
  return new SourceError(`reading images from ${what} is not supported yet`, {
    code: 'unsupported-source',
    hint: 'save the image to a file first (`docker save IMAGE -o image.tar` or `skopeo copy docker://REF docker-archive:image.tar`)',
  });
}

export async function registryImage(_reference: string, _options: RemoteOptions): Promise<Image> {
  throw notYet('a registry');
}

export async function daemonImage(_reference: string, options: RemoteOptions): Promise<Image> {
  throw notYet(options.engine === 'podman' ? 'podman' : 'the Docker daemon');
}

export async function referenceImage(_reference: string, _options: RemoteOptions): Promise<Image> {
  throw notYet('a registry or daemon');
}

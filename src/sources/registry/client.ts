// An OCI distribution client for pulling: manifests, blobs and tags of one repository. The jobs live beside it:
// transport.ts (HTTP/TLS, redirects, plain-HTTP policy), retry.ts (5xx/429/dropped connections), auth.ts
// (challenges, Bearer tokens, Basic), manifests.ts (manifests and tags), blobs.ts (configs and resumable layer
// downloads teed into the cache). This class holds one of each per repository and runs an authenticated,
// retried request; nothing here ever puts a secret into a message.
import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { registryApiHost } from '../../image/reference.js';
import type { DocumentLimit } from '../files.js';
import type { Descriptor } from '../../image/types.js';
import { AuthSession } from './auth.js';
import type { DownloadCore } from '../../image/partial.js';
import { blobHead, downloadBlob, openBlob, PARALLEL_DOWNLOADS, Slots, smallBlob } from './blobs.js';
import type { BlobCache } from './cache.js';
import type { CredentialOptions } from './credentials.js';
import { fetchManifest, listTags, tagPage, type FetchedManifest } from './manifests.js';
import { Retrier, type RetryOptions } from './retry.js';
import { discardBody } from '../slow-body.js';
import { readBody, Transport, type Response, type TransportOptions } from './transport.js';

export { nextLink, type FetchedManifest } from './manifests.js';

export interface Fetched extends Response {
  body: Buffer;
}

export interface ClientOptions extends CredentialOptions, TransportOptions, RetryOptions {
  cache?: BlobCache;
}

export class RegistryClient {
  readonly host: string;
  readonly transport: Transport;
  readonly retrier: Retrier;
  private readonly auth: AuthSession;
  /** Layer downloads into the cache (downloadBlob) running at once. */
  readonly downloadSlots = new Slots(PARALLEL_DOWNLOADS);

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: ClientOptions = {},
  ) {
    this.host = registryApiHost(registry);
    this.transport = new Transport(this.host, options);
    this.retrier = new Retrier(this.transport, options);
    this.auth = new AuthSession(registry, repository, this.transport, this.retrier, options);
  }

  get cache(): BlobCache | undefined {
    return this.options.cache;
  }

  loginHint(): string {
    return this.auth.loginHint();
  }

  /** GET/HEAD a registry path with auth, retries and redirects. The caller reads or drains the body. */
  request(method: 'GET' | 'HEAD', path: string, headers: OutgoingHttpHeaders = {}): Promise<Response> {
    return this.send(method, path, headers, async (response) => response);
  }

  /**
   * GET a small response whole (manifests, configs, tag lists), refused past `limit` (see readBody); a body cut
   * midway is retried like a 5xx.
   */
  async fetch(path: string, headers: OutgoingHttpHeaders = {}, limit?: number | DocumentLimit): Promise<Fetched> {
    return this.send('GET', path, headers, async (response) => ({
      ...response,
      body: await readBody(response.res, limit, `the answer to GET ${response.url.host}${response.url.pathname}`),
    }));
  }

  private async send<T extends Response>(
    method: 'GET' | 'HEAD',
    path: string,
    headers: OutgoingHttpHeaders,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const url = new URL(`${await this.transport.baseUrl()}${path}`);
    for (let round = 0; round < 3; round++) {
      const auth = await this.auth.headers();
      const response = await this.retrier.run(
        (deadline) => this.transport.follow(method, url, { ...headers, ...auth }, undefined, deadline),
        url,
        read,
      );
      if (response.res.statusCode !== 401) return response;
      discardBody(response.res);
      if (!(await this.auth.answer(response.res))) throw await this.auth.rejected();
    }
    throw await this.auth.rejected();
  }

  /** Fetches a manifest (any of the four kinds) by tag or digest and verifies its digest. */
  manifest(reference: string): Promise<FetchedManifest> {
    return fetchManifest(this, reference);
  }

  /** The first `n` tags of the repository (one page; a courtesy for messages, so a failure gives none). */
  async tags(n = 100): Promise<string[]> {
    return (await tagPage(this, `/v2/${this.repository}/tags/list?n=${n}`, false)).tags;
  }

  /** Every tag of the repository, page by page (see manifests.ts). */
  listTags(
    options: { pageSize?: number; limit?: number } = {},
  ): Promise<{ tags: string[]; pages: number; truncated: boolean }> {
    return listTags(this, options);
  }

  smallBlob(descriptor: Descriptor, what: string): Promise<Buffer> {
    return smallBlob(this, descriptor, what);
  }

  blobHead(descriptor: Descriptor, bytes = 16, what?: string): Promise<Buffer> {
    return blobHead(this, descriptor, bytes, what);
  }

  openBlob(descriptor: Descriptor, what: string): Readable {
    return openBlob(this, descriptor, what);
  }

  downloadBlob(descriptor: Descriptor, what: string): Promise<DownloadCore | undefined> {
    return downloadBlob(this, descriptor, what);
  }
}

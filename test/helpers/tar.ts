// Builds small tars in memory with tar-stream, for images made inside tests.
import { pack, type Header } from 'tar-stream';

export interface TarEntry {
  name: string;
  content?: string | Buffer;
  type?: Header['type'];
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Default: the epoch, so builds are reproducible. */
  mtime?: Date;
  /** PAX records for the entry (e.g. `SCHILY.xattr.security.capability`). */
  pax?: Record<string, string>;
  /** A character or block device's numbers. */
  devmajor?: number;
  devminor?: number;
}

export async function packTar(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const entry of entries) {
    const content = entry.content === undefined ? undefined : Buffer.from(entry.content);
    const header = {
      name: entry.name,
      type: entry.type ?? (content ? 'file' : 'directory'),
      linkname: entry.linkname,
      mode: entry.mode ?? (entry.type === 'directory' || !content ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: entry.mtime ?? new Date(0),
      size: content?.length ?? 0,
      ...(entry.pax ? { pax: entry.pax } : {}),
      ...(entry.devmajor !== undefined ? { devmajor: entry.devmajor, devminor: entry.devminor ?? 0 } : {}),
    } as const;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (content) p.entry(header, content, done);
      else p.entry(header, done);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

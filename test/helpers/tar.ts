// Builds small tars in memory with tar-stream, for images made inside tests.
import { pack, type Headers } from 'tar-stream';

export interface TarEntry {
  name: string;
  content?: string | Buffer;
  type?: Headers['type'];
  linkname?: string;
  mode?: number;
}

export async function packTar(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const entry of entries) {
    const content = entry.content === undefined ? undefined : Buffer.from(entry.content);
    await new Promise<void>((resolve, reject) => {
      p.entry(
        {
          name: entry.name,
          type: entry.type ?? (content ? 'file' : 'directory'),
          linkname: entry.linkname,
          mode: entry.mode ?? (entry.type === 'directory' || !content ? 0o755 : 0o644),
          mtime: new Date(0),
          size: content?.length ?? 0,
        },
        content,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

// Indexes inside an OCI layout whose blobs are not JSON: one `error:` line naming the layout and the blob, with a
// hint, exit 2. A nested index (or an entry without a media type) that was not JSON printed only JSON.parse's own
// words ("error: Unexpected token 'o', ..."), naming neither (found by the hostile-input hunt).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { rawTar, writeLayout, type Layout } from '../helpers/hostile.js';

jest.setTimeout(120_000);

const layouts: Layout[] = [];
afterAll(() => layouts.forEach((l) => l.cleanup()));

describe('an index entry whose blob is not JSON', () => {
  for (const mediaType of ['application/vnd.oci.image.index.v1+json', undefined]) {
    it(`is exit 2 naming the blob (media type ${mediaType ?? 'absent'})`, async () => {
      const l = writeLayout({ layers: [gzipSync(rawTar([{ name: 'a.txt', content: 'a' }]))] });
      layouts.push(l);
      const bad = Buffer.from('not json at all {{{');
      const digest = l.put(bad);
      writeFileSync(
        join(l.dir, 'index.json'),
        JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType, digest, size: bad.length }] }),
      );
      const run = await runCli(['inspect', l.dir], { env: { BALLAST_WORKERS: '0' } });
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: .+ is not valid JSON .*\(hint: .+\)$/);
      expect(lines[0]).toContain(l.dir);
      expect(lines[0]).toContain(digest);
    });
  }
});

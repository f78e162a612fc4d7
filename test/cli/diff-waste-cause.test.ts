// diff's waste lists name a wasted copy's cause in analyze's words: one file copied again with the same content
// (`chmod`, `chown -R`) was "copied again, same content" in analyze and "same content" in diff, two names for one
// thing (and "same content" is also what diff's metadata rows say of files that did not change).
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, file, layer, type BuiltImage } from '../helpers/image-builder.js';

describe('ballast diff names a wasted copy as analyze does', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    const data = 'y'.repeat(5000);
    a = await buildOciLayout([layer({ 'app/a.txt': file(data) }, 'COPY a.txt /app/')]);
    // B copies the file again in a layer of its own with another mode: 5 kB wasted, new in B.
    b = await buildOciLayout([
      layer({ 'app/a.txt': file(data) }, 'COPY a.txt /app/'),
      layer({ 'app/a.txt': file(data, { mode: 0o600 }) }, 'RUN chmod 600 /app/a.txt'),
    ]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('in text and markdown, with what else the copy changed where the table has room', async () => {
    const analyze = (await runCli(['analyze', b.path])).stdout;
    expect(analyze).toMatch(/^5\.00 kB +copied again, same content +L0 .*\/app\/a\.txt$/m);
    const text = (await runCli(['diff', a.path, b.path, '--only', 'waste'])).stdout;
    expect(text).toMatch(/^5\.00 kB {2}copied again, same content {2}L0 hidden by L1 {2}\/app\/a\.txt$/m);
    const md = (await runCli(['diff', a.path, b.path, '--only', 'waste', '--format', 'markdown'])).stdout;
    expect(md).toContain('| 5.00 kB | copied again, same content (mode changed) | L0 hidden by L1 | `/app/a.txt` |');
  });
});

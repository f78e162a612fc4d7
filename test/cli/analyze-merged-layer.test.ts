// A build committed as one layer (buildah bud without --layers, or --squash from scratch) gives its one layer to the
// span of the instructions that made it. Each file in that layer came from one of those lines, which the history
// cannot tell apart: the reports name the span (`lines 2-3`, `Dockerfile:2-3`), not its first line, which sent the
// user to `COPY a /a` for a file `COPY b /b` wrote.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';

describe('analyze of a layer several instructions were committed as', () => {
  it('names the span of lines in text, markdown, HTML and --json', async () => {
    // Given buildah's history of `FROM scratch / COPY a /a / COPY b /b / CMD`: empty COPY steps, the layer at the CMD
    const image = await buildOciLayout([layer({ a: 20_000, b: 10_000 }, '/bin/sh -c #(nop) CMD ["/a"]')], {
      emptySteps: [
        { before: 0, createdBy: '/bin/sh -c #(nop) COPY file:aaaa in /a ' },
        { before: 0, createdBy: '/bin/sh -c #(nop) COPY file:bbbb in /b ' },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'ballast-merged-'));
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM scratch\nCOPY a /a\nCOPY b /b\nCMD ["/a"]\n');
    try {
      const analyze = (...args: string[]) => runCli(['analyze', image.path, '-f', dockerfile, '--no-cache', ...args]);
      const text = await analyze();
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^10\.0 kB +L0 lines 2-3 +\/b$/m);
      // (a long path is named by its base name in the layers table)
      expect(text.stdout).toMatch(/\bDockerfile:2-3 COPY a \/a/);
      const markdown = await analyze('--format', 'markdown');
      expect(markdown.stdout).toContain(`\`${dockerfile}:2-3\` \`COPY a /a ; COPY b /b\``);
      const page = join(dir, 'r.html');
      expect((await analyze('--format', 'html', '-o', page)).code).toBe(0);
      const html = readFileSync(page, 'utf8');
      // (less the points where a phone may wrap it)
      expect(html.replaceAll('<wbr>', '')).toContain(`<code class="loc">${dockerfile}:2-3</code>`);
      expect(html).toContain('L0 lines 2-3');
      expect(html).not.toContain('L0 line 2<');
      // --json keeps the span's first and last lines, and says how many instructions made the layer
      const json = JSON.parse((await analyze('--json')).stdout) as { layers: { instruction: unknown }[] };
      expect(json.layers[0].instruction).toMatchObject({ line: 2, endLine: 3, merged: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      image.cleanup();
    }
  });

  it('keeps one line for an instruction written over several lines', async () => {
    const image = await buildOciLayout([layer({ a: 20_000 }, '/bin/sh -c echo a >/a &&     echo done')]);
    const dir = mkdtempSync(join(tmpdir(), 'ballast-merged-'));
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM scratch\nRUN echo a >/a \\\n    && echo done\n');
    try {
      const text = await runCli(['analyze', image.path, '-f', dockerfile, '--no-cache']);
      expect(text.stdout).toMatch(/^20\.0 kB +L0 line 2 +\/a$/m);
      expect(text.stdout).toMatch(/\bDockerfile:2 RUN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      image.cleanup();
    }
  });
});

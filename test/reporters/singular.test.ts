// Counts of one read in the singular in every analyze report ("1 file", not "1 files"), on a real analysis of a
// hand-built image of one layer holding one file.
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { renderAnalyzeMarkdown } from '../../src/reporters/analyze-markdown.js';
import { renderAnalyzeText } from '../../src/reporters/analyze-text.js';
import { analyze } from '../../src/services/analyze.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

let image: BuiltImage;

beforeAll(async () => {
  image = await buildOciLayout([layer({ 'etc/hostname': 'box\n' })]);
});

afterAll(() => image?.cleanup());

describe('analyze reports group large counts by thousands', () => {
  it('text and HTML: the summary, the layer table and the directory table', async () => {
    const files = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`data/f${i}`, 'x']));
    const many = await buildOciLayout([layer(files)]);
    try {
      const r = await analyze({ image: many.path, noCache: true });
      const text = renderAnalyzeText(r, { color: false });
      expect(text).toContain('Files         1,200 in the final filesystem, 1.20 kB (1,200 files,');
      expect(text).toMatch(/^0 +1\.20 kB +1,200 /m);
      expect(text).toMatch(/^1\.20 kB +1,200 +\/data$/m);
      expect(renderAnalyzeHtml(r)).toContain('in 1,200 final files<');
    } finally {
      await many.cleanup();
    }
  });
});

describe('analyze reports count one thing in the singular', () => {
  it('text, Markdown and HTML', async () => {
    const r = await analyze({ image: image.path, noCache: true });
    expect(r.summary).toMatchObject({ layers: 1, files: 1, finalFiles: 1 });
    const text = renderAnalyzeText(r, { color: false });
    expect(text).toContain('(1 file, 4 B over all layers)');
    expect(text).toContain('in 0 groups of identical files');
    expect(renderAnalyzeMarkdown(r)).toContain('| Final files | 1 file, 4 B |');
    const html = renderAnalyzeHtml(r);
    expect(html).toContain('in 1 final file<');
    expect(html).toContain('<b>No findings</b>');
    expect(html).not.toMatch(/\b1 (files|final files|findings|packages)\b/);
  });
});

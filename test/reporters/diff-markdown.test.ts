// The markdown diff tells the same file story as the text one: a path whose kind changed (a symlink replaced by a
// file) says so in both, from the result of a real diff of two hand-built images.
import { renderDiffMarkdown } from '../../src/reporters/diff-markdown.js';
import { renderDiffText } from '../../src/reporters/diff-text.js';
import { diffImages } from '../../src/services/diff.js';
import { buildOciLayout, layer, symlink, type BuiltImage } from '../helpers/image-builder.js';

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  a = await buildOciLayout([layer({ 'etc/passwd': 'root:x:0:0\n', 'etc/link': symlink('/etc/passwd') })]);
  b = await buildOciLayout([layer({ 'etc/passwd': 'root:x:0:0\n', 'etc/link': 'a file now\n' })]);
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

describe('diff reporters', () => {
  it('name a kind change in markdown as in text', async () => {
    const r = await diffImages({ a: a.path, b: b.path, noCache: true });
    expect(r.files.changed).toMatchObject([{ path: 'etc/link', kindBefore: 'symlink', kind: 'file' }]);
    expect(renderDiffText(r, { color: false })).toMatch(/\/etc\/link 0 B -> 11 B \(symlink -> file\)/);
    expect(renderDiffMarkdown(r)).toContain('| changed | +11 B | `/etc/link` | 0 B → 11 B (symlink → file) |');
  });
});

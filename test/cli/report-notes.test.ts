// The notes on stderr that tell a user the report is not what they likely meant, through the real executable (the
// compiled dist/: `npm run build` first): `bases a.oci a.oci` compared one image with no word that it was given twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

// No format from the job's environment, and no CI: the notes are the only thing on stderr.
const env = { BALLAST_FORMAT: '', BALLAST_CONTENT_TYPE: '', GITHUB_ACTIONS: '', GITLAB_CI: '' };

let dir: string;
let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-report-notes-'));
  a = await buildOciLayout([layer({ 'app/a.txt': 100 }, 'COPY a /app')]);
  b = await buildOciLayout([layer({ 'app/a.txt': 100, 'app/b.txt': 2000 }, 'COPY a /app')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  a?.cleanup();
  b?.cleanup();
});

describe('bases given one image twice', () => {
  it('compares it once and names the duplicate on stderr', async () => {
    const result = await runCli(['bases', a.path, b.path, a.path, '--no-cache'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2 images side by side/);
    expect(result.stderr).toBe(`note: ${a.path} was given twice: compared once\n`);
    const thrice = await runCli(['bases', a.path, a.path, b.path, a.path, '--no-cache'], { env });
    expect(thrice.stdout).toMatch(/^2 images side by side/);
    expect(thrice.stderr).toBe(`note: ${a.path} was given 3 times: compared once\n`);
  });

  it('says nothing of two different images', async () => {
    const result = await runCli(['bases', a.path, b.path, '--no-cache'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

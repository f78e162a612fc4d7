// The repository's Dockerfile builds ballast from the files its build stage copies in, not from the whole checkout:
// `npm run build` there must find every file the build runs. A build script added to package.json but not copied
// (scripts/oclif-manifest.js) stopped `docker build .` at `Cannot find module`. This runs the build stage's COPYs
// (read from the Dockerfile with ballast's own parser) into a temp dir and `npm run build` in it, without a container
// builder or a registry: test/integration/container.test.ts builds and runs the whole image, in half an hour. A file
// the build context leaves out (.dockerignore) fails it, as it fails the builder.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDockerfile, splitWords } from '../../src/dockerfile/parse.js';
import { repoRoot, run } from '../helpers/install.js';

/**
 * Whether the build context holds `path`, by the repository's .dockerignore, which is in the form "`*`, then `!`
 * each path the build reads" (a directory's entry takes in everything below it); the last line that matches decides.
 */
function inContext(path: string): boolean {
  let kept = true;
  for (const raw of readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/\/+$/, '');
    if (pattern === '*' || path === pattern || path.startsWith(`${pattern}/`)) kept = negated;
  }
  return kept;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ballast-build-stage-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('`npm run build` succeeds with only the files the build stage copies in', async () => {
  const parsed = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'), 'Dockerfile');
  const build = parsed.stages.find((s) => s.name === 'build')!;
  const copies = parsed.instructions.filter(
    (i) => i.stageIndex === build.index && i.keyword === 'COPY' && !i.flags.from,
  );
  expect(copies.length).toBeGreaterThan(0);
  for (const copy of copies) {
    const words = splitWords(copy.args);
    const dest = join(work, words.at(-1)!);
    for (const source of words.slice(0, -1)) {
      // The builder stops at a source the context leaves out ("no items matching glob").
      expect([source, inContext(source.replace(/\/+$/, ''))]).toEqual([source, true]);
      const from = join(repoRoot, source);
      // A directory's contents go into the destination, a file goes into it by its name (the destinations end in /).
      cpSync(from, statSync(from).isDirectory() ? dest : join(dest, basename(source)), { recursive: true });
    }
  }
  // The stage's `npm ci` installs these; the checkout's are the same packages.
  symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
  const result = await run('npm', ['run', 'build'], { cwd: work, timeoutMs: 300_000 });
  const output = result.code === 0 ? '' : `${result.stdout}${result.stderr}`;
  expect({ code: result.code, output }).toEqual({ code: 0, output: '' });
  expect(existsSync(join(work, 'oclif.manifest.json'))).toBe(true);
}, 360_000);

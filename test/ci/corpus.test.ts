// The gate on the real-image corpus with the example budgets (examples/.ballast.yaml): `bloated` fails, naming every
// failing budget and the Dockerfile lines to fix; `slim` passes; slim against bloated reports the shrink; bloated
// against slim fails the growth budget. Without the corpus these tests skip, loudly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bytesText } from '../../src/analysis/image-rules.js';
import { renderCiMarkdown } from '../../src/reporters/ci-markdown.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import { renderGithub } from '../../src/reporters/github.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { ci, type CiResult } from '../../src/services/ci.js';
import { corpusArtifacts, corpusDir, corpusDockerfiles, describeWithCorpus } from '../helpers/corpus.js';
import { formatBytes } from '../../src/report/figures.js';

const CONFIG = resolve('examples/.ballast.yaml');
const BLOATED = join(corpusDir, 'bloated.oci');
const SLIM = join(corpusDir, 'slim.oci');
const BLOATED_DOCKERFILE = join(corpusDockerfiles, 'bloated.Dockerfile');
const SLIM_DOCKERFILE = join(corpusDockerfiles, 'slim.Dockerfile');

const uncompressedOf = (name: string) =>
  corpusArtifacts()
    .find((a) => a.name === name)!
    .images[0].layers.reduce((n, l) => n + l.uncompressed_size, 0);
const statusOf = (r: CiResult) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describeWithCorpus('ballast ci on the corpus with examples/.ballast.yaml', () => {
  let dir: string;
  let bloated: CiResult;
  let slim: CiResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-ci-corpus-'));
    bloated = await ci({
      image: BLOATED,
      cwd: process.cwd(),
      config: CONFIG,
      dockerfile: BLOATED_DOCKERFILE,
      saveBaseline: join(dir, 'bloated.json'),
    });
    slim = await ci({
      image: SLIM,
      cwd: process.cwd(),
      config: CONFIG,
      dockerfile: SLIM_DOCKERFILE,
      saveBaseline: join(dir, 'slim.json'),
    });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bloated fails every size, waste and junk budget, each with the lines to fix', () => {
    expect(bloated.verdict).toBe('fail');
    expect(bloated.exitCode).toBe(1);
    // The measured size is layerstats.py's
    expect(bloated.checks.find((c) => c.id === 'maxImageBytes')).toMatchObject({
      status: 'fail',
      value: uncompressedOf('bloated.oci'),
      limit: 400e6,
    });
    expect(statusOf(bloated)).toEqual({
      maxImageBytes: 'fail',
      'maxImageBytes.compressed': 'fail',
      maxLayerBytes: 'fail',
      minEfficiency: 'fail',
      maxWastedBytes: 'fail',
      maxWastedPercent: 'fail',
      maxJunkBytes: 'fail',
      'maxJunkBytes.aptLists': 'fail',
      'maxJunkBytes.aptCache': 'fail',
      'maxJunkBytes.gitDirs': 'fail',
      'maxJunkBytes.dotenvFiles': 'fail',
      maxGrowthBytes: 'skip',
      maxGrowthPercent: 'skip',
      failOn: 'fail',
    });
    const check = (id: string) => bloated.checks.find((c) => c.id === id)!;
    const file = relative(process.cwd(), BLOATED_DOCKERFILE);
    // L1 (line 11: apt-get without cleanup) is the layer over 100 MB and holds the apt lists and cache
    expect(check('maxLayerBytes').locations.map((l) => [l.file, l.line])).toEqual([[file, 11]]);
    expect(check('maxJunkBytes.aptLists').locations.map((l) => l.line)).toEqual([11]);
    expect(check('maxJunkBytes.aptCache').locations.map((l) => l.line)).toEqual([11]);
    // The biggest waste is the planted 64 MiB toolchain + VERSION of line 14 (exactly 67,108,878 bytes)
    expect(check('maxWastedBytes').locations[0]).toMatchObject({ file, line: 14, bytes: 67_108_878 });
    // minEfficiency is dive's score: its lines are those of dive's wasted bytes (the chown -R copy of line 36 first),
    // not the toolchain of line 14, which `rm -rf` deleted with its directory: no waste to dive, whose score it raises
    expect(check('minEfficiency').locations.map((l) => [l.line, l.bytes])).toEqual([
      [36, 72_719_579],
      [19, 39_161_688],
      [23, 33_554_432],
    ]);
    // failOn: the .env shipped by `COPY . /app` (line 19) is an error
    expect(check('failOn').locations.map((l) => l.line)).toContain(19);
    // And the text report names each failing budget and the lines
    const text = renderCiText(bloated, { color: false, width: 200 });
    for (const c of bloated.checks.filter((x) => x.status === 'fail')) expect(text).toContain(`(${c.id})`);
    expect(text).toMatch(
      /bloated\.Dockerfile:11 \(layer 1\)\s+236 MB \(tar\)\s+RUN apt-get update && apt-get install -y curl python3/,
    );
    expect(text).toMatch(/bloated\.Dockerfile:14 \(layer 2\)\s+67\.1 MB\s+RUN mkdir -p \/opt\/toolchain/);
    expect(text.split('\n')[0]).toMatch(/^FAIL .*bloated\.oci.*: 12 budgets failed/);
    // The headline wraps to the width given; a blank line then "Fix first" follow it.
    expect(text.split('\n\n')[1].split('\n')[0]).toBe('Fix first');
  });

  it('failOn: warning lists the one error first, not after the five biggest warnings', async () => {
    // Given bloated with failOn: warning, where the one error (IM009, the 106 B /app/.env) is far smaller than the
    // fourteen warnings
    const config = join(dir, 'fail-on-warning.yaml');
    writeFileSync(config, 'ci:\n  failOn: warning\n');
    const r = await ci({ image: BLOATED, cwd: process.cwd(), config, dockerfile: BLOATED_DOCKERFILE });
    const failOn = r.checks.find((c) => c.id === 'failOn')!;
    expect(failOn.status).toBe('fail');
    // Then the places behind failOn are ranked as every report ranks findings: the error first, then the warnings, the
    // image's biggest and the Dockerfile's first taking turns, so its lint warnings are not all under the cut
    expect(failOn.locations.map((l) => l.rule)).toEqual(['IM009', 'IM002', 'IM001', 'DF023', 'DF105']);
    const file = relative(process.cwd(), BLOATED_DOCKERFILE);
    // And text, Markdown, JUnit and the annotations all name the error first
    const text = renderCiText(r, { color: false, width: 200 });
    const why = text.slice(text.indexOf('findings at or above warning (failOn)'));
    expect(why.split('\n')[1]).toMatch(/bloated\.Dockerfile:19 \(layer 3\).*IM009 `\/app\/\.env`/);
    expect(renderCiMarkdown(r)).toMatch(
      /\| `failOn` findings at or above warning \| 15 \| 0 \| [^;|]*bloated\.Dockerfile:19 \(IM009,/,
    );
    const options = { color: false, cwd: process.cwd() };
    expect(renderJunit(r.report, options)).toContain(`(failOn); fix first: ${file}:19 (layer 3`);
    expect(renderJunit(r.report, options)).toMatch(/\(failOn\); fix first: [^"]*: IM009 `\/app\/\.env`/);
    expect(renderGithub(r.report, options)).toMatch(
      /title=budget\/failOn findings::.*fix first: [^:]*:19 \(layer 3[^)]*\): IM009/,
    );
  }, 300_000);

  it('slim passes every budget', () => {
    expect(slim.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(slim.checks.find((c) => c.id === 'maxImageBytes')).toMatchObject({
      status: 'pass',
      value: uncompressedOf('slim.oci'),
    });
    expect(slim.verdict).toBe('pass');
    expect(slim.exitCode).toBe(0);
  });

  it('slim with bloated (the image) as baseline reports the shrink and passes', async () => {
    const r = await ci({
      image: SLIM,
      cwd: process.cwd(),
      config: CONFIG,
      dockerfile: SLIM_DOCKERFILE,
      baseline: BLOATED,
    });
    expect(r.baseline!.uncompressed).toMatchObject({
      before: uncompressedOf('bloated.oci'),
      after: uncompressedOf('slim.oci'),
      bytes: uncompressedOf('slim.oci') - uncompressedOf('bloated.oci'),
    });
    expect(r.baseline!.uncompressed.bytes).toBeLessThan(-400e6);
    expect(statusOf(r)).toMatchObject({ maxGrowthBytes: 'pass', maxGrowthPercent: 'pass' });
    expect(r.verdict).toBe('pass');
    const before = uncompressedOf('bloated.oci');
    const after = uncompressedOf('slim.oci');
    // The line names the baseline's own image and platform (the argument, an OCI layout, has its ref name as tag)
    const { reference, tag, platform } = r.baseline!.baseline;
    expect(platform).toBe(r.image.platform);
    expect(renderCiText(r, { color: false })).toContain(
      `Baseline ${BLOATED} (${tag ? `${reference}:${tag}` : reference}, ${platform}): ${formatBytes(before)} -> ${formatBytes(after)} uncompressed (tar), shrank by ${formatBytes(before - after)} (-${((100 * (before - after)) / before).toFixed(2)}%)`,
    );
  }, 300_000);

  it('bloated with slim (its saved baseline) as baseline fails the growth budgets', async () => {
    const r = await ci({
      image: BLOATED,
      cwd: process.cwd(),
      config: CONFIG,
      dockerfile: BLOATED_DOCKERFILE,
      baseline: join(dir, 'slim.json'),
    });
    expect(r.baseline!.uncompressed.bytes).toBe(uncompressedOf('bloated.oci') - uncompressedOf('slim.oci'));
    expect(r.checks.find((c) => c.id === 'maxGrowthBytes')).toMatchObject({
      status: 'fail',
      limit: 50e6,
      value: r.baseline!.uncompressed.bytes,
    });
    expect(r.checks.find((c) => c.id === 'maxGrowthPercent')!.status).toBe('fail');
    const growth = r.baseline!.uncompressed;
    // Saved from slim: the message names slim's image and platform, as they were when it was saved
    const { reference, tag, platform } = r.baseline!.baseline;
    expect([reference, tag, platform]).toEqual([slim.image.reference, slim.image.tag, slim.image.platform]);
    expect(r.checks.find((c) => c.id === 'maxGrowthBytes')!.message).toBe(
      `uncompressed size +${bytesText(growth.bytes)} (tar, +${(growth.ratio! * 100).toFixed(2)}%) against the baseline ${tag ? `${reference}:${tag}` : reference} (${platform}) is ${bytesText(growth.bytes - 50e6)} over the 50.0 MB limit (maxGrowthBytes)`,
    );
    expect(growth.ratio).toBeGreaterThan(1.5);
  }, 300_000);
});

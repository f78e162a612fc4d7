// The gate on the demo image (examples/demo: built by buildah from examples/demo/Dockerfile, with planted apt lists,
// a deleted download and a chmod copy): budgets with value, limit and verdict, the Dockerfile lines behind each
// failure, baselines (file and image), ignore lists, per-image budgets, the outputs, and exit codes 0/1/2 from the CLI.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { percentChange } from '../../src/reporters/format.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import { ci } from '../../src/services/ci.js';
import { runCli } from '../helpers/cli.js';
import { parseJunit } from '../helpers/junit.js';
import { buildDockerArchive, file, layer } from '../helpers/image-builder.js';
import { sarifValidator } from '../helpers/sarif.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const DEMO = resolve('examples/demo/demo.tar');
const DEMO_DOCKERFILE = resolve('examples/demo/Dockerfile');
const DIVE = resolve('test/fixtures/dive/test-docker-image.tar');
const DIVE_DOCKERFILE = resolve('test/fixtures/dive/Dockerfile.test-image');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-ci-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = (text: string) => writeFileSync(join(dir, '.ballast.yaml'), text);

describe('ballast ci (service)', () => {
  it('fails each budget the demo image is over, naming value, limit and the Dockerfile lines to fix', async () => {
    // Given budgets the demo image breaks (and one it meets)
    config(
      'ci:\n  maxImageBytes: 10MB\n  maxWastedBytes: 500kB\n  maxJunkBytes:\n    aptLists: 0\n  maxLayerBytes: 1.5MB\n  failOn: none\n',
    );
    // When the gate runs with the Dockerfile
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    // Then the verdict is fail, exit code 1
    expect(r.verdict).toBe('fail');
    expect(r.exitCode).toBe(1);
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(byId.maxImageBytes).toMatchObject({ status: 'pass', limit: 10e6, value: r.summary.uncompressedBytes });
    // The deleted 1 MB download (line 13) and the chmod copy of /app (COPY on line 15) are the wasted bytes
    expect(byId.maxWastedBytes).toMatchObject({ status: 'fail', limit: 500e3, value: r.summary.wastedBytes });
    expect(byId.maxWastedBytes.locations.map((l) => [l.file, l.line])).toEqual([
      [DEMO_DOCKERFILE, 13],
      [DEMO_DOCKERFILE, 15],
    ]);
    expect(byId.maxWastedBytes.locations[0].bytes).toBeGreaterThanOrEqual(1_000_000);
    // The apt lists planted by the RUN on line 8
    expect(byId['maxJunkBytes.aptLists']).toMatchObject({ status: 'fail', limit: 0, value: 600000 });
    expect(byId['maxJunkBytes.aptLists'].locations.map((l) => l.line)).toEqual([8]);
    // The rootfs COPY (line 5) is the one layer over 1.5 MB
    expect(byId.maxLayerBytes.status).toBe('fail');
    expect(byId.maxLayerBytes.locations.map((l) => l.line)).toEqual([5]);
    // Unset budgets are SKIP with the reason
    expect(byId.minEfficiency).toMatchObject({ status: 'skip', message: expect.stringContaining('no limit set') });
    expect(byId.maxGrowthBytes.status).toBe('skip');
    // What to fix first: the biggest reclaimable findings, with their lines
    expect(r.fixFirst[0]).toMatchObject({ code: 'IM003', location: { file: DEMO_DOCKERFILE, line: 13 } });
    expect(r.fixFirst.map((f) => f.bytes)).toEqual([...r.fixFirst.map((f) => f.bytes)].sort((a, b) => b! - a!));
    // One report: lint findings of the Dockerfile and image findings, and the checks
    expect(r.report.targets.map((t) => t.target)).toEqual([DEMO_DOCKERFILE, expect.stringContaining('demo.tar')]);
    expect(r.report.targets[0].findings.length).toBeGreaterThan(0);
    expect(r.report.checks).toBe(r.checks);
    expect(Object.keys(r.report.rules)).toEqual(expect.arrayContaining(['IM001', 'IM003']));
  });

  it('a failed junk budget says how much junk each layer holds and which junk is largest', async () => {
    // Given junk budgets the demo image is over (its junk: apt lists planted by line 8, and apt's cache)
    config('ci:\n  maxJunkBytes:\n    total: 1B\n    aptLists: 0\n  failOn: none\n');
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    // Then the total names its largest classes with their sizes, a class its largest files
    expect(byId.maxJunkBytes.message).toMatch(
      / is \S+ kB over the 1 B limit \(maxJunkBytes\); largest: apt package lists 600 kB/,
    );
    expect(byId['maxJunkBytes.aptLists'].message).toMatch(/; largest: \/var\/lib\/apt\/lists\/\S+ \d/);
    // And each place to fix carries its junk bytes (all the class's bytes in that layer), as other size budgets do
    expect(byId['maxJunkBytes.aptLists'].locations).toEqual([expect.objectContaining({ line: 8, bytes: 600000 })]);
    expect(byId.maxJunkBytes.locations[0]).toMatchObject({ line: 8, bytes: expect.any(Number) });
    // So the text report's row and the one-line advice of the other formats name a size
    const cli = await runCli(['ci', DEMO, '--dockerfile', DEMO_DOCKERFILE, '--format', 'github'], { cwd: dir });
    expect(cli.stdout).toMatch(/budget\/maxJunkBytes\.aptLists.*fix first: [^:]+:8 \(layer \d+, 600 kB\)/);
    // And the Markdown summary's budget row names the junk as the message does, before its places
    const md = await runCli(['ci', DEMO, '--dockerfile', DEMO_DOCKERFILE, '--format', 'markdown'], { cwd: dir });
    const row = (id: string) => md.stdout.split('\n').find((l) => l.includes(`| \`${id}\` `))!;
    expect(row('maxJunkBytes')).toMatch(/\| largest: apt package lists 600 kB.*; [^|]+:8 \(layer \d+, [^)]+\) \|$/);
    expect(row('maxJunkBytes.aptLists')).toMatch(/\| largest: \/var\/lib\/apt\/lists\/\S+ \d[^|]*; [^|]+:8 \(layer/);
  });

  it('a junk budget blames the line that brought the files in, not a later chown -R that copied them again', async () => {
    // Given `COPY . /app` bringing in a .env and .git, and `chown -R` copying both again with the same content
    config('ci:\n  maxJunkBytes:\n    total: 1B\n    dotenvFiles: 0\n    gitDirs: 0\n  failOn: none\n');
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM scratch\nCOPY . /app\nRUN chown -R 5 /app\n');
    const app: Record<string, string> = {
      'app/.env': 'TOKEN=1',
      'app/.git/HEAD': 'ref: main',
      'app/main.py': 'print(1)',
    };
    const files = (uid: number) => Object.fromEntries(Object.entries(app).map(([p, text]) => [p, file(text, { uid })]));
    const image = await buildDockerArchive([
      layer(files(0), 'COPY . /app # buildkit'),
      layer(files(5), 'RUN /bin/sh -c chown -R 5 /app # buildkit'),
    ]);
    try {
      const r = await ci({ image: image.path, cwd: dir, dockerfile, workers: 0 });
      const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
      // Then every junk budget points at the COPY (line 2), where .dockerignore fixes it, as IM009 and IM006 do
      for (const id of ['maxJunkBytes', 'maxJunkBytes.dotenvFiles', 'maxJunkBytes.gitDirs']) {
        expect(byId[id].status).toBe('fail');
        expect(byId[id].locations.map((l) => [l.line, l.layerIndex])).toEqual([[2, 0]]);
      }
      const images = r.report.targets.flatMap((t) => t.findings).filter((f) => ['IM006', 'IM009'].includes(f.code));
      expect(images.map((f) => [f.code, f.location.line])).toEqual(
        expect.arrayContaining([
          ['IM006', 2],
          ['IM009', 2],
        ]),
      );
    } finally {
      image.cleanup();
    }
  });

  it("names the Dockerfile from the service's cwd, not the process's", async () => {
    // Given a caller whose cwd option is a directory elsewhere (the CLI passes its own; a direct caller may not)
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(DEMO_DOCKERFILE));
    config('ci:\n  maxWastedBytes: 500kB\n  failOn: none\n');
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: 'Dockerfile', workers: 0 });
    // Then the places and the lint findings read `Dockerfile`, as that directory names it (they read its absolute
    // path, made relative to the process's directory)
    const wasted = r.checks.find((c) => c.id === 'maxWastedBytes')!;
    expect(wasted.locations[0]).toMatchObject({ file: 'Dockerfile', line: 13 });
    const files = r.report.targets.flatMap((t) => t.findings).map((f) => f.location.file);
    expect(new Set(files.filter(Boolean))).toEqual(new Set(['Dockerfile']));
  });

  it('passes when every budget is met; failOn counts lint and image findings', async () => {
    config('ci:\n  maxImageBytes: 10MB\n  minEfficiency: 50%\n  failOn: error\n');
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.exitCode).toBe(0);
    // And with failOn: warning the same findings fail the gate
    config('ci:\n  failOn: warning\n');
    const strict = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    const failOn = strict.checks.find((c) => c.id === 'failOn')!;
    expect(failOn.status).toBe('fail');
    const atLeastWarning = strict.report.targets.flatMap((t) => t.findings).filter((f) => f.severity !== 'info');
    expect(failOn.value).toBe(atLeastWarning.length);
    // Each line behind the failure says which finding it is, since the small ones (a .env file) are not among the
    // biggest findings listed first, and a line and a size alone do not say what to fix there
    expect(failOn.locations.length).toBeGreaterThan(0);
    for (const l of failOn.locations) expect(l.text).toMatch(/^(DF|IM)\d{3} \S/);
  });

  it('a compressed size budget on an archive of uncompressed layers (docker save) is SKIP, saying why', async () => {
    // Given the demo image as docker save writes it (plain tar layers) and a compressed limit it is over when its
    // stored bytes are taken for compressed ones
    config('ci:\n  maxImageBytes: {compressed: 1MB}\n  failOn: none\n');
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    // Then the check is not measured rather than judged on uncompressed bytes, and says how to measure it
    const check = r.checks.find((c) => c.id === 'maxImageBytes.compressed')!;
    expect(check).toMatchObject({ status: 'skip', value: null, limit: 1e6 });
    expect(check.message).toMatch(/^compressed image size: not measured: .*uncompressed.*docker save/);
    expect(r.verdict).toBe('pass');
  });

  it('ignore: rules, paths and junk classes do not count', async () => {
    config(
      'ci:\n  failOn: warning\n  maxJunkBytes: 1B\n  ignore:\n    rules: [IM001, IM002, IM003, IM005, DF023, DF025, DF001]\n    paths: ["/opt/**"]\n    junk: [aptLists, aptCache]\n',
    );
    const r = await ci({ image: DEMO, cwd: dir, workers: 0 });
    const codes = r.report.targets.flatMap((t) => t.findings.map((f) => f.code));
    expect(codes).not.toEqual(expect.arrayContaining(['IM001']));
    expect(codes.filter((c) => ['IM001', 'IM002', 'IM003', 'IM005'].includes(c))).toEqual([]);
    // The demo's junk is apt lists and cache only, so with both ignored the total is 0
    expect(r.checks.find((c) => c.id === 'maxJunkBytes')).toMatchObject({ status: 'pass', value: 0 });
    // ignore.paths alone drops only the findings under those image paths
    config('ci:\n  ignore:\n    paths: ["/opt/**"]\n');
    const byPath = await ci({ image: DEMO, cwd: dir, workers: 0 });
    const paths = byPath.report.targets
      .flatMap((t) => t.findings)
      .map((f) => (f.location.kind === 'image' ? f.location.path : undefined));
    expect(paths.filter((p) => p?.startsWith('/opt'))).toEqual([]);
    expect(paths).toContain('/var/lib/apt/lists');
    expect(byPath.notes).toContain('1 image findings under ignore.paths not counted');
    // An unknown rule in ignore is a config error, not a silent no-op, naming the file and the key as the other keys'
    // errors do; and it fails before the image is read, as they do (here an image that does not exist).
    config('ci:\n  ignore:\n    rules: [IM999]\n');
    await expect(ci({ image: DEMO, cwd: dir, workers: 0 })).rejects.toThrow(
      `${join(dir, '.ballast.yaml')}: ci.ignore.rules: IM999 is not a known rule`,
    );
    await expect(ci({ image: join(dir, 'missing.tar'), cwd: dir, workers: 0 })).rejects.toThrow(
      'ci.ignore.rules: IM999 is not a known rule',
    );
    config('ci:\n  images:\n    "nothing/*": {ignore: {rules: [IM999]}}\n');
    await expect(ci({ image: DEMO, cwd: dir, workers: 0 })).rejects.toThrow(
      'ci.images.nothing/*.ignore.rules: IM999 is not a known rule',
    );
    // A ShellCheck code is a rule to ignore here as in rules: and lint --ignore (its findings come from the lint step)
    config('ci:\n  ignore:\n    rules: [SC2086]\n');
    await expect(ci({ image: DEMO, cwd: dir, workers: 0 })).resolves.toMatchObject({ exitCode: 0 });
    await expect(
      ci({ image: DEMO, cwd: dir, workers: 0, ignore: { rules: ['sc2046'], paths: [], junk: [] } }),
    ).resolves.toMatchObject({ exitCode: 0 });
    // and a BuildKit check name, as rules: and lint --ignore take it
    config('ci:\n  ignore:\n    rules: [JSONArgsRecommended]\n');
    await expect(ci({ image: DEMO, cwd: dir, workers: 0 })).resolves.toMatchObject({ exitCode: 0 });
  });

  it('per-image budgets apply to images matching the pattern; flags override the config', async () => {
    config('ci:\n  maxImageBytes: 1MB\n  images:\n    "**/demo.tar":\n      maxImageBytes: 10MB\n');
    const r = await ci({ image: DEMO, cwd: dir, workers: 0 });
    expect(r.config.images).toEqual(['**/demo.tar']);
    expect(r.checks.find((c) => c.id === 'maxImageBytes')).toMatchObject({ status: 'pass', limit: 10e6 });
    const over = await ci({
      image: DEMO,
      cwd: dir,
      workers: 0,
      overrides: [{ key: 'maxImageBytes', value: '2MB', source: '--max-image-bytes' }],
    });
    expect(over.checks.find((c) => c.id === 'maxImageBytes')).toMatchObject({ status: 'fail', limit: 2e6 });
  });

  it.each([
    ['an empty file', '', /^\.ballast\.yaml has no ci: section: only the failOn check and flag budgets apply/],
    ['a bare ci: key', 'ci:\n', /^\.ballast\.yaml's ci: section sets no budget: only the failOn check/],
    ['ci: {}', 'ci: {}\n', /^\.ballast\.yaml's ci: section sets no budget/],
    ['an ignore list alone', 'ci:\n  ignore:\n    rules: [IM006]\n', /^\.ballast\.yaml's ci: section sets no budget/],
  ])('%s sets no budget, and a note says so as it does without a file', async (_what, text, note) => {
    // Given a .ballast.yaml whose ci: section holds no budget
    config(text);
    // When the gate runs
    const r = await ci({ image: DIVE, cwd: dir, workers: 0 });
    // Then it passes as before, with every budget but failOn skipped, and a note naming the file says why
    expect(r.exitCode).toBe(0);
    expect(r.checks.filter((c) => c.status !== 'skip').map((c) => c.id)).toEqual(['failOn']);
    expect(r.notes.filter((n) => note.test(n))).toHaveLength(1);
  });

  it('a ci: section with one budget, top-level or per image, gets no such note', async () => {
    for (const text of ['ci:\n  failOn: warning\n', 'ci:\n  images:\n    "other/*":\n      maxLayerBytes: 1GB\n']) {
      config(text);
      const r = await ci({ image: DIVE, cwd: dir, workers: 0 });
      expect(r.notes.join('\n')).not.toMatch(/sets no budget|no ci: section/);
    }
  });

  it.each([
    ['a top-level failOn alone', 'failOn: warning\n', true],
    ['a top-level failOn beside a ci: budget', 'failOn: warning\nci:\n  maxImageBytes: 1GB\n', true],
    ['a top-level failOn and ci:s own', 'failOn: warning\nci:\n  failOn: info\n', false],
    [
      'a top-level failOn and one per image',
      'failOn: warning\nci:\n  images:\n    "other/*":\n      failOn: info\n',
      false,
    ],
    ['no top-level failOn', 'ci:\n  maxImageBytes: 1GB\n', false],
  ])("%s: a note says the top-level one is lint's when ci: sets none", async (_what, text, noted) => {
    // Given a .ballast.yaml whose failOn is lint's (top level) and maybe the gate's (ci:)
    config(text);
    // When the gate runs
    const r = await ci({ image: DIVE, cwd: dir, workers: 0 });
    // Then a team that wrote failOn: warning at the top is told the gate is at error, and how to set it
    const note = r.notes.filter((n) => n.includes("top-level failOn: warning is lint's"));
    expect(note).toEqual(
      noted
        ? [
            ".ballast.yaml's top-level failOn: warning is lint's: the gate reads ci: {failOn: warning}, and gates at error (its default) here",
          ]
        : [],
    );
  });

  it('baseline: a saved file and an image give the same growth; growth budgets use the shared rule', async () => {
    config('ci:\n  maxGrowthBytes: 1MB\n  maxGrowthPercent: 10%\n  failOn: none\n');
    const saved = join(dir, 'baseline.json');
    // Given the dive fixture saved as the baseline
    const first = await ci({ image: DIVE, cwd: dir, workers: 0, saveBaseline: saved });
    const file = JSON.parse(readFileSync(saved, 'utf8'));
    // Then the file is compact and versioned
    expect(file).toMatchObject({
      kind: 'ballast-baseline',
      version: 1,
      summary: { uncompressedBytes: first.summary.uncompressedBytes },
    });
    expect(Object.keys(file).sort()).toEqual(['createdAt', 'image', 'kind', 'summary', 'version']);
    // When the demo image is checked against it, by file and by image
    const byFile = await ci({ image: DEMO, cwd: dir, workers: 0, baseline: saved });
    const byImage = await ci({ image: DEMO, cwd: dir, workers: 0, baseline: DIVE });
    expect(byImage.baseline!.uncompressed).toEqual(byFile.baseline!.uncompressed);
    const growth = byFile.summary.uncompressedBytes - first.summary.uncompressedBytes;
    expect(byFile.baseline!.uncompressed.bytes).toBe(growth);
    // Then both growth budgets fail (the demo is ~3 MB bigger, ~200%)
    expect(byFile.checks.find((c) => c.id === 'maxGrowthBytes')).toMatchObject({
      status: 'fail',
      value: growth,
      limit: 1e6,
    });
    expect(byFile.checks.find((c) => c.id === 'maxGrowthPercent')!.status).toBe('fail');
    // And the other way round it is a shrink, which passes any growth budget
    const shrink = await ci({ image: DIVE, cwd: dir, workers: 0, baseline: DEMO });
    expect(shrink.baseline!.uncompressed.bytes).toBe(-growth);
    expect(shrink.checks.filter((c) => c.id.startsWith('maxGrowth')).map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(shrink.verdict).toBe('pass');
  });

  it('a growth too small for two decimals reads the same in the budget, its message and the Baseline line', async () => {
    // A shrink of a few kB in 30 MB read `-0.00%` in the budget row and `-0.004%` on the Baseline line below it.
    config('ci:\n  maxGrowthBytes: 1MB\n  maxGrowthPercent: 10%\n  failOn: none\n');
    const main = await buildDockerArchive([layer({ 'app/a': file(30_000_000) })]);
    const pr = await buildDockerArchive([layer({ 'app/a': file(29_998_000) })]);
    try {
      const r = await ci({ image: pr.path, cwd: dir, workers: 0, baseline: main.path });
      const ratio = r.baseline!.uncompressed.ratio!;
      expect(ratio).toBeLessThan(0);
      expect(ratio).toBeGreaterThan(-0.0001);
      const shown = percentChange(ratio * 100);
      expect(shown).toMatch(/^-0\.00\d+%$/);
      const text = renderCiText(r, { color: false });
      expect(text).toMatch(new RegExp(`^PASS +maxGrowthPercent +${shown} +10\\.00%`, 'm'));
      expect(text).toContain(`(${shown}); wasted`);
      for (const id of ['maxGrowthBytes', 'maxGrowthPercent'])
        expect(r.checks.find((c) => c.id === id)!.message).toContain(`(tar, ${shown})`);
      expect(text).not.toMatch(/-0\.00%/);
    } finally {
      main.cleanup();
      pr.cleanup();
    }
  });

  it('a baseline file rewritten with a byte order mark or CRLF line ends (a Windows agent) still reads', async () => {
    // Given the dive fixture's baseline, as PowerShell 5's Set-Content -Encoding UTF8 writes it back
    const saved = join(dir, 'baseline.json');
    const first = await ci({ image: DIVE, cwd: dir, workers: 0, saveBaseline: saved });
    writeFileSync(saved, `\ufeff${readFileSync(saved, 'utf8').replace(/\n/g, '\r\n')}`);
    // When the same image is checked against it
    const again = await ci({ image: DIVE, cwd: dir, workers: 0, baseline: saved });
    // Then it is the same image: no growth
    expect(again.baseline!.uncompressed).toMatchObject({ before: first.summary.uncompressedBytes, bytes: 0 });
  });

  it('a baseline of another platform is not compared: the growth budgets skip, saying why, and a note says so', async () => {
    // Given main's baseline saved from the arm64 build, and the pull request's amd64 build three times its size
    config('ci:\n  maxGrowthBytes: 1MB\n  maxGrowthPercent: 10%\n  failOn: none\n');
    const arm = await buildDockerArchive([layer({ 'app/a': file(1000) })], {
      platform: 'linux/arm64',
      repoTags: ['myorg/app:main'],
    });
    const amd = await buildDockerArchive([layer({ 'app/a': file(3000) })], {
      platform: 'linux/amd64',
      repoTags: ['myorg/app:pr-7'],
    });
    try {
      const saved = join(dir, 'baseline.json');
      await ci({ image: arm.path, cwd: dir, workers: 0, saveBaseline: saved });
      // When the amd64 image is gated against it (and against the arm64 image itself)
      for (const baseline of [saved, arm.path]) {
        const r = await ci({ image: amd.path, cwd: dir, workers: 0, baseline });
        // Then the growth budgets are SKIP, with no value, naming the baseline's image and both platforms
        const growth = r.checks.filter((c) => c.id.startsWith('maxGrowth'));
        expect(growth.map((c) => [c.id, c.status, c.value])).toEqual([
          ['maxGrowthBytes', 'skip', null],
          ['maxGrowthPercent', 'skip', null],
        ]);
        for (const c of growth)
          expect(c.message).toMatch(
            /not compared: the baseline .*myorg\/app:main is linux\/arm64, this image linux\/amd64/,
          );
        // So the gate passes on what it can measure, where +200% would have failed it
        expect(r.verdict).toBe('pass');
        expect(r.baseline!.notCompared).toMatch(/linux\/arm64.*linux\/amd64/);
        expect(r.notes.join('\n')).toMatch(/baseline .*linux\/arm64.*linux\/amd64: the growth budgets are not checked/);
      }
      // And a baseline of the same platform compares, and says nothing of platforms
      const same = await ci({ image: amd.path, cwd: dir, workers: 0, baseline: amd.path });
      expect(same.baseline!.notCompared).toBeNull();
      expect(same.checks.filter((c) => c.id.startsWith('maxGrowth')).map((c) => c.status)).toEqual(['pass', 'pass']);
      expect(same.notes.join('\n')).not.toMatch(/linux\/|baseline/);
    } finally {
      arm.cleanup();
      amd.cleanup();
    }
  });

  it("linux/arm64/v8 is linux/arm64: a builder's default variant is the same platform, and is compared", async () => {
    config('ci:\n  maxGrowthBytes: 1MB\n  failOn: none\n');
    const v8 = await buildDockerArchive([layer({ 'app/a': file(1000) })], { platform: 'linux/arm64/v8' });
    const plain = await buildDockerArchive([layer({ 'app/a': file(3000) })], { platform: 'linux/arm64' });
    const armv6 = await buildDockerArchive([layer({ 'app/a': file(1000) })], { platform: 'linux/arm/v6' });
    const armv7 = await buildDockerArchive([layer({ 'app/a': file(3000) })], { platform: 'linux/arm/v7' });
    try {
      const r = await ci({ image: plain.path, cwd: dir, workers: 0, baseline: v8.path });
      expect(r.baseline!.notCompared).toBeNull();
      const grew = r.summary.uncompressedBytes - r.baseline!.uncompressed.before;
      expect(grew).toBeGreaterThan(0);
      expect(r.checks.find((c) => c.id === 'maxGrowthBytes')).toMatchObject({ status: 'pass', value: grew });
      // While another variant of 32-bit arm is another build
      const arm = await ci({ image: armv7.path, cwd: dir, workers: 0, baseline: armv6.path });
      expect(arm.checks.find((c) => c.id === 'maxGrowthBytes')).toMatchObject({ status: 'skip', value: null });
    } finally {
      for (const i of [v8, plain, armv6, armv7]) i.cleanup();
    }
  });

  it('linux/arm is linux/arm/v7 and aarch64 is arm64, as --platform reads them: compared', async () => {
    config('ci:\n  maxGrowthBytes: 1MB\n  failOn: none\n');
    const pairs = [
      ['linux/arm', 'linux/arm/v7'],
      ['linux/aarch64', 'linux/arm64'],
    ];
    for (const [before, after] of pairs) {
      const old = await buildDockerArchive([layer({ 'app/a': file(1000) })], { platform: before });
      const now = await buildDockerArchive([layer({ 'app/a': file(3000) })], { platform: after });
      try {
        const r = await ci({ image: now.path, cwd: dir, workers: 0, baseline: old.path });
        expect([before, r.baseline!.notCompared]).toEqual([before, null]);
        expect(r.checks.find((c) => c.id === 'maxGrowthBytes')!.status).toBe('pass');
      } finally {
        old.cleanup();
        now.cleanup();
      }
    }
  });

  it("another repository's baseline is compared and named, never failed for its name", async () => {
    // Given a baseline saved from another repository's image of the same platform (a rename, a base image as baseline)
    config('ci:\n  maxGrowthPercent: 10%\n  failOn: none\n');
    const api = await buildDockerArchive([layer({ 'app/a': file(100_000) })], { repoTags: ['myorg/api:main'] });
    const worker = await buildDockerArchive([layer({ 'app/a': file(101_000) })], { repoTags: ['myorg/worker:pr-7'] });
    try {
      const saved = join(dir, 'baseline.json');
      await ci({ image: api.path, cwd: dir, workers: 0, saveBaseline: saved });
      const r = await ci({ image: worker.path, cwd: dir, workers: 0, baseline: saved });
      // Then the growth is compared, and the check's message names the baseline's image and platform
      const check = r.checks.find((c) => c.id === 'maxGrowthPercent')!;
      expect(check.status).toBe('pass');
      expect(check.message).toMatch(/against the baseline .*myorg\/api:main \(linux\/amd64\) is within/);
      expect(r.notes.join('\n')).not.toMatch(/baseline/);
    } finally {
      api.cleanup();
      worker.cleanup();
    }
  });

  it('a baseline saved before the tag was, or with a platform edited into no text, still compares', async () => {
    config('ci:\n  maxGrowthBytes: 1MB\n  failOn: none\n');
    const saved = join(dir, 'baseline.json');
    await ci({ image: DIVE, cwd: dir, workers: 0, saveBaseline: saved });
    const file = JSON.parse(readFileSync(saved, 'utf8'));
    // Given the file as an older ballast wrote it (no image.tag), and one whose platform and tag a hand edit broke
    const { tag: _tag, ...old } = file.image;
    writeFileSync(saved, JSON.stringify({ ...file, image: old }));
    const before = await ci({ image: DIVE, cwd: dir, workers: 0, baseline: saved });
    expect(before.checks.find((c) => c.id === 'maxGrowthBytes')!.message).toContain(
      `against the baseline ${file.image.reference} (linux/amd64) is within`,
    );
    writeFileSync(saved, JSON.stringify({ ...file, image: { ...file.image, platform: 5, tag: ['x'] } }));
    const edited = await ci({ image: DIVE, cwd: dir, workers: 0, baseline: saved });
    // Then the growth is compared (an unknown platform differs from none) and the image named by its reference
    expect(edited.baseline).toMatchObject({ notCompared: null, uncompressed: { bytes: 0 } });
    expect(edited.checks.find((c) => c.id === 'maxGrowthBytes')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(`against the baseline ${file.image.reference} is within`),
    });
  });

  it('a baseline file that is not one is an error naming the problem', async () => {
    const bad = join(dir, 'report.json');
    writeFileSync(bad, JSON.stringify({ tool: { name: 'ballast' } }));
    await expect(ci({ image: DIVE, cwd: dir, workers: 0, baseline: bad })).rejects.toThrow('is not a ballast baseline');
    writeFileSync(bad, JSON.stringify({ kind: 'ballast-baseline', version: 99 }));
    await expect(ci({ image: DIVE, cwd: dir, workers: 0, baseline: bad })).rejects.toThrow('baseline version 99');
  });
});

describe('ballast ci (CLI)', () => {
  it('a config that is a directory is one error line saying so, found by name or given with a flag', async () => {
    // It said "cannot read config ...: EISDIR: illegal operation on a directory, read (hint: check the --config
    // path)", with a hint naming a flag that was not given when the directory was found by its name.
    mkdirSync(join(dir, '.ballast.yaml'));
    mkdirSync(join(dir, 'budgets'));
    mkdirSync(join(dir, 'dive', '.dive-ci'), { recursive: true });
    const gate = async (cwd: string, ...args: string[]) => {
      const r = await runCli(['ci', DIVE, '--workers', '0', ...args], { cwd });
      return [r.code, r.stderr];
    };
    const error = (path: string, hint: string) => [
      2,
      `error: the config ${path} is a directory, not a file (hint: a config is a YAML file: ${hint})\n`,
    ];
    const byName = 'rename or remove that directory, or give --config a file';
    // Named as typed, or from the working directory where it was found (not by absolute path).
    expect(await gate(dir)).toEqual(error('.ballast.yaml', byName));
    expect(await gate(dir, '--config', 'budgets')).toEqual(error('budgets', 'give --config a file'));
    // And dive's .dive-ci, found by its name where there is no .ballast.yaml, or given with --ci-config
    rmSync(join(dir, '.ballast.yaml'), { recursive: true });
    expect(await gate(join(dir, 'dive'))).toEqual(error('.dive-ci', byName));
    expect(await gate(dir, '--ci-config', 'dive/.dive-ci')).toEqual(error('dive/.dive-ci', 'give --ci-config a file'));
  });

  it('a misspelt budget variable is an error naming the one meant, not a gate run without that budget', async () => {
    // $BALLAST_MAX_IMAGE_BYTS=1 was not read at all: the job's size budget was off and the gate passed.
    for (const [name, value, meant] of [
      ['BALLAST_MAX_IMAGE_BYTS', '1', 'BALLAST_MAX_IMAGE_BYTES'],
      ['BALLAST_MIN_EFFICENCY', '100%', 'BALLAST_MIN_EFFICIENCY'],
      ['BALLAST_FAILON', 'info', 'BALLAST_FAIL_ON'],
    ]) {
      const r = await runCli(['ci', DIVE, '--workers', '0'], { cwd: dir, env: { [name]: value } });
      expect([r.code, r.stderr]).toEqual([
        2,
        `error: $${name} is not a variable ballast reads, so the budget it was meant to set is not set ` +
          `(hint: did you mean $${meant}?)\n`,
      ]);
    }
    // dive's flags have no variable: $BALLAST_LOWEST_EFFICIENCY=0.99 (BALLAST_ and the flag's name, as every other
    // flag is set) was read by nothing, and the gate passed on dive's default of 0.9
    for (const [name, flag, hint] of [
      ['BALLAST_LOWEST_EFFICIENCY', 'lowestEfficiency', 'pass --lowestEfficiency=VALUE on the command line, or write'],
      ['BALLAST_HIGHESTWASTEDBYTES', 'highestWastedBytes', 'pass --highestWastedBytes=VALUE on the command line'],
      ['BALLAST_HIGHEST_USER_WASTED_PERCENT', 'highestUserWastedPercent', 'pass --highestUserWastedPercent=VALUE'],
      ['BALLAST_CI_CONFIG', 'ci-config', 'pass --ci-config FILE on the command line)'],
    ]) {
      const r = await runCli(['ci', DIVE, '--workers', '0'], { cwd: dir, env: { [name]: '0.99' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `error: $${name} is not a variable ballast reads: dive's --${flag} has none, so it is not set (hint: ${hint}`,
      );
    }
    // And ballast's other variables, close to no budget's, are left alone
    const r = await runCli(['ci', DIVE, '--workers', '0'], { cwd: dir, env: { BALLAST_CACHE_MAX_BYTES: '1GB' } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/error|BALLAST_/);
  });

  it('--fail-on given a rule code says it takes a severity, and how to make that rule fail the gate', async () => {
    // It said only "Expected --fail-on=IM001 to be one of: ..." with a hint to read --help.
    for (const [rule, env] of [
      ['IM001', {}],
      ['DL3008', {}],
      ['IM003', { BALLAST_FAIL_ON: 'IM003' }],
    ] as const) {
      const args = Object.keys(env).length ? [] : ['--fail-on', rule];
      const r = await runCli(['ci', DIVE, '--workers', '0', ...args], { cwd: dir, env });
      const flag = Object.keys(env).length ? '$BALLAST_FAIL_ON' : '--fail-on';
      expect([r.code, r.stderr]).toEqual([
        2,
        `error: Expected ${flag}=${rule} to be one of: error, warning, info, style, none (hint: ${flag} takes a ` +
          `severity, not a rule; to fail on ${rule}, raise its severity in .ballast.yaml (rules: {${rule}: error}))\n`,
      ]);
    }
  });

  it('a baseline whose sizes no image can have is exit 2, never a growth the gate passes', async () => {
    // Given the dive fixture's own baseline, then edited (by hand, a script, a bad merge) to numbers no image has
    const saved = join(dir, 'baseline.json');
    expect((await runCli(['ci', DIVE, '--workers', '0', '--save-baseline', saved], { cwd: dir })).code).toBe(0);
    const good = JSON.parse(readFileSync(saved, 'utf8'));
    for (const [key, value, problem] of [
      // A negative size made any growth a negative percentage: maxGrowthPercent passed whatever the image became.
      ['uncompressedBytes', -5, 'not a number of bytes'],
      ['compressedBytes', 1.5, 'not a number of bytes'],
      ['layers', -1, 'not a number of layers'],
      ['efficiency', 7, 'not a fraction from 0 to 1'],
    ] as const) {
      const bad = join(dir, `${key}.json`);
      writeFileSync(bad, JSON.stringify({ ...good, summary: { ...good.summary, [key]: value } }));
      // When the image is gated on growth against it
      const r = await runCli(['ci', DIVE, '--workers', '0', '--baseline', bad, '--max-growth-percent', '5%'], {
        cwd: dir,
      });
      // Then the gate cannot run: one line naming the file, the value and what it must be
      expect([r.code, r.stderr]).toEqual([
        2,
        `error: the baseline ${bad} has summary.${key} ${value}: ${problem} (hint: write it again with \`--save-baseline\`)\n`,
      ]);
    }
  });

  it('exit 1 on a failed budget; every output file written in one run; GitHub summary and annotations', async () => {
    // Given a config next to a copy of the Dockerfile (found there without --dockerfile)
    config('ci:\n  maxWastedBytes: 500kB\n  failOn: none\n');
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(DEMO_DOCKERFILE));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const out = (name: string) => join(dir, name);
    // When
    const r = await runCli(
      [
        'ci',
        DEMO,
        '--workers',
        '0',
        '-o',
        `sarif=${out('b.sarif')}`,
        '-o',
        `junit=${out('r.xml')}`,
        '-o',
        `json=${out('r.json')}`,
        '-o',
        `markdown=${out('s.md')}`,
        '-o',
        `codeclimate=${out('cq.json')}`,
      ],
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    );
    // Then
    expect(r.code).toBe(1);
    for (const f of ['b.sarif', 'r.xml', 'r.json', 's.md', 'cq.json']) expect(existsSync(out(f))).toBe(true);
    // stdout is the text report alone; stderr is the annotations and the gate's one note (the Dockerfile it used)
    expect(r.stdout).not.toMatch(/^::|^note:/m);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('::')),
    ).toEqual(['note: linted and attributed with Dockerfile (next to .ballast.yaml)']);
    // The first lines say what failed and what to fix first
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^FAIL .*demo\.tar.*: 1 budget failed \(maxWastedBytes\)$/);
    expect(lines[2]).toBe('Fix first');
    expect(lines[3]).toMatch(/^1\.00 MB\s+Dockerfile:13 \(layer 2\)\s+IM003/);
    expect(r.stdout).toMatch(/FAIL\s+maxWastedBytes\s+1\.41 MB\s+500 kB/);
    expect(r.stdout).toMatch(/SKIP\s+minEfficiency/);
    expect(r.stdout).toMatch(/^\s+Dockerfile:13 \(layer 2\)\s+1\.00 MB\s+RUN mkdir -p \/opt\/tool/m);
    // The step summary was appended to, not replaced
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n')).toBe(true);
    expect(md).toContain('### ballast ci: failed');
    expect(md).toContain(
      '| ❌ FAIL | `maxWastedBytes` wasted bytes | 1.41 MB | 500 kB | Dockerfile:13 (layer 2, 1.00 MB); Dockerfile:15 (layer 3, 405 kB) |',
    );
    // Annotations on the Dockerfile lines, the failed budget among them
    expect(r.stderr).toContain('::warning file=Dockerfile,line=13,title=IM003 deleted-file-still-shipped::');
    expect(r.stderr).toMatch(
      /^::error file=Dockerfile,line=13,title=budget\/maxWastedBytes wasted-bytes::wasted bytes 1\.41 MB is \d+ kB over the 500 kB limit/m,
    );
    // --output json is the same result --json prints
    const json = JSON.parse(readFileSync(out('r.json'), 'utf8'));
    expect(json).toMatchObject({ verdict: 'fail', exitCode: 1, dockerfile: 'Dockerfile', counts: { fail: 1 } });
    const issues = JSON.parse(readFileSync(out('cq.json'), 'utf8'));
    expect(
      issues.find((i: { check_name: string }) => i.check_name === 'budget/maxWastedBytes wasted-bytes'),
    ).toMatchObject({ location: { path: 'Dockerfile', lines: { begin: 13 } } });
  });

  it('on GitHub Actions, --format json, sarif and junit on stdout stay valid: the annotations go to stderr', async () => {
    // Given a budget the image is over, so there is an ::error annotation to write
    for (const format of ['json', 'sarif', 'junit']) {
      // When the gate prints a machine format on stdout under GitHub Actions
      const r = await runCli(['ci', DIVE, '--workers', '0', '--max-image-bytes', '1MB', '--format', format], {
        cwd: dir,
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
      });
      // Then stdout parses as that format, and the annotations are on stderr
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('::error');
      if (format === 'junit') expect(XMLValidator.validate(r.stdout)).toBe(true);
      else expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.stderr).toMatch(/^::error .*title=budget\/maxImageBytes image-size::/m);
    }
  });

  it.each([
    ['a budget fails', ['--max-image-bytes', '1MB'], 1],
    ['every budget is met', ['--max-image-bytes', '1GB'], 0],
  ])(
    'on GitHub Actions, a step summary that cannot be written keeps the exit code when %s',
    async (_, budget, code) => {
      // Given a $GITHUB_STEP_SUMMARY that cannot be appended to (a directory: root may write read-only files)
      const sarif = join(dir, 'r.sarif');
      // When the gate runs
      const r = await runCli(
        ['ci', DIVE, '--workers', '0', ...budget, '--format', 'sarif', '-o', `junit=${sarif}.xml`],
        {
          cwd: dir,
          env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: dir },
        },
      );
      // Then the verdict's exit code, not 2: the reports say pass or fail, and the exit code agrees with them
      expect(r.code).toBe(code);
      const results = JSON.stringify(JSON.parse(r.stdout).runs[0].results);
      expect(results.includes('budget/maxImageBytes')).toBe(code === 1);
      expect(existsSync(`${sarif}.xml`)).toBe(true);
      // And one note on stderr says the summary was not written, beside the annotations
      expect(r.stderr).toMatch(/^note: cannot append to \$GITHUB_STEP_SUMMARY \(.*\): .*; the verdict stands/m);
      // with the hint that says what to do about it
      expect(r.stderr).toMatch(
        /^note: cannot append to \$GITHUB_STEP_SUMMARY .*; the verdict stands, with no summary on the job page \(hint: the runner sets this file; .*unset GITHUB_STEP_SUMMARY\)$/m,
      );
      expect(r.stderr).not.toMatch(/^error:/m);
      if (code === 1) expect(r.stderr).toMatch(/^::error .*title=budget\/maxImageBytes image-size::/m);
    },
  );

  it('every efficiency ci shows is the same number, and a failure at the boundary shows two different ones', async () => {
    // Given the demo image (efficiency 0.928168..., 92.81% rounded down as dive does, 92.82% rounded) and a minimum
    // just above it
    const md = join(dir, 'summary.md');
    // When the gate fails on it, with the text on stdout and the Markdown summary
    const r = await runCli(['ci', DEMO, '--workers', '0', '--min-efficiency', '92.8169%', '-o', `markdown=${md}`], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    expect(r.code).toBe(1);
    // Then the Markdown header shows the efficiency rounded down, and both budget tables the same number with the
    // digits that tell value and minimum apart (never "92.81% | 92.81%" on a failing row)
    const summary = readFileSync(md, 'utf8');
    expect(summary).toMatch(/, efficiency 92\.81%$/m);
    expect(summary).toMatch(/^\| ❌ FAIL \| `minEfficiency` efficiency \(dive score\) \| 92\.8168% \| 92\.8169% \|/m);
    expect(r.stdout).toMatch(/^FAIL\s+minEfficiency\s+92\.8168%\s+92\.8169%/m);
    // And so does the message that says why
    expect(r.stdout).toContain(
      'FAIL efficiency (dive score) 92.8168% is 0.0001 points below the 92.8169% minimum (minEfficiency)',
    );
  });

  it('a byte budget one byte under the image shows both sizes exactly, in the table and the message', async () => {
    // Given the demo image (4,675,072 bytes uncompressed) and a limit one byte below it
    const r = await runCli(['ci', DEMO, '--workers', '0', '--max-image-bytes', '4675071'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    // Then the gate fails and neither place reads "4.68 MB is over the 4.68 MB limit"
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+maxImageBytes\s+4,675,072 B \(tar\)\s+4,675,071 B/m);
    expect(r.stdout).toContain(
      'uncompressed image size 4,675,072 B (tar) is 1 B over the 4,675,071 B limit (maxImageBytes)',
    );
  });

  it('a failed budget no Dockerfile line explains is placed at the final FROM in SARIF and Code Climate', async () => {
    // Given the demo image against a smaller baseline, with no growth allowed, and its Dockerfile
    const out = (name: string) => join(dir, name);
    const r = await runCli(
      [
        'ci',
        DEMO,
        '--dockerfile',
        DEMO_DOCKERFILE,
        '--workers',
        '0',
        '--baseline',
        DIVE,
        '--max-growth-percent',
        '0',
        '-o',
        `sarif=${out('r.sarif')}`,
        '-o',
        `codeclimate=${out('cq.json')}`,
      ],
      { cwd: process.cwd(), env: { GITHUB_ACTIONS: '' } },
    );
    expect(r.code).toBe(1);
    // Then growth (which has no layer line of its own) points at the Dockerfile's FROM scratch (line 4), a file of
    // the repository, not at the image archive
    const sarif = JSON.parse(readFileSync(out('r.sarif'), 'utf8'));
    expect(sarifValidator()(sarif)).toBe(true);
    const growth = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'budget/maxGrowthPercent');
    expect(growth.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'examples/demo/Dockerfile' },
      region: { startLine: 4 },
    });
    const issue = JSON.parse(readFileSync(out('cq.json'), 'utf8')).find((x: { check_name: string }) =>
      x.check_name.startsWith('budget/maxGrowthPercent'),
    );
    expect(issue.location).toMatchObject({ path: 'examples/demo/Dockerfile', lines: { begin: 4 } });
  });

  it('every report that shows growth names the baseline image and platform; another platform is SKIP, exit 0', async () => {
    // Given main's baseline saved from myorg/api's amd64 build, and two pull request builds three times its size:
    // myorg/worker for amd64 (a baseline of another repository: compared) and for arm64 (another platform: not)
    const api = await buildDockerArchive([layer({ 'app/a': file(100_000) })], { repoTags: ['myorg/api:main'] });
    const amd = await buildDockerArchive([layer({ 'app/a': file(300_000) })], { repoTags: ['myorg/worker:pr-7'] });
    const arm = await buildDockerArchive([layer({ 'app/a': file(300_000) })], {
      platform: 'linux/arm64',
      repoTags: ['myorg/worker:pr-7'],
    });
    const out = (name: string) => join(dir, name);
    const gate = (image: string) =>
      runCli(
        [
          'ci',
          image,
          '--workers',
          '0',
          '--baseline',
          'baseline.json',
          '--max-growth-percent',
          '10%',
          ...['-o', `markdown=${out('r.md')}`, '-o', `json=${out('r.json')}`, '-o', `junit=${out('r.xml')}`],
          ...['-o', `codeclimate=${out('cq.json')}`],
        ],
        { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: out('summary.md') } },
      );
    try {
      expect(
        (await runCli(['ci', api.path, '--workers', '0', '--save-baseline', 'baseline.json'], { cwd: dir })).code,
      ).toBe(0);
      const named = /baseline\S* \(\S*myorg\/api:main, linux\/amd64\)/;
      // When the amd64 build is gated: growth fails, and each report names what it grew against
      const grew = await gate(amd.path);
      expect(grew.code).toBe(1);
      const against = /against the baseline \S*myorg\/api:main \(linux\/amd64\) is [\d.]+ points over/;
      expect(grew.stdout).toMatch(named);
      expect(grew.stdout).toMatch(against);
      expect(readFileSync(out('r.md'), 'utf8')).toMatch(
        /\*\*Baseline\*\* `baseline\.json` \(`\S*myorg\/api:main`, linux\/amd64\): /,
      );
      expect(readFileSync(out('summary.md'), 'utf8')).toMatch(/myorg\/api:main`, linux\/amd64/);
      expect(grew.stderr).toMatch(new RegExp(`^::error .*::.*${against.source}`, 'm'));
      const cq = JSON.parse(readFileSync(out('cq.json'), 'utf8'));
      expect(
        cq.find((x: { check_name: string }) => x.check_name.startsWith('budget/maxGrowthPercent')).description,
      ).toMatch(against);
      const junit = parseJunit(readFileSync(out('r.xml'), 'utf8'));
      expect(junit.cases.find((c) => c.name.includes('maxGrowthPercent'))!.failure!.message).toMatch(against);
      const json = JSON.parse(readFileSync(out('r.json'), 'utf8'));
      expect(json.baseline).toMatchObject({
        baseline: { tag: 'myorg/api:main', platform: 'linux/amd64' },
        notCompared: null,
      });
      // When the arm64 build is gated: growth is SKIP in every report, with why, and the gate passes
      const other = await gate(arm.path);
      expect(other.code).toBe(0);
      const why = /not compared: the baseline \S*myorg\/api:main is linux\/amd64, this image linux\/arm64/;
      expect(other.stdout).toMatch(/^SKIP\s+maxGrowthPercent\s+-\s+10\.00%\s+not compared: /m);
      expect(other.stdout).toMatch(
        /^Baseline baseline\.json \(\S*myorg\/api:main, linux\/amd64\): not compared, the baseline .* is linux\/amd64, this image linux\/arm64$/m,
      );
      expect(other.stderr).toMatch(/^note: the baseline .*: the growth budgets are not checked/m);
      expect(readFileSync(out('r.md'), 'utf8')).toMatch(
        /^\| ⏭️ SKIP \| `maxGrowthPercent` .* \| - \| 10\.00% \| not compared: /m,
      );
      expect(
        parseJunit(readFileSync(out('r.xml'), 'utf8')).cases.find((c) => c.name.includes('maxGrowthPercent'))!.skipped!
          .message,
      ).toMatch(why);
      expect(JSON.parse(readFileSync(out('r.json'), 'utf8')).baseline.notCompared).toMatch(
        /linux\/amd64, this image linux\/arm64/,
      );
      // And the same image against its own baseline says nothing of platforms
      const self = await runCli(
        ['ci', api.path, '--workers', '0', '--baseline', 'baseline.json', '--max-growth-percent', '0'],
        {
          cwd: dir,
          env: { GITHUB_ACTIONS: '' },
        },
      );
      expect(self.code).toBe(0);
      expect(self.stdout + self.stderr).not.toMatch(/note: .*baseline|not compared/);
    } finally {
      for (const i of [api, amd, arm]) i.cleanup();
    }
  });

  it('codeclimate: an image archive given by its absolute path in the checkout is named relative to it', async () => {
    // Given the demo image named by its absolute path (`$PWD/...`, as CI scripts write it), no Dockerfile
    const out = join(dir, 'cq.json');
    const r = await runCli(['ci', DEMO, '--workers', '0', '--max-wasted-bytes', '1', '-o', `codeclimate=${out}`], {
      cwd: process.cwd(),
      env: { GITHUB_ACTIONS: '' },
    });
    expect(r.code).toBe(1);
    // Then every issue is on the archive as the repository names it, which GitLab can place
    const issues = JSON.parse(readFileSync(out, 'utf8')) as { location: { path: string } }[];
    expect(issues.length).toBeGreaterThan(0);
    expect([...new Set(issues.map((i) => i.location.path))]).toEqual(['examples/demo/demo.tar']);
  });

  it('--json prints only the result; exit 0 when every budget is met', async () => {
    config('ci:\n  maxImageBytes: 10MB\n  failOn: none\n');
    const r = await runCli(['ci', DIVE, '--workers', '0', '--json'], { cwd: dir, env: { GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ verdict: 'pass', exitCode: 0, counts: { fail: 0 } });
    expect(result.checks.find((c: { id: string }) => c.id === 'maxImageBytes')).toMatchObject({
      status: 'pass',
      value: result.summary.uncompressedBytes,
      limit: 10e6,
    });
    // And an environment variable overrides the config like the flag does
    const env = await runCli(['ci', DIVE, '--workers', '0', '--json'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '', BALLAST_MAX_IMAGE_BYTES: '1MB' },
    });
    expect(env.code).toBe(1);
    expect(JSON.parse(env.stdout).checks.find((c: { id: string }) => c.id === 'maxImageBytes')).toMatchObject({
      status: 'fail',
      limit: 1e6,
    });
  });

  it('JUnit agrees with the gate: only findings at or above failOn and failed budgets are failures', async () => {
    // Given the demo image, whose findings are warnings and info (no errors), and its Dockerfile
    const junit = join(dir, 'r.xml');
    const run = (...flags: string[]) =>
      runCli(['ci', DEMO, '-f', DEMO_DOCKERFILE, '--workers', '0', '-o', `junit=${junit}`, ...flags], {
        cwd: dir,
        env: { GITHUB_ACTIONS: '' },
      });
    // When the gate passes with the default failOn (error)
    const passed = await run();
    expect(passed.code).toBe(0);
    // Then the JUnit report has no failure, and still lists every finding, its message in system-out
    const green = parseJunit(readFileSync(junit, 'utf8'));
    expect(green.failures).toBe(0);
    const findingCases = green.cases.filter((c) => c.suite !== 'budgets');
    expect(findingCases.map((c) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^IM003 /)]));
    for (const c of findingCases) expect(c.systemOut).toMatch(/^\S+ (DF|IM)\d{3} /);
    // When --fail-on warning fails the gate
    const failed = await run('--fail-on', 'warning');
    expect(failed.code).toBe(1);
    // Then the warnings and the failOn budget fail; the info finding is a passing case
    const red = parseJunit(readFileSync(junit, 'utf8'));
    const failing = red.cases.filter((c) => c.failure);
    expect(failing.filter((c) => c.suite === 'budgets').map((c) => c.name)).toEqual([
      'failOn: findings at or above warning',
    ]);
    expect(failing.filter((c) => c.suite !== 'budgets').map((c) => c.failure!.type)).toEqual(
      expect.arrayContaining(['warning']),
    );
    expect(failing.every((c) => c.failure!.type !== 'info')).toBe(true);
    const info = red.cases.filter((c) => c.suite !== 'budgets' && !c.failure);
    expect(info.length).toBeGreaterThanOrEqual(1);
    expect(info.every((c) => c.systemOut !== undefined)).toBe(true);
  });

  it('failOn: warning lists the Dockerfile\'s warnings beside the image\'s, not all behind "…and N more"', async () => {
    // Given dive's test image and its Dockerfile with failOn: warning: two lint errors (DF017, ADD), five image warnings
    // of 6.41 kB each (IM003, IM005), and two lint warnings (DF023 on line 1, DF015 on line 10), which have no bytes
    config('ci:\n  failOn: warning\n');
    const r = await ci({ image: DIVE, cwd: dir, dockerfile: DIVE_DOCKERFILE, workers: 0 });
    const failOn = r.checks.find((c) => c.id === 'failOn')!;
    expect(failOn).toMatchObject({ status: 'fail', value: 9 });
    // Then the five places are the errors first, then the warnings, the image's and the Dockerfile's taking turns, so
    // the Dockerfile's first warning is shown: not five image warnings, the biggest, and then "…and 4 more"
    expect(failOn.locations.map((l) => [l.rule, l.line])).toEqual([
      ['DF017', 2],
      ['DF017', 11],
      ['IM005', 4],
      ['IM003', 5],
      ['DF023', 1],
    ]);
    // And the text report lists it under the failure, above the cut
    const cli = await runCli(['ci', DIVE, '--dockerfile', DIVE_DOCKERFILE, '--workers', '0'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    expect(cli.code).toBe(1);
    const why = cli.stdout.slice(cli.stdout.indexOf('FAIL 9 findings at or above warning (failOn)')).split('\n');
    const more = why.indexOf('       …and 4 more findings');
    // A row's message is wrapped (it ends with the fix): its first line names the finding
    const rows = why.slice(1, more).filter((line) => / (DF|IM)\d{3} /.test(line));
    expect(rows.map((line) => line.match(/ (DF|IM)\d{3} /)?.[0].trim())).toEqual([
      'DF017',
      'DF017',
      'IM005',
      'IM003',
      'DF023',
    ]);
    expect(more).toBeGreaterThan(5);
  });

  it('checkstyle names an image by its file, never its tag, and gives image findings no made-up column', async () => {
    // Given the demo image with its Dockerfile (every image finding is attributed to a line) and without it
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(DEMO_DOCKERFILE));
    type CsFile = { name: string; error?: Record<string, string> | Record<string, string>[] };
    const parse = (xml: string) => {
      // The shape checkstyle readers take: one <checkstyle>, <file name> elements, <error line severity message source>
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false });
      return [doc.parse(xml).checkstyle.file].flat() as CsFile[];
    };
    const run = async (...args: string[]) =>
      parse(
        (
          await runCli(['ci', DEMO, '--workers', '0', '--max-wasted-bytes', '1MB', '--format', 'checkstyle', ...args], {
            cwd: dir,
            env: { GITHUB_ACTIONS: '' },
          })
        ).stdout,
      );
    // Then with the Dockerfile, the image (all of whose findings are on Dockerfile lines) is listed by its archive's
    // path, not as `demo.tar:TAG`, which names no file
    const attributed = await run('-f', 'Dockerfile');
    expect(attributed.map((f) => f.name)).toEqual(['Dockerfile', DEMO]);
    // And without it, the image's findings are on the archive, with a line of 0 and no column (it has none)
    const unattributed = await run();
    expect(unattributed.map((f) => f.name)).toEqual([DEMO]);
    const errors = [unattributed[0].error ?? []].flat();
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toMatchObject({ line: '0', severity: expect.stringMatching(/^(error|warning|info)$/) });
      expect(e).not.toHaveProperty('column');
      expect(e.source).toMatch(/^ballast\.(IM\d{3}|budget\/\w+)\./);
    }
  });

  it('checkstyle files attributed image findings and failed budgets under the Dockerfile, where SARIF puts them', async () => {
    // Given a copy of the Dockerfile and a budget the demo image is over
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(DEMO_DOCKERFILE));
    const sarifFile = join(dir, 'b.sarif');
    // When the gate writes checkstyle (stdout) and SARIF in one run
    const r = await runCli(
      ['ci', DEMO, '-f', 'Dockerfile', '--workers', '0', '--max-wasted-bytes', '1MB', '--format', 'checkstyle'].concat([
        '-o',
        `sarif=${sarifFile}`,
      ]),
      { cwd: dir, env: { GITHUB_ACTIONS: '' } },
    );
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    type CsError = { line: string; source: string };
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false }).parse(
      r.stdout,
    );
    const files = [doc.checkstyle.file].flat() as { name: string; error?: CsError | CsError[] }[];
    // Then each file is one element, and every error sits where SARIF puts the same result
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
    const placed = files.flatMap((f) =>
      [f.error ?? []].flat().map((e) => `${f.name}:${e.line} ${e.source.replace(/^ballast\.|\.[^.]+$/g, '')}`),
    );
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const expected = sarif.runs[0].results.map(
      (x: {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
      }) =>
        `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region?.startLine ?? 0} ${x.ruleId}`,
    );
    expect(placed.sort()).toEqual(expected.sort());
    // The image findings and the failed budget are among them, on their Dockerfile lines
    expect(placed).toEqual(
      expect.arrayContaining(['Dockerfile:13 IM003', 'Dockerfile:8 IM001', 'Dockerfile:13 budget/maxWastedBytes']),
    );
  });

  it.each([
    [['--max-image-bytes', 'huge'], /^error: --max-image-bytes: value must be a size/],
    [
      ['--baseline', 'missing.json'],
      /^error: cannot read the baseline .*missing\.json.*\(hint: write one with `ballast ci IMAGE --save-baseline FILE\.json`/,
    ],
    [['--output', 'pdf=x.pdf'], /^error: --output pdf=x\.pdf: unknown format pdf \(hint: formats are text, markdown/],
    // The web page a team shares is analyze's: asked of ci, the error said only which formats ci has.
    [
      ['--output', 'html=r.html'],
      /^error: --output html=r\.html: unknown format html \(hint: ci has no HTML report: the web page is analyze's \(ballast analyze IMAGE --format html -o report\.html, with the same --dockerfile\); ci's formats are text, markdown/,
    ],
    [
      ['--format', 'html'],
      /^error: Expected --format=html to be one of: .* \(hint: ci has no HTML report: the web page is analyze's \(ballast analyze IMAGE --format html/,
    ],
    [['--config', 'nope.yaml'], /^error: config file nope\.yaml does not exist/],
    // The Dockerfile is a file: a directory was linted as lint lints one (every Dockerfile below it, /tmp's included)
    // before the attribution failed with EISDIR, and `-` got lint's hint ("a directory, or - for stdin"), which ci
    // does not take.
    [
      ['--dockerfile', resolve('examples/demo')],
      /^error: --dockerfile \S+examples\/demo is a directory, not a Dockerfile \(hint: did you mean --dockerfile \S+examples\/demo\/Dockerfile\?\)\n$/,
    ],
    [['--dockerfile', '-'], /^error: --dockerfile -: ci reads the Dockerfile from its file, not from stdin \(hint: /],
    // An empty path would ignore nothing, silently.
    [['--ignore-path', ''], /^error: --ignore-path "": an empty path \(hint: /],
    // Review s48: quotes nothing took off (`--ignore-path "'/app/**'"`, as the action's `args` input once passed) are
    // part of the glob, which then matches no image path: the findings it was to drop still failed the gate, silently.
    [
      ['--ignore-path', "'/app/**'"],
      /^error: --ignore-path "'\/app\/\*\*'": the glob is in quotes, which are part of it \(hint: [^\n]*, \/app\/\*\*\)\n/,
    ],
    [['--ignore-path', '"/app/**"'], /^error: --ignore-path "\\"\/app\/\*\*\\"": the glob is in quotes/],
    // A byte count with a fraction (0.5 was rounded to a limit of 1 byte) is refused, as in the file.
    [
      ['--max-wasted-bytes', '0.5'],
      /^error: --max-wasted-bytes: value must be a whole number of bytes \(got "0\.5"\) \(hint: give whole bytes, or a size with a unit such as 1\.5MB/,
    ],
    [['--max-image-bytes', 'compressed=1.5 B'], /^error: --max-image-bytes: compressed must be a whole number/],
    // Several images in one run (a team with an api and a worker image): one gate per image, said so.
    [
      [DEMO],
      /^error: Unexpected argument: "\S*demo\.tar" \(hint: ci checks one image a run: run it once for each image \(ci\.images in \.ballast\.yaml sets budgets per image\); run `ballast ci --help`/,
    ],
  ])('exit 2 with one line for %j', async (flags, message) => {
    const r = await runCli(['ci', DIVE, '--workers', '0', ...flags], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a bare ci: key is named in a note, found upward from a subdirectory; the exit code stays 0', async () => {
    config('ci:\n');
    const sub = join(dir, 'services', 'api');
    mkdirSync(sub, { recursive: true });
    const r = await runCli(['ci', DIVE, '--workers', '0'], { cwd: sub, env: { GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^note: \.\.\/\.\.\/\.ballast\.yaml's ci: section sets no budget: only the failOn check and flag budgets apply \(add budgets under ci:, such as maxImageBytes: 500MB\)$/m,
    );
  });

  it.each(['text', 'sarif', 'junit', 'codeclimate', 'checkstyle', 'stylish'])(
    "the gate's notes go to stderr with --format %s, as every command's notices do: stdout is the report alone",
    async (format) => {
      // Given a ci: section that sets no budget, and the Dockerfile beside it (two notes)
      config('ci:\n  ignore:\n    junk: [docsManInfo]\n');
      writeFileSync(join(dir, 'Dockerfile'), readFileSync(DEMO_DOCKERFILE));
      // When the gate runs with stdout redirected to a file, as `ci --format X > report` does
      const r = await runCli(['ci', DEMO, '--workers', '0', '--format', format], {
        cwd: dir,
        env: { GITHUB_ACTIONS: '' },
      });
      expect(r.code).toBe(0);
      // Then the notes are in the log, whatever the format (before, --format sarif and the others dropped them)
      expect(r.stderr).toMatch(/^note: linted and attributed with Dockerfile \(next to \.ballast\.yaml\)$/m);
      expect(r.stderr).toMatch(/^note: \.ballast\.yaml's ci: section sets no budget: /m);
      // And never in the report on stdout (the text report printed them among its lines)
      expect(r.stdout).not.toMatch(/note:|linted and attributed|sets no budget/);
    },
  );

  it('a BALLAST_* byte budget with a fraction is exit 2 naming the variable', async () => {
    const r = await runCli(['ci', DIVE, '--workers', '0'], { cwd: dir, env: { BALLAST_MAX_GROWTH_BYTES: '10.25' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: $BALLAST_MAX_GROWTH_BYTES: value must be a whole number of bytes (got "10.25") (hint: give whole bytes, or a size with a unit such as 1.5MB or 20MiB)',
    ]);
  });

  it('exit 2 for an image that does not exist and for a broken ci: section', async () => {
    const missing = await runCli(['ci', join(dir, 'nope.tar')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: /);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    config('ci:\n  minEfficiency: 150%\n');
    const broken = await runCli(['ci', DIVE], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: .*\.ballast\.yaml: ci\.minEfficiency must be a ratio .*\(hint: /);
    config('ci:\n  ignore:\n    paths: ["/"]\n');
    const empty = await runCli(['ci', DIVE], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error: .*\.ballast\.yaml: ci\.ignore\.paths must not hold an empty path/);
  });

  it.each([
    ['an image that does not exist', [join('missing', 'nope.tar')], /nope\.tar does not exist/],
    ['a baseline file that is not one', [DIVE, '--baseline', 'bad.json'], /bad\.json/],
    // Arguments oclif cannot parse stop the gate before it starts; the reports still say why (the action's inputs).
    ['a --fail-on level that does not exist', [DIVE, '--fail-on', 'warnings'], /--fail-on=warnings to be one of/],
    ['a misspelt flag', [DIVE, '--platfrom', 'linux/amd64'], /Nonexistent flag: --platfrom/],
    // The .ballast.yaml is read for its limits: before the gate starts: its errors are the gate's too.
    ['a misspelt key in .ballast.yaml', [DIVE], /ci\.maxImageByte is not a known key/, 'ci:\n  maxImageByte: 1GB\n'],
    ['a layer budget that is not a size', [DIVE, '--max-decompressed-bytes', 'lots'], /lots is not a size/],
  ])('exit 2 on %s still writes every report, saying the gate could not run', async (_, args, why, yaml = '') => {
    // Given a "baseline" that is not one, and a step summary an earlier step wrote to
    writeFileSync(join(dir, 'bad.json'), '{"not": "a baseline"}\n');
    if (yaml) config(yaml);
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const out = (name: string) => join(dir, name);
    // When the gate cannot run, with every report asked for
    const r = await runCli(
      ['ci', ...args, '--workers', '0', '--format', 'sarif']
        .concat(['-o', `sarif=${out('r.sarif')}`, '-o', `junit=${out('r.xml')}`])
        .concat(['-o', `markdown=${out('r.md')}`, '-o', `json=${out('r.json')}`, '-o', `text=${out('r.txt')}`]),
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    );
    // Then exit 2 with the one error line, after one error annotation on the run (the runner reads stderr too)
    expect(r.code).toBe(2);
    const [annotation, line, ...rest] = r.stderr.split('\n');
    expect(rest).toEqual(['']);
    expect(annotation).toMatch(/^::error title=ballast ci::the gate could not run for /);
    expect(annotation).toMatch(why);
    expect(line).toMatch(/^error: /);
    const message = line.replace(/^error: /, '').replace(/ \(hint: .*\)$/, '');
    // A valid SARIF run that did not execute, the error as its notification, no results (stdout too: --format sarif)
    const validate = sarifValidator();
    for (const text of [readFileSync(out('r.sarif'), 'utf8'), r.stdout]) {
      const sarif = JSON.parse(text);
      expect(validate(sarif)).toBe(true);
      expect(sarif.runs[0].results).toEqual([]);
      expect(sarif.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
      expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0]).toMatchObject({
        level: 'error',
        message: { text: expect.stringMatching(why) },
      });
    }
    // A JUnit report with one errored case
    const xml = readFileSync(out('r.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(junit.testsuites).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    expect(junit.testsuites.testsuite.testcase.error.message).toBe(message);
    // The JSON result says error, with the message
    expect(JSON.parse(readFileSync(out('r.json'), 'utf8'))).toMatchObject({
      verdict: 'error',
      exitCode: 2,
      error: { message },
    });
    // Markdown and text say the gate could not run and why; the step summary got the Markdown
    expect(readFileSync(out('r.md'), 'utf8')).toMatch(/^### ballast ci: could not run for/);
    expect(readFileSync(out('r.md'), 'utf8')).toContain(message);
    expect(readFileSync(out('r.txt'), 'utf8')).toMatch(/^ERROR .*: the gate could not run: /);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${readFileSync(out('r.md'), 'utf8')}`);
  });

  it('exit 2 on GitHub Actions annotates the run once: on stderr, or on stdout alone with --format github', async () => {
    // Given an image whose name needs escaping in a workflow command
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' };
    const r = await runCli(['ci', 'no%pe.tar', '--workers', '0'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^::error title=ballast ci::the gate could not run for no%25pe\.tar: .*\nerror: [^\n]*\n$/,
    );
    // With --format github the annotation is the report on stdout, and stderr has the error line alone
    const github = await runCli(['ci', 'no%pe.tar', '--workers', '0', '--format', 'github'], { cwd: dir, env });
    expect(github.code).toBe(2);
    expect(github.stdout).toMatch(/^::error title=ballast ci::the gate could not run for no%25pe\.tar: .*\n$/);
    expect(github.stderr).toMatch(/^error: [^\n]*\n$/);
    // Off GitHub Actions, no workflow command on stderr
    const local = await runCli(['ci', 'no%pe.tar', '--workers', '0'], { cwd: dir });
    expect(local.stderr).toMatch(/^error: [^\n]*\n$/);
  });

  it('exit 2 writes github, checkstyle and stylish files that say the gate could not run; no Code Quality file', async () => {
    // Given an image that does not exist, and those reports asked for (a later step uploads or prints them)
    const out = (name: string) => join(dir, name);
    const r = await runCli(
      ['ci', 'nope.tar', '--workers', '0']
        .concat(['-o', `github=${out('a.txt')}`, '-o', `checkstyle=${out('c.xml')}`, '-o', `stylish=${out('s.txt')}`])
        .concat(['-o', `codeclimate=${out('cq.json')}`]),
      { cwd: dir, env: { GITHUB_ACTIONS: '' } },
    );
    expect(r.code).toBe(2);
    // Then the annotation is an error on the run, naming the image and why
    expect(readFileSync(out('a.txt'), 'utf8')).toMatch(
      /^::error title=ballast ci::the gate could not run for nope\.tar: .*nope\.tar does not exist.*\n$/,
    );
    // checkstyle files the error under the image, as it files a file it cannot parse
    const xml = readFileSync(out('c.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const file = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).checkstyle.file;
    expect(file.name).toBe('nope.tar');
    expect(file.error).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/could not run: .*does not exist/),
    });
    // stylish says it in its own layout, ending with the verdict line
    expect(readFileSync(out('s.txt'), 'utf8')).toMatch(
      /^nope\.tar\n {2}error {2}the gate could not run: [^\n]*\n\n✖ the gate could not run\n$/,
    );
    // Code Quality has only issues: no file, rather than an issue GitLab would track as one of the code
    expect(existsSync(out('cq.json'))).toBe(false);
  });

  it('an --output file that cannot be written is exit 2, and the other reports and the step summary are still written', async () => {
    // Given a SARIF report under a path whose folder is a file (a missing folder is made), then a JUnit report and a
    // step summary that can be
    const summary = join(dir, 'summary.md');
    writeFileSync(join(dir, 'taken'), 'a file, not a folder\n');
    const r = await runCli(['ci', DIVE, '--workers', '0', '-o', 'sarif=taken/r.sarif', '-o', 'junit=r.xml'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    // Then the run is exit 2 with one line naming the file that could not be written
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot write taken\/r\.sarif: /m);
    // and the reports after it are written all the same: the JUnit file and the step summary (stdout stays empty)
    expect(existsSync(join(dir, 'r.xml'))).toBe(true);
    expect(parseJunit(readFileSync(join(dir, 'r.xml'), 'utf8')).cases.length).toBeGreaterThan(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(summary, 'utf8')).toContain('### ballast ci');
  });

  it('a --baseline image that cannot be read is named as the baseline, not mistaken for the image', async () => {
    // Given an image that exists and a baseline image that does not
    const r = await runCli(['ci', DIVE, '--workers', '0', '--baseline', 'main.tar'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    // Then the one error line says it is the baseline that is missing
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --baseline: .*main\.tar does not exist/m);
  });

  it('an --output with an unknown format is exit 2, and the other reports asked for still say why', async () => {
    // Given a sarif report and a misspelt one (`sarf=`) on the same command line
    const r = await runCli(['ci', DIVE, '--workers', '0', '-o', 'sarif=r.sarif', '-o', 'sarf=r2.sarif'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    // Then the gate stops with the one usage line
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: --output sarf=r2\.sarif: unknown format sarf/);
    // and the SARIF the upload step reads says the run did not execute, and why
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8'));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(JSON.stringify(sarif)).toContain('unknown format sarf');
  });

  it('--config FILE: its limits: bound the layer read, as a .ballast.yaml found upward would', async () => {
    // Given a config outside the working directory's search path that allows one tar entry per layer
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci', 'ballast.yaml'), 'limits:\n  maxEntries: 1\nci:\n  maxImageBytes: 1GB\n');
    // When the gate runs with it
    const r = await runCli(['ci', DIVE, '--workers', '0', '--config', join('ci', 'ballast.yaml')], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    // Then the read stops at that budget (exit 2, one line naming it), not at the default
    expect(r.code).toBe(2);
    // (named as the config set it: --max-entries was never typed)
    expect(r.stderr).toMatch(/^error: .*more than 1 entries \(budget limits\.maxEntries: 1 in ci\/ballast\.yaml\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // A byte budget set there is named so too, and a flag given wins and is named as the flag.
    writeFileSync(join(dir, 'ci', 'ballast.yaml'), 'limits:\n  maxDecompressedBytes: 100\nci:\n  maxImageBytes: 1GB\n');
    const bytes = await runCli(['ci', DIVE, '--workers', '0', '--config', join('ci', 'ballast.yaml')], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    expect(bytes.code).toBe(2);
    expect(bytes.stderr).toMatch(/\(budget limits\.maxDecompressedBytes: 100 in ci\/ballast\.yaml\)/);
    const flag = await runCli(
      ['ci', DIVE, '--workers', '0', '--config', join('ci', 'ballast.yaml'), '--max-decompressed-bytes', '200'],
      { cwd: dir, env: { GITHUB_ACTIONS: '' } },
    );
    expect(flag.stderr).toMatch(/\(budget --max-decompressed-bytes 200\)/);
    const variable = await runCli(['ci', DIVE, '--workers', '0', '--config', join('ci', 'ballast.yaml')], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '', BALLAST_MAX_DECOMPRESSED_BYTES: '300' },
    });
    expect(variable.stderr).toMatch(/\(budget \$BALLAST_MAX_DECOMPRESSED_BYTES=300\)/);
  });

  it('--config in a folder whose name starts with two dots: named from the working directory, not absolute', async () => {
    // Given a config in ..notes/ (inside the working directory, though its name begins with `..`)
    mkdirSync(join(dir, '..notes'));
    writeFileSync(join(dir, '..notes', 'ballast.yaml'), 'limits:\n  maxEntries: 1\nci:\n  maxImageBytes: 1GB\n');
    // When the gate stops at its budget
    const r = await runCli(['ci', DIVE, '--workers', '0', '--config', join('..notes', 'ballast.yaml')], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    // Then the error names the file as typed from here, as for any other folder
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(budget limits\.maxEntries: 1 in \.\.notes\/ballast\.yaml\)/);
  });

  it('--json prints the error verdict when the gate cannot run, and -o FILE takes it instead of stdout', async () => {
    // Given an image that does not exist
    const missing = join(dir, 'missing.tar');
    // When ci runs with --json
    const r = await runCli(['ci', missing, '--json'], { cwd: dir, env: { GITHUB_ACTIONS: '' } });
    // Then stdout is the JSON result saying error (as with --format json), stderr the one error line
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'error', exitCode: 2, error: { code: 'not-found' } });
    expect(r.stderr).toMatch(/^error: .*missing\.tar does not exist/);
    // And with -o FILE the file gets it and stdout stays empty
    const file = join(dir, 'r.json');
    const o = await runCli(['ci', missing, '--json', '-o', file], { cwd: dir, env: { GITHUB_ACTIONS: '' } });
    expect(o.code).toBe(2);
    expect(o.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ verdict: 'error', exitCode: 2 });
  });

  it('--json -o FILE writes the JSON result to the file, not the text report, and nothing on stdout', async () => {
    const file = join(dir, 'r.json');
    const r = await runCli(['ci', DEMO, '--workers', '0', '--json', '-o', file], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ verdict: 'pass', exitCode: 0 });
  });
});

// dive's CI rules on dive's own fixture: the thresholds of dive's tests (docs: dive-metrics §4) give dive's verdicts,
// rule by rule, with dive's numbers; and a .dive-ci next to the command is read when there is no .ballast.yaml.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DiveRules } from '../../src/config/ci.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { ci, diveChecks } from '../../src/services/ci.js';
import { renderCiMarkdown } from '../../src/reporters/ci-markdown.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { NO_CI, runCli } from '../helpers/cli.js';

const FIXTURE = resolve('test/fixtures/dive/test-docker-image.tar');

describe("dive's .dive-ci rules on test-docker-image.tar", () => {
  let result: AnalyzeResult;
  beforeAll(async () => {
    result = await analyze({ image: FIXTURE, workers: 0 });
  });
  const verdicts = (rules: DiveRules) => Object.fromEntries(diveChecks(result, rules).map((c) => [c.id, c.status]));

  it("dive's evaluator cases give dive's verdicts", () => {
    // evaluator_test.go: (0.99, 1B, 0.01) -> all FAIL
    expect(verdicts({ lowestEfficiency: 0.99, highestWastedBytes: 1, highestUserWastedPercent: 0.01 })).toEqual({
      lowestEfficiency: 'fail',
      highestWastedBytes: 'fail',
      highestUserWastedPercent: 'fail',
    });
    // (0.9, 50kB, 0.5) -> all PASS
    expect(verdicts({ lowestEfficiency: 0.9, highestWastedBytes: 50e3, highestUserWastedPercent: 0.5 })).toEqual({
      lowestEfficiency: 'pass',
      highestWastedBytes: 'pass',
      highestUserWastedPercent: 'pass',
    });
    // disabled x3 -> all SKIP
    expect(verdicts({ lowestEfficiency: null, highestWastedBytes: null, highestUserWastedPercent: null })).toEqual({
      lowestEfficiency: 'skip',
      highestWastedBytes: 'skip',
      highestUserWastedPercent: 'skip',
    });
    // (0.9, 1B, 0.5) -> only highestWastedBytes FAIL
    expect(verdicts({ lowestEfficiency: 0.9, highestWastedBytes: 1, highestUserWastedPercent: 0.5 })).toEqual({
      lowestEfficiency: 'pass',
      highestWastedBytes: 'fail',
      highestUserWastedPercent: 'pass',
    });
  });

  it("compares dive's numbers strictly, as dive does (equality passes)", () => {
    const checks = diveChecks(result, {
      lowestEfficiency: 0.9844212134184309,
      highestWastedBytes: 32025,
      highestUserWastedPercent: 0.4834911001404049,
    });
    expect(checks.map((c) => [c.id, c.value, c.status])).toEqual([
      ['lowestEfficiency', 0.9844212134184309, 'pass'],
      ['highestWastedBytes', 32025, 'pass'],
      ['highestUserWastedPercent', 0.4834911001404049, 'pass'],
    ]);
    // One byte less of headroom fails, on the rule that moved
    expect(
      diveChecks(result, { lowestEfficiency: null, highestWastedBytes: 32024, highestUserWastedPercent: null }).map(
        (c) => c.status,
      ),
    ).toEqual(['skip', 'fail', 'skip']);
  });

  it("points dive's rules at the layers holding dive's wasted bytes, not ballast's", () => {
    // dive's three inefficient paths (dive-metrics §4): somefile1.txt in layers 3 (cp) and 4 (chmod), somefile3.txt
    // in layer 6 and its whiteout in 7 (mv), saved.txt in 7 and 13 (chmod +x); 6,405 bytes a copy, 32,025 in all.
    // somefile2.txt (layer 5), deleted by `rm -rf /root/example/`, is ballast's waste but none of dive's: it was
    // the third layer named, and taking it out of the Dockerfile moves none of dive's numbers.
    expect(result.dive.layerInefficientBytes).toEqual([0, 0, 0, 6405, 6405, 0, 6405, 6405, 0, 0, 0, 0, 0, 6405]);
    const failed = diveChecks(result, { lowestEfficiency: 1, highestWastedBytes: 1, highestUserWastedPercent: 0 });
    for (const check of failed) {
      expect([check.id, check.locations.map((l) => [l.layerIndex, l.bytes])]).toEqual([
        check.id,
        [
          [3, 6405],
          [4, 6405],
          [6, 6405],
        ],
      ]);
    }
  });

  describe('the gate reads .dive-ci when there is no .ballast.yaml', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ballast-diveci-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("dive's acceptance file (0.95 / 20Mb / 0.5) passes, and says it read .dive-ci", async () => {
      copyFileSync('test/fixtures/dive/dive-ci.yaml', join(dir, '.dive-ci'));
      const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
      expect(r.config.kind).toBe('dive-ci');
      expect(r.notes.join('\n')).toMatch(/read dive's .*\.dive-ci/);
      expect(r.checks.filter((c) => c.id !== 'failOn').map((c) => [c.id, c.status])).toEqual([
        ['lowestEfficiency', 'pass'],
        ['highestWastedBytes', 'pass'],
        ['highestUserWastedPercent', 'pass'],
      ]);
      expect(r.verdict).toBe('pass');
      expect(r.exitCode).toBe(0);
    });

    it("names the failOn it applies, none, not ballast's default of error", async () => {
      // The check said "failOn is none" and its origin (JSON, SARIF's rule text) "ballast ci's default (failOn: error)"
      copyFileSync('test/fixtures/dive/dive-ci.yaml', join(dir, '.dive-ci'));
      const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
      const failOn = r.checks.find((c) => c.id === 'failOn')!;
      expect(failOn.status).toBe('skip');
      expect(failOn.origin).toBe("dive's rules without a .ballast.yaml (failOn: none; --fail-on sets one)");
      // A flag still names itself
      const overrides = [{ key: 'failOn' as const, value: 'warning', source: '--fail-on' }];
      const flagged = await ci({ image: FIXTURE, cwd: dir, workers: 0, overrides });
      expect(flagged.checks.find((c) => c.id === 'failOn')).toMatchObject({ status: 'fail', origin: '--fail-on' });
    });

    it('a stricter file fails on the same rule dive fails on', async () => {
      writeFileSync(
        join(dir, '.dive-ci'),
        'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n  highestUserWastedPercent: 0.4\n',
      );
      const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
      expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['highestUserWastedPercent']);
      expect(r.verdict).toBe('fail');
      expect(r.exitCode).toBe(1);
    });

    it('a .ballast.yaml wins over .dive-ci', async () => {
      writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestWastedBytes: 1B\n');
      writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1MB\n');
      const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
      expect(r.config.kind).toBe('ballast');
      expect(r.checks.find((c) => c.id === 'maxWastedBytes')).toMatchObject({
        status: 'pass',
        value: 32025,
        limit: 1e6,
      });
      expect(r.checks.some((c) => c.id === 'highestWastedBytes')).toBe(false);
      // ... and says so: the .dive-ci's thresholds are not checked, which the log must not leave unsaid
      expect(r.notes.join('\n')).toContain(
        "./.dive-ci not read: .ballast.yaml is the config (pass --ci-config .dive-ci to check dive's rules alongside",
      );
    });

    it('with --ci-config naming it, the .dive-ci is read alongside and no such note is given', async () => {
      writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestWastedBytes: 1B\n');
      writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1MB\n');
      const r = await ci({ image: FIXTURE, cwd: dir, workers: 0, diveConfig: '.dive-ci' });
      expect(r.checks.find((c) => c.id === 'highestWastedBytes')).toMatchObject({ status: 'fail' });
      expect(r.notes.join('\n')).not.toContain('not read');
    });
  });
});

describe("dive's inefficient files in ci's dive mode, as dive's CI log lists them", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-divefiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists dive's three paths with dive's cumulative sizes, in the text, Markdown and JSON", async () => {
    // dive's log: "Inefficient Files:" then 2 / 13 kB / /root/saved.txt, 2 / 13 kB / somefile1.txt, 2 / 6.4 kB /
    // somefile3.txt (each copy counted, the kept one too). ballast's text showed no list, its JSON no references.
    const r = await ci({
      image: FIXTURE,
      cwd: dir,
      workers: 0,
      diveConfig: resolve('test/fixtures/dive/dive-ci.yaml'),
    });
    expect(r.dive.fileReferences).toEqual([
      { file: '/root/saved.txt', count: 2, sizeBytes: 12810 },
      { file: '/root/example/somefile1.txt', count: 2, sizeBytes: 12810 },
      { file: '/root/example/somefile3.txt', count: 2, sizeBytes: 6405 },
    ]);
    expect(r.dive.fileReferenceCount).toBe(3);
    const text = renderCiText(r, { color: false });
    const list = text.slice(text.indexOf("dive's inefficient files"));
    expect(list.split('\n').slice(0, 5)).toEqual([
      "dive's inefficient files: 3 paths, 32.0 kB (dive's wasted bytes: every copy of a path, the kept one too)",
      "Count  dive's wasted  Path",
      '    2        12.8 kB  /root/saved.txt',
      '    2        12.8 kB  /root/example/somefile1.txt',
      '    2        6.41 kB  /root/example/somefile3.txt',
    ]);
    // All three shown: no "more" line.
    expect(text).not.toContain('…and');
    const markdown = renderCiMarkdown(r);
    expect(markdown).toContain(
      "#### dive's inefficient files: 3 paths, 32.0 kB (dive's wasted bytes: every copy of a path, the kept one too)",
    );
    expect(markdown).toContain('| 2 | 12.8 kB | `/root/saved.txt` |');
    expect(markdown).toContain('| 2 | 6.41 kB | `/root/example/somefile3.txt` |');

    // The command's --json carries them as analyze --json does.
    const run = await runCli(['ci', FIXTURE, '--ci-config', resolve('test/fixtures/dive/dive-ci.yaml'), '--json'], {
      cwd: dir,
      env: NO_CI,
    });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { dive: typeof r.dive };
    expect(json.dive.fileReferences).toEqual(r.dive.fileReferences);
    expect(json.dive.fileReferenceCount).toBe(3);
  });

  it("without dive's rules, the result and reports are as they were: no list, no references", async () => {
    const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
    expect(r.dive).not.toHaveProperty('fileReferences');
    expect(r.dive).not.toHaveProperty('fileReferenceCount');
    expect(renderCiText(r, { color: false })).not.toContain('inefficient files');
    expect(renderCiMarkdown(r)).not.toContain('inefficient files');
  });

  it("gives dive's wasted bytes beside the Markdown headline's efficiency, as analyze does, with dive's rules only", async () => {
    // The headline gave ballast's wasted bytes alone (239 MB on corpus bloated) over a highestWastedBytes row of
    // dive's 216 MB: two "wasted" figures and nothing saying which was dive's.
    const diveConfig = resolve('test/fixtures/dive/dive-ci.yaml');
    const withDive = renderCiMarkdown(await ci({ image: FIXTURE, cwd: dir, workers: 0, diveConfig }));
    expect(withDive.split('\n')[2]).toMatch(
      / 32\.0 kB wasted, efficiency 98\.44% \(dive: 32\.0 kB inefficient, user wasted 48\.35%\)$/,
    );
    const without = renderCiMarkdown(await ci({ image: FIXTURE, cwd: dir, workers: 0 }));
    expect(without.split('\n')[2]).toMatch(/ 32\.0 kB wasted, efficiency 98\.44%$/);
  });

  it('shows the five largest and says how many more, and how many --json lists', async () => {
    // 22 paths each written twice (the second copy a chmod, say), 100 + i bytes a copy: dive finds all 22.
    const names = Array.from({ length: 22 }, (_, i) => `app/f${String(i).padStart(2, '0')}`);
    const sizes = Object.fromEntries(names.map((n, i) => [n, 100 + i]));
    const built = await buildOciLayout([
      layer({ 'etc/os-release': 10 }, 'ADD rootfs.tar /'),
      layer(sizes, 'COPY app /app'),
      layer(sizes, 'RUN chmod -R g+w /app'),
    ]);
    try {
      const diveFlags = [{ key: 'lowestEfficiency' as const, value: '0.1', source: '--lowestEfficiency' }];
      const r = await ci({ image: built.path, cwd: dir, workers: 0, diveFlags });
      expect(r.dive.fileReferenceCount).toBe(22);
      // --json keeps analyze's 20 largest, biggest first
      expect(r.dive.fileReferences).toHaveLength(20);
      expect(r.dive.fileReferences![0]).toEqual({ file: '/app/f21', count: 2, sizeBytes: 242 });
      const text = renderCiText(r, { color: false });
      const list = text.slice(text.indexOf("dive's inefficient files")).split('\n');
      expect(list[0]).toMatch(/^dive's inefficient files: 22 paths, /);
      expect(list.slice(2, 8)).toEqual([
        '    2          242 B  /app/f21',
        '    2          240 B  /app/f20',
        '    2          238 B  /app/f19',
        '    2          236 B  /app/f18',
        '    2          234 B  /app/f17',
        '  …and 17 more (--json lists the 20 largest)',
      ]);
      expect(renderCiMarkdown(r)).toContain('…and 17 more (--json lists the 20 largest)');
    } finally {
      built.cleanup();
    }
  });
});

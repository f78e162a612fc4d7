// dive's CI rules on dive's own fixture: the thresholds of dive's tests (docs: dive-metrics §4) give dive's verdicts,
// rule by rule, with dive's numbers; and a .dive-ci next to the command is read when there is no .ballast.yaml.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DiveRules } from '../../src/config/ci.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { ci, diveChecks } from '../../src/services/ci.js';

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

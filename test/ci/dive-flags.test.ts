// dive's command line on `ballast ci`: `--lowestEfficiency`, `--highestWastedBytes`, `--highestUserWastedPercent` and
// `--ci-config`, through the real CLI, on dive's own fixture (whose numbers dive's tests assert: efficiency
// 0.9844212134184309, wasted 32025 bytes, user wasted 0.4834911001404049) and on the corpus's bloated image. A value
// dive accepts passes or fails as dive compares it (strictly), `disabled` skips the rule, a flag overrides the .dive-ci
// value for its rule, and a bad value is exit 2 with one line and a hint, before any analysis.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze } from '../../src/services/analyze.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { corpusDir, describeWithCorpus } from '../helpers/corpus.js';

const FIXTURE = resolve('test/fixtures/dive/test-docker-image.tar');
const BLOATED = join(corpusDir, 'bloated.oci');
const ENV = { GITHUB_ACTIONS: '', BALLAST_CONFIG: '', BALLAST_FORMAT: '' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-diveflags-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const gate = (args: string[], image = FIXTURE) =>
  runCli(['ci', image, '--workers', '0', '--format', 'json', ...args], { cwd: dir, env: ENV });

interface JsonCheck {
  id: string;
  status: string;
  value: number | null;
  limit: number | null;
  origin?: string;
}
const checksOf = (r: CliResult): JsonCheck[] => (JSON.parse(r.stdout) as { checks: JsonCheck[] }).checks;
const statuses = (r: CliResult) => Object.fromEntries(checksOf(r).map((c) => [c.id, c.status]));
const notesOf = (r: CliResult) => (JSON.parse(r.stdout) as { notes: string[] }).notes.join('\n');

describe("dive's rule flags on `ballast ci` (dive's fixture)", () => {
  it("--lowestEfficiency: at or under dive's 98.44% passes, over it fails (exit 1)", async () => {
    // dive's default highestUserWastedPercent (0.1) fails this image: switched off to see this rule alone
    const pass = await gate(['--lowestEfficiency=0.9844212134184309', '--highestUserWastedPercent=disabled']);
    expect(pass.code).toBe(0);
    expect(checksOf(pass).find((c) => c.id === 'lowestEfficiency')).toMatchObject({
      status: 'pass',
      value: 0.9844212134184309,
      limit: 0.9844212134184309,
    });
    const fail = await gate(['--lowestEfficiency', '0.99', '--highestUserWastedPercent=disabled']);
    expect(fail.code).toBe(1);
    expect(statuses(fail)).toMatchObject({ lowestEfficiency: 'fail', highestUserWastedPercent: 'skip' });
  });

  it("--highestWastedBytes: sizes as dive reads them (20MB, 32025, 32KB), dive's 32025 wasted bytes", async () => {
    // The rules a flag does not set take dive's defaults (0.9, disabled, 0.1): 0.1 fails this image, so it is off.
    const off = ['--highestUserWastedPercent=disabled'];
    const mb = await gate(['--highestWastedBytes=20MB', ...off]);
    expect(mb.code).toBe(0);
    expect(checksOf(mb).find((c) => c.id === 'highestWastedBytes')).toMatchObject({ status: 'pass', limit: 20e6 });
    // Equality passes, as in dive; 32KB is 32000 bytes (SI), under 32025
    expect((await gate(['--highestWastedBytes', '32025', ...off])).code).toBe(0);
    const kb = await gate(['--highestWastedBytes', '32KB', ...off]);
    expect(kb.code).toBe(1);
    expect(checksOf(kb).find((c) => c.id === 'highestWastedBytes')).toMatchObject({
      status: 'fail',
      value: 32025,
      limit: 32000,
    });
  });

  it("--highestUserWastedPercent: a fraction of the bytes above the first layer (dive's 48.35%)", async () => {
    const pass = await gate(['--highestUserWastedPercent=0.49']);
    expect(pass.code).toBe(0);
    expect(statuses(pass)).toMatchObject({ highestUserWastedPercent: 'pass' });
    const fail = await gate(['--highestUserWastedPercent=0.48']);
    expect(fail.code).toBe(1);
    expect(checksOf(fail).find((c) => c.id === 'highestUserWastedPercent')).toMatchObject({
      status: 'fail',
      value: 0.4834911001404049,
      limit: 0.48,
    });
  });

  it('disabled (and off, false) skips a rule; the gate passes with all three off', async () => {
    const r = await gate([
      '--lowestEfficiency=disabled',
      '--highestWastedBytes=off',
      '--highestUserWastedPercent=false',
    ]);
    expect(r.code).toBe(0);
    expect(statuses(r)).toEqual({
      lowestEfficiency: 'skip',
      highestWastedBytes: 'skip',
      highestUserWastedPercent: 'skip',
      failOn: 'skip',
    });
  });

  it("the text report says a disabled rule is disabled, and by what: the flag, the .dive-ci, dive's default", async () => {
    // Given a .dive-ci that disables one rule and a flag that disables another; the third (highestWastedBytes) is off
    // by dive's default
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestUserWastedPercent: disabled\n');
    const r = await runCli(['ci', FIXTURE, '--workers', '0', '--lowestEfficiency=disabled'], { cwd: dir, env: ENV });
    // Then each SKIP row says disabled, never "no limit set", which reads as a limit the user forgot
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('no limit set');
    const row = (id: string) => r.stdout.split('\n').find((l) => l.startsWith(`SKIP  ${id} `));
    expect(row('lowestEfficiency')).toMatch(/ {2}disabled by dive's --lowestEfficiency flag$/);
    expect(row('highestUserWastedPercent')).toMatch(/ {2}disabled by dive's \.dive-ci$/);
    expect(row('highestWastedBytes')).toMatch(
      / {2}disabled by dive's default for highestWastedBytes \(\.dive-ci does not set it\)$/,
    );
    // And so does the JSON, which other tools read
    const json = await gate(['--lowestEfficiency=disabled']);
    const message = (JSON.parse(json.stdout) as { checks: { id: string; message: string }[] }).checks.find(
      (c) => c.id === 'lowestEfficiency',
    )!.message;
    expect(message).toBe("efficiency: disabled by dive's --lowestEfficiency flag");
  });

  it("dive's whole command line gives the checks a .dive-ci with the same values gives", async () => {
    const flags = await gate([
      '--lowestEfficiency=0.95',
      '--highestWastedBytes=20Mb',
      '--highestUserWastedPercent=0.4',
    ]);
    writeFileSync(
      join(dir, '.dive-ci'),
      'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n  highestUserWastedPercent: 0.4\n',
    );
    const file = await gate([]);
    // dive's own switch into CI mode, copied with the rest of a dive step's line, changes nothing
    const copied = await gate(['--ci']);
    expect(flags.code).toBe(1);
    expect(file.code).toBe(1);
    expect(copied.code).toBe(1);
    // The same checks, each saying where its limit came from: the flag, or the file
    const withoutOrigin = (r: CliResult) => checksOf(r).map(({ origin: _origin, ...c }) => c);
    expect(withoutOrigin(flags)).toEqual(withoutOrigin(file));
    expect(checksOf(copied)).toEqual(checksOf(file));
    expect(checksOf(flags)[0].origin).toBe("dive's --lowestEfficiency flag");
    expect(checksOf(file)[0].origin).toBe("dive's .dive-ci");
    expect(notesOf(flags)).toMatch(
      /--lowestEfficiency, --highestWastedBytes, --highestUserWastedPercent: dive's rules/,
    );
  });

  it("with some rules given by flag, the note names only the others as taking dive's defaults", async () => {
    const one = notesOf(await gate(['--highestWastedBytes=20MB']));
    expect(one).toContain(
      "--highestWastedBytes: dive's rules, with dive's defaults for the others (lowestEfficiency, highestUserWastedPercent, with dive's metrics)",
    );
    const two = notesOf(await gate(['--lowestEfficiency=0.9', '--highestUserWastedPercent=0.5']));
    expect(two).toContain("with dive's defaults for the others (highestWastedBytes, with dive's metrics)");
  });

  it("a flag overrides the .dive-ci's value for its rule and keeps the file's other values", async () => {
    writeFileSync(
      join(dir, '.dive-ci'),
      'rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.5\n',
    );
    expect(statuses(await gate([]))).toMatchObject({ lowestEfficiency: 'fail' });
    const r = await gate(['--lowestEfficiency=0.9']);
    expect(r.code).toBe(0);
    expect(checksOf(r).map((c) => [c.id, c.status, c.limit])).toEqual([
      ['lowestEfficiency', 'pass', 0.9],
      ['highestWastedBytes', 'pass', 20e6],
      ['highestUserWastedPercent', 'pass', 0.5],
      ['failOn', 'skip', null],
    ]);
    expect(notesOf(r)).toMatch(/read dive's .*\.dive-ci .*; --lowestEfficiency overrides it/);
  });

  it("a .dive-ci rule with no value takes dive's default, and values dive reads (1e-1, 20Mi, 1,000) are taken", async () => {
    // `highestWastedBytes:` with nothing after it: dive's default (disabled), not a config error
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestWastedBytes:\n  highestUserWastedPercent: 0.5\n');
    const empty = await gate([]);
    expect(empty.stderr).not.toMatch(/^error:/m);
    expect(empty.code).toBe(0);
    expect(checksOf(empty).map((c) => [c.id, c.status, c.limit])).toEqual([
      ['lowestEfficiency', 'pass', 0.9],
      ['highestWastedBytes', 'skip', null],
      ['highestUserWastedPercent', 'pass', 0.5],
      ['failOn', 'skip', null],
    ]);
    writeFileSync(
      join(dir, '.dive-ci'),
      'rules:\n  lowestEfficiency: "1e-1"\n  highestWastedBytes: 20Mi\n  highestUserWastedPercent: 0.5\n',
    );
    const forms = await gate([]);
    expect(forms.code).toBe(0);
    expect(checksOf(forms).map((c) => c.limit)).toEqual([0.1, 20 * 2 ** 20, 0.5, null]);
    // The flag takes the same forms: 32,000 is 32000 bytes, under dive's 32025
    const comma = await gate(['--highestWastedBytes=32,000']);
    expect(comma.code).toBe(1);
    expect(checksOf(comma).find((c) => c.id === 'highestWastedBytes')).toMatchObject({ status: 'fail', limit: 32000 });
  });

  it("SARIF describes a failed check by where its limit came from: the .dive-ci, dive's flag or default, the ci: section", async () => {
    const rule = async (args: string[], id: string) => {
      const r = await gate([...args, '-o', 'sarif=out.sarif']);
      expect(r.code).toBe(1);
      const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
      const rules = sarif.runs[0].tool.driver.rules as { id: string; fullDescription: { text: string } }[];
      return rules.find((x) => x.id === `budget/${id}`)!.fullDescription.text;
    };
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.99\n  highestUserWastedPercent: 0.5\n');
    const fromFile = await rule([], 'lowestEfficiency');
    expect(fromFile).toBe("The lowestEfficiency check of ballast ci, set by dive's .dive-ci.");
    // The file leaves highestUserWastedPercent to dive's default when the value is empty
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestUserWastedPercent:\n');
    expect(await rule([], 'highestUserWastedPercent')).toBe(
      "The highestUserWastedPercent check of ballast ci, set by dive's default for highestUserWastedPercent (.dive-ci does not set it).",
    );
    rmSync(join(dir, '.dive-ci'));
    expect(await rule(['--lowestEfficiency=0.99'], 'lowestEfficiency')).toBe(
      "The lowestEfficiency check of ballast ci, set by dive's --lowestEfficiency flag.",
    );
    writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1KB\n  failOn: none\n');
    expect(await rule([], 'maxWastedBytes')).toBe(
      'The maxWastedBytes check of ballast ci, set by the ci: section of .ballast.yaml.',
    );
    expect(await rule(['--max-wasted-bytes=2KB'], 'maxWastedBytes')).toBe(
      'The maxWastedBytes check of ballast ci, set by --max-wasted-bytes.',
    );
  });

  it('--ci-config reads a .dive-ci under any name, and flags override it too', async () => {
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci', 'dive-rules.yaml'), 'rules:\n  highestWastedBytes: 1KB\n');
    const r = await gate(['--ci-config', 'ci/dive-rules.yaml']);
    expect(r.code).toBe(1);
    expect(statuses(r)).toMatchObject({ lowestEfficiency: 'pass', highestWastedBytes: 'fail' });
    expect(notesOf(r)).toMatch(/--ci-config: read dive's .*dive-rules\.yaml/);
    const over = await gate([
      '--ci-config',
      'ci/dive-rules.yaml',
      '--highestWastedBytes=disabled',
      '--highestUserWastedPercent=0.5',
    ]);
    expect(over.code).toBe(0);
  });

  it("with a .ballast.yaml, dive's flags and --ci-config add dive's checks alongside its budgets", async () => {
    writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1MB\n  failOn: none\n');
    copyFileSync('test/fixtures/dive/dive-ci.yaml', join(dir, 'dive.yml'));
    const r = await gate(['--lowestEfficiency=0.99']);
    expect(r.code).toBe(1);
    const byId = statuses(r);
    expect(byId).toMatchObject({ lowestEfficiency: 'fail', maxWastedBytes: 'pass', highestUserWastedPercent: 'fail' });
    expect(notesOf(r)).toMatch(/checked alongside \.ballast\.yaml's budgets/);
    const file = await gate(['--ci-config', 'dive.yml']);
    expect(file.code).toBe(0);
    expect(
      checksOf(file)
        .map((c) => [c.id, c.status, c.limit])
        .slice(0, 3),
    ).toEqual([
      ['lowestEfficiency', 'pass', 0.95],
      ['highestWastedBytes', 'pass', 20e6],
      ['highestUserWastedPercent', 'pass', 0.5],
    ]);
    expect(statuses(file)).toMatchObject({ maxWastedBytes: 'pass', maxImageBytes: 'skip' });
  });

  it("without a .ballast.yaml, a budget flag set next to dive's rules is listed even when it cannot be measured", async () => {
    // --max-growth-bytes with no --baseline: the job forgot the baseline, and the report must say so, as it does
    // without dive's flags, rather than drop the budget it was asked to check
    const r = await gate(['--lowestEfficiency=0.9', '--highestUserWastedPercent=disabled', '--max-growth-bytes=1MB']);
    expect(r.code).toBe(0);
    expect(checksOf(r).find((c) => c.id === 'maxGrowthBytes')).toMatchObject({ status: 'skip', limit: 1e6 });
    // Budgets no flag sets are still left out, as with a .dive-ci
    expect(statuses(r)).not.toHaveProperty('maxImageBytes');
  });

  it.each([
    [
      ['--lowestEfficiency=1.5'],
      /^error: --lowestEfficiency "1\.5": not a number between 0 and 1 \(hint: .*0\.9.*disabled\)$/,
    ],
    // the percent slip gets the fraction to write, as it does in a .dive-ci
    [
      ['--lowestEfficiency', '90%'],
      /^error: --lowestEfficiency "90%": not a number between 0 and 1 \(hint: write 0\.9: dive takes a fraction /,
    ],
    [['--highestWastedBytes=lots'], /^error: --highestWastedBytes "lots": not a size \(hint: .*20MB.*disabled\)$/],
    [['--highestWastedBytes=1EB'], /^error: --highestWastedBytes "1EB": out of range \(at most 9PB\) \(hint: /],
    [
      ['--highestUserWastedPercent=-0.1'],
      /^error: --highestUserWastedPercent "-0\.1": not a number between 0 and 1 \(hint: /,
    ],
    [
      ['--ci-config', 'missing/.dive-ci'],
      /^error: cannot read .*missing\/\.dive-ci: .* \(hint: check the --ci-config path\)$/,
    ],
    [
      ['--config', 'a/.dive-ci', '--ci-config', 'b/.dive-ci'],
      /^error: --config a\/\.dive-ci and --ci-config b\/\.dive-ci: two \.dive-ci files \(hint: /,
    ],
  ])('%j is exit 2 with one line and a hint', async (args, message) => {
    const r = await runCli(['ci', FIXTURE, '--workers', '0', ...args], { cwd: dir, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('--help lists the dive flags', async () => {
    const r = await runCli(['ci', '--help'], { env: ENV });
    expect(r.code).toBe(0);
    for (const flag of ['--lowestEfficiency', '--highestWastedBytes', '--highestUserWastedPercent', '--ci-config'])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/DIVE FLAGS/);
  });
});

describeWithCorpus("dive's rule flags on the corpus's bloated image", () => {
  it("each flag at dive's own number passes, and one step stricter fails", async () => {
    const { dive } = await analyze({ image: `oci:${BLOATED}`, workers: 0 });
    const at = await gate(
      [
        `--lowestEfficiency=${dive.efficiencyScore}`,
        `--highestWastedBytes=${dive.inefficientBytes}`,
        `--highestUserWastedPercent=${dive.userWastedPercent}`,
      ],
      `oci:${BLOATED}`,
    );
    expect(at.code).toBe(0);
    expect(
      checksOf(at)
        .slice(0, 3)
        .map((c) => c.status),
    ).toEqual(['pass', 'pass', 'pass']);
    const stricter = await gate(
      [
        `--lowestEfficiency=${dive.efficiencyScore + 1e-9}`,
        `--highestWastedBytes=${dive.inefficientBytes - 1}`,
        `--highestUserWastedPercent=${dive.userWastedPercent! - 1e-9}`,
      ],
      `oci:${BLOATED}`,
    );
    expect(stricter.code).toBe(1);
    expect(
      checksOf(stricter)
        .slice(0, 3)
        .map((c) => [c.id, c.status]),
    ).toEqual([
      ['lowestEfficiency', 'fail'],
      ['highestWastedBytes', 'fail'],
      ['highestUserWastedPercent', 'fail'],
    ]);
  });
});

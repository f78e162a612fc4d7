// The `lint` fast path (src/lint/cli.ts) prints exactly what the oclif command prints and exits the same way.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLintCli } from '../../src/lint/cli.js';
import { runCli } from '../helpers/cli.js';

async function fast(args: string[], cwd: string, input = '', env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runLintCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => input,
    cwd,
    env,
    color: false,
  });
  return { code, stdout, stderr };
}

// SARIF and JSON carry the tool version, which only the oclif path knows when running from sources.
const normalise = (s: string) =>
  s
    .replace(/"version": "[^"]*",\n(\s+)"informationUri"/, '"version": "x",\n$1"informationUri"')
    .replace(/("name": "ballast",\n\s+"version": )"[^"]*"/, '$1"x"');

describe('runLintCli', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-'));
  const text = 'FROM debian:latest\nRUN apt-get update && apt-get install -y curl=7.88.1-10\nADD app.py /app/\n';
  writeFileSync(join(dir, 'Dockerfile'), text);
  // Dockerfiles whose .hadolint.yaml picks the report format of the run.
  for (const format of ['json', 'sarif']) {
    mkdirSync(join(dir, format));
    writeFileSync(join(dir, format, '.hadolint.yaml'), `format: ${format}\n`);
    writeFileSync(join(dir, format, 'Dockerfile'), text);
  }

  it.each([
    [['Dockerfile']],
    [['Dockerfile', '--format', 'github']],
    [['--format', 'sarif', 'Dockerfile', '--fail-on', 'error']],
    [['Dockerfile', '--ignore', 'DL3007', '--ignore', 'apt-lists-not-removed', '-f', 'checkstyle']],
    [['Dockerfile', '--fix-dry-run']],
    [['Dockerfile', '--fix-dry-run', '-f', 'sarif']],
    [['json/Dockerfile', '--fix-dry-run']],
    [['--ignore', 'DL3007,DF001', 'Dockerfile']],
    [['Dockerfile', '--fail-on', 'loud']],
    [['missing/Dockerfile']],
    [['Dockerfile', '--no-such-flag']],
    [['-t', 'error', 'Dockerfile', '--error', 'DL3007', '--style', 'DF001']],
    [['Dockerfile', '--no-fail', '--trusted-registry', 'quay.io', '--require-label', 'maintainer:text']],
    [['Dockerfile', '--failure-threshold', 'loud']],
    [['json/Dockerfile']],
    [['sarif/Dockerfile']],
    [['sarif/Dockerfile', '-f', 'checkstyle']],
    [['-c', 'json/.hadolint.yaml', 'Dockerfile']],
    // A short flag's value after `=`, as oclif reads it (node:util kept the `=`: `=json` was no format).
    [['-f=json', 'Dockerfile']],
    [['-Vf=sarif', 'Dockerfile']],
    [['Dockerfile', '-t=error']],
  ])('%j matches the oclif command', async (args) => {
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    expect(viaFast.code).toBe(viaOclif.code);
    if (viaOclif.code === 2) {
      expect(viaFast.stderr).toMatch(/^error: .+\n$/);
      expect(viaFast.stdout).toBe('');
      return;
    }
    expect(normalise(viaFast.stdout)).toBe(normalise(viaOclif.stdout));
  });

  // Every variable lint reads (its flags' BALLAST_*, hadolint's HADOLINT_*, and those read with the terminal or the
  // run), empty, not a value it takes, and one it does: the same exit code, stdout and stderr on both paths.
  // Regression: an empty BALLAST_FORMAT or BALLAST_FAIL_ON (a CI file's `${{ inputs.x }}` left blank) was refused on the
  // fast path (exit 2), where the oclif path, analyze and ci take it as unset.
  it.each([
    ...['', 'bogus', 'sarif'].map((v) => ['BALLAST_FORMAT', v]),
    ...['', 'loud', 'error'].map((v) => ['BALLAST_FAIL_ON', v]),
    ...['', 'Dockerfile', 'env-report.txt'].map((v) => ['BALLAST_OUTPUT', v]),
    ...['', 'missing.yaml', 'json/.hadolint.yaml'].map((v) => ['BALLAST_CONFIG', v]),
    ...['', 'xml', 'json'].map((v) => ['BALLAST_CONTENT_TYPE', v]),
    ...['', 'yes', '1'].map((v) => ['BALLAST_DEBUG', v]),
    ...['', ' ', 'bogus', ' checkstyle '].map((v) => ['HADOLINT_FORMAT', v]),
    ...['', ' ', 'loud', ' error '].map((v) => ['HADOLINT_FAILURE_THRESHOLD', v]),
    ...['', 'maybe', 'true'].map((v) => ['HADOLINT_NOFAIL', v]),
    ...['', 'XX', 'DL3007'].map((v) => ['HADOLINT_OVERRIDE_ERROR', v]),
    ...['', ',,', 'DL3007,DF001'].map((v) => ['HADOLINT_IGNORE', v]),
    ...['', ' , ', 'quay.io'].map((v) => ['HADOLINT_TRUSTED_REGISTRIES', v]),
    ...['', 'maintainer', 'maintainer:text'].map((v) => ['HADOLINT_REQUIRE_LABELS', v]),
    ...['', 'maybe', '1'].map((v) => ['HADOLINT_STRICT_LABELS', v]),
    ...['', 'maybe', 'on'].map((v) => ['HADOLINT_DISABLE_IGNORE_PRAGMA', v]),
    ...['', 'maybe', '1'].map((v) => ['HADOLINT_NOCOLOR', v]),
    ...['', 'maybe', '1'].map((v) => ['HADOLINT_VERBOSE', v]),
    ...['', 'wide', '40'].map((v) => ['COLUMNS', v]),
    ...['', 'yes', '1'].map((v) => ['PRE_COMMIT', v]),
  ])('%s=%j matches the oclif command', async (name, value) => {
    // A file not found, so BALLAST_DEBUG has an error to print.
    const args =
      name === 'BALLAST_DEBUG' ? ['--no-shellcheck', 'missing/Dockerfile'] : ['--no-shellcheck', 'Dockerfile'];
    const env = { [name]: value };
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { ...env, BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir, '', env);
    // A stack trace (BALLAST_DEBUG=1) names each path's own functions after the error's line.
    const trace = (s: string) => s.replace(/^ {4}at .*\n/gm, '');
    expect([viaFast.code, normalise(viaFast.stdout), trace(viaFast.stderr)]).toEqual([
      viaOclif.code,
      normalise(viaOclif.stdout),
      trace(viaOclif.stderr),
    ]);
  });

  // Regression: both given, the dry run won without a word (the diff again, the file unchanged).
  it('refuses --fix with --fix-dry-run on both paths, before anything is linted or written', async () => {
    const said =
      'error: --fix and --fix-dry-run ask for opposite things: --fix writes the fixes, --fix-dry-run only prints them ' +
      '(hint: pass one of them: --fix-dry-run to see the diff, --fix to apply it)\n';
    for (const args of [
      ['Dockerfile', '--fix', '--fix-dry-run'],
      ['--fix-dry-run', '--fix', 'Dockerfile'],
    ]) {
      const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
      const viaFast = await fast(args, dir);
      for (const run of [viaOclif, viaFast]) expect([run.code, run.stdout, run.stderr]).toEqual([2, '', said]);
    }
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(text);
  });

  // A typo in a pre-commit hook's `args:` printed node:util's text: two sentences about `--` with an unbalanced quote.
  // Regression: with several, the fast path named the first and only the long ones after it (`--top -n`
  // said only --top, `-n -q` only -n, `-Vnq` -n where oclif says -nq); a value (`-o -q`, `-f json`) is no flag.
  it.each([
    [['Dockerfile', '--no-such-flag']],
    [['Dockerfile', '-x']],
    [['--bogus=3', 'Dockerfile']],
    [['--top', '-n', 'Dockerfile']],
    [['-n', '--top', 'Dockerfile']],
    [['-n', '-q', 'Dockerfile']],
    [['--top=x', '-Z=secret', 'Dockerfile', '-Zq']],
    [['-Vnq', 'Dockerfile', '--no-fix']],
    [['-n', '-o', '-q', '-f', 'json', '--ignore', '-m', '-terror', '-k', 'Dockerfile']],
  ])('%j prints the same unknown-flag line as the oclif command', async (args) => {
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    expect(viaOclif.stderr).toMatch(/^error: Nonexistent flags?: /);
    expect([viaFast.code, viaFast.stderr]).toEqual([viaOclif.code, viaOclif.stderr]);
  });

  // A first word that may be a file (`-nV`) keeps the fast path's hint for pre-commit's file names, but the others
  // are named too, as oclif names them.
  it('names every unknown flag after one that may be a file', async () => {
    const viaOclif = await runCli(['lint', '-nV', '--top', 'Dockerfile'], {
      cwd: dir,
      env: { BALLAST_NO_FAST_PATH: '1' },
    });
    const viaFast = await fast(['-nV', '--top', 'Dockerfile'], dir);
    expect(viaOclif.stderr).toMatch(/^error: Nonexistent flags: -nV, --top \(hint: /);
    expect([viaFast.code, viaFast.stderr]).toEqual([
      2,
      'error: Nonexistent flags: -nV, --top (hint: a file whose name starts with - goes after --: `ballast lint -- -nV`)\n',
    ]);
  });

  // The fast path said only "pick a severity from the list" for a rule code, where oclif's (as `ballast ci`) says how
  // to make that rule fail the run.
  it.each([
    ['IM001', false],
    ['dl3008', false],
    ['DF014', true],
    ['loud', false],
    ['loud', true],
    ['warnings', false],
    ['warnings', true],
  ])('--fail-on %s (from BALLAST_FAIL_ON: %s) prints the same line on both paths', async (value, fromEnv) => {
    const args = fromEnv ? ['Dockerfile'] : ['Dockerfile', '--fail-on', value];
    const env = fromEnv ? { BALLAST_FAIL_ON: value } : {};
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { ...env, BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir, '', env);
    const flag = fromEnv ? '$BALLAST_FAIL_ON' : '--fail-on';
    // A rule code is told how to fail on that rule; a level mistyped, the level meant; any value where --help is.
    const code = value.toUpperCase();
    const meant = value === 'warnings' ? 'did you mean warning? ' : '';
    const hint = /\d/.test(value)
      ? `${flag} takes a severity, not a rule; to fail on ${code}, raise its severity in .ballast.yaml (rules: {${code}: error})`
      : `${meant}run \`ballast lint --help\` for its flags and arguments`;
    expect([viaOclif.code, viaOclif.stderr]).toEqual([
      2,
      `error: Expected ${flag}=${value} to be one of: error, warning, info, style, none (hint: ${hint})\n`,
    ]);
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
  });

  // JSON users (editors, CI) could not see what --fix changed: the report listed what was left, never what was fixed.
  it('--fix --format json lists the fixes it applied under each target, .dockerignore ones included', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-fixed-'));
    writeFileSync(
      join(work, 'Dockerfile'),
      'FROM alpine:3.20\nMAINTAINER me\nRUN apk add curl=8.9.1-r1\nCOPY . /app\n',
    );
    const { code, stdout } = await fast(
      ['--fix', '--unsafe-fixes', '--format', 'json', '--no-shellcheck', 'Dockerfile'],
      work,
    );
    expect(code).toBe(0);
    const [target] = JSON.parse(stdout).targets;
    expect(target.fixed).toEqual([
      expect.objectContaining({
        code: 'DF025',
        rule: 'missing-dockerignore',
        file: '.dockerignore',
        applicability: 'unsafe',
      }),
      expect.objectContaining({ code: 'DF110', rule: 'maintainer', file: 'Dockerfile', applicability: 'unsafe' }),
      expect.objectContaining({ code: 'DF005', rule: 'apk-add-cache', file: 'Dockerfile', applicability: 'safe' }),
    ]);
    for (const fix of target.fixed) expect(fix.title).toEqual(expect.any(String));
    // A run with nothing to fix says so with an empty list; without --fix there is no list.
    const again = JSON.parse((await fast(['--fix', '--format', 'json', '--no-shellcheck', 'Dockerfile'], work)).stdout);
    expect(again.targets[0].fixed).toEqual([]);
    const plain = JSON.parse((await fast(['--format', 'json', '--no-shellcheck', 'Dockerfile'], work)).stdout);
    expect(plain.targets[0]).not.toHaveProperty('fixed');
  });

  // The text report after --fix listed only what was left: a user could not tell what ballast had changed.
  it('--fix says in the text report what it fixed, once per rule with a count; quiet when nothing was fixed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-fixed-text-'));
    writeFileSync(join(work, '.dockerignore'), '.git\n');
    writeFileSync(join(work, 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\nRUN apk add git=2.45.2-r0\n');
    writeFileSync(join(work, 'b.Dockerfile'), 'FROM alpine:3.20\nMAINTAINER me\nUSER 1000\n');
    const args = ['--fix', '--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none'];
    const { code, stdout } = await fast([...args, 'Dockerfile', 'b.Dockerfile'], work);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ fixed 4 problems in 2 files: DF005 ×2, DF016, DF110$/m);
    // The report goes on with what is left, as before.
    expect(stdout).toMatch(/^(✖ \d+ problems? .*|✔ no problems)$/m);
    const one = await fast([...args, 'b.Dockerfile'], work);
    expect(one.stdout).not.toContain('fixed');
    // hadolint's format stays hadolint's: finding lines only.
    writeFileSync(join(work, 'c.Dockerfile'), 'FROM alpine:3.20\nMAINTAINER me\n');
    const tty = await fast([...args, '--format', 'tty', 'c.Dockerfile'], work);
    expect(tty.stdout).not.toContain('fixed');
  });

  // DF025's fix writes a new .dockerignore, which every Dockerfile of that folder builds with: the summary named only
  // the Dockerfiles, so under pre-commit an untracked file appeared without a word.
  it.each([
    ['--fix', /^✔ fixed 2 problems in 2 files: DF025, DF005 \(created svc\/\.dockerignore\)$/m, 'fixed', true],
    [
      '--fix-dry-run',
      /^would fix 2 problems in 2 files \(3 fixable before any fix\): DF025, DF005 \(would create svc\/\.dockerignore\)$/m,
      'wouldFix',
      false,
    ],
  ])('%s says which .dockerignore it created, in the text and in JSON', async (flag, line, key, writes) => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-created-'));
    mkdirSync(join(work, 'svc'));
    const files = {
      'svc/Dockerfile': 'FROM alpine:3.20\nCOPY . /app\nUSER 1000\n',
      'svc/b.Dockerfile': 'FROM alpine:3.20\nCOPY . /srv\nRUN apk add curl=8.9.1-r1\nUSER 1000\n',
    };
    const write = () => {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
    };
    write();
    const args = [flag, '--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none', ...Object.keys(files)];
    const text = await fast(args, work);
    expect(text.stdout).toMatch(line);
    expect(readdirSync(join(work, 'svc')).includes('.dockerignore')).toBe(writes);
    write();
    if (writes) rmSync(join(work, 'svc', '.dockerignore'));
    const json = JSON.parse((await fast([...args, '--format', 'json'], work)).stdout);
    const entries = json.targets.flatMap((t: Record<string, { code: string; created?: string }[]>) => t[key]);
    expect(entries.map((f: { code: string; created?: string }) => [f.code, f.created])).toEqual([
      ['DF025', 'svc/.dockerignore'],
      ['DF005', undefined],
    ]);
    // Once it is there, a later run creates nothing.
    if (writes) {
      write();
      expect((await fast(args, work)).stdout).not.toContain('created');
    }
  });

  // A script reading the JSON opens the files the fixes touched: the Dockerfile is named from the working directory,
  // the .dockerignore was named from its build context (`.dockerignore` for `svc/.dockerignore`), and DF026's
  // edit of an existing one had no field naming it, where DF025's creation has `created`.
  it.each([
    ['--fix', 'fixed', undefined, { code: 'DF025', file: 'svc/.dockerignore', created: 'svc/.dockerignore' }],
    [
      '--fix-dry-run',
      'wouldFix',
      undefined,
      { code: 'DF025', file: 'svc/.dockerignore', created: 'svc/.dockerignore' },
    ],
    ['--fix', 'fixed', '*.log\n', { code: 'DF026', file: 'svc/.dockerignore', edited: 'svc/.dockerignore' }],
    ['--fix-dry-run', 'wouldFix', '*.log\n', { code: 'DF026', file: 'svc/.dockerignore', edited: 'svc/.dockerignore' }],
  ])('%s (JSON %s), .dockerignore %j: named from the working directory', async (flag, key, ignore, want) => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-ignore-named-'));
    mkdirSync(join(work, 'svc'));
    writeFileSync(join(work, 'svc', 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\nUSER 1000\n');
    if (ignore !== undefined) writeFileSync(join(work, 'svc', '.dockerignore'), ignore);
    const args = [flag, '--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none', '--format', 'json', 'svc/Dockerfile'];
    const [target] = JSON.parse((await fast(args, work)).stdout).targets;
    expect(target[key]).toEqual([expect.objectContaining(want)]);
    // One of the two: a fix that created the file did not edit one that was there.
    expect(target[key][0]).not.toHaveProperty('created' in want ? 'edited' : 'created');
    // Opened from the working directory, it is the file --fix wrote.
    if (flag === '--fix') expect(readFileSync(join(work, want.file), 'utf8')).toMatch(/^\.git$/m);
  });

  // A script applying a finding's fix.edits from where ballast ran wrote `.dockerignore` there, not in the build
  // context; the report's own fixed/wouldFix named the same file from the working directory.
  it.each([
    [[], undefined, 'DF025', 'svc/.dockerignore'],
    [[], '*.log\n', 'DF026', 'svc/.dockerignore'],
    [['--context', 'ctx'], undefined, 'DF025', 'ctx/.dockerignore'],
    [['--fix-dry-run', '--unsafe-fixes'], undefined, 'DF025', 'svc/.dockerignore'],
  ])(
    'JSON %j, .dockerignore %j: %s fix.edits name %s from the working directory',
    async (flags, ignore, rule, path) => {
      const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-edits-named-'));
      mkdirSync(join(work, 'svc'));
      mkdirSync(join(work, 'ctx'));
      writeFileSync(join(work, 'svc', 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\nUSER 1000\n');
      if (ignore !== undefined) writeFileSync(join(work, 'svc', '.dockerignore'), ignore);
      const args = [...flags, '--no-shellcheck', '--fail-on', 'none', '--format', 'json', 'svc/Dockerfile'];
      const [target] = JSON.parse((await fast(args, work)).stdout).targets;
      const finding = target.findings.find((f: { code: string }) => f.code === rule);
      expect(finding.fix.edits).toEqual([expect.objectContaining({ file: path, context: true })]);
      if (target.wouldFix) expect(target.wouldFix).toEqual([expect.objectContaining({ code: rule, file: path })]);
    },
  );

  // A SARIF consumer applying fixes pasted the new .dockerignore's lines into the top of the Dockerfile: every edit
  // was put on the Dockerfile's artifact.
  it.each([
    [[], undefined, 'DF025', 'svc/.dockerignore'],
    [[], '*.log\n', 'DF026', 'svc/.dockerignore'],
    [['--context', 'ctx'], undefined, 'DF025', 'ctx/.dockerignore'],
  ])('SARIF %j, .dockerignore %j: %s fix changes %s, not the Dockerfile', async (flags, ignore, rule, path) => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-sarif-ignore-'));
    mkdirSync(join(work, 'svc'));
    mkdirSync(join(work, 'ctx'));
    writeFileSync(join(work, 'svc', 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\nUSER 1000\n');
    if (ignore !== undefined) writeFileSync(join(work, 'svc', '.dockerignore'), ignore);
    const args = [...flags, '--no-shellcheck', '--fail-on', 'none', '--format', 'sarif', 'svc/Dockerfile'];
    const sarif = JSON.parse((await fast(args, work)).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === rule);
    // The result itself is on the Dockerfile line that needs the file; its fix is on the file.
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'svc/Dockerfile',
      uriBaseId: '%SRCROOT%',
    });
    expect(result.fixes[0].artifactChanges).toEqual([
      {
        artifactLocation: { uri: path, uriBaseId: '%SRCROOT%' },
        replacements: [expect.objectContaining({ insertedContent: { text: expect.stringMatching(/^\.git$/m) } })],
      },
    ]);
  });

  // The dry run's text report listed the findings as they stand and never said which of them --fix would fix.
  it('--fix-dry-run says what --fix would fix, with the same counts, and in JSON as wouldFix, not fixed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-would-fix-'));
    writeFileSync(join(work, '.dockerignore'), '.git\n');
    const files = {
      Dockerfile: 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\nRUN apk add git=2.45.2-r0\n',
      'b.Dockerfile': 'FROM alpine:3.20\nMAINTAINER me\nUSER 1000\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
    const args = ['--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none', 'Dockerfile', 'b.Dockerfile'];
    const dry = await fast(['--fix-dry-run', ...args], work);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would fix 4 problems in 2 files: DF005 ×2, DF016, DF110$/m);
    expect(dry.stdout).not.toMatch(/^✔ fixed/m);
    await fast(['--fix-dry-run', '--format', 'json', '-o', 'r.json', ...args], work);
    const json = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8'));
    expect(json.targets.map((t: { wouldFix: { code: string }[] }) => t.wouldFix.map((f) => f.code))).toEqual([
      ['DF005', 'DF005', 'DF016'],
      ['DF110'],
    ]);
    for (const target of json.targets) expect(target).not.toHaveProperty('fixed');
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(work, name), 'utf8')).toBe(text);
    // The real --fix then fixes just those.
    expect((await fast(['--fix', ...args], work)).stdout).toMatch(
      /^✔ fixed 4 problems in 2 files: DF005 ×2, DF016, DF110$/m,
    );
  });

  // Five RUNs each join the one before: the fix for the middle one overlaps the fixes either side of it, and once those
  // are applied it has nothing left to join. The dry run says both counts, and no reason it cannot count exactly (the
  // passes count fixes only a later pass found, and leave findings at their cap or to a fix that changes nothing).
  it('--fix-dry-run says how many problems it would fix and how many were fixable when some fixes overlap', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-would-fix-overlap-'));
    writeFileSync(join(work, '.dockerignore'), '.git\n');
    const runs = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `RUN echo ${x.repeat(30)}\n`).join('');
    writeFileSync(join(work, 'Dockerfile'), `FROM alpine:3.20\n${runs}`);
    const dry = await fast(['--fix-dry-run', '--unsafe-fixes', '--no-shellcheck', 'Dockerfile'], work);
    expect(dry.stdout).toMatch(/^would fix 4 problems \(5 fixable before any fix\): DF016 ×4$/m);
    // The hint names what applies them, not the --unsafe-fixes the dry run was given as news
    expect(dry.stdout).toMatch(/^ {2}run with --fix --unsafe-fixes to apply them$/m);
    expect(dry.stdout).not.toMatch(/fixable with --fix/);
  });

  // --fix re-lints and fixes until nothing changes: DF001 has no fix while a later RUN installs from the lists, and has
  // one once DF016 joined that RUN on. The dry run counts the fixes of every pass, as --fix with the same flags then
  // reports them, and its hint says which of them need --unsafe-fixes (DF006's is safe).
  it('--fix-dry-run would fix what --fix then fixes, later passes included, and says which fixes are unsafe', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-would-fix-passes-'));
    const text = [
      'FROM debian:12-slim',
      'RUN apt-get update',
      'RUN apt-get install -y --no-install-recommends python3-pip=23.0.1+dfsg-1',
      'RUN pip install flask==3.0.0',
      'USER 1000',
      '',
    ].join('\n');
    writeFileSync(join(work, 'Dockerfile'), text);
    const args = ['--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none', 'Dockerfile'];
    const dry = await fast(['--fix-dry-run', ...args], work);
    expect(readFileSync(join(work, 'Dockerfile'), 'utf8')).toBe(text);
    expect(dry.stdout).toMatch(/^would fix 3 problems: DF016, DF006, DF001$/m);
    expect(dry.stdout).toMatch(/^ {2}run with --fix --unsafe-fixes to apply them \(unsafe: DF016, DF001\)$/m);
    await fast(['--fix-dry-run', '--format', 'json', '-o', 'dry.json', ...args], work);
    // On a copy, --fix with the same flags fixes just those.
    const copy = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-would-fix-passes-copy-'));
    writeFileSync(join(copy, 'Dockerfile'), text);
    const fixed = await fast(['--fix', ...args], copy);
    expect(fixed.stdout).toMatch(/^✔ fixed 3 problems: DF016, DF006, DF001$/m);
    writeFileSync(join(copy, 'Dockerfile'), text);
    await fast(['--fix', '--format', 'json', '-o', 'fixed.json', ...args], copy);
    const wouldFix = JSON.parse(readFileSync(join(work, 'dry.json'), 'utf8')).targets[0].wouldFix;
    expect(wouldFix).toEqual(JSON.parse(readFileSync(join(copy, 'fixed.json'), 'utf8')).targets[0].fixed);
    expect(wouldFix.map((f: { code: string }) => f.code)).toEqual(['DF016', 'DF006', 'DF001']);
  });

  // With nothing to fix the dry run printed the plain report, as if --fix-dry-run had not been given.
  it('--fix-dry-run with nothing to fix says so', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-would-fix-nothing-'));
    writeFileSync(join(work, '.dockerignore'), '.git\n');
    writeFileSync(join(work, 'Dockerfile'), 'FROM alpine:3.20\nUSER 1000\n');
    const clean = await fast(['--fix-dry-run', '--no-shellcheck', 'Dockerfile'], work);
    expect(clean.stdout).toMatch(/^would fix nothing\n✔ no problems$/m);
    // Findings with no fix: the same line above the totals.
    writeFileSync(join(work, 'Dockerfile'), 'FROM alpine:3.20\nRUN cd /tmp\nUSER 1000\n');
    const unfixable = await fast(['--fix-dry-run', '--no-shellcheck', 'Dockerfile'], work);
    expect(unfixable.stdout).toMatch(/^would fix nothing\n✖ 1 problem/m);
    const plain = await fast(['--no-shellcheck', 'Dockerfile'], work);
    expect(plain.stdout).not.toContain('would fix');
  });

  // A mistyped pragma was read as a plain comment: the finding it was meant to silence came back with no word why.
  it('says which ignore pragmas it did not understand, without changing the exit code', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-pragmas-'));
    writeFileSync(
      join(work, 'Dockerfile'),
      [
        'FROM alpine:3.20',
        '# ballast ignore=DF005',
        '# hadolint ignore DL3019',
        '# ballast-ignore DF999 typo',
        '# hadolint ignore=DF005',
        '# ballast-ignore-file',
        '# hadolint is what we used before',
        '# ballast-ignore DF005 pinned upstream',
        'RUN apk add --no-cache curl=8.9.1-r1',
        'USER 1000',
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await fast(['--no-shellcheck', 'Dockerfile'], work);
    expect(code).toBe(0);
    expect(stdout).toContain('no problems');
    const notes = stderr.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes).toEqual([
      expect.stringMatching(
        /^note: Dockerfile:2: `# ballast ignore=DF005` is not a pragma ballast reads.*ballast-ignore DF005/,
      ),
      expect.stringMatching(
        /^note: Dockerfile:3: `# hadolint ignore DL3019` is not a pragma ballast reads.*hadolint ignore=DL3019/,
      ),
      expect.stringMatching(/^note: Dockerfile:4: .*no rule has the code DF999/),
      expect.stringMatching(/^note: Dockerfile:5: .*DF005 is not a hadolint id/),
      expect.stringMatching(/^note: Dockerfile:6: `# ballast-ignore-file` is not a pragma ballast reads/),
    ]);
    // With the pragmas turned off nothing is read, so nothing is said about them.
    const off = await fast(['--no-shellcheck', '--disable-ignore-pragma', 'Dockerfile'], work);
    expect(off.stderr.split('\n').filter((l) => l.startsWith('note: ') && l.includes('hadolint'))).toEqual([]);
  });

  // --unsafe-fixes and --fix-style only change what --fix/--fix-dry-run do: alone they did nothing and said nothing,
  // and a user who meant to fix was left with a report and an unchanged file.
  it.each([
    [['Dockerfile', '--unsafe-fixes'], '--unsafe-fixes takes'],
    [['Dockerfile', '--fix-style', 'cache-mount'], '--fix-style takes'],
    [['--unsafe-fixes', 'Dockerfile', '--fix-style=cleanup'], '--unsafe-fixes and --fix-style take'],
  ])('%j says on both paths that it needs --fix or --fix-dry-run', async (args, flags) => {
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    const line = `note: ${flags} effect only with --fix or --fix-dry-run: nothing was fixed\n`;
    for (const run of [viaOclif, viaFast]) expect(run.stderr).toContain(line);
    expect(viaFast.code).toBe(viaOclif.code);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(text);
  });

  it('says nothing of --unsafe-fixes or --fix-style with --fix-dry-run', async () => {
    const args = ['Dockerfile', '--fix-dry-run', '--unsafe-fixes', '--fix-style', 'cache-mount'];
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    for (const run of [viaOclif, viaFast]) expect(run.stderr).not.toContain('take effect only');
    for (const run of [viaOclif, viaFast]) expect(run.stderr).not.toContain('takes effect only');
  });

  it('-o=FILE writes FILE on both paths (the fast path wrote a file named =FILE)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
    const viaOclif = await runCli(['lint', '-o=oclif.txt', join(dir, 'Dockerfile')], {
      cwd: out,
      env: { BALLAST_NO_FAST_PATH: '1' },
    });
    const viaFast = await fast(['-o=fast.txt', join(dir, 'Dockerfile')], out);
    expect([viaFast.code, viaOclif.code]).toEqual([1, 1]);
    expect(readdirSync(out).sort()).toEqual(['fast.txt', 'oclif.txt']);
    expect(readFileSync(join(out, 'fast.txt'), 'utf8')).toBe(readFileSync(join(out, 'oclif.txt'), 'utf8'));
  });

  // Regression: node:util refused `-f -n` as ambiguous ("--format expects a value", join it) where oclif takes `-n` as
  // the format and names the formats; `--format --json` and `-f` at the end named no formats on the fast path.
  it.each([
    [['Dockerfile', '-f', '-n'], /^error: Expected --format=-n to be one of: stylish, json, /],
    [['Dockerfile', '-Vf', '-n'], /^error: Expected --format=-n to be one of: /],
    [['Dockerfile', '--format', '--json'], /^error: --format expects one of these values: stylish, json, /],
    [['Dockerfile', '-f'], /^error: --format expects one of these values: /],
    [['Dockerfile', '--fail-on', '-x'], /^error: Expected --fail-on=-x to be one of: /],
    [['Dockerfile', '--ignore', '-x'], /^error: --ignore -x: no such rule /],
  ])('%j: an option given a value starting with - answers the same on both paths', async (args, line) => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
    const absolute = args.map((a) => (a === 'Dockerfile' ? join(dir, a) : a));
    const viaOclif = await runCli(['lint', ...absolute], { cwd: out, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(absolute, out);
    expect(viaOclif.stderr).toMatch(line);
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
    expect(readdirSync(out)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });

  // Regression: the fast path said "--fix-style x is not one of ..." (hint: pick a style from the list) where the oclif
  // command says what it says of any listed value, with its did-you-mean.
  it.each([
    [
      ['--fix-style', 'cleanu'],
      /^error: Expected --fix-style=cleanu to be one of: cleanup, cache-mount \(hint: did you mean cleanup\? /,
    ],
    [['--fix-style', 'bogus'], /^error: Expected --fix-style=bogus to be one of: /],
    [['-t', 'warnin'], /^error: Expected --failure-threshold=warnin to be one of: .*did you mean warning\? /],
  ])('%j: a value not in the list is refused with the same line on both paths', async (flags, line) => {
    const args = [...flags, join(dir, 'Dockerfile')];
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    expect(viaOclif.stderr).toMatch(line);
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
  });

  // Regression: the fast path kept the last of two values (`-f json -f tty` printed a tty report, exit 1) where the
  // oclif command refuses a flag that takes one value given twice; flags that take several, and switches, may repeat.
  it.each([
    [['--format', 'json', '--format', 'tty'], 'format'],
    [['-f=json', '-Vf', 'tty'], 'format'],
    [['--fail-on', 'error', '--fail-on=error'], 'fail-on'],
    [['-t', 'error', '--failure-threshold', 'info'], 'failure-threshold'],
    [['-o', 'a.txt', '--output', 'b.txt'], 'output'],
    [['--fix-style', 'cleanup', '--fix-style', 'cache-mount', '--fix-dry-run'], 'fix-style'],
    [['--file-path-in-report', 'a', '--file-path-in-report', 'b'], 'file-path-in-report'],
    // Before a flag lint does not know, as oclif's parser checks it first.
    [['-c', 'x.yaml', '--no-such-flag', '-c', 'y.yaml'], 'config'],
  ])('%j: a one-value flag given twice is refused with the same line on both paths', async (flags, name) => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
    const args = [...flags, join(dir, 'Dockerfile')];
    const viaOclif = await runCli(['lint', ...args], { cwd: out, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, out);
    expect(viaOclif.stderr).toBe(
      `error: --${name} given more than once: it takes one value (hint: run \`ballast lint --help\` for its flags and arguments)\n`,
    );
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
    expect(readdirSync(out)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });

  it.each([[['--ignore', 'DL3007', '--ignore', 'DF001', '--json', '--json', '-V', '--verbose']]])(
    '%j: flags that take several values, and switches, repeat on both paths',
    async (flags) => {
      const args = [...flags, join(dir, 'Dockerfile')];
      const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
      const viaFast = await fast(args, dir);
      expect(viaOclif.code).toBe(1);
      expect([viaFast.code, normalise(viaFast.stdout)]).toEqual([viaOclif.code, normalise(viaOclif.stdout)]);
    },
  );

  // Regression: the fast path wrote the report to a file named `-` where the oclif command prints it.
  it.each([
    [['-o', '-'], {}],
    [[], { BALLAST_OUTPUT: '-' }],
  ])('%j %j prints the report on both paths, writing no file', async (flags, env) => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
    const args = [...flags, '--no-shellcheck', join(dir, 'Dockerfile')];
    const viaOclif = await runCli(['lint', ...args], { cwd: out, env: { ...env, BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, out, '', env);
    expect(viaOclif.stdout).toMatch(/DF\d{3}/);
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([viaOclif.code, viaOclif.stdout, viaOclif.stderr]);
    expect(readdirSync(out)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });

  // Regression: the README's way to name a report file `-n`, `-o=-n`, was refused by the fast path as ambiguous.
  it('-o=-n and -Vo=-n write a file named -n on both paths', async () => {
    for (const flag of ['-o=-n', '-Vo=-n']) {
      const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
      const viaOclif = await runCli(['lint', flag, '--no-shellcheck', join(dir, 'Dockerfile')], {
        cwd: out,
        env: { BALLAST_NO_FAST_PATH: '1' },
      });
      const oclifReport = readFileSync(join(out, '-n'), 'utf8');
      rmSync(join(out, '-n'));
      const viaFast = await fast([flag, '--no-shellcheck', join(dir, 'Dockerfile')], out);
      expect([viaFast.code, viaFast.stderr]).toEqual([viaOclif.code, viaOclif.stderr]);
      expect(readdirSync(out)).toEqual(['-n']);
      expect(readFileSync(join(out, '-n'), 'utf8')).toBe(oclifReport);
      rmSync(out, { recursive: true, force: true });
    }
  });

  // Regression: the fast path said "Option '-o' argument is ambiguous." (node:util's words) where the oclif command
  // says --output expects a value, with how to name a file `-n`.
  it.each([
    [['Dockerfile', '-o', '-n']],
    [['Dockerfile', '--output', '--type=file']],
    [['Dockerfile', '-Vo', '-n']],
    [['-o', '--json', 'Dockerfile']],
    [['Dockerfile', '-c', '-n']],
    [['Dockerfile', '-o', '-5']],
  ])('%j: a value like a flag is refused with the same line on both paths', async (args) => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-fast-cli-o-'));
    const absolute = args.map((a) => (a === 'Dockerfile' ? join(dir, a) : a));
    const viaOclif = await runCli(['lint', ...absolute], { cwd: out, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(absolute, out);
    expect(viaOclif.stderr).toMatch(/^error: --(output|config) expects a value \(hint: /);
    // -o writes the file, -c reads it: the hint says which.
    if (args.includes('-n'))
      expect(viaOclif.stderr).toContain(
        `(hint: to ${args.includes('-c') ? 'read' : 'write'} a file named -n, write ./-n)`,
      );
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
    expect(readdirSync(out)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });

  it.each([
    [['Dockerfile', '-f', 'bogus'], {}],
    [['Dockerfile'], { BALLAST_FORMAT: 'bogus' }],
    [['Dockerfile', '-f', 'jsonn'], {}],
    [['Dockerfile'], { BALLAST_FORMAT: 'jsonn' }],
  ])('a bad format %j %j prints the same line on both paths', async (args, env) => {
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { ...env, BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir, '', env);
    const value = args[2] ?? (env as { BALLAST_FORMAT?: string }).BALLAST_FORMAT;
    expect(viaOclif.stderr).toMatch(
      new RegExp(`^error: Expected (--format|\\$BALLAST_FORMAT)=${value} to be one of: stylish, `),
    );
    // A typo of a format is told the one meant; a word like none of them, where --help is.
    expect(viaOclif.stderr).toContain(value === 'jsonn' ? '(hint: did you mean json? run' : '(hint: run');
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([2, '', viaOclif.stderr]);
  });

  it('says how to lint a file whose name starts with -', async () => {
    writeFileSync(join(dir, '-x.Dockerfile'), 'FROM scratch\nCOPY app /app\n');
    const refused = await fast(['-x.Dockerfile'], dir);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'error: Nonexistent flag: -x.Dockerfile (hint: a file whose name starts with - goes after --: `ballast lint -- -x.Dockerfile`)\n',
    ]);
    expect((await fast(['--', '-x.Dockerfile'], dir)).code).toBe(0);
  });

  // pre-commit (PRE_COMMIT=1) prints several batches' outputs one after the other: no batch's totals, a blank line
  // before each file, and nothing for a clean batch.
  it('prints no totals under pre-commit, the same on both paths', async () => {
    writeFileSync(join(dir, 'clean.Dockerfile'), 'FROM scratch\nUSER 1000\n');
    for (const args of [['Dockerfile'], ['clean.Dockerfile']]) {
      const env = { PRE_COMMIT: '1' };
      const viaOclif = await runCli(['lint', '--no-shellcheck', ...args], {
        cwd: dir,
        env: { ...env, BALLAST_NO_FAST_PATH: '1' },
      });
      const viaFast = await fast(['--no-shellcheck', ...args], dir, '', env);
      expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([viaOclif.code, viaOclif.stdout, viaOclif.stderr]);
      const alone = await fast(['--no-shellcheck', ...args], dir);
      expect(alone.stdout).toMatch(/^(✖ \d+ problem|✔ no problems)/m);
      expect(viaFast.stdout).toBe(args[0] === 'clean.Dockerfile' ? '' : `\n${alone.stdout.split('\n\n✖')[0]}\n`);
    }
  });

  it("reads the .hadolint.yaml's format, and says so on both paths when two of them disagree", async () => {
    expect((await fast(['--no-shellcheck', 'json/Dockerfile'], dir)).stdout).toMatch(/^\{\n {2}"tool"/);
    expect((await fast(['--no-shellcheck', 'sarif/Dockerfile'], dir)).stdout).toMatch(/"version": "2\.1\.0"/);
    const args = ['--no-shellcheck', 'json/Dockerfile', 'sarif/Dockerfile'];
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir);
    expect([viaFast.code, viaFast.stdout, viaFast.stderr]).toEqual([viaOclif.code, viaOclif.stdout, viaOclif.stderr]);
    expect(viaFast.stdout).toMatch(/^json\/Dockerfile\n/);
    expect(viaFast.stderr).toMatch(/^note: .*json\/\.hadolint\.yaml: json, sarif\/\.hadolint\.yaml: sarif.*\n$/);
  });

  // The fast path printed its notes on one line whatever the width, where the oclif path wraps them as every command does.
  it('wraps a note to COLUMNS, the same on both paths', async () => {
    const args = ['--no-shellcheck', 'json/Dockerfile', 'sarif/Dockerfile'];
    const env = { COLUMNS: '60' };
    const viaOclif = await runCli(['lint', ...args], { cwd: dir, env: { ...env, BALLAST_NO_FAST_PATH: '1' } });
    const viaFast = await fast(args, dir, '', env);
    const lines = viaFast.stderr.split('\n').slice(0, -1);
    expect(lines[0]).toMatch(/^note: /);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(viaFast.stderr).toBe(viaOclif.stderr);
  });

  it('reads stdin and prints --json', async () => {
    const result = await fast(['-', '--json', '--stdin-filename', 'x/Dockerfile'], dir, text);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).targets[0].target).toBe('x/Dockerfile');
  });

  it('is what the ballast executable runs for lint', async () => {
    const viaBin = await runCli(['lint', 'Dockerfile', '--format', 'json'], { cwd: dir });
    const viaOclif = await runCli(['lint', 'Dockerfile', '--format', 'json'], {
      cwd: dir,
      env: { BALLAST_NO_FAST_PATH: '1' },
    });
    expect(viaBin.code).toBe(1);
    expect(viaBin.stdout).toBe(viaOclif.stdout);
  });
});

// hadolint's flags and HADOLINT_* variables work on `ballast lint`, the same on the fast path and through oclif, merged
// as hadolint merges them: environment, then the config file, then the command line.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-hadolint-cli-'));
// One style finding (DL3048) only.
writeFileSync(join(dir, 's.Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');
// A warning (DL3008, DF105) and infos.
writeFileSync(join(dir, 'w.Dockerfile'), 'FROM debian:bookworm-slim\nRUN apt-get install -y foo\n');
writeFileSync(
  join(dir, 'p.Dockerfile'),
  'FROM debian:bookworm-slim\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends foo\n',
);
writeFileSync(join(dir, 'r.Dockerfile'), 'FROM quay.io/x/y:1.0\n');
// A style finding (DF225), infos and warnings; `--error DL3008` makes one an error.
writeFileSync(
  join(dir, 'm.Dockerfile'),
  'FROM debian:bookworm-slim\nLABEL Bad_Key=1\nRUN apt-get install -y foo\nWORKDIR /app\nRUN cd /tmp && apt-get update\n',
);
// A directory whose .hadolint.yaml sets the threshold to error.
const configured = join(dir, 'configured');
mkdirSync(configured);
writeFileSync(join(configured, '.hadolint.yaml'), 'failure-threshold: error\n');
writeFileSync(join(configured, 'Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');

// Directories whose .hadolint.yaml sets what hadolint applies to the whole run: the report format, colour, verbosity.
const withConfig = (name: string, config: string): string => {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, '.hadolint.yaml'), config);
  writeFileSync(join(dir, name, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN apt-get install -y foo\n');
  return join(name, 'Dockerfile');
};
const asJson = withConfig('as-json', 'format: json\n');
const asSarif = withConfig('as-sarif', 'format: sarif\n');
const noColor = withConfig('no-color', 'no-color: true\n');
const verbose = withConfig('verbose', 'verbose: true\n');
const notVerbose = withConfig('not-verbose', 'verbose: false\n');
const badFormat = withConfig('bad-format', 'format: html\n');
// The ignore pragma of p.Dockerfile under configs that disregard inline pragmas, hadolint's and ballast's own.
const pragmaDir = (name: string, file: string, config: string): string => {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, file), config);
  writeFileSync(
    join(dir, name, 'Dockerfile'),
    'FROM debian:bookworm-slim\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends foo\n',
  );
  return join(name, 'Dockerfile');
};
const noPragmas = pragmaDir('no-pragmas', '.hadolint.yaml', 'disable-ignore-pragma: true\n');
const ballastPragmas = pragmaDir('ballast-pragmas', '.ballast.yaml', 'inlinePragmas: true\n');
const ballastNoPragmas = pragmaDir('ballast-no-pragmas', '.ballast.yaml', 'inlinePragmas: false\n');
const pragmasKept = pragmaDir('pragmas-kept', '.hadolint.yaml', 'disable-ignore-pragma: false\n');
// Configs with no-fail on, without a threshold and over one (w.Dockerfile's warning and infos), and a style threshold
// without no-fail (s.Dockerfile's style finding).
const noFail = withConfig('no-fail', 'no-fail: true\n');
const noFailOverError = withConfig('no-fail-error', 'no-fail: true\nfailure-threshold: error\n');
mkdirSync(join(dir, 'style-threshold'));
writeFileSync(join(dir, 'style-threshold', '.hadolint.yaml'), 'failure-threshold: style\n');
writeFileSync(join(dir, 'style-threshold', 'Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');
mkdirSync(join(dir, 'ballast-fail-on'));
writeFileSync(join(dir, 'ballast-fail-on', '.ballast.yaml'), 'failOn: warning\n');
writeFileSync(join(dir, 'ballast-fail-on', 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN apt-get install -y foo\n');
// A label the schema does not name: DF241 only when strict labels are on.
writeFileSync(join(dir, 'l.Dockerfile'), 'FROM scratch\nLABEL foo=bar bar=1\n');
mkdirSync(join(dir, 'strict'));
writeFileSync(join(dir, 'strict', '.hadolint.yaml'), 'label-schema:\n  foo: text\nstrict-labels: true\n');
writeFileSync(join(dir, 'strict', 'Dockerfile'), 'FROM scratch\nLABEL foo=bar bar=1\n');

const codes = (stdout: string): string[] =>
  (JSON.parse(stdout) as { targets: { findings: { code: string; severity: string }[] }[] }).targets.flatMap((t) =>
    t.findings.map((f) => `${f.code}:${f.severity}`),
  );

describe.each([
  ['fast path', '0'],
  ['oclif', '1'],
])('lint with hadolint settings (%s)', (_name, noFast) => {
  const lint = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: noFast, ...env } });

  it.each([
    [['-t', 'style', 's.Dockerfile'], 1],
    [['--failure-threshold', 'style', 's.Dockerfile'], 1],
    [['s.Dockerfile'], 0],
    [['--failure-threshold', 'warning', 'w.Dockerfile'], 1],
    [['--failure-threshold', 'error', 'w.Dockerfile'], 0],
    [['--no-fail', 'w.Dockerfile'], 0],
    // The command line wins over the config file, and over ballast's own BALLAST_FAIL_ON.
    [['-t', 'style', 'configured/Dockerfile'], 1],
    [['-t', 'ignore', 'configured/Dockerfile'], 1],
  ] as [string[], number][])('%j exits %d', async (args, code) => {
    const result = await lint(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(code);
  });

  it.each([
    [{ HADOLINT_FAILURE_THRESHOLD: 'style' }, 's.Dockerfile', 1],
    [{ HADOLINT_FAILURE_THRESHOLD: 'error' }, 'w.Dockerfile', 0],
    [{ HADOLINT_NOFAIL: '1' }, 'w.Dockerfile', 0],
    [{ HADOLINT_NOFAIL: 'true', BALLAST_FAIL_ON: 'info' }, 'w.Dockerfile', 1],
    // The environment is below the config file: the file's `failure-threshold: error` stands.
    [{ HADOLINT_FAILURE_THRESHOLD: 'style' }, 'configured/Dockerfile', 0],
  ] as [NodeJS.ProcessEnv, string, number][])('%j on %s exits %d', async (env, file, code) => {
    const result = await lint([file], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(code);
  });

  it('--no-fail=false wins over HADOLINT_NOFAIL and the config file, leaving their failure threshold in force', async () => {
    const exit = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const result = await lint(args, env);
      expect(result.stderr).toBe('');
      return result.code;
    };
    const quiet = { HADOLINT_NOFAIL: '1' };
    expect(await exit(['w.Dockerfile'], quiet)).toBe(0);
    expect(await exit([noFail])).toBe(0);
    for (const off of ['--no-fail=false', '--no-fail=off']) {
      expect(await exit([off, 'w.Dockerfile'], quiet)).toBe(1);
      expect(await exit([off, noFail])).toBe(1);
      // No-fail and the threshold are settings of their own: taking back no-fail leaves the threshold the variable or
      // the file gives (error: w.Dockerfile's warning does not fail).
      expect(await exit([off, 'w.Dockerfile'], { ...quiet, HADOLINT_FAILURE_THRESHOLD: 'error' })).toBe(0);
      expect(await exit([off, noFailOverError])).toBe(0);
      // The file says nothing of the threshold: the variable's stands.
      expect(await exit([off, noFail], { HADOLINT_FAILURE_THRESHOLD: 'error' })).toBe(0);
    }
    // The variable's no-fail is not undone by the file's threshold, which speaks of another setting.
    expect(await exit([join('style-threshold', 'Dockerfile')])).toBe(1);
    expect(await exit([join('style-threshold', 'Dockerfile')], quiet)).toBe(0);
    expect(await exit(['--no-fail=false', join('style-threshold', 'Dockerfile')], quiet)).toBe(1);
    // A .ballast.yaml's failOn is ballast's whole say on what fails, its no-fail included: the variable is below it.
    expect(await exit([join('ballast-fail-on', 'Dockerfile')], quiet)).toBe(1);
  });

  // Regression: -t went straight to the run's fail-on, over the variable's and the file's no-fail, so a job with
  // HADOLINT_NOFAIL=1 (or a config with no-fail: true) and `-t warning` failed. Each setting is layered on its own.
  it('keeps no-fail from the environment or a config file under a command-line -t, and --no-fail over a file threshold', async () => {
    const exit = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const result = await lint(args, env);
      expect(result.stderr).toBe('');
      return result.code;
    };
    // Without no-fail, -t warning fails on w.Dockerfile's warning.
    expect(await exit(['-t', 'warning', 'w.Dockerfile'])).toBe(1);
    expect(await exit(['-t', 'warning', 'w.Dockerfile'], { HADOLINT_NOFAIL: '1' })).toBe(0);
    expect(await exit(['--failure-threshold', 'style', noFail])).toBe(0);
    expect(await exit(['-c', join('no-fail', '.hadolint.yaml'), '-t', 'warning', 'w.Dockerfile'])).toBe(0);
    // -t still decides the threshold once no-fail is taken back on the command line.
    expect(await exit(['--no-fail=false', '-t', 'warning', 'w.Dockerfile'], { HADOLINT_NOFAIL: '1' })).toBe(1);
    expect(await exit(['--no-fail=false', '-t', 'error', noFail])).toBe(0);
    // The command line's --no-fail over the file's threshold (style: s's style finding would fail).
    const styled = join('style-threshold', 'Dockerfile');
    expect(await exit([styled])).toBe(1);
    expect(await exit(['--no-fail', styled])).toBe(0);
    expect(await exit(['--no-fail', '-t', 'style', styled])).toBe(0);
  });

  // Regression: `--error NOPE999` was skipped in silence where `--ignore NOPE999` is refused; a mistyped code changed
  // nothing without a word. The variables keep skipping ids only hadolint has (above).
  it.each(['error', 'warning', 'info', 'style'])('--%s with a code no rule has is refused, exit 2', async (level) => {
    const result = await lint([`--${level}`, 'SC2086,NOPE999', 'w.Dockerfile']);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      `error: --${level} NOPE999: no such rule (hint: run \`ballast rules\` to list codes and names)\n`,
    ]);
    expect((await lint([`--${level}`, 'DL3008', 'w.Dockerfile'], { HADOLINT_OVERRIDE_INFO: 'NOPE999' })).stderr).toBe(
      '',
    );
  });

  it('takes -t over BALLAST_FAIL_ON', async () => {
    expect((await lint(['-t', 'style', 's.Dockerfile'], { BALLAST_FAIL_ON: 'error' })).code).toBe(1);
  });

  it('overrides and ignores rules from flags and the environment', async () => {
    const base = codes((await lint(['-f', 'json', 'w.Dockerfile'])).stdout);
    expect(base).toContain('DF105:warning');
    expect(codes((await lint(['-f', 'json', '--error', 'DL3008', 'w.Dockerfile'])).stdout)).toContain('DF105:error');
    expect(codes((await lint(['-f', 'json', '--style', 'DF105', 'w.Dockerfile'])).stdout)).toContain('DF105:style');
    expect(codes((await lint(['-f', 'json', 'w.Dockerfile'], { HADOLINT_OVERRIDE_INFO: 'DL3008' })).stdout)).toContain(
      'DF105:info',
    );
    // The flag wins over the variable.
    const both = await lint(['-f', 'json', '--error', 'DL3008', 'w.Dockerfile'], { HADOLINT_OVERRIDE_INFO: 'DL3008' });
    expect(codes(both.stdout)).toContain('DF105:error');
    // Ids ballast has no rule for are skipped, as in a .hadolint.yaml.
    const ignored = await lint(['-f', 'json', 'w.Dockerfile'], { HADOLINT_IGNORE: 'DL3008, DL9999' });
    expect(ignored.code).toBe(1);
    expect(codes(ignored.stdout).filter((c) => c.startsWith('DF105'))).toEqual([]);
    expect(codes(ignored.stdout).length).toBe(base.length - 1);
  });

  it('reads HADOLINT_FORMAT below -f and BALLAST_FORMAT', async () => {
    expect(codes((await lint(['w.Dockerfile'], { HADOLINT_FORMAT: 'json' })).stdout)).toContain('DF105:warning');
    expect((await lint(['-f', 'checkstyle', 'w.Dockerfile'], { HADOLINT_FORMAT: 'json' })).stdout).toMatch(/^<\?xml/);
    const own = await lint(['w.Dockerfile'], { HADOLINT_FORMAT: 'json', BALLAST_FORMAT: 'checkstyle' });
    expect(own.stdout).toMatch(/^<\?xml/);
    const bad = await lint(['w.Dockerfile'], { HADOLINT_FORMAT: 'yaml' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: HADOLINT_FORMAT "yaml" is not one of .+\n$/);
    // Empty is unset, as for hadolint's other variables (it was refused as no format); so is blank, and the value is
    // trimmed as HADOLINT_FAILURE_THRESHOLD's is (' ' was refused, printed as `HADOLINT_FORMAT   is not one of`).
    const plain = (await lint(['w.Dockerfile'])).stdout;
    for (const blank of ['', ' ']) {
      const empty = await lint(['w.Dockerfile'], { HADOLINT_FORMAT: blank });
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([1, plain, '']);
    }
    expect((await lint(['w.Dockerfile'], { HADOLINT_FORMAT: ' checkstyle\n' })).stdout).toMatch(/^<\?xml/);
    const spaced = await lint(['w.Dockerfile'], { HADOLINT_FORMAT: 'y aml' });
    expect(spaced.stderr).toMatch(/^error: HADOLINT_FORMAT "y aml" is not one of .+\n$/);
    const threshold = await lint(['w.Dockerfile'], { HADOLINT_FAILURE_THRESHOLD: 'lo ud' });
    expect(threshold.stderr).toMatch(/^error: HADOLINT_FAILURE_THRESHOLD "lo ud" is not one of .+\n$/);
  });

  it('disables inline ignore pragmas', async () => {
    expect(codes((await lint(['-f', 'json', 'p.Dockerfile'])).stdout)).not.toContain('DF105:warning');
    expect(codes((await lint(['-f', 'json', '--disable-ignore-pragma', 'p.Dockerfile'])).stdout)).toContain(
      'DF105:warning',
    );
    const env = { HADOLINT_DISABLE_IGNORE_PRAGMA: 'true' };
    expect(codes((await lint(['-f', 'json', 'p.Dockerfile'], env)).stdout)).toContain('DF105:warning');
  });

  it('--strict-labels=false wins over HADOLINT_STRICT_LABELS and the config file', async () => {
    const labels = { HADOLINT_REQUIRE_LABELS: 'foo:text' };
    const strict = await lint(['-f', 'json', 'l.Dockerfile'], { ...labels, HADOLINT_STRICT_LABELS: '1' });
    expect({ code: strict.code, codes: codes(strict.stdout) }).toEqual({ code: 1, codes: ['DF241:info'] });
    expect((await lint(['-f', 'json', join('strict', 'Dockerfile')])).code).toBe(1);
    for (const off of ['--strict-labels=false', '--strict-labels=off']) {
      const env = await lint(['-f', 'json', off, 'l.Dockerfile'], { ...labels, HADOLINT_STRICT_LABELS: '1' });
      expect({ code: env.code, codes: codes(env.stdout) }).toEqual({ code: 0, codes: [] });
      const file = await lint(['-f', 'json', off, join('strict', 'Dockerfile')]);
      expect({ code: file.code, codes: codes(file.stdout) }).toEqual({ code: 0, codes: [] });
    }
  });

  it('--disable-ignore-pragma=false wins over HADOLINT_DISABLE_IGNORE_PRAGMA and the config file', async () => {
    const unpinned = async (args: string[], env: NodeJS.ProcessEnv = {}) =>
      codes((await lint(['-f', 'json', ...args], env)).stdout).includes('DF105:warning');
    const disabled = { HADOLINT_DISABLE_IGNORE_PRAGMA: '1' };
    expect(await unpinned([noPragmas])).toBe(true);
    for (const off of ['--disable-ignore-pragma=false', '--disable-ignore-pragma=no']) {
      expect(await unpinned([off, 'p.Dockerfile'], disabled)).toBe(false);
      expect(await unpinned([off, noPragmas])).toBe(false);
      expect(await unpinned([off, ballastPragmas], disabled)).toBe(false);
      // .ballast.yaml's inlinePragmas: false stands: it is ballast's own setting, which no hadolint source names, and
      // the hadolint switch typed off only takes back the disabling asked by hadolint's variable or file.
      expect(await unpinned([off, ballastNoPragmas])).toBe(true);
      expect(await unpinned([off, ballastNoPragmas], disabled)).toBe(true);
    }
  });

  it('HADOLINT_DISABLE_IGNORE_PRAGMA gives way to a config file that says whether pragmas are obeyed', async () => {
    const unpinned = async (args: string[], env: NodeJS.ProcessEnv = {}) =>
      codes((await lint(['-f', 'json', ...args], env)).stdout).includes('DF105:warning');
    const disabled = { HADOLINT_DISABLE_IGNORE_PRAGMA: '1' };
    // With no config file, the variable disables the pragma.
    expect(await unpinned(['p.Dockerfile'], disabled)).toBe(true);
    // hadolint merges the file over the environment: the file's explicit answer stands, either way.
    expect(await unpinned([pragmasKept], disabled)).toBe(false);
    expect(await unpinned([ballastPragmas], disabled)).toBe(false);
    expect(await unpinned([ballastNoPragmas], disabled)).toBe(true);
    // The command line is above both.
    expect(await unpinned(['--disable-ignore-pragma', pragmasKept])).toBe(true);
  });

  it('checks trusted registries and required labels', async () => {
    const plain = codes((await lint(['-f', 'json', 'r.Dockerfile'])).stdout);
    const flagged = codes((await lint(['-f', 'json', '--trusted-registry', 'docker.io', 'r.Dockerfile'])).stdout);
    expect(flagged.length).toBe(plain.length + 1);
    const fromEnv = await lint(['-f', 'json', 'r.Dockerfile'], { HADOLINT_TRUSTED_REGISTRIES: 'docker.io,gcr.io' });
    expect(codes(fromEnv.stdout)).toEqual(flagged);
    const trusted = await lint(['-f', 'json', '--trusted-registry', 'quay.io', 'r.Dockerfile'], {
      HADOLINT_TRUSTED_REGISTRIES: 'docker.io',
    });
    // The lists add up: quay.io from the flag is trusted too.
    expect(codes(trusted.stdout)).toEqual(plain);
    const labelled = codes((await lint(['-f', 'json', '--require-label', 'maintainer:text', 'r.Dockerfile'])).stdout);
    expect(labelled.length).toBe(plain.length + 1);
    const envLabelled = await lint(['-f', 'json', 'r.Dockerfile'], { HADOLINT_REQUIRE_LABELS: 'maintainer:text' });
    expect(codes(envLabelled.stdout)).toEqual(labelled);
  });

  type JsonFinding = {
    code: string;
    severity: string;
    message: string;
    location: { file: string; line: number; column: number };
  };
  const findings = (stdout: string): JsonFinding[] =>
    (JSON.parse(stdout) as { targets: { findings: JsonFinding[] }[] }).targets.flatMap((t) => t.findings);

  it('prints the gnu format: FILE:LINE:COLUMN: SEVERITY: MESSAGE [CODE], one line a finding, failing as stylish does', async () => {
    const json = findings((await lint(['-f', 'json', 'w.Dockerfile'])).stdout);
    expect(json.length).toBeGreaterThan(1);
    const gnu = await lint(['--format', 'gnu', 'w.Dockerfile']);
    expect({ code: gnu.code, stderr: gnu.stderr }).toEqual({ code: 1, stderr: '' });
    expect(gnu.stdout).toBe(
      json
        .map((f) => `w.Dockerfile:${f.location.line}:${f.location.column}: ${f.severity}: ${f.message} [${f.code}]\n`)
        .join(''),
    );
  });

  it("prints hadolint's tty format: FILE:LINE CODE SEVERITY: MESSAGE, severity coloured on a terminal, nothing when clean", async () => {
    const json = findings((await lint(['-f', 'json', 'w.Dockerfile'])).stdout);
    const tty = await lint(['--format', 'tty', 'w.Dockerfile']);
    expect({ code: tty.code, stderr: tty.stderr }).toEqual({ code: 1, stderr: '' });
    expect(tty.stdout).toBe(
      json.map((f) => `w.Dockerfile:${f.location.line} ${f.code} ${f.severity}: ${f.message}\n`).join(''),
    );
    // What reviewdog's `-efm="%f:%l %m"` takes from each line: the file, the line, and the rest as the message
    for (const line of tty.stdout.trimEnd().split('\n')) expect(line).toMatch(/^w\.Dockerfile:\d+ \S+ \w+: /);
    const coloured = await lint(['--format', 'tty', 'w.Dockerfile'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain(`${json[0].code} \u001b[`);
    const ignored = [...new Set(json.map((f) => f.code))].flatMap((code) => ['--ignore', code]);
    const clean = await lint(['--format', 'tty', ...ignored, 'w.Dockerfile']);
    expect(clean).toMatchObject({ code: 0, stdout: '' });
  });

  // What Emacs' compilation mode makes of a line, by its `gnu` entry in compilation-error-regexp-alist-alist (Emacs
  // 28): after FILE:LINE:COLUMN:, `warning` is a warning, `info`/`note` (and a few others) an info, any other word an
  // error. Vim's `%t` reads the first letter the same way (e, w, i, n).
  const emacsType = (line: string): string => {
    const after = /^[^\n:]+:\d+:\d+:( *)(.*)$/.exec(line)?.[2];
    if (after === undefined) return 'none';
    if (/^(FutureWarning|RuntimeWarning|Warning|warning|W:)/.test(after)) return 'warning';
    if (/^([Ii]nfo(\b|rmationa?l?)|I:|[Nn]ote|instantiated from|required from)/.test(after)) return 'info';
    return 'error';
  };

  // Regression (lint-gaps #1): a style finding was written `FILE:2:1: style: ...`, which Emacs' compilation mode, as
  // any GNU-format reader, lists as an error, failing a build a user had set to pass style findings.
  it('writes each severity so GNU-format readers class it: style as a note naming style, the rest as they are', async () => {
    const args = ['--no-shellcheck', '--error', 'DL3008', 'm.Dockerfile'];
    const json = findings((await lint(['-f', 'json', ...args])).stdout);
    expect([...new Set(json.map((f) => f.severity))].sort()).toEqual(['error', 'info', 'style', 'warning']);
    const gnu = (await lint(['-f', 'gnu', ...args])).stdout.trimEnd().split('\n');
    const label = { error: 'error', warning: 'warning', info: 'info', style: 'note: style' } as Record<string, string>;
    expect(gnu).toEqual(
      json.map(
        (f) => `m.Dockerfile:${f.location.line}:${f.location.column}: ${label[f.severity]}: ${f.message} [${f.code}]`,
      ),
    );
    const classed = { error: 'error', warning: 'warning', info: 'info', style: 'info' } as Record<string, string>;
    expect(gnu.map(emacsType)).toEqual(json.map((f) => classed[f.severity]));
  });

  it("prints Codacy's JSON lines and exits 0 whatever is found, as hadolint's codacy does", async () => {
    const json = findings((await lint(['-f', 'json', 'w.Dockerfile'])).stdout);
    const codacy = await lint(['-f', 'codacy', 'w.Dockerfile']);
    expect({ code: codacy.code, stderr: codacy.stderr }).toEqual({ code: 0, stderr: '' });
    expect(
      codacy.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(
      json.map((f) => ({ filename: 'w.Dockerfile', line: f.location.line, message: f.message, patternId: f.code })),
    );
    expect((await lint(['w.Dockerfile'], { HADOLINT_FORMAT: 'codacy' })).code).toBe(0);
    // With --json the report is ballast's JSON, not Codacy's: the verdict stands.
    expect((await lint(['--json', 'w.Dockerfile'], { HADOLINT_FORMAT: 'codacy' })).code).toBe(1);
    // An error is still an error.
    expect((await lint(['-f', 'codacy', 'missing.Dockerfile'])).code).toBe(2);
  });

  it("keeps exit 1 on findings for gitlab_codeclimate and codeclimate: only hadolint's codacy always exits 0", async () => {
    const gitlab = await lint(['-f', 'gitlab_codeclimate', 'w.Dockerfile']);
    const codeclimate = await lint(['-f', 'codeclimate', 'w.Dockerfile']);
    expect([gitlab.code, codeclimate.code]).toEqual([1, 1]);
    expect(gitlab.stdout).toBe(codeclimate.stdout);
  });

  it('turns colour off with --no-color and HADOLINT_NOCOLOR', async () => {
    const coloured = await lint(['w.Dockerfile'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await lint(['w.Dockerfile']);
    expect(plain.stdout).not.toContain('\u001b[');
    expect((await lint(['--no-color', 'w.Dockerfile'], { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).toBe(plain.stdout);
    expect((await lint(['w.Dockerfile'], { NO_COLOR: '', FORCE_COLOR: '1', HADOLINT_NOCOLOR: '1' })).stdout).toBe(
      plain.stdout,
    );
  });

  it('--no-color=false keeps colour whatever HADOLINT_NOCOLOR and the config file say', async () => {
    const forced = { NO_COLOR: '', FORCE_COLOR: '1' };
    const coloured = (await lint(['--no-shellcheck', 'w.Dockerfile'], forced)).stdout;
    expect(coloured).toContain('\u001b[');
    const on = ['--no-shellcheck', '--no-color=false'];
    expect((await lint([...on, 'w.Dockerfile'], { ...forced, HADOLINT_NOCOLOR: '1' })).stdout).toBe(coloured);
    const given = await lint([...on, '-c', join('no-color', '.hadolint.yaml'), 'w.Dockerfile'], forced);
    expect(given.stdout).toBe(coloured);
  });

  it("reports in the .hadolint.yaml's format", async () => {
    const json = await lint(['--no-shellcheck', asJson]);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 1, stderr: '' });
    expect(codes(json.stdout)).toContain('DF105:warning');
    const sarif = await lint(['--no-shellcheck', asSarif]);
    expect(sarif.code).toBe(1);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe('2.1.0');
    // The same file named with --config, from a directory that has no config of its own.
    const given = await lint(['--no-shellcheck', '-c', join('as-sarif', '.hadolint.yaml'), 'w.Dockerfile']);
    expect(JSON.parse(given.stdout)).toHaveProperty('runs');
  });

  it("takes -f/--format and BALLAST_FORMAT over the .hadolint.yaml's format, and the file over HADOLINT_FORMAT", async () => {
    const gnu = (stdout: string) => expect(stdout).toMatch(/^as-json\/Dockerfile:2:1: /);
    gnu((await lint(['--no-shellcheck', '-f', 'gnu', asJson])).stdout);
    gnu((await lint(['--no-shellcheck', '--format', 'gnu', asJson])).stdout);
    gnu((await lint(['--no-shellcheck', asJson], { BALLAST_FORMAT: 'gnu' })).stdout);
    expect(codes((await lint(['--no-shellcheck', asJson], { HADOLINT_FORMAT: 'gnu' })).stdout)).toContain(
      'DF105:warning',
    );
  });

  it("turns colour off with the .hadolint.yaml's no-color", async () => {
    const forced = { NO_COLOR: '', FORCE_COLOR: '1' };
    expect((await lint(['--no-shellcheck', 'w.Dockerfile'], forced)).stdout).toContain('\u001b[');
    const configured = await lint(['--no-shellcheck', noColor], forced);
    expect(configured.code).toBe(1);
    expect(configured.stdout).toMatch(/^no-color\/Dockerfile\n/);
    expect(configured.stdout).not.toContain('\u001b[');
    const given = await lint(['--no-shellcheck', '-c', join('no-color', '.hadolint.yaml'), 'w.Dockerfile'], forced);
    expect(given.stdout).toBe((await lint(['--no-shellcheck', 'w.Dockerfile'])).stdout);
  });

  it('tells stderr each file linted when the .hadolint.yaml says verbose: true', async () => {
    const result = await lint(['--no-shellcheck', verbose]);
    expect(result.stderr).toBe(`linting ${verbose} with config ${join('verbose', '.hadolint.yaml')}\n`);
  });

  it('takes the default and says so when the Dockerfiles have configs that disagree on the format', async () => {
    const both = await lint(['--no-shellcheck', asJson, asSarif]);
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/^as-json\/Dockerfile\n {2}2:1 /);
    const json = join('as-json', '.hadolint.yaml');
    const sarif = join('as-sarif', '.hadolint.yaml');
    expect(both.stderr).toMatch(new RegExp(`^note: [^\n]*format \\(${json}: json, ${sarif}: sarif\\)[^\n]*\n$`));
    // A Dockerfile with no config of its own disagrees with one whose config sets a format.
    expect((await lint(['--no-shellcheck', asJson, 'w.Dockerfile'])).stderr).toContain('no config file: unset');
    // --format decides, and then there is nothing to say.
    const chosen = await lint(['--no-shellcheck', '-f', 'json', asJson, asSarif]);
    expect({ stderr: chosen.stderr, json: codes(chosen.stdout).length }).toEqual({ stderr: '', json: 4 });
  });

  it('rejects a .hadolint.yaml format ballast does not have, naming the file, before linting', async () => {
    const result = await lint(['--no-shellcheck', badFormat]);
    expect(result.code).toBe(2);
    // Named as found from the working directory (the test's dir), not by its absolute path.
    expect(result.stderr).toMatch(/^error: bad-format\/\.hadolint\.yaml: format must be one of /);
    expect(result.stdout).toBe('');
  });

  it('-V/--verbose and HADOLINT_VERBOSE tell stderr each file linted and its config, the report staying on stdout', async () => {
    const quiet = await lint(['configured/Dockerfile', 's.Dockerfile', '--no-shellcheck']);
    for (const [args, env] of [
      [['-V'], {}],
      [['--verbose'], {}],
      [[], { HADOLINT_VERBOSE: 'true' }],
    ] as [string[], NodeJS.ProcessEnv][]) {
      const verbose = await lint([...args, 'configured/Dockerfile', 's.Dockerfile', '--no-shellcheck'], env);
      expect({ code: verbose.code, stdout: verbose.stdout }).toEqual({ code: quiet.code, stdout: quiet.stdout });
      expect(verbose.stderr).toBe(
        `linting ${join('configured', 'Dockerfile')} with config ${join('configured', '.hadolint.yaml')}\n` +
          'linting s.Dockerfile with no config file (the defaults)\n',
      );
    }
  });

  it('-V=false and --verbose=false win over HADOLINT_VERBOSE and the config file; the file wins over the variable', async () => {
    const loud = { HADOLINT_VERBOSE: '1' };
    for (const off of ['-V=false', '--verbose=false', '--verbose=off']) {
      expect((await lint([off, '--no-shellcheck', 's.Dockerfile'], loud)).stderr).toBe('');
      expect((await lint([off, '--no-shellcheck', verbose])).stderr).toBe('');
    }
    expect((await lint(['--no-shellcheck', notVerbose], loud)).stderr).toBe('');
  });

  it('-V says which Dockerfile ignorePaths skipped, and by which config', async () => {
    const skipping = join(dir, 'skipping');
    mkdirSync(skipping, { recursive: true });
    writeFileSync(join(skipping, '.ballast.yaml'), 'ignorePaths:\n  - old.Dockerfile\n');
    writeFileSync(join(skipping, 'old.Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');
    const result = await lint(['-V', '--no-shellcheck', join('skipping', 'old.Dockerfile')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `skipping ${join('skipping', 'old.Dockerfile')}: it matches ignorePaths in ${join('skipping', '.ballast.yaml')}\n`,
    );
  });

  it('with every Dockerfile skipped, the report states the threshold the hadolint variable and flag set', async () => {
    const skipping = join(dir, 'skipped-all');
    mkdirSync(skipping, { recursive: true });
    writeFileSync(join(skipping, '.ballast.yaml'), 'ignorePaths:\n  - old.Dockerfile\n');
    writeFileSync(join(skipping, 'old.Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');
    const failOn = async (args: string[], env: Record<string, string>) => {
      const result = await lint(['--no-shellcheck', '-f', 'json', ...args, join('skipped-all', 'old.Dockerfile')], env);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as { targets: unknown[]; failOn: string }).failOn;
    };
    expect(await failOn([], { HADOLINT_FAILURE_THRESHOLD: 'error' })).toBe('error');
    expect(await failOn(['--failure-threshold', 'warning'], {})).toBe('warning');
    expect(await failOn([], {})).toBe('info');
  });

  it('--file-path-in-report names the Dockerfile in the report, read from a file or stdin', async () => {
    const target = async (args: string[], input?: string) => {
      const result = await runCli(['lint', '-f', 'json', ...args], {
        cwd: dir,
        env: { BALLAST_NO_FAST_PATH: noFast },
        input,
      });
      expect(result.stderr).toBe('');
      return (JSON.parse(result.stdout) as { targets: { target: string }[] }).targets.map((t) => t.target);
    };
    expect(await target(['--file-path-in-report', 'app/Dockerfile', 'w.Dockerfile'])).toEqual(['app/Dockerfile']);
    const stdin = 'FROM scratch\nLABEL Bad_Key=1\n';
    expect(await target(['--file-path-in-report', 'app/Dockerfile', '-'], stdin)).toEqual(['app/Dockerfile']);
    expect(await target(['--stdin-filename', 'x', '--file-path-in-report', 'app/Dockerfile', '-'], stdin)).toEqual([
      'app/Dockerfile',
    ]);
  });

  it.each([
    [['-t', 'loud', 'w.Dockerfile'], {}],
    [['w.Dockerfile'], { HADOLINT_FAILURE_THRESHOLD: 'loud' }],
    [['--require-label', 'maintainer', 'w.Dockerfile'], {}],
    [['w.Dockerfile'], { HADOLINT_REQUIRE_LABELS: 'maintainer:colour' }],
    // Regression: an empty registry name was dropped, leaving DL3026 off (or trusting less than was typed) silently.
    [['--trusted-registry', '', 'w.Dockerfile'], {}],
    [['--trusted-registry', 'quay.io,,docker.io', 'w.Dockerfile'], {}],
    // Regression: so was an empty rule id of a severity override (`--error ""` exited 0 with nothing set).
    [['--error', '', 'w.Dockerfile'], {}],
    [['--style', 'DL3008,,DL3009', 'w.Dockerfile'], {}],
  ] as [string[], NodeJS.ProcessEnv][])('%j %j is a usage error', async (args, env) => {
    const result = await lint(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stdout).toBe('');
  });
});

// Regression: `lint --help` said hadolint's tty "names stylish", from when tty was taken as stylish; it has been
// hadolint's own line format since, so a user reading the help expected the grouped report and got another.
it("lint --help describes tty as hadolint's line format, not as stylish, and --ignore as taking ShellCheck ids", async () => {
  const help = (await runCli(['lint', '--help'], { cwd: dir })).stdout.replace(/\s+/g, ' ');
  expect(help).not.toMatch(/tty and gitlab_codeclimate name stylish/);
  expect(help).toContain("tty: hadolint's FILE:LINE CODE SEVERITY: MESSAGE lines");
  expect(help).toContain("gitlab_codeclimate: hadolint's name for codeclimate");
  expect(help).toContain('turn a rule off (code, name, hadolint id, BuildKit check name or ShellCheck id)');
  // What the help says is what --format tty prints, and --ignore takes a ShellCheck id.
  writeFileSync(join(dir, 'sc.Dockerfile'), 'FROM debian:bookworm-slim\nRUN echo $HOME $1\n');
  const tty = await runCli(['lint', '-f', 'tty', '--fail-on', 'none', 'sc.Dockerfile'], { cwd: dir });
  expect(tty.stdout).toMatch(/^sc\.Dockerfile:2 \S+ \w+: /m);
  const json = (args: string[]) =>
    runCli(['lint', '--json', '--fail-on', 'none', ...args, 'sc.Dockerfile'], { cwd: dir }).then(
      (r) => (JSON.parse(r.stdout) as { targets: { findings: { code: string }[] }[] }).targets[0].findings,
    );
  const codes = (await json([])).map((f) => f.code).filter((c) => c.startsWith('SC'));
  expect(codes.length).toBeGreaterThan(0);
  expect((await json(codes.flatMap((c) => ['--ignore', c]))).filter((f) => f.code.startsWith('SC'))).toEqual([]);
});

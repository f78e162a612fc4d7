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
// A directory whose .hadolint.yaml sets the threshold to error.
const configured = join(dir, 'configured');
mkdirSync(configured);
writeFileSync(join(configured, '.hadolint.yaml'), 'failure-threshold: error\n');
writeFileSync(join(configured, 'Dockerfile'), 'FROM scratch\nLABEL Bad_Key=1\n');

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
    expect(bad.stderr).toMatch(/^error: HADOLINT_FORMAT yaml is not one of .+\n$/);
  });

  it('disables inline ignore pragmas', async () => {
    expect(codes((await lint(['-f', 'json', 'p.Dockerfile'])).stdout)).not.toContain('DF105:warning');
    expect(codes((await lint(['-f', 'json', '--disable-ignore-pragma', 'p.Dockerfile'])).stdout)).toContain(
      'DF105:warning',
    );
    const env = { HADOLINT_DISABLE_IGNORE_PRAGMA: 'true' };
    expect(codes((await lint(['-f', 'json', 'p.Dockerfile'], env)).stdout)).toContain('DF105:warning');
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

  it.each([
    [['-t', 'loud', 'w.Dockerfile'], {}],
    [['w.Dockerfile'], { HADOLINT_FAILURE_THRESHOLD: 'loud' }],
    [['--require-label', 'maintainer', 'w.Dockerfile'], {}],
    [['w.Dockerfile'], { HADOLINT_REQUIRE_LABELS: 'maintainer:colour' }],
  ] as [string[], NodeJS.ProcessEnv][])('%j %j is a usage error', async (args, env) => {
    const result = await lint(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stdout).toBe('');
  });
});

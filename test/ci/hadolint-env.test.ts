// hadolint's HADOLINT_* variables in `ci`'s lint step: a hadolint job moved into `ci` keeps the rule settings of its CI
// variables (ignored codes, severity overrides, trusted registries), below the config file as in `lint`. The failure
// threshold and the format are not read: the gate's failOn and ci's own formats decide those.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';

const DEMO = resolve('examples/demo/demo.tar');

interface CiJson {
  report: { targets: { findings: { code: string; severity: string; location: { kind: string } }[] }[] };
  checks: { id: string; status: string; value: number | null }[];
}

describe('ci with HADOLINT_* variables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-ci-hadolint-'));
    copyFileSync(DEMO, join(dir, 'demo.tar'));
    // DL3007 (a latest tag), DL3020 (ADD for a local file), DL3026 (a registry not trusted, when some are).
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:latest\nADD app.py /app/\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (env: NodeJS.ProcessEnv) => {
    const r = await runCli(['ci', 'demo.tar', '-f', 'Dockerfile', '--workers', '0', '--format', 'json'], {
      cwd: dir,
      env,
    });
    const result = JSON.parse(r.stdout) as CiJson;
    const lint = Object.fromEntries(
      result.report.targets
        .flatMap((t) => t.findings)
        .filter((f) => f.location.kind === 'dockerfile')
        .map((f) => [f.code, f.severity]),
    );
    return { code: r.code, lint, failOn: result.checks.find((c) => c.id === 'failOn')! };
  };

  it('apply to the lint step as they do to lint: ignore, overrides, trusted registries', async () => {
    const plain = await run({});
    expect(plain.lint).toMatchObject({ DF017: 'error', DF023: 'warning' });
    expect(plain.lint.DF209).toBeUndefined();

    const moved = await run({
      HADOLINT_IGNORE: 'DL3020',
      HADOLINT_OVERRIDE_ERROR: 'DL3007',
      HADOLINT_TRUSTED_REGISTRIES: 'registry.example.com',
    });
    expect(moved.lint.DF017).toBeUndefined();
    expect(moved.lint.DF023).toBe('error');
    expect(moved.lint.DF209).toBeDefined();
    // The gate counts them as configured: two errors now, DF023 and DF209, where there was DF017 alone.
    expect(moved.failOn.value).toBe(plain.failOn.value! + 1);
  }, 120_000);

  it('are below the config file, as in lint', async () => {
    writeFileSync(join(dir, '.hadolint.yaml'), 'override:\n  info: [DL3007]\n');
    const r = await run({ HADOLINT_OVERRIDE_ERROR: 'DL3007', HADOLINT_OVERRIDE_STYLE: 'DL3020' });
    expect(r.lint.DF023).toBe('info');
    expect(r.lint.DF017).toBe('style');
  }, 120_000);

  it('leave the failure threshold and the format to the gate', async () => {
    const r = await run({ HADOLINT_FAILURE_THRESHOLD: 'none', HADOLINT_NOFAIL: '1', HADOLINT_FORMAT: 'checkstyle' });
    // JSON still (ci's --format), and the gate still fails on DF017's error.
    expect(r.code).toBe(1);
    expect(r.failOn.status).toBe('fail');
  }, 120_000);

  it('a bad value is a usage error naming the variable (exit 2)', async () => {
    const r = await runCli(['ci', 'demo.tar', '-f', 'Dockerfile', '--workers', '0'], {
      cwd: dir,
      env: { HADOLINT_REQUIRE_LABELS: 'maintainer' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HADOLINT_REQUIRE_LABELS/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

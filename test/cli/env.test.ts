// The BALLAST_* variable of every repeatable flag, through the real executable: each gives what its flags give. oclif
// hands a variable over as one string, and the commands crashed on it (`values.flatMap is not a function`) or read it
// one character at a time (`I is not a known rule`); one variable carries several values, comma or newline separated.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildDockerArchive, buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const DEMO = resolve('examples/demo/demo.tar');
const DEMO_DOCKERFILE = resolve('examples/demo/Dockerfile');

let a: BuiltImage;
let b: BuiltImage;
let dir: string;

beforeAll(async () => {
  a = await buildOciLayout([layer({ 'bin/sh': 1000, 'app/main.js': 400 })]);
  b = await buildDockerArchive([
    layer({ 'bin/sh': 1000, 'app/main.js': 450, 'app/run.sh': 30, 'app/cache.pyc': 120, 'app/x.pyo': 70 }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'ballast-env-'));
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the same command with the values as flags and in the variable, and expects the same run from both. */
async function sameAsFlags(args: string[], flag: string, variable: string, value: string, values: string[]) {
  const [byFlags, byEnv] = await Promise.all([
    runCli([...args, ...values.flatMap((v) => [flag, v])]),
    runCli(args, { env: { [variable]: value } }),
  ]);
  expect(byEnv.stderr).toBe(byFlags.stderr);
  // The same run, but for where a budget's limit came from: ci names the variable that set it (its `origin`).
  const stdout = byEnv.stdout.replaceAll(JSON.stringify(`$${variable}`), JSON.stringify(flag));
  expect([byEnv.code, stdout]).toEqual([byFlags.code, byFlags.stdout]);
  return byFlags;
}

describe('BALLAST_* variables of repeatable flags', () => {
  it('BALLAST_ONLY picks the diff sections, comma separated', async () => {
    const r = await sameAsFlags(['diff', a.path, b.path], '--only', 'BALLAST_ONLY', 'size,files', ['size', 'files']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Files: 3 added');
    expect(r.stdout).not.toContain('Layers');
  });

  it('BALLAST_IGNORE takes several globs; a comma inside {braces} stays part of its glob', async () => {
    const r = await sameAsFlags(
      ['diff', a.path, b.path, '--json'],
      '--ignore',
      'BALLAST_IGNORE',
      '**/*.{pyc,pyo}\napp/run.sh',
      ['**/*.{pyc,pyo}', 'app/run.sh'],
    );
    expect(JSON.parse(r.stdout).ignore).toEqual(['**/*.{pyc,pyo}', 'app/run.sh']);
    expect(JSON.parse(r.stdout).files.totals.ignored).toBe(3);
  });

  const ci = ['ci', DEMO, '-f', DEMO_DOCKERFILE, '--fail-on', 'warning', '--json', '--workers', '0'];

  it('BALLAST_IGNORE_RULE leaves out each rule listed', async () => {
    const r = await sameAsFlags(ci, '--ignore-rule', 'BALLAST_IGNORE_RULE', 'IM001,DF014', ['IM001', 'DF014']);
    const codes = JSON.parse(r.stdout).report.targets.flatMap((t: { findings: { code: string }[] }) =>
      t.findings.map((f) => f.code),
    );
    expect(codes).not.toContain('IM001');
    expect(codes).not.toContain('DF014');
    expect(codes).toContain('IM003');
  });

  it('BALLAST_IGNORE_PATH leaves out findings under each glob, and only those', async () => {
    const r = await sameAsFlags(ci, '--ignore-path', 'BALLAST_IGNORE_PATH', '/nothing/**,/opt/tool/**', [
      '/nothing/**',
      '/opt/tool/**',
    ]);
    const paths = JSON.parse(r.stdout).report.targets.flatMap((t: { findings: { location: { path?: string } }[] }) =>
      t.findings.map((f) => f.location.path),
    );
    expect(paths).toContain('/var/lib/apt/lists');
    expect(paths).not.toContain('/opt/tool/tool-1.0.tar.gz');
  });

  it('BALLAST_IGNORE_JUNK leaves a junk class out of the junk budget', async () => {
    const r = await sameAsFlags(
      [...ci, '--max-junk-bytes', '300kB'],
      '--ignore-junk',
      'BALLAST_IGNORE_JUNK',
      'aptLists',
      ['aptLists'],
    );
    const junk = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'maxJunkBytes');
    expect(junk.status).toBe('pass');
  });

  it('BALLAST_MAX_IMAGE_BYTES and BALLAST_MAX_JUNK_BYTES take several budgets', async () => {
    await sameAsFlags(ci, '--max-image-bytes', 'BALLAST_MAX_IMAGE_BYTES', 'compressed=1GB, uncompressed=1MB', [
      'compressed=1GB',
      'uncompressed=1MB',
    ]);
    const r = await sameAsFlags(ci, '--max-junk-bytes', 'BALLAST_MAX_JUNK_BYTES', 'aptLists=0\n10MB', [
      'aptLists=0',
      '10MB',
    ]);
    const checks = JSON.parse(r.stdout).checks.map((c: { id: string; status: string }) => [c.id, c.status]);
    expect(checks).toContainEqual(['maxJunkBytes', 'pass']);
    expect(checks).toContainEqual(['maxJunkBytes.aptLists', 'fail']);
  });

  it('BALLAST_OUTPUT writes each report listed', async () => {
    const [sarif, junit] = [join(dir, 'a.sarif'), join(dir, 'a.xml')];
    const byEnv = await runCli(ci, { env: { BALLAST_OUTPUT: `sarif=${sarif},junit=${junit}` } });
    expect(byEnv.code).toBe(1);
    const written = [readFileSync(sarif, 'utf8'), readFileSync(junit, 'utf8')];
    rmSync(sarif);
    const byFlags = await runCli([...ci, '--output', `sarif=${sarif}`, '--output', `junit=${junit}`]);
    expect([byFlags.code, byFlags.stdout]).toEqual([byEnv.code, byEnv.stdout]);
    expect([readFileSync(sarif, 'utf8'), readFileSync(junit, 'utf8')]).toEqual(written);
  });
});

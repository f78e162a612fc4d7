// One Dockerfile is named one way throughout a ci report: its lint findings, the image findings attributed to its
// lines, the failOn rows and the advice built from them, whatever format. A Dockerfile outside the working directory
// (`-f ../x/Dockerfile`) was linted by its absolute path, so one report named it `/abs/x/Dockerfile:18` on a lint
// finding and `../x/Dockerfile:13` on an image finding, and checkstyle filed them under two files.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Finding } from '../../src/report/types.js';
import { nameFrom } from '../../src/services/ci.js';
import { NO_CI, runCli } from '../helpers/cli.js';

const DEMO = resolve('examples/demo/demo.tar');
const DEMO_DOCKERFILE = resolve('examples/demo/Dockerfile');

/** The file each finding of a ci JSON report is on, Dockerfile lines only. */
function dockerfileNames(json: { report: { targets: { findings: Finding[] }[] } }): Set<string> {
  const names = new Set<string>();
  for (const target of json.report.targets)
    for (const f of target.findings) {
      if (f.location.kind === 'dockerfile') names.add(f.location.file);
      else if (f.location.file !== undefined) names.add(f.location.file);
    }
  return names;
}

describe('ci names a Dockerfile outside the working directory one way', () => {
  let dir: string;
  let app: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-dfpath-'));
    app = join(dir, 'app');
    mkdirSync(join(dir, 'x'));
    mkdirSync(app);
    copyFileSync(DEMO_DOCKERFILE, join(dir, 'x', 'Dockerfile'));
    copyFileSync(DEMO, join(dir, 'x', 'demo.tar'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lint and image findings, failOn rows, JSON and checkstyle all say ../x/Dockerfile', async () => {
    const r = await runCli(
      [
        'ci',
        '../x/demo.tar',
        '-f',
        '../x/Dockerfile',
        '--workers',
        '0',
        '--max-wasted-bytes',
        '1',
        '--fail-on',
        'warning',
        '-o',
        'json=out.json',
        '-o',
        'checkstyle=out.xml',
      ],
      { cwd: app, env: NO_CI },
    );
    expect(r.code).toBe(1);
    // The text report's failOn rows hold the lint finding next to the image findings, under one name.
    expect(r.stdout).toMatch(/\.\.\/x\/Dockerfile:18\s+DF014/);
    expect(r.stdout).toMatch(/\.\.\/x\/Dockerfile:13 \(layer 2\)/);
    expect(r.stdout).not.toContain(join(dir, 'x', 'Dockerfile'));
    const json = JSON.parse(readFileSync(join(app, 'out.json'), 'utf8'));
    expect(json.dockerfile).toBe('../x/Dockerfile');
    expect(dockerfileNames(json)).toEqual(new Set(['../x/Dockerfile']));
    const names = [...readFileSync(join(app, 'out.xml'), 'utf8').matchAll(/<file name="([^"]*Dockerfile)"/g)];
    expect(names.map((m) => m[1])).toEqual(['../x/Dockerfile']);
  }, 120_000);

  it('a Dockerfile more than one level up is named by its absolute path, the same in every format', async () => {
    // Given a run two levels below the Dockerfile's parent
    const deep = join(app, 'deep');
    mkdirSync(deep);
    const absolute = join(dir, 'x', 'Dockerfile');
    const r = await runCli(
      ['ci', '../../x/demo.tar', '-f', '../../x/Dockerfile', '--workers', '0', '--max-wasted-bytes', '1']
        .concat(['--fail-on', 'warning', '-o', 'json=out.json', '-o', 'checkstyle=out.xml', '-o', 'stylish=out.txt'])
        .concat(['-o', 'markdown=out.md']),
      { cwd: deep, env: NO_CI },
    );
    expect(r.code).toBe(1);
    // Then the text, JSON, checkstyle, stylish and Markdown reports say /abs/x/Dockerfile, never ../../x/Dockerfile
    expect(r.stdout).toContain(`${absolute}:13`);
    const json = JSON.parse(readFileSync(join(deep, 'out.json'), 'utf8'));
    expect(json.dockerfile).toBe(absolute);
    expect(dockerfileNames(json)).toEqual(new Set([absolute]));
    const names = [...readFileSync(join(deep, 'out.xml'), 'utf8').matchAll(/<file name="([^"]*Dockerfile)"/g)];
    expect(names.map((m) => m[1])).toEqual([absolute]);
    expect(readFileSync(join(deep, 'out.txt'), 'utf8').split('\n')).toContain(absolute);
    for (const out of [
      r.stdout,
      ...['out.json', 'out.xml', 'out.txt', 'out.md'].map((f) => readFileSync(join(deep, f), 'utf8')),
    ])
      expect(out).not.toContain('../../x/Dockerfile');
  }, 120_000);

  it('the Dockerfile found next to a config above the working directory: the note names it as the findings do', async () => {
    // Given the config and Dockerfile at the root, the image and the run in a subdirectory
    copyFileSync(DEMO_DOCKERFILE, join(dir, 'Dockerfile'));
    writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1\n');
    const r = await runCli(['ci', '../x/demo.tar', '--workers', '0', '--format', 'json'], { cwd: app, env: NO_CI });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.dockerfile).toBe('../Dockerfile');
    expect(dockerfileNames(json)).toEqual(new Set(['../Dockerfile']));
    expect(json.notes).toContain('linted and attributed with ../Dockerfile (next to .ballast.yaml)');
    // And the config found above says so, on stderr as every note, and in the JSON
    expect(json.notes).toContain('read ../.ballast.yaml, found above the working directory');
    expect(r.stderr).toMatch(/^note: read \.\.\/\.ballast\.yaml, found above the working directory$/m);
  }, 120_000);

  it('a config two levels up is named by its absolute path; one in the working directory or given is not noted', async () => {
    writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxImageBytes: 1GB\n');
    const deep = join(app, 'deep');
    mkdirSync(deep);
    const up = await runCli(['ci', '../../x/demo.tar', '--workers', '0'], { cwd: deep, env: NO_CI });
    expect(up.code).toBe(0);
    expect(up.stderr).toContain(`note: read ${join(dir, '.ballast.yaml')}, found above the working directory`);
    const here = await runCli(['ci', 'x/demo.tar', '--workers', '0'], { cwd: dir, env: NO_CI });
    expect(here.code).toBe(0);
    expect(here.stderr).not.toContain('note: read');
    const given = await runCli(['ci', '../x/demo.tar', '--workers', '0', '-c', '../.ballast.yaml'], {
      cwd: app,
      env: NO_CI,
    });
    expect(given.code).toBe(0);
    expect(given.stderr).not.toContain('note: read');
  }, 120_000);
});

describe('ci names a config outside the working directory as it was given', () => {
  it('-c /abs/path/.ballast.yaml with no ci: section: the note names /abs/path, not ../../abs/path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-cfgpath-'));
    try {
      mkdirSync(join(dir, 'app'));
      mkdirSync(join(dir, 'conf'));
      const config = join(dir, 'conf', '.ballast.yaml');
      writeFileSync(config, '');
      const r = await runCli(['ci', DEMO, '-c', config, '--workers', '0', '--format', 'json'], {
        cwd: join(dir, 'app'),
        env: NO_CI,
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).notes).toContain(
        `${config} has no ci: section: only the failOn check and flag budgets apply (add budgets under ci:, such as maxImageBytes: 500MB)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// nameFrom decides how many levels a name climbs, which climbsOut (does it leave at all) does not say; it counted the
// `..` parts of relative()'s output, and the rows a count could get wrong are read right: relative() gives no `a/../b`,
// and a name that only begins with two dots (`..foo`) is no level up.
describe('the name ci gives a file, from the working directory', () => {
  const cwd = resolve('/w/repo');
  it.each([
    ['/w/repo/Dockerfile', 'Dockerfile'],
    ['/w/repo/a/../b/Dockerfile', join('b', 'Dockerfile')],
    ['/w/repo/..foo/Dockerfile', join('..foo', 'Dockerfile')],
    ['/w/repo/...', '...'],
    ['/w/x/Dockerfile', join('..', 'x', 'Dockerfile')],
    ['/w/..foo/Dockerfile', join('..', '..foo', 'Dockerfile')],
    ['/w/repo/../..foo/Dockerfile', join('..', '..foo', 'Dockerfile')],
    ['/w/repo/../../srv/Dockerfile', resolve('/srv/Dockerfile')],
    ['/srv/x/Dockerfile', resolve('/srv/x/Dockerfile')],
    ['/..foo/Dockerfile', resolve('/..foo/Dockerfile')],
  ])('%s is %s', (path, name) => {
    expect(nameFrom(cwd, resolve(path))).toBe(name);
  });

  it('from the root, every file is below', () => {
    expect(nameFrom(resolve('/'), resolve('/srv/x/Dockerfile'))).toBe(join('srv', 'x', 'Dockerfile'));
  });
});

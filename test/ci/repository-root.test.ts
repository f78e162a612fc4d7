// Report paths from the repository's root, not the working directory: a CI job run from a subdirectory of the
// checkout (GitHub's `working-directory: services/api`, GitLab's `cd services/api`) writes annotations, SARIF and
// Code Quality paths that the CI system joins to its checkout (GITHUB_WORKSPACE, CI_PROJECT_DIR,
// BUILD_SOURCESDIRECTORY); outside CI they stay relative to the working directory.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../../src/report/types.js';
import { loadReporter, reportRoot } from '../../src/reporters/index.js';
import { NO_CI, runCli } from '../helpers/cli.js';
import { dockerfileFinding, imageFinding } from '../helpers/findings.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';
import { sarifValidator } from '../helpers/sarif.js';

const DEMO = resolve('examples/demo/demo.tar');
const DEMO_DOCKERFILE = resolve('examples/demo/Dockerfile');

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Each SARIF result's artifact location, in order. */
function artifactLocations(sarif: {
  runs: { results: { locations: { physicalLocation: { artifactLocation: ArtifactLocation } }[] }[] }[];
}): ArtifactLocation[] {
  return sarif.runs[0].results.map((res) => res.locations[0].physicalLocation.artifactLocation);
}

describe('reportRoot', () => {
  it("is the CI system's checkout when the working directory is inside it", () => {
    expect(reportRoot('/srv/repo/services/api', { GITHUB_WORKSPACE: '/srv/repo' })).toBe('/srv/repo');
    expect(reportRoot('/builds/g/p/services/api', { CI_PROJECT_DIR: '/builds/g/p' })).toBe('/builds/g/p');
    expect(reportRoot('/a/1/s/api', { BUILD_SOURCESDIRECTORY: '/a/1/s/' })).toBe('/a/1/s');
    expect(reportRoot('/srv/repo', { GITHUB_WORKSPACE: '/srv/repo' })).toBe('/srv/repo');
  });

  it('outside CI, is the git checkout the working directory is in (a .git folder or file above it)', () => {
    // SARIF written from services/api at a terminal, or by a CI system that names no root, pointed at
    // file:///.../services/api/Dockerfile: no file of the repository.
    const repo = mkdtempSync(join(tmpdir(), 'ballast-gitroot-'));
    try {
      mkdirSync(join(repo, '.git'));
      mkdirSync(join(repo, 'services', 'api'), { recursive: true });
      expect(reportRoot(join(repo, 'services', 'api'), {})).toBe(repo);
      expect(reportRoot(repo, {})).toBe(repo);
      // A worktree or submodule has a .git file; the nearest one wins.
      writeFileSync(join(repo, 'services', '.git'), 'gitdir: ../.git/worktrees/services\n');
      expect(reportRoot(join(repo, 'services', 'api'), {})).toBe(join(repo, 'services'));
      // The CI system's checkout still comes first.
      expect(reportRoot(join(repo, 'services', 'api'), { GITHUB_WORKSPACE: repo })).toBe(repo);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('is the working directory outside CI, or outside the checkout, or for a relative variable', () => {
    expect(reportRoot('/srv/repo/api', {})).toBe('/srv/repo/api');
    expect(reportRoot('/tmp/work', { GITHUB_WORKSPACE: '/srv/repo' })).toBe('/tmp/work');
    expect(reportRoot('/srv/repository', { GITHUB_WORKSPACE: '/srv/repo' })).toBe('/srv/repository');
    expect(reportRoot('/srv/repo/api', { CI_PROJECT_DIR: 'repo' })).toBe('/srv/repo/api');
  });
});

describe('reporters with a repository root above the working directory', () => {
  const dockerfile = dockerfileFinding;
  const image = (name: string) => imageFinding(name);
  const report: Report = {
    tool: { name: 'ballast', version: '0.1.0' },
    targets: [
      { target: 'Dockerfile', findings: [dockerfile('Dockerfile')], stats: {} },
      { target: '../Dockerfile', findings: [dockerfile('../Dockerfile')], stats: {} },
      { target: '/srv/repo/services/api/app.tar', findings: [image('/srv/repo/services/api/app.tar')], stats: {} },
      { target: '../../../../tmp/x/Dockerfile', findings: [dockerfile('../../../../tmp/x/Dockerfile')], stats: {} },
      { target: 'docker://ghcr.io/o/app:1', findings: [image('docker://ghcr.io/o/app:1')], stats: {} },
      // Read from a registry by a bare reference: no transport says it is not a path, the location does.
      {
        target: 'ghcr.io/o/app:1',
        findings: [
          { ...image('ghcr.io/o/app:1'), location: { kind: 'image', image: 'ghcr.io/o/app:1', reference: true } },
        ],
        stats: {},
      },
    ],
    counts: { error: 2, warning: 3, info: 0, style: 0, fixable: 0 },
    rules: {},
  };
  const options = { color: false, cwd: '/srv/repo/services/api', root: '/srv/repo' };

  it('github: annotations name the file from the root; an image named by a reference has no file', async () => {
    const lines = (await loadReporter('github'))(report, options).split('\n');
    // The image's errors come before the Dockerfiles' warnings, as the reports list them.
    expect(lines.map((l) => /file=([^,]*)/.exec(l)?.[1])).toEqual([
      'services/api/app.tar',
      undefined,
      undefined,
      'services/api/Dockerfile',
      'services/Dockerfile',
      // Outside the root: GitHub places no annotation on it, so it has no file, and its message names the path
      undefined,
    ]);
    expect(lines[5]).not.toMatch(/,line=/);
    expect(lines[5]).toMatch(/::\/tmp\/x\/Dockerfile:\d+: /);
    expect(lines.slice(1, 3).map((l) => /title=([^:]*)::/.exec(l)?.[1])).toEqual([
      'IM009 secrets-in-image in docker%3A//ghcr.io/o/app%3A1',
      'IM009 secrets-in-image in ghcr.io/o/app%3A1',
    ]);
  });

  it('sarif: artifact locations are relative to %SRCROOT%, the root', async () => {
    const sarif = JSON.parse((await loadReporter('sarif'))(report, options));
    expect(sarifValidator()(sarif)).toBe(true);
    const uris = artifactLocations(sarif);
    expect(uris.slice(0, 4)).toEqual([
      { uri: 'services/api/Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: 'services/Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: 'services/api/app.tar', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///tmp/x/Dockerfile' },
    ]);
    expect(uris.slice(4)).toEqual([{ uri: 'docker%3A//ghcr.io/o/app%3A1' }, { uri: 'ghcr.io/o/app%3A1' }]);
  });

  it('codeclimate: location.path is relative to the project directory', async () => {
    const issues = JSON.parse((await loadReporter('codeclimate'))(report, options)) as { location: { path: string } }[];
    expect(issues.map((i) => i.location.path)).toEqual([
      'services/api/Dockerfile',
      'services/Dockerfile',
      'services/api/app.tar',
      '/tmp/x/Dockerfile',
      'docker://ghcr.io/o/app:1',
      'ghcr.io/o/app:1',
    ]);
  });
});

describe('the CLI run from a subdirectory of a CI checkout', () => {
  let repo: string;
  let api: string;
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'ballast-root-'));
    api = join(repo, 'services', 'api');
    mkdirSync(api, { recursive: true });
    copyFileSync(DEMO_DOCKERFILE, join(api, 'Dockerfile'));
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('ci on GitHub Actions: annotations and SARIF name services/api/Dockerfile', async () => {
    copyFileSync(DEMO, join(api, 'demo.tar'));
    const r = await runCli(
      [
        'ci',
        'demo.tar',
        '-f',
        'Dockerfile',
        '--workers',
        '0',
        '--max-wasted-bytes',
        '1',
        '--format',
        'github',
        '-o',
        'sarif=out.sarif',
      ],
      { cwd: api, env: { ...NO_CI, GITHUB_WORKSPACE: repo } },
    );
    expect(r.code).toBe(1);
    const files = new Set([...r.stdout.matchAll(/file=([^,]*)/g)].map((m) => m[1]));
    expect(files).toEqual(new Set(['services/api/Dockerfile']));
    const sarif = JSON.parse(readFileSync(join(api, 'out.sarif'), 'utf8'));
    const uris = new Set(artifactLocations(sarif).map((at) => at.uri));
    expect(uris).toEqual(new Set(['services/api/Dockerfile']));
  }, 120_000);

  it('ci of an image file without a Dockerfile: annotations and checkstyle name the file, not FILE:TAG', async () => {
    copyFileSync(DEMO, join(api, 'demo.tar'));
    const r = await runCli(
      [
        'ci',
        'demo.tar',
        '--workers',
        '0',
        '--max-wasted-bytes',
        '1',
        '--format',
        'github',
        '-o',
        'checkstyle=out.xml',
        '-o',
        'sarif=out.sarif',
      ],
      { cwd: api, env: { ...NO_CI, GITHUB_WORKSPACE: repo } },
    );
    expect(r.code).toBe(1);
    // The report's target is the image with its tag (demo.tar:docker.io/library/ballast-demo:latest); the file is
    // what GitHub places the annotation on, as SARIF's artifact location does.
    const files = new Set([...r.stdout.matchAll(/file=([^,]*)/g)].map((m) => m[1]));
    expect(files).toEqual(new Set(['services/api/demo.tar']));
    const sarif = JSON.parse(readFileSync(join(api, 'out.sarif'), 'utf8'));
    expect(new Set(artifactLocations(sarif).map((at) => at.uri))).toEqual(new Set(['services/api/demo.tar']));
    const names = [...readFileSync(join(api, 'out.xml'), 'utf8').matchAll(/<file name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(['demo.tar']);
  }, 120_000);

  it('ci with the Dockerfile and image outside the checkout: no annotation has file=, each message starts with the absolute path', async () => {
    // Given a Dockerfile and an image archive in a directory of their own, neither the checkout nor the step's
    const elsewhere = mkdtempSync(join(tmpdir(), 'ballast-elsewhere-'));
    try {
      copyFileSync(DEMO_DOCKERFILE, join(elsewhere, 'Dockerfile'));
      copyFileSync(DEMO, join(elsewhere, 'demo.tar'));
      // When the gate runs from a subdirectory of the checkout with github annotations
      const r = await runCli(
        [
          'ci',
          join(elsewhere, 'demo.tar'),
          '-f',
          join(elsewhere, 'Dockerfile'),
          '--workers',
          '0',
          '--max-wasted-bytes',
          '1',
          '--format',
          'github',
        ],
        { cwd: api, env: { ...NO_CI, GITHUB_WORKSPACE: repo } },
      );
      expect(r.code).toBe(1);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      // Then lint findings, image findings and the failed budget all read the same way: GitHub cannot place a path
      // outside its workspace, so none claims a file (a relative one would be read from the checkout's root), and the
      // message names the file by its absolute path and line
      expect(annotations.length).toBeGreaterThan(3);
      for (const line of annotations) expect(line).not.toMatch(/ file=|,line=/);
      const messages = annotations.map((l) => l.slice(l.indexOf('::', 2) + 2));
      for (const m of messages) expect(m.startsWith(`${elsewhere}/`)).toBe(true);
      expect(annotations.find((l) => l.includes('title=DF014'))).toContain(`::${join(elsewhere, 'Dockerfile')}:18: `);
      expect(annotations.find((l) => l.includes('title=IM003'))).toContain(`::${join(elsewhere, 'Dockerfile')}:13: `);
      expect(annotations.find((l) => l.includes('title=budget/maxWastedBytes'))).toContain(
        `::${join(elsewhere, 'Dockerfile')}:13: wasted bytes`,
      );
      // and so does its advice: one path for one file in one annotation
      expect(annotations.find((l) => l.includes('title=budget/maxWastedBytes'))).toContain(
        `fix first: ${join(elsewhere, 'Dockerfile')}:13 (layer 2, 1.00 MB)`,
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('ci of a registry image named without a transport: no annotation, Code Quality path or SARIF uri under the subdirectory', async () => {
    const registry: Registry = await startRegistry();
    try {
      await skopeoCopy(`docker-archive:${DEMO}`, `docker://${registry.host}/o/app:1`);
      const ref = `${registry.host}/o/app:1`;
      // The image as reports name it: the repository (the tag is the target's).
      const name = `${registry.host}/o/app`;
      const r = await runCli(
        [
          'ci',
          ref,
          '--workers',
          '0',
          '--max-wasted-bytes',
          '1',
          '--format',
          'github',
          '-o',
          'codeclimate=cq.json',
          '-o',
          'sarif=out.sarif',
        ],
        { cwd: api, env: { ...NO_CI, GITHUB_WORKSPACE: repo, CI_PROJECT_DIR: repo } },
      );
      expect(r.code).toBe(1);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations.length).toBeGreaterThan(0);
      for (const line of annotations) {
        expect(line).not.toMatch(/file=/);
        expect(line).toContain(`in ${name.replace(/:/g, '%3A')}`);
      }
      const paths = new Set(
        (JSON.parse(readFileSync(join(api, 'cq.json'), 'utf8')) as { location: { path: string } }[]).map(
          (i) => i.location.path,
        ),
      );
      expect(paths).toEqual(new Set([name]));
      const sarif = JSON.parse(readFileSync(join(api, 'out.sarif'), 'utf8'));
      expect(sarifValidator()(sarif)).toBe(true);
      const locations = new Set(artifactLocations(sarif).map((at) => JSON.stringify(at)));
      expect(locations).toEqual(new Set([JSON.stringify({ uri: name.replace(/:/g, '%3A') })]));
    } finally {
      await registry.stop();
    }
  }, 120_000);

  it('lint on GitLab: Code Quality paths from CI_PROJECT_DIR; outside CI, from the working directory', async () => {
    const inCi = await runCli(['lint', 'Dockerfile', '--format', 'codeclimate'], {
      cwd: api,
      env: { ...NO_CI, GITLAB_CI: 'true', CI_PROJECT_DIR: repo },
    });
    const paths = (text: string) =>
      new Set((JSON.parse(text) as { location: { path: string } }[]).map((i) => i.location.path));
    expect(paths(inCi.stdout)).toEqual(new Set(['services/api/Dockerfile']));
    const local = await runCli(['lint', 'Dockerfile', '--format', 'codeclimate'], { cwd: api, env: NO_CI });
    expect(paths(local.stdout)).toEqual(new Set(['Dockerfile']));
  });

  it('lint through the full command (no fast path) on Azure Pipelines: annotations from the sources directory', async () => {
    writeFileSync(join(api, 'Dockerfile'), 'FROM debian:latest\nADD app.py /app/\n');
    const r = await runCli(['lint', 'Dockerfile', '--format', 'github'], {
      cwd: api,
      env: { ...NO_CI, BALLAST_NO_FAST_PATH: '1', TF_BUILD: 'True', BUILD_SOURCESDIRECTORY: repo },
    });
    expect(r.stdout).toMatch(/file=services\/api\/Dockerfile,/);
    expect(r.stdout).not.toMatch(/file=Dockerfile,/);
  });
});

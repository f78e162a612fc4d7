// Runs the jobs of examples/gitlab-ci.yml locally, their script lines as written, in a shell set up as a GitLab
// runner's (`bash -e`, GITLAB_CI, CI_PROJECT_DIR, the job's variables): the build-image job with buildah (chroot
// isolation, vfs storage in a temp dir) from a local base (the demo image), then the image-size job's gate. Then
// every file the job hands GitLab as a report exists and is what GitLab reads: the Code Quality report an array of
// issues whose paths are repository paths and whose fingerprints are unique (GitLab drops an issue with a fingerprint
// seen before), the JUnit report parses. Not run here: the job's install lines (a git clone and `npm ci`, which need
// the network); `ballast` on the job's PATH is this checkout's bin/run.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve('.');

interface Job {
  stage: string;
  image?: string;
  needs?: string[];
  variables?: Record<string, string>;
  script: string[];
  artifacts?: { paths?: string[]; reports?: Record<string, string>; when?: string };
}

/** Code Quality severities GitLab accepts. */
const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

describe('examples/gitlab-ci.yml, run locally', () => {
  const pipeline = parseYaml(readFileSync('examples/gitlab-ci.yml', 'utf8')) as Record<string, Job> & {
    stages: string[];
  };
  const build = pipeline['build-image'];
  const gate = pipeline['image-size'];
  let repo: string;
  let store: BuildahStore;
  let bin: string;

  /** A job's script lines, one after another, in `bash -e` as the runner runs them (a failing line ends the job). */
  function runJob(lines: string[], variables: Record<string, string>) {
    // buildah as the runner's image has it, on this machine: private storage, chroot isolation (no root daemon)
    const prelude = `buildah() { command buildah ${store.args.map((a) => `'${a}'`).join(' ')} "$@"; }`;
    return spawnSync('bash', ['-e', '-c', [prelude, ...lines].join('\n')], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 180_000,
      env: {
        ...process.env,
        NO_COLOR: '1',
        CI: 'true',
        GITLAB_CI: 'true',
        CI_PROJECT_DIR: repo,
        BUILDAH_ISOLATION: 'chroot',
        PATH: `${bin}:${process.env.PATH}`,
        ...variables,
      },
    });
  }

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'ballast-gitlab-'));
    store = demoBuildahStore('gitlab');
    bin = mkdtempSync(join(tmpdir(), 'ballast-gitlab-bin-'));
    symlinkSync(join(ROOT, 'bin/run.js'), join(bin, 'ballast'));
  }, 120_000);
  afterAll(() => {
    store?.cleanup();
    for (const dir of [repo, bin]) rmSync(dir, { recursive: true, force: true });
  });

  it('is a build stage and a test stage; the gate job installs ballast from git and writes the reports it names', () => {
    expect(pipeline.stages).toEqual(['build', 'test']);
    expect(build.stage).toBe('build');
    expect(gate).toMatchObject({ stage: 'test', needs: ['build-image'] });
    // The install lines: a clone at a pinned ref, `npm ci` (which builds), ballast on PATH
    expect(gate.script[0]).toMatch(/^git clone .*--branch "\$BALLAST_REF" "\$BALLAST_REPO" \/opt\/ballast$/);
    expect(gate.script[1]).toMatch(/^npm ci --prefix \/opt\/ballast/);
    expect(gate.script[2]).toBe('ln -s /opt/ballast/bin/run.js /usr/local/bin/ballast');
    expect(gate.script.slice(3).join('\n')).toMatch(/^ballast ci /m);
    // The reports GitLab collects are the files the gate writes, collected when the job fails too
    const command = gate.script.slice(3).join(' ');
    for (const file of [...Object.values(gate.artifacts!.reports!), ...gate.artifacts!.paths!])
      expect(command).toContain(`=${file}`);
    expect(gate.artifacts!.when).toBe('always');
    expect(build.artifacts!.paths).toEqual(['app.tar']);
  });

  it('build (buildah), gate (ballast ci): exit 1, Code Quality and JUnit reports as GitLab reads them', () => {
    // The project: a Dockerfile on the demo image (in the store) that downloads a file and deletes it later
    writeFileSync(
      join(repo, 'Dockerfile'),
      'FROM localhost/ballast-demo:latest\nRUN head -c 300000 /dev/urandom > /tmp/download.bin\nRUN rm /tmp/download.bin\nCMD ["/app/run.sh"]\n',
    );
    writeFileSync(
      join(repo, '.ballast.yaml'),
      'trustedRegistries: [localhost]\nci:\n  maxWastedBytes: 2MB\n  maxWastedPercent: 10%\n  failOn: error\n',
    );

    // When the build-image job runs: it leaves app.tar, its artifact
    const built = runJob(build.script, build.variables ?? {});
    expect({ status: built.status, stderr: built.status === 0 ? '' : built.stderr }).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(repo, 'app.tar'))).toBe(true);

    // And the image-size job runs its gate (the lines after the install)
    const gated = runJob(gate.script.slice(3), gate.variables ?? {});
    // Then the job fails with exit 1 (a budget failed), not 2 (could not run)
    expect(gated.status).toBe(1);
    expect(gated.stderr).not.toMatch(/^error:/m);
    expect(gated.stdout).toMatch(/maxWastedPercent/);

    // The Code Quality report: an array of issues, each with the fields GitLab requires
    const reports = gate.artifacts!.reports!;
    const issues = JSON.parse(readFileSync(join(repo, reports.codequality), 'utf8')) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(Array.isArray(issues)).toBe(true);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(typeof issue.description).toBe('string');
      expect(issue.description.length).toBeGreaterThan(0);
      expect(typeof issue.check_name).toBe('string');
      expect(SEVERITIES).toContain(issue.severity);
      expect(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1).toBe(true);
      // A repository path (GitLab joins it to the project), naming a file of the checkout
      expect(issue.location.path).not.toMatch(/^\/|^\.\.\//);
      expect(existsSync(join(repo, issue.location.path))).toBe(true);
    }
    // GitLab keeps one issue per fingerprint: every finding has its own
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    // The deleted download is placed on the Dockerfile line that wrote it, which the merge request shows
    expect(issues).toContainEqual(
      expect.objectContaining({
        check_name: expect.stringMatching(/^IM003 /),
        location: { path: 'Dockerfile', lines: { begin: 2 } },
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        check_name: expect.stringMatching(/maxWastedPercent/),
        location: { path: 'Dockerfile', lines: { begin: 2 } },
      }),
    );

    // The JUnit report parses, the failed budget a failing test case
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(repo, reports.junit), 'utf8'),
    );
    const cases = [junit.testsuites.testsuite]
      .flat()
      .flatMap((s: { testcase?: unknown }) => [s.testcase ?? []].flat()) as { name: string; failure?: unknown }[];
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toContain(
      'maxWastedPercent: wasted share of your layers',
    );
    // And the summary kept as an artifact is the Markdown report
    expect(readFileSync(join(repo, gate.artifacts!.paths![0]), 'utf8')).toMatch(
      /^### ballast ci: failed for `app\.tar/,
    );
  }, 360_000);

  it('when the gate cannot run (no app.tar), the job fails with exit 2 and leaves the reports that can say so', () => {
    const empty = mkdtempSync(join(repo, 'no-image-'));
    const result = spawnSync('bash', ['-e', '-c', gate.script.slice(3).join('\n')], {
      cwd: empty,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        NO_COLOR: '1',
        GITLAB_CI: 'true',
        CI_PROJECT_DIR: empty,
        PATH: `${bin}:${process.env.PATH}`,
      },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: app\.tar does not exist/);
    // GitLab collects a failed job's reports too (when: always). The JUnit report and the summary say the gate did not
    // run; no Code Quality report is written, as an empty one would tell the merge request every issue was resolved.
    const reports = gate.artifacts!.reports!;
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(empty, reports.junit), 'utf8'),
    );
    expect(Number(junit.testsuites.errors ?? junit.testsuites.failures)).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(empty, gate.artifacts!.paths![0]), 'utf8')).toMatch(
      /^### ballast ci: could not run for `app\.tar`/,
    );
    expect(existsSync(join(empty, reports.codequality))).toBe(false);
  }, 120_000);
});

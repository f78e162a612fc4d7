// `ballast lint --fix --verify` for real: buildah builds the image before the fixes and after each one (private storage
// in a temp dir), analyze measures every build. The compiled CLI (`npm run build` first), buildah and skopeo on PATH,
// and the corpus's debian-base (it has a shell and apt, so a RUN works without network).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { corpusDir, describeWithCorpus } from '../helpers/corpus.js';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `ballast-fix-verify-test-${name}-`));
const BIG = 3_000_000;

/** A flat apt repository's index with `count` made-up packages: `apt-get update` from a copy: source stores it whole. */
function packagesIndex(count: number): string {
  const entries = Array.from(
    { length: count },
    (_, i) =>
      `Package: ballast-fixture-${i}\nVersion: 1.0-${i}\nArchitecture: all\nMaintainer: ballast tests <t@example.invalid>\n` +
      `Filename: ./ballast-fixture-${i}_1.0_all.deb\nSize: 1000\nDescription: fixture package ${i}\n`,
  );
  return entries.join('\n');
}

const load = ['--verify-load', `localhost/base:12=oci:${join(corpusDir, 'debian-base.oci')}:latest`];

interface VerifyJson {
  before: { uncompressedBytes: number; layers: number; findingBytes: number };
  after: { uncompressedBytes: number; layers: number; findingBytes: number };
  savedBytes: number;
  findingBytesSaved: number;
  estimatedBytes: number;
  unknownEstimates: number;
  fixes: {
    codes: string[];
    line: number;
    ruleType: string;
    built: boolean;
    estimate: { bytes: number | null; basis: string };
    measuredBytes: number;
    reclaimableBytes: number;
  }[];
  builds: { build: string | number; seconds: number; cachedSteps: number }[];
  buildSeconds: number;
}

describeWithCorpus('ballast lint --fix --verify', () => {
  it('measures each fix on its own (DF026, DF015, DF014, DF001) and their sum is the total', async () => {
    const dir = temp('perfix');
    // The build's temp dir (storage, exported images) goes here, so the test can see it is removed afterwards.
    const tmp = temp('tmp');
    const index = packagesIndex(800);
    writeFileSync(join(dir, 'Packages'), index);
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(BIG, 7));
    const BLOB = 1_000_000;
    // A .git the broad COPY ships: DF026 adds it to .dockerignore (a context fix: its step builds with --ignorefile).
    const GIT = 200_000;
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'pack'), Buffer.alloc(GIT, 3));
    writeFileSync(join(dir, '.dockerignore'), 'Dockerfile\n');
    // Offline apt: a `copy:` source (a file: source would leave a symlink in the lists, not the index's bytes).
    const original = [
      'FROM localhost/base:12',
      'COPY . /srv/repo/',
      'RUN echo "deb [trusted=yes] copy:/srv/repo ./" > /etc/apt/sources.list && rm -f /etc/apt/sources.list.d/* && apt-get update',
      'COPY big.bin /x',
      'RUN chmod 600 /x',
      'WORKDIR /',
      `RUN head -c ${BLOB} /dev/zero > /blob`,
      'ENV A=1',
      'RUN rm /blob',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'Dockerfile'), original);
    const started = Date.now();
    const result = await runCli(
      [
        'lint',
        'Dockerfile',
        '--fix',
        '--unsafe-fixes',
        '--verify',
        ...load,
        '--no-shellcheck',
        '--fail-on',
        'none',
        '--json',
      ],
      { cwd: dir, env: { TMPDIR: tmp }, timeoutMs: 400_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(
      [
        'FROM localhost/base:12',
        'COPY . /srv/repo/',
        'RUN echo "deb [trusted=yes] copy:/srv/repo ./" > /etc/apt/sources.list && rm -f /etc/apt/sources.list.d/* && apt-get update && rm -rf /var/lib/apt/lists/*',
        'COPY --chmod=600 big.bin /x',
        'WORKDIR /',
        `RUN head -c ${BLOB} /dev/zero > /blob && rm /blob`,
        'ENV A=1',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('Dockerfile\n.git\n');
    const verify = (JSON.parse(result.stdout) as { verify: VerifyJson }).verify;
    // The .dockerignore pass first (as --fix does), then the Dockerfile's fixes bottom-up, the order applyEdits
    // applies a pass's edits: each build keeps the beginning of the one before.
    expect(verify.fixes.map((f) => [f.codes.join('+'), f.line, f.built])).toEqual([
      ['DF026', 2, true],
      ['DF015', 9, true],
      ['DF014', 5, true],
      ['DF001', 3, true],
    ]);
    const [df026, df015, df014, df001] = verify.fixes;
    // Each measured saving against what the fix takes out, known from the fixture: the bytes themselves plus their
    // tar headers and padding (and, for the lists, the whiteouts the rm adds): a few KiB at most.
    const near = (measured: number, bytes: number) => {
      expect(measured).toBeGreaterThanOrEqual(bytes - 4096);
      expect(measured).toBeLessThan(bytes + 16 * 1024);
    };
    near(df026!.measuredBytes, GIT); // .git/pack no longer in the COPY's layer
    near(df015!.measuredBytes, BLOB); // the 1,000,000-byte /blob no longer in the layer of line 7
    near(df014!.measuredBytes, BIG); // the chmod RUN's second copy of big.bin is gone with its layer
    near(df001!.measuredBytes, Buffer.byteLength(index)); // the package index apt-get update stored in the lists
    // The estimates, read off the image built before each fix: the same files' bytes, exactly.
    expect(df026!.estimate.bytes).toBe(GIT);
    expect(df015!.estimate.bytes).toBe(BLOB);
    expect(df014!.estimate.bytes).toBe(BIG);
    expect(df001!.estimate.bytes).toBe(Buffer.byteLength(index));
    // analyze's reclaimable bytes (its findings) go down by the same files
    expect(df026!.reclaimableBytes).toBeGreaterThanOrEqual(GIT);
    expect(df015!.reclaimableBytes).toBeGreaterThanOrEqual(BLOB);
    expect(df014!.reclaimableBytes).toBeGreaterThanOrEqual(BIG);
    expect(df001!.reclaimableBytes).toBeGreaterThanOrEqual(Buffer.byteLength(index));
    // The per-fix savings add up to the total, which is the before and after images' difference; two RUN layers went.
    expect(verify.fixes.reduce((n, f) => n + f.measuredBytes, 0)).toBe(verify.savedBytes);
    expect(verify.savedBytes).toBe(verify.before.uncompressedBytes - verify.after.uncompressedBytes);
    expect(verify.before.layers - verify.after.layers).toBe(2);
    expect(verify.estimatedBytes).toBe(GIT + BLOB + BIG + Buffer.byteLength(index));
    // N+1 builds; every build after DF026's (which changes the first COPY) took the unchanged beginning from the cache.
    expect(verify.builds.map((b) => b.build)).toEqual(['before', 1, 2, 3, 4]);
    expect(verify.builds.slice(2).every((b) => b.cachedSteps > 0)).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
    // The wall time, for the report (the CI budget): printed, not asserted.
    process.stdout.write(`per-fix verify: ${seconds.toFixed(1)} s wall, builds ${verify.buildSeconds.toFixed(1)} s\n`);
  }, 420_000);

  it('a build after a fix that fails is exit 2 naming the fix and the kept log; the Dockerfile is untouched', async () => {
    const dir = temp('fixfails');
    const tmp = temp('tmp');
    mkdirSync(join(dir, 'repo'));
    writeFileSync(join(dir, 'repo', 'Packages'), packagesIndex(3));
    // DF001's fix is unsafe for this reason: a later RUN that needs the lists finds none after the fix.
    const original = [
      'FROM localhost/base:12',
      'COPY repo/ /srv/repo/',
      'RUN echo "deb [trusted=yes] copy:/srv/repo ./" > /etc/apt/sources.list && rm -f /etc/apt/sources.list.d/* && apt-get update',
      'ENV A=1',
      'RUN apt-cache show ballast-fixture-1 > /dev/null',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'Dockerfile'), original);
    const result = await runCli(
      ['lint', 'Dockerfile', '--fix', '--unsafe-fixes', '--verify', ...load, '--no-shellcheck'],
      {
        cwd: dir,
        env: { TMPDIR: tmp },
        timeoutMs: 200_000,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const match =
      /^error: the build after fix 1 \(DF001 line 3\) failed; last lines of its log \((\S+)\): .+\(hint: /.exec(
        result.stderr,
      );
    expect({ stderr: result.stderr, matched: match !== null }).toEqual({ stderr: result.stderr, matched: true });
    expect(readFileSync(match![1]!, 'utf8')).toMatch(/apt-cache show ballast-fixture-1/);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(original);
    // only the kept log is left in the temp dir
    expect(readdirSync(tmp)).toEqual([basename(match![1]!)]);
  }, 240_000);

  // Regression (fix hunt #3): for a CRLF Dockerfile, --verify warned that it had measured another file than --fix wrote,
  // because the file written has the CRLF endings on the lines the fix added and the measured one had LF there.
  it('a CRLF Dockerfile: the measured fix is the file written, without a note saying otherwise', async () => {
    const dir = temp('crlf');
    const tmp = temp('tmp');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM localhost/base:12\r\nRUN mkdir /a\r\nRUN touch /a/b\r\n');
    const result = await runCli(
      ['lint', 'Dockerfile', '--fix', '--unsafe-fixes', '--verify', ...load, '--no-shellcheck', '--fail-on', 'none'],
      { cwd: dir, env: { TMPDIR: tmp }, timeoutMs: 200_000 },
    );
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(
      'FROM localhost/base:12\r\nRUN mkdir /a \\\r\n && touch /a/b\r\n',
    );
    expect(result.stderr).toMatch(/^ {2}DF016 +3 /m);
    expect(result.stderr).not.toMatch(/differs from the one --fix wrote/);
  }, 240_000);

  it('a build that fails is exit 2 with one line naming the build and the end of its log', async () => {
    const dir = temp('fail');
    const tmp = temp('tmp');
    // scratch has no shell: the RUN fails in the build before the fix
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nRUN echo hi\nRUN echo there\n');
    const result = await runCli(['lint', 'Dockerfile', '--fix', '--unsafe-fixes', '--verify', '--no-shellcheck'], {
      cwd: dir,
      env: { TMPDIR: tmp },
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^error: the build before the fixes \(.*Dockerfile\) failed; last lines of its log \(.*\.log\): .+\(hint: /,
    );
    // the fix was not applied: the original did not build
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\nRUN echo hi\nRUN echo there\n');
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^ballast-fix-verify-.*-build-before\.log$/)]);
  }, 150_000);
});

describe('ballast lint --verify without buildah', () => {
  it('is exit 2 with one line and a hint', async () => {
    const dir = temp('nobuildah');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a /a\n');
    const empty = temp('path');
    const result = await runCli(['lint', 'Dockerfile', '--fix', '--verify', '--no-shellcheck'], {
      cwd: dir,
      env: { PATH: empty },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --verify needs buildah, .*\(hint: install buildah.*\)\n$/);
    expect(existsSync(join(dir, '.dockerignore'))).toBe(false);
  });

  it('a --verify-load that is not NAME=SOURCE, or stdin, is exit 2 with one line', async () => {
    const dir = temp('badload');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const load = await runCli(['lint', 'Dockerfile', '--fix', '--verify', '--verify-load', 'debian.oci'], { cwd: dir });
    expect({ code: load.code, stderr: load.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^error: --verify-load debian\.oci: expected NAME=SOURCE \(hint: .*\)\n$/),
    });
    const stdin = await runCli(['lint', '-', '--fix', '--verify'], { cwd: dir, input: 'FROM scratch\n' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/^error: --verify builds one Dockerfile, and stdin was given \(hint: .*\)\n$/);
  });

  it('needs --fix', async () => {
    const dir = temp('nofix');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const result = await runCli(['lint', 'Dockerfile', '--verify'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*fix/);
  });
});

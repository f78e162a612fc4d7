// `ballast lint --fix --verify` for real: buildah builds the image before and after the fix (private storage in a temp
// dir), analyze measures both. The compiled CLI (`npm run build` first), buildah and skopeo on PATH, and the corpus's
// debian-base (it has a shell, so a RUN works without network).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { corpusDir, describeWithCorpus } from '../helpers/corpus.js';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `ballast-fix-verify-test-${name}-`));
const BIG = 3_000_000;

describeWithCorpus('ballast lint --fix --verify', () => {
  it('measures what DF014 (chmod after COPY) saves: the RUN layer with the second copy is gone', async () => {
    const dir = temp('df014');
    // The build's temp dir (storage, exported images) goes here, so the test can see it is removed afterwards.
    const tmp = temp('tmp');
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(BIG, 7));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM localhost/base:12\nCOPY big.bin /x\nRUN chmod 600 /x\n');
    const result = await runCli(
      [
        'lint',
        'Dockerfile',
        '--fix',
        '--unsafe-fixes',
        '--verify',
        '--verify-load',
        `localhost/base:12=oci:${join(corpusDir, 'debian-base.oci')}:latest`,
        '--no-shellcheck',
        '--fail-on',
        'none',
        '--json',
      ],
      { cwd: dir, env: { TMPDIR: tmp }, timeoutMs: 150_000 },
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM localhost/base:12\nCOPY --chmod=600 big.bin /x\n');
    const verify = (
      JSON.parse(result.stdout) as {
        verify: Record<string, number & Record<string, number>> & {
          estimates: { code: string; line: number; bytes: number | null }[];
        };
      }
    ).verify;
    // Expected: the before image has one layer more (the chmod RUN), holding a second copy of the 3,000,000-byte file
    // plus tar headers and padding (a few KiB); the COPY layer is the same size either way.
    expect(verify.before.layers - verify.after.layers).toBe(1);
    expect(verify.savedBytes).toBeGreaterThanOrEqual(BIG);
    expect(verify.savedBytes).toBeLessThan(BIG + 16 * 1024);
    // analyze's findings about that copy (the chmod duplicate) are gone with it
    expect(verify.findingBytesSaved).toBeGreaterThanOrEqual(BIG);
    // The estimate, read off the image built before the fix: the 3,000,000 bytes the chmod layer copied again.
    expect(verify.estimates).toEqual([expect.objectContaining({ code: 'DF014', line: 3, bytes: BIG })]);
    expect(verify.estimatedBytes).toBe(BIG);
    expect(readdirSync(tmp)).toEqual([]);
  }, 180_000);

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
      /^error: the build before the fix failed \(.*Dockerfile\); last lines of its log: .+\(hint: /,
    );
    // the fix was not applied: the original did not build
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\nRUN echo hi\nRUN echo there\n');
    expect(readdirSync(tmp)).toEqual([]);
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

// A report file never destroys what the command reads, and writing it stays killable. Through the real executable
// (the compiled dist/: `npm run build` first): `analyze o.tar -o o.tar` replaced the image with its report and exited
// 0, `lint --fix F -o F` the fixed Dockerfile, `-o app.oci/index.json` broke the layout; `-o FIFO` with no reader
// ignored Ctrl-C and SIGTERM.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, startCli, NO_CI } from '../helpers/cli.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { FIFO_READER_WAIT_MS } from '../../src/output-file.js';

const DEMO = resolve('examples/demo/demo.tar');
const DOCKERFILE = resolve('examples/demo/Dockerfile');
const oclif = { BALLAST_NO_FAST_PATH: '1' };

let dir: string;
let before: Map<string, string>;

/** Every file under `root` with its content's length and first bytes, to prove nothing was changed. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    try {
      const data = readFileSync(join(root, name));
      files.set(name, `${data.length}:${data.subarray(0, 64).toString('hex')}:${data.subarray(-64).toString('hex')}`);
    } catch {
      files.set(name, 'dir');
    }
  }
  return files;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-outsafe-'));
  copyFileSync(DEMO, join(dir, 'o.tar'));
  copyFileSync(DEMO, join(dir, 'a.tar'));
  copyFileSync(DOCKERFILE, join(dir, 'Dockerfile'));
  symlinkSync('o.tar', join(dir, 'link.tar'));
  linkSync(join(dir, 'o.tar'), join(dir, 'hard.tar'));
  before = snapshot(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an output naming an input', () => {
  it.each([
    [['analyze', 'o.tar', '-o', 'o.tar'], /^error: -o names the input image o\.tar: the report would overwrite it/],
    [['analyze', 'o.tar', '--output', './o.tar'], /^error: --output names the input image o\.tar/],
    [['analyze', 'o.tar', '-o', 'link.tar'], /^error: -o names the input image o\.tar/],
    [['analyze', 'o.tar', '-o', 'hard.tar'], /^error: -o names the input image o\.tar/],
    [
      ['analyze', 'docker-archive:o.tar', '--json', '-o', 'o.tar'],
      /^error: -o names the input image docker-archive:o\.tar/,
    ],
    [['analyze', 'o.tar', '-f', 'Dockerfile', '-o', 'Dockerfile'], /^error: -o names the Dockerfile Dockerfile/],
    [['inspect', 'o.tar', '-o', 'o.tar'], /^error: -o names the input image o\.tar/],
    [['explore', 'o.tar', '--json', '-o', 'o.tar'], /^error: -o names the input image o\.tar/],
    [['diff', 'a.tar', 'o.tar', '-o', 'o.tar'], /^error: -o names the input image o\.tar/],
    [['bases', 'o.tar', '-o', 'o.tar'], /^error: -o names the input image o\.tar/],
    [['ci', 'o.tar', '-o', 'sarif=o.tar'], /^error: -o sarif=o\.tar names the input image o\.tar: the sarif report/],
    [['ci', 'o.tar', '-o', 'o.tar'], /^error: -o names the input image o\.tar/],
    [['ci', 'o.tar', '--save-baseline', 'o.tar'], /^error: --save-baseline names the input image o\.tar: the baseline/],
    [['ci', 'o.tar', '-o', 'Dockerfile'], /^error: -o names the Dockerfile Dockerfile/],
    [
      ['ci', 'o.tar', '-o', 'sarif=same.txt', '-o', 'junit=same.txt'],
      /^error: -o sarif=same\.txt and -o junit=same\.txt name the same file/,
    ],
    // A flag oclif cannot read still writes the reports asked for, saying why: not over the image.
    [['ci', 'o.tar', '--bogus', '-o', 'o.tar'], /^error: Nonexistent flag: --bogus/],
    [['lint', '--no-shellcheck', 'Dockerfile', '-o', 'Dockerfile'], /^error: -o names the Dockerfile Dockerfile/],
    [
      ['lint', '--no-shellcheck', '--fix', 'Dockerfile', '-o', 'Dockerfile'],
      /^error: -o names the Dockerfile Dockerfile/,
    ],
    [['lint', '--no-shellcheck', '.', '-o', 'Dockerfile'], /^error: -o Dockerfile is a Dockerfile lint reads in \./],
    // Not there yet, so nothing is overwritten; but the next `lint .` would lint the report.
    [
      ['lint', '--no-shellcheck', '.', '-o', 'reports/Dockerfile.sarif'],
      /^error: -o reports\/Dockerfile\.sarif is named as a Dockerfile lint reads in \.: a later lint of it would read the report as one/,
    ],
  ])('%j is refused in one line, exit 2, nothing changed', async (args, message) => {
    // lint has two ways in: its fast path and the oclif command.
    for (const env of args[0] === 'lint' ? [{}, oclif] : [{}]) {
      const run = await runCli(args, { cwd: dir, env: { ...NO_CI, ...env } });
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('an output inside an OCI layout read is refused', async () => {
    const layout = join(dir, 'app.oci');
    mkdirSync(layout);
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(layout, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
    before = snapshot(dir);

    const run = await runCli(['analyze', 'oci:app.oci', '-o', 'app.oci/index.json'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: -o app\.oci\/index\.json is inside the input image oci:app\.oci: .* \(hint: write the report outside oci:app\.oci, or beside the layout's files under another name \(not oci-layout, index\.json or blobs\/\)\)\n$/,
    );
    expect(snapshot(dir)).toEqual(before);
    // What the hint offers is allowed: a report beside the layout's own files (the image is empty, so it fails later).
    const beside = await runCli(['analyze', 'oci:app.oci', '-o', 'app.oci/report.txt'], { cwd: dir });
    expect(beside.stderr).not.toContain('is inside');
  });

  it.each([
    [['ci', 'o.tar', '--bogus', '-o', 'Dockerfile']],
    [['ci', 'o.tar', '--bogus', '-o', '.ballast.yaml']],
    [['ci', 'o.tar', '--bogus', '-f', 'Dockerfile', '-o', 'json=Dockerfile']],
    [['ci', 'o.tar', '--baseline', 'b.json', '--bogus', '-o', 'json=b.json']],
    [['ci', 'o.tar', '--bogus', '-o', 'json=b.json'], { BALLAST_BASELINE: 'b.json' }],
    [['ci', 'o.tar', '--json', '--format', 'sarif', '-o', 'json=Dockerfile']],
    [['ci', 'o.tar', '-o', 'sarf=x', '-o', '.ballast.yaml']],
    [['ci', 'o.tar', '-o', 'Dockerfile'], { BALLAST_MAX_IMAGE_BYTS: '1' }],
  ])(
    '%j, failing before the overwrite check, writes no report over what the gate reads',
    async (args, env: Record<string, string> = {}) => {
      // The reports a failed gate still writes (saying why) are checked against the same inputs as a run's.
      writeFileSync(join(dir, '.ballast.yaml'), 'rules: {}\n');
      writeFileSync(join(dir, 'b.json'), '{}');
      before = snapshot(dir);

      const run = await runCli(args, { cwd: dir, env: { ...NO_CI, ...env } });

      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it('the config file found, and the --baseline file, are inputs too', async () => {
    writeFileSync(join(dir, '.ballast.yaml'), 'rules: {}\n');
    writeFileSync(join(dir, 'b.json'), '{}');
    before = snapshot(dir);

    const config = await runCli(['analyze', 'o.tar', '-o', '.ballast.yaml'], { cwd: dir });
    const baseline = await runCli(['ci', 'o.tar', '--baseline', 'b.json', '-o', 'b.json'], { cwd: dir, env: NO_CI });

    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^error: -o names the config file \.ballast\.yaml: the report would overwrite it/);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/^error: -o names the baseline b\.json/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('still writes a report next to the inputs, and --save-baseline may replace the --baseline file it compared to', async () => {
    const lint = await runCli(['lint', '--no-shellcheck', '.', '-o', 'lint.txt'], { cwd: dir });
    // The gate lints a Dockerfile it finds here; the baseline is what is looked at.
    rmSync(join(dir, 'Dockerfile'));
    const seed = await runCli(['ci', 'o.tar', '--save-baseline', 'b.json'], { cwd: dir, env: NO_CI });
    expect(seed.code).toBe(0);
    const ratchet = await runCli(['ci', 'o.tar', '--baseline', 'b.json', '--save-baseline', 'b.json'], {
      cwd: dir,
      env: NO_CI,
    });

    expect(ratchet.code).toBe(0);
    expect(lint.code).toBe(1);
    expect(readFileSync(join(dir, 'lint.txt'), 'utf8')).toMatch(/Dockerfile/);
    expect(readFileSync(join(dir, 'o.tar'))).toEqual(readFileSync(DEMO));
  });
});

describe('outputs that are not the same file', () => {
  it('two outputs to one character device each get their report', async () => {
    rmSync(join(dir, 'Dockerfile'));
    const run = await runCli(['ci', 'o.tar', '-o', 'junit=/dev/null', '-o', 'sarif=/dev/null'], {
      cwd: dir,
      env: NO_CI,
    });

    expect(run.stderr).not.toMatch(/same file/);
    expect(run.code).toBe(0);
  });

  it('two outputs to one regular file are named with their paths', async () => {
    const run = await runCli(['ci', 'o.tar', '-o', 'sarif=s.txt', '-o', 's.txt'], { cwd: dir, env: NO_CI });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: -o sarif=s\.txt and -o s\.txt name the same file/);
  });

  it('a report beside the files of an OCI layout read is written; its index and blobs are refused', async () => {
    const image = await buildOciLayout([layer({ 'etc/os-release': 'ID=test\n' }, 'ADD rootfs.tar /')]);
    try {
      const beside = await runCli(['analyze', '.', '-o', 'report.txt'], { cwd: image.path });
      const prefixed = await runCli(['analyze', 'oci:.', '-o', 'sub/report.txt'], { cwd: image.path });
      const blob = await runCli(['analyze', 'oci:.', '-o', 'blobs/sha256/x'], { cwd: image.path });

      expect(beside.stderr).toBe('');
      expect(beside.code).toBe(0);
      expect(readFileSync(join(image.path, 'report.txt'), 'utf8')).toMatch(/^\. \(/);
      expect(prefixed.code).toBe(0);
      expect(blob.code).toBe(2);
      expect(blob.stderr).toMatch(/^error: -o blobs\/sha256\/x is inside the input image oci:\./);
    } finally {
      image.cleanup();
    }
  });

  it('a directory that is not an image layout says so, not that the report would overwrite it', async () => {
    const run = await runCli(['analyze', '.', '-o', 'r.txt'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: \. is a directory but not an OCI image layout/);
  });
});

describe('an output to a named pipe', () => {
  it.each([
    [['analyze', 'o.tar', '-o', 'f']],
    [['analyze', 'o.tar', '--json', '-o', 'f']],
    [['lint', '--no-shellcheck', 'Dockerfile', '-o', 'f']],
  ])(
    '%j with no reader ends on SIGTERM (143) and SIGINT (130), with no stack trace',
    async (args) => {
      execFileSync('mkfifo', [join(dir, 'f')]);
      for (const [signal, code] of [
        ['SIGTERM', 143],
        ['SIGINT', 130],
      ] as const) {
        const { child, done } = startCli(args, { cwd: dir, timeoutMs: 20_000 });
        // Long enough to be waiting for a reader (the demo is read in well under a second).
        await new Promise((r) => setTimeout(r, 2500));
        const sent = Date.now();
        child.kill(signal);
        const run = await done;
        expect(Date.now() - sent).toBeLessThan(5000);
        // ballast's handler exits with the code; with no temp file to remove it installs none, and the signal's
        // default action ends the process, which a shell reports as the same 143/130.
        expect([run.code === code || run.signal === signal, run.code, run.signal]).toEqual([
          true,
          run.code,
          run.signal,
        ]);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    },
    30_000,
  );

  it.each([
    [['analyze', 'o.tar', '-o', 'f']],
    [['analyze', 'o.tar', '--json', '-o', 'f']],
    [['lint', '--no-shellcheck', 'Dockerfile', '-o', 'f']],
    [['ci', 'o.tar', '-o', 'junit=f']],
  ])(
    '%j with no reader at all gives up after FIFO_READER_WAIT_MS: exit 2, one line saying so, no wait forever',
    async (args) => {
      // It waited for a reader forever, with nothing on the terminal to say why.
      execFileSync('mkfifo', [join(dir, 'f')]);
      const started = Date.now();
      const run = await runCli(args, { cwd: dir, timeoutMs: FIFO_READER_WAIT_MS + 20_000, env: NO_CI });
      expect(Date.now() - started).toBeGreaterThanOrEqual(FIFO_READER_WAIT_MS);
      // ci notes first that it found no config; the error is the one line after it.
      const lines = run.stderr.trimEnd().split('\n');
      expect({
        code: run.code,
        last: lines.at(-1),
        errors: lines.filter((l) => !l.startsWith('note:')).length,
      }).toEqual({
        code: 2,
        last: expect.stringMatching(
          /^error: cannot write f: nothing opened the named pipe for reading in 10 s \(hint: f is a named pipe: start the program that reads it first/,
        ),
        errors: 1,
      });
    },
    FIFO_READER_WAIT_MS + 30_000,
  );

  it('is written when a reader comes', async () => {
    execFileSync('mkfifo', [join(dir, 'f')]);
    const { done } = startCli(['analyze', 'o.tar', '-o', 'f'], { cwd: dir });
    await new Promise((r) => setTimeout(r, 500));
    const read = readFileSync(join(dir, 'f'), 'utf8');
    const run = await done;

    expect(run.code).toBe(0);
    expect(read).toMatch(/^o\.tar \(/);
  });
});

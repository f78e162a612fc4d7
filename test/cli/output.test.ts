// Where a command's output goes, through the real executable (the compiled dist/: `npm run build` first): `--json -o
// FILE` writes the JSON there (it used to print it on stdout and write nothing), a reader that goes away (`| head`)
// ends the run quietly with 141, and a full disk is one error line and exit 2 (they were stack traces).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startCli } from '../helpers/cli.js';
import { buildOciLayout, layer, WHITEOUT } from '../helpers/image-builder.js';

const DEMO = 'examples/demo/demo.tar';
const DOCKERFILE = 'examples/demo/Dockerfile';
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const oclif = { BALLAST_NO_FAST_PATH: '1' };

describe('--json -o FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-json-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['analyze', [DEMO], {}],
    ['inspect', [DEMO], {}],
    ['diff', [DEMO, DEMO], {}],
    ['explore', [DEMO], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], oclif],
  ])('%s %j writes what --json prints, and prints nothing (env %j)', async (command, args, env) => {
    const file = join(dir, `${command}-${Object.keys(env).length}.json`);
    const [printed, written] = await Promise.all([
      runCli([command, ...args, '--json'], { env }),
      runCli([command, ...args, '--json', '-o', file], { env }),
    ]);
    expect(written.code).toBe(printed.code);
    expect([0, 1]).toContain(written.code);
    expect(written.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(JSON.parse(printed.stdout)).toBeInstanceOf(Object);
  });

  it.each([[{}], [oclif]])(
    'lint --fix - --json: the fixed file on stdout, the JSON in -o FILE (env %j)',
    async (env) => {
      const input = 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\nADD config.yaml /etc/app/\n';
      const file = join(dir, `fix-${Object.keys(env).length}.json`);
      const result = await runCli(['lint', '--fix', '-', '--json', '-o', file, '--no-shellcheck'], { input, env });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(input.replace('apk add curl', 'apk add --no-cache curl').replace('ADD', 'COPY'));
      expect(JSON.parse(readFileSync(file, 'utf8')).targets[0].target).toBe('-');
      // Without -o there is nowhere left for the JSON: one line, exit 2, stdout untouched.
      const refused = await runCli(['lint', '--fix', '-', '--json', '--no-shellcheck'], { input, env });
      expect(refused).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(
          /^error: --fix on stdin prints the fixed file on stdout.*--json -o report\.json\)\n$/,
        ),
      });
    },
  );
});

describe('names from the image in a text report', () => {
  it('are shown with their control characters escaped, not obeyed by the terminal', async () => {
    // A big file deleted later, so it is listed among the wasted files, named to retitle and clear the terminal.
    const evil = 'tmp/\x1b]0;PWNED\x07\x1b[2Jevil';
    const image = await buildOciLayout([
      layer({ 'etc/os-release': 100 }),
      layer({ [evil]: 2_000_000 }),
      layer({ 'tmp/.wh.\x1b]0;PWNED\x07\x1b[2Jevil': WHITEOUT }),
    ]);
    try {
      for (const format of ['text', 'markdown']) {
        const result = await runCli(['analyze', image.path, '--format', format, '--no-cache']);
        expect(result.code).toBe(0);
        // (in Markdown in the rule message's code span, where brackets make no link and a backslash shows as itself)
        expect(result.stdout).toContain(
          format === 'markdown' ? '`/tmp/\\x1b]0;PWNED\\x07\\x1b[2Jevil`' : 'tmp/\\x1b]0;PWNED\\x07\\x1b[2Jevil',
        );
        // eslint-disable-next-line no-control-regex -- the point: no raw ESC (but colour) or BEL in the output
        expect(result.stdout).not.toMatch(/\x1b(?!\[[0-9;]*m)|\x07/);
      }
    } finally {
      image.cleanup();
    }
  });
});

describe('strings from the image in every text report', () => {
  // Given an image whose file names, history, labels and env carry a newline (a forged report line) and ESC[8m
  // (conceal: the terminal hides everything after it). The report's own newlines and colours may pass the final
  // escaping, so these must be escaped before rendering.
  const forged = 'Wasted        0 B (0.0%): nothing to fix';
  const dir = mkdtempSync(join(tmpdir(), 'ballast-spoof-'));
  let base: Awaited<ReturnType<typeof buildOciLayout>>;
  let spoof: Awaited<ReturnType<typeof buildOciLayout>>;
  beforeAll(async () => {
    base = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'COPY rootfs /')]);
    spoof = await buildOciLayout(
      [
        layer({ 'etc/os-release': 100 }, 'COPY rootfs /'),
        layer({ [`app/a\n${forged}`]: 600_000, 'app/z\x1b[8m': 700_000, 'tmp/t\x1b[8m': 800_000 }, 'RUN make \x1b[8m'),
        layer({ 'tmp/.wh.t\x1b[8m': WHITEOUT }, 'RUN rm\n/tmp/t'),
      ],
      { config: { Labels: { 'x\x1b[8m': 'v\nLabel: forged' }, Env: ['A=\x1b[8m'], User: 'app\x1b[8m' } },
    );
  });
  afterAll(() => {
    base.cleanup();
    spoof.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  // `shows`: the report quotes a name or history step of the image.
  it.each([
    ['analyze', () => ['analyze', spoof.path, '--no-cache'], true],
    ['analyze markdown', () => ['analyze', spoof.path, '--no-cache', '--format', 'markdown'], true],
    ['inspect', () => ['inspect', spoof.path], true],
    ['ci', () => ['ci', spoof.path, '--no-cache', '--max-wasted-bytes', '1'], true],
    ['ci markdown', () => ['ci', spoof.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'markdown'], true],
    ['ci github', () => ['ci', spoof.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'github'], true],
    ['ci stylish', () => ['ci', spoof.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'stylish'], true],
    ['diff', () => ['diff', base.path, spoof.path, '--no-cache'], true],
    ['diff markdown', () => ['diff', base.path, spoof.path, '--no-cache', '--format', 'markdown'], true],
    ['bases', () => ['bases', base.path, spoof.path, '--no-cache'], true],
    ['bases markdown', () => ['bases', base.path, spoof.path, '--no-cache', '--format', 'markdown'], true],
  ])('%s shows them as \\xHH: no forged line, no escape sequence, even in colour', async (_name, args, shows) => {
    const summary = join(dir, `${_name.replace(/ /g, '-')}.md`);
    // Colour on and the Actions step summary too: ci writes it from the same markdown.
    const env = { NO_COLOR: '', FORCE_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const result = await runCli(args(), { env });
    expect(result.stderr).not.toMatch(/^error/m);
    const texts = [result.stdout, ...(_name.startsWith('ci') ? [result.stderr, readFileSync(summary, 'utf8')] : [])];
    for (const text of texts) {
      // eslint-disable-next-line no-control-regex -- the point: ESC only in ballast's own colours, which never conceal
      expect(text.match(/\x1b\[[0-9;]*m/g)?.filter((sgr) => !/^\x1b\[(1|2|22|3[1-9])m$/.test(sgr)) ?? []).toEqual([]);
      // eslint-disable-next-line no-control-regex -- no other ESC or control character than the layout's own
      expect(text).not.toMatch(/\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/);
      expect(text).not.toMatch(/^\W*(Wasted {8}0 B|Label: forged)/m);
    }
    // (Markdown escapes the bracket, which it would read as a link: \x1b\[8m)
    if (shows) expect(result.stdout).toMatch(/\\x1b\\?\[8m/);
  });

  it('--json keeps the exact names', async () => {
    const result = await runCli(['analyze', spoof.path, '--no-cache', '--json']);
    const paths = (JSON.parse(result.stdout) as { topFiles: { path: string }[] }).topFiles.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([`app/a\n${forged}`, 'app/z\x1b[8m']));
  });
});

describe('when stdout cannot be written', () => {
  it.each([
    ['analyze', [DEMO], {}],
    ['analyze', [DEMO, '--json'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], oclif],
  ])('%s %j whose reader has gone ends with 141 and no stack trace (env %j)', async (command, args, env) => {
    const { child, done } = startCli([command, ...args], { env });
    // The reading end closes before the first write, as `| head -c0` or a reader that crashed would.
    child.stdout!.destroy();
    const result = await done;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 141, stderr: '' });
  });

  it.each([
    ['analyze', [DEMO], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], oclif],
  ])('%s %j onto a full disk (/dev/full) is one error line and exit 2 (env %j)', (command, args, env) => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [bin, command, ...args], {
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ code: result.status, stderr: result.stderr }).toEqual({
        code: 2,
        stderr: expect.stringMatching(/^error: cannot write the output: ENOSPC[^\n]*\(hint: [^\n]*\)\n$/),
      });
    } finally {
      closeSync(full);
    }
  });
});

describe('analyze --top', () => {
  it('prints as many rows as asked in text too (10 when not given); the markdown layer table has sizes and counts', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`data/f${String(i).padStart(2, '0')}`, 1000 + i]),
    );
    const image = await buildOciLayout([layer(many, 'COPY data /data')]);
    try {
      // The "Biggest files" rows: a size, the layer, the path.
      const rows = (stdout: string) => stdout.split('\n').filter((l) => /^\d\.\d\d kB +L0 +\/data\/f\d\d$/.test(l));
      const asked = await runCli(['analyze', image.path, '--top', '25', '--no-cache']);
      expect(asked.code).toBe(0);
      expect(rows(asked.stdout)).toHaveLength(25);
      expect(rows((await runCli(['analyze', image.path, '--no-cache'])).stdout)).toHaveLength(10);
      // The layer table says what each column holds: the layer's bytes, then its file count.
      const markdown = await runCli(['analyze', image.path, '--format', 'markdown', '--no-cache']);
      expect(markdown.stdout).toContain('| # | Size | Files | Wasted | Instruction |');
      expect(markdown.stdout).toMatch(/^\| 0 \| 30\.4 kB \| 30 \| {2}\| /m);
    } finally {
      image.cleanup();
    }
  });

  it('lists 50 wasted files in the HTML page when --top is not given, as --help says, not the 20 of --json', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`data/f${String(i).padStart(2, '0')}`, 1000 + i]),
    );
    // The second layer writes every file again: the first layer's copies are wasted.
    const image = await buildOciLayout([layer(many, 'COPY data /data'), layer(many, 'COPY data /data')]);
    const dir = mkdtempSync(join(tmpdir(), 'ballast-top-'));
    try {
      const wastedRows = (args: string[]) => {
        const page = readFileSync(join(dir, 'report.html'), 'utf8');
        // Up to dive's note and its inefficient files, which follow the wasted files in the same section.
        const section = page.slice(page.indexOf('<h2 id="wasted">'), page.indexOf('<p class="note" id="dive-wasted">'));
        expect(section).not.toBe('');
        return { args, rows: section.split('<tr>').length - 2 };
      };
      const html = ['analyze', image.path, '--format', 'html', '-o', join(dir, 'report.html'), '--no-cache'];
      expect((await runCli(html)).code).toBe(0);
      expect(wastedRows(html)).toEqual({ args: html, rows: 50 });
      const asked = [...html, '--top', '55'];
      expect((await runCli(asked)).code).toBe(0);
      expect(wastedRows(asked)).toEqual({ args: asked, rows: 55 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      image.cleanup();
    }
  });
});

describe('-o into a folder that does not exist yet', () => {
  // `-o sarif=reports/x.sarif` with no reports/ was exit 2 even when the verdict was 1, and the upload found nothing:
  // the folders of an output path are made, as eslint and most CI tools make them.
  const dir = mkdtempSync(join(tmpdir(), 'ballast-out-dirs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { GITHUB_ACTIONS: '', GITLAB_CI: '', BUILD_SOURCESDIRECTORY: '', GITHUB_WORKSPACE: '' };

  it('ci writes -o FORMAT=PATH and -o PATH into new folders, and keeps its verdict', async () => {
    const sarif = join(dir, 'ci', 'reports', 'x.sarif');
    const json = join(dir, 'ci', 'other', 'deeper', 'x.json');
    const result = await runCli(['ci', DEMO, '-f', DOCKERFILE, '-o', `sarif=${sarif}`, '-o', json, '--json'], { env });
    expect([0, 1]).toContain(result.code);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(json, 'utf8')).exitCode).toBe(result.code);
  });

  it('ci --save-baseline writes the baseline into new folders too', async () => {
    const baseline = join(dir, 'ci', 'baselines', 'app.json');
    const result = await runCli(['ci', DEMO, '--save-baseline', baseline], { env });
    expect([0, 1]).toContain(result.code);
    expect(JSON.parse(readFileSync(baseline, 'utf8'))).toBeInstanceOf(Object);
    const blocker = join(dir, 'baseline-blocker');
    writeFileSync(blocker, 'a file, not a folder\n');
    const blocked = await runCli(['ci', DEMO, '--save-baseline', join(blocker, 'app.json')], { env });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(
      /^error: cannot write the baseline [^\n]*\(hint: a part of [^\n]* is not a directory/,
    );
  });

  it.each([
    ['lint', [DOCKERFILE, '--no-shellcheck'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], oclif],
    ['lint', [DOCKERFILE, '--no-shellcheck', '--json'], oclif],
    ['analyze', [DEMO], {}],
    ['analyze', [DEMO, '--json'], {}],
  ])('%s %j -o NEW/FOLDER/FILE writes the file (env %j)', async (command, args, extra) => {
    const file = join(dir, command, `${args.length}-${Object.keys(extra).length}`, 'new', 'report.out');
    const result = await runCli([command, ...args, '-o', file], { env: { ...env, ...extra } });
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
  });

  it.each([
    ['lint', [DOCKERFILE, '--no-shellcheck'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck'], oclif],
    ['analyze', [DEMO, '--json'], {}],
    ['ci', [DEMO, '-f', DOCKERFILE], {}],
  ])('%s %j: a part of the path that is a file stays one error line, exit 2 (env %j)', async (command, args, extra) => {
    const blocker = join(dir, `blocker-${command}-${args.length}-${Object.keys(extra).length}`);
    writeFileSync(blocker, 'a file, not a folder\n');
    const result = await runCli([command, ...args, '-o', join(blocker, 'sub', 'report.out')], {
      env: { ...env, ...extra },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: cannot write [^\n]*report\.out[^\n]*\(hint: a part of [^\n]* is not a directory/m,
    );
    expect(readFileSync(blocker, 'utf8')).toBe('a file, not a folder\n');
  });
});

describe('-o into a folder that takes no new files', () => {
  // `-o /proc/x.html`: /proc is there, but no file can be made in it, and the hint said "the directory /proc does not
  // exist: create it first".
  it.each([
    ['analyze', [DEMO, '--format', 'html']],
    ['analyze', [DEMO, '--json']],
    ['lint', [DOCKERFILE, '--no-shellcheck']],
  ])('%s %j -o /proc/FILE says no file can be made there, in one line, exit 2', async (command, args) => {
    const result = await runCli([command, ...args, '-o', '/proc/ballast-report.out']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: cannot write \/proc\/ballast-report\.out: no file can be made in \/proc \(ENOENT\) \(hint: \/proc takes no new files[^\n]*: write it somewhere else, such as \.\/ballast-report\.out\)\n$/,
    );
    expect(result.stderr).not.toContain('does not exist');
  });

  // `-o /proc/x/report.out`: Node's recursive mkdir of /proc/x never returns (it retried at full CPU until killed), so
  // the missing folders are made one at a time, and the one /proc refuses is named.
  it.each([
    ['diff', [DEMO, DEMO, '--only', 'size']],
    ['diff', [DEMO, DEMO, '--only', 'size', '--json']],
    ['lint', [DOCKERFILE, '--no-shellcheck']],
  ])('%s %j -o /proc/NEW/FILE says no folder can be made there, in one line, exit 2', async (command, args) => {
    const result = await runCli([command, ...args, '-o', '/proc/ballast-new/report.out'], { timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: cannot write \/proc\/ballast-new\/report\.out: no folder can be made in \/proc \(ENOENT\) \(hint: \/proc takes no new folders[^\n]*: write it somewhere else, such as \.\/report\.out\)\n$/,
    );
  });

  it('-o LINK, a symbolic link whose target has no folder, says so and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-out-link-'));
    try {
      const link = join(dir, 'report.json');
      symlinkSync(join(dir, 'gone', 'report.json'), link);
      const result = await runCli(['analyze', DEMO, '--json', '-o', link]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^error: cannot write [^\n]*report\.json: [^\n]* is a symbolic link [^\n]*\(hint: remove the link or make [^\n]*\)\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a failed gate whose report went only to a file', () => {
  // `lint Dockerfile -o report.txt` exited 1 with nothing on stdout or stderr, so a CI log showed no reason for the red
  // job: one line on stderr says why, in the report's own words, and where the report is.
  const dir = mkdtempSync(join(tmpdir(), 'ballast-gate-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { GITHUB_ACTIONS: '', GITLAB_CI: '', BUILD_SOURCESDIRECTORY: '', GITHUB_WORKSPACE: '' };
  const line = (reason: string, file: string) => `ballast: ${reason}; report written to ${file}\n`;

  it.each([
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'warning'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'warning'], oclif],
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'warning', '--format', 'sarif'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'warning', '--json'], oclif],
    ['analyze', [DEMO, '--fail-on', 'info'], {}],
    ['analyze', [DEMO, '--fail-on', 'info', '--json'], {}],
  ])('%s %j -o FILE says why on stderr (env %j)', async (command, args, extra) => {
    const file = join(dir, `${command}-${args.length}-${Object.keys(extra).length}.out`);
    const [printed, written] = await Promise.all([
      runCli([command, ...args], { env: { ...env, ...extra } }),
      runCli([command, ...args, '-o', file], { env: { ...env, ...extra } }),
    ]);
    expect(written.code).toBe(1);
    expect(written.stdout).toBe('');
    const reason =
      command === 'lint' ? '2 findings at or above warning' : /^ballast: (\d+ findings?) at or above info;/;
    if (typeof reason === 'string') expect(written.stderr).toBe(line(reason, file));
    else expect(written.stderr).toMatch(new RegExp(`${reason.source} report written to ${file}\\n$`));
    expect(printed.code).toBe(1);
    // With the report on stdout, lint's findings are the reason (as hadolint's are): nothing more on stderr. No analyze
    // report states its --fail-on verdict, so a CI log whose stdout went to a file showed a red job with no reason:
    // the same line says why, with no file to name.
    const verdict = written.stderr.split(';')[0];
    expect(printed.stderr).toBe(command === 'lint' ? '' : `${verdict}\n`);
  });

  it('lint --fix - -o FILE, the fixed file on stdout and the report in FILE, says why too', async () => {
    const input = 'FROM alpine:3.20\nRUN apk add curl\n';
    const file = join(dir, 'fix-stdin.txt');
    for (const extra of [{}, oclif]) {
      const result = await runCli(['lint', '--fix', '-', '-o', file, '--no-shellcheck', '--fail-on', 'warning'], {
        input,
        env: { ...env, ...extra },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(line('1 finding at or above warning', file));
    }
  });

  it('diff -o FILE over --fail-on-growth says so with the report’s verdict', async () => {
    const a = await buildOciLayout([layer({ 'app/a.txt': 100 }, 'COPY a /app')]);
    const b = await buildOciLayout([layer({ 'app/a.txt': 100, 'app/b.bin': 20000 }, 'COPY a /app')]);
    try {
      const file = join(dir, 'diff.txt');
      const result = await runCli(['diff', a.path, b.path, '--fail-on-growth', '10kB', '-o', file], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^ballast: growth \+2\d\.\d kB uncompressed is over the limit 10.0 kB; report written to /,
      );
      expect(readFileSync(file, 'utf8')).toContain(result.stderr.slice('ballast: '.length).split(';')[0]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  // Review s48: `-o -` is stdout for every other command; ci wrote a file named `-`, for `-o -` and `-o junit=-` alike.
  it('ci -o - and -o FORMAT=- print on stdout, not into a file named -; two reports for stdout are refused', async () => {
    const cwd = mkdtempSync(join(dir, 'dash-'));
    const sarif = join(cwd, 'x.sarif');
    const gate = ['ci', join(process.cwd(), DEMO), '-f', join(process.cwd(), DOCKERFILE), '--max-image-bytes', '1'];
    const [text, dash, junit, twice, thrice] = await Promise.all([
      runCli(gate, { env, cwd }),
      runCli([...gate, '-o', '-'], { env, cwd }),
      runCli([...gate, '--output', 'junit=-', '--output', `sarif=${sarif}`], { env, cwd }),
      runCli([...gate, '--format', 'sarif', '--output', 'junit=-'], { env, cwd }),
      runCli([...gate, '--json', '--format', 'sarif', '--output', 'junit=-'], { env, cwd }),
    ]);
    expect([dash.code, dash.stdout]).toEqual([1, text.stdout]);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/^<\?xml[^]*<failure type="budget" message="uncompressed image size/);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect([twice.code, twice.stdout]).toEqual([2, '']);
    expect(twice.stderr).toContain('error: --output junit=- and --format sarif both ask for stdout');
    expect([thrice.code, thrice.stdout]).toEqual([2, '']);
    // --save-baseline - wrote a file named `-` too: stdout is the report's, so it is refused, saying so.
    const saved = await runCli([...gate, '--save-baseline', '-'], { env, cwd });
    expect([saved.code, saved.stdout]).toEqual([2, '']);
    expect(saved.stderr).toMatch(
      /^error: --save-baseline - would write the baseline to stdout[^\n]*\(hint: [^\n]*\.\/-/,
    );
    expect(readdirSync(cwd)).toEqual(['x.sarif']);
  });

  it('ci -o FILE names the failed budgets; -o FORMAT=PATH alone leaves the report on stdout and adds nothing', async () => {
    const text = join(dir, 'ci.txt');
    const sarif = join(dir, 'ci.sarif');
    const gate = ['ci', DEMO, '-f', DOCKERFILE, '--max-image-bytes', '1'];
    const [toFiles, toStdout] = await Promise.all([
      runCli([...gate, '-o', text, '-o', `sarif=${sarif}`], { env }),
      runCli([...gate, '-o', `sarif=${join(dir, 'ci-only.sarif')}`], { env }),
    ]);
    expect(toFiles.code).toBe(1);
    expect(toFiles.stdout).toBe('');
    expect(toFiles.stderr).toMatch(
      new RegExp(
        `^(note: [^\\n]*\\n)*ballast: 1 budget failed \\(maxImageBytes\\); reports written to ${text} and ${sarif}\\n$`,
      ),
    );
    expect(readFileSync(text, 'utf8')).toContain('1 budget failed (maxImageBytes)');
    expect(toStdout.code).toBe(1);
    expect(toStdout.stdout).toContain('1 budget failed (maxImageBytes)');
    expect(toStdout.stderr).not.toContain('ballast:');
  });

  // `ci --format sarif > ballast.sarif` that failed its gate exited 1 with nothing on stderr: the text report states
  // the verdict, the documents do not, so the CI log showed a bare exit 1.
  it.each([
    [['--format', 'sarif'], 'sarif'],
    [['--format', 'json'], 'json'],
    [['--json'], 'json'],
    [['--format', 'junit'], 'junit'],
    [['--format', 'checkstyle'], 'checkstyle'],
    [['--output', 'junit=-'], 'junit'],
  ])('ci %j on stdout that fails says why on stderr; stdout is the document alone', async (flags, format) => {
    const file = join(dir, `ci-stdout-${flags.join('')}.${format}`);
    const gate = ['ci', DEMO, '-f', DOCKERFILE, '--max-image-bytes', '1'];
    // The same document written to a file by FORMAT=PATH: stdout must be that, and nothing more.
    const result = await runCli([...gate, ...flags, '-o', `${format}=${file}`], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^(note: [^\n]*\n)*ballast: 1 budget failed \(maxImageBytes\)\n$/);
    expect(result.stdout).toBe(readFileSync(file, 'utf8'));
  });

  it.each([[['--format', 'text']], [['--format', 'markdown']]])(
    'ci %j on stdout that fails adds nothing on stderr: the report opens with the verdict',
    async (flags) => {
      const result = await runCli(['ci', DEMO, '-f', DOCKERFILE, '--max-image-bytes', '1', ...flags], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('1 budget failed (maxImageBytes)');
      expect(result.stderr).not.toContain('ballast:');
    },
  );

  it.each([[[]], [['--format', 'github']]])(
    'ci %j -o FILE on GitHub Actions says why before the annotations, each once',
    async (format) => {
      // The reason line came after every annotation: with many findings it was buried under them. The annotations do
      // not make it redundant (they are per finding, and do not say which of them failed the gate or where the reports
      // are), so it stays, first.
      const file = join(dir, `ci-gha-${format.length}.txt`);
      const gate = ['ci', DEMO, '-f', DOCKERFILE, '--max-image-bytes', '1', ...format, '-o', file];
      const result = await runCli(gate, {
        env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, `ci-gha-${format.length}.md`) },
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      const notes = lines.filter((l) => l.startsWith('note: '));
      const reason = `ballast: 1 budget failed (maxImageBytes); report written to ${file}`;
      const annotations = lines.filter((l) => l.startsWith('::'));
      // Notes, then the reason, then the annotations, and nothing else.
      expect(lines).toEqual([...notes, reason, ...annotations]);
      expect(annotations.filter((l) => l.includes('budget/maxImageBytes'))).toHaveLength(1);
      expect(annotations.length).toBeGreaterThan(1);
      // The file holds the report; for --format github those are the same annotations, which the runner does not read
      // from a file: on stderr as well, once.
      if (format.length) expect(readFileSync(file, 'utf8')).toBe(`${annotations.join('\n')}\n`);
    },
  );

  it.each([
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'error'], {}],
    ['lint', [DOCKERFILE, '--no-shellcheck', '--fail-on', 'error'], oclif],
    ['analyze', [DEMO], {}],
  ])('%s %j -o FILE that passes prints nothing (env %j)', async (command, args, extra) => {
    const file = join(dir, `pass-${command}-${Object.keys(extra).length}.out`);
    const result = await runCli([command, ...args, '-o', file], { env: { ...env, ...extra } });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('NO_COLOR beside FORCE_COLOR', () => {
  // Node's console (which oclif prints through) warns that NO_COLOR "is ignored" whenever FORCE_COLOR is set too;
  // ballast settles the two itself (a non-empty NO_COLOR wins, an empty one is unset), so no such warning is right.
  it.each([
    ['a non-empty NO_COLOR wins', { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['an empty NO_COLOR is unset', { NO_COLOR: '', FORCE_COLOR: '1' }, true],
  ])('%s, and Node says nothing of it', async (_name, env, coloured) => {
    for (const args of [
      ['inspect', DEMO],
      ['inspect', '--help'],
      ['lint', DOCKERFILE],
    ]) {
      const result = await runCli(args, { env: { ...env, ...oclif } });
      expect({ args, stderr: result.stderr }).toEqual({ args, stderr: '' });
    }
    const report = await runCli(['analyze', DEMO], { env });
    // eslint-disable-next-line no-control-regex -- an SGR sequence: the report is coloured
    expect(/\x1b\[[0-9;]*m/.test(report.stdout)).toBe(coloured);
  });
});

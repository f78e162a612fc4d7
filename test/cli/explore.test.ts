// `ballast explore` end to end through the real executable (the compiled dist/: `npm run build` first): in a real
// terminal (tmux, on a private server socket this test starts and kills), without one (exit 2 and a hint), and --json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExploreJson } from '../../src/services/explore.js';
import { runCli } from '../helpers/cli.js';
import {
  DIR,
  WHITEOUT,
  buildOciLayout,
  file,
  hardlink,
  layer,
  symlink as symlinkEntry,
} from '../helpers/image-builder.js';
import { skopeoCopy, startProxy, startRegistry, type Proxy, type Registry } from '../helpers/registry.js';

const DEMO = 'examples/demo/demo.tar';

describe('ballast explore without a terminal', () => {
  it('exits 2 with one line pointing to analyze when stdout is not a TTY', async () => {
    const { code, stdout, stderr } = await runCli(['explore', DEMO]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^error: explore needs a terminal .*\(hint: use `ballast analyze examples\/demo\/demo\.tar` for a report/,
    );
  });

  it('names a missing image first, as analyze does, not the terminal', async () => {
    // The path is the user's real mistake: the terminal's hint sent them to `analyze nope.tar`, which then failed.
    const explore = await runCli(['explore', 'nope.tar']);
    const analyze = await runCli(['analyze', 'nope.tar']);
    expect(explore.code).toBe(2);
    expect(explore.stderr.trim().split('\n')).toHaveLength(1);
    expect(explore.stderr).toMatch(/^error: nope\.tar does not exist \(hint: check the path\)/);
    expect(explore.stderr).toBe(analyze.stderr);
    expect(explore.code).toBe(analyze.code);
    const transport = await runCli(['explore', 'oci:examples/demo/demo.tar']);
    expect(transport.code).toBe(2);
    expect(transport.stderr).toMatch(/^error: examples\/demo\/demo\.tar is a file, not an OCI layout directory/);
  });

  it('names an empty file first, as analyze does, not the terminal', async () => {
    // The check only opened the file: one of 0 bytes was said to need a terminal, and `analyze` then said it is empty.
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-empty-'));
    try {
      await writeFile(join(dir, 'empty.tar'), '');
      const explore = await runCli(['explore', 'empty.tar'], { cwd: dir });
      expect(explore.code).toBe(2);
      expect(explore.stderr.trim().split('\n')).toHaveLength(1);
      expect(explore.stderr).toMatch(/^error: empty\.tar is empty \(hint: /);
      expect(explore).toEqual(await runCli(['analyze', 'empty.tar'], { cwd: dir }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a directory that is no OCI layout first, as analyze does, not the terminal', async () => {
    // Only a file was opened before the terminal check: a directory without index.json, or with one that cannot be
    // read, was said to need a terminal, and `analyze DIR` then said what was wrong.
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-'));
    try {
      const empty = await runCli(['explore', dir]);
      expect(empty.code).toBe(2);
      expect(empty.stderr.trim().split('\n')).toHaveLength(1);
      expect(empty.stderr).toContain('is a directory but not an OCI image layout (it has no index.json)');
      expect(empty).toEqual(await runCli(['analyze', dir]));
      // A link to itself: there, and unreadable (also for root, whom file modes do not stop).
      await symlink('index.json', join(dir, 'index.json'));
      const unreadable = await runCli(['explore', dir]);
      expect(unreadable.stderr).toMatch(/^error: cannot read index\.json in /);
      expect(unreadable).toEqual(await runCli(['analyze', dir]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a malformed index.json first, as analyze does, not the terminal; no blob is read for it', async () => {
    // index.json was only checked to be there and readable: `explore DIR | cat` said it needed a terminal, and
    // `analyze DIR` then said the layout was broken.
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-index-'));
    try {
      for (const [text, error] of [
        ['{"schemaVersion": 2, "manifests": [', /^error: index\.json in .* is not valid JSON/],
        ['{"schemaVersion": 2, "manifests": 3}', /^error: index\.json in .* is not an OCI image index/],
        ['null', /^error: index\.json in .* is not an OCI image index/],
      ] as const) {
        await writeFile(join(dir, 'index.json'), text);
        const explore = await runCli(['explore', dir]);
        expect(explore.code).toBe(2);
        expect(explore.stdout).toBe('');
        expect(explore.stderr.trim().split('\n')).toHaveLength(1);
        expect(explore.stderr).toMatch(error);
        expect(explore).toEqual(await runCli(['analyze', dir]));
      }
      // A well-formed index whose manifest is missing: only a blob says so, and the check reads none of them.
      const missing = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}` };
      await writeFile(
        join(dir, 'index.json'),
        JSON.stringify({ schemaVersion: 2, manifests: [{ ...missing, size: 2 }] }),
      );
      const blobless = await runCli(['explore', dir]);
      expect(blobless.code).toBe(2);
      expect(blobless.stderr).toMatch(/^error: explore needs a terminal/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names `ballast ci` in CI, where a dive user's `CI=true dive IMAGE` ran the gate instead of the view", async () => {
    const ci = await runCli(['explore', DEMO], { env: { CI: 'true' } });
    expect(ci.code).toBe(2);
    expect(ci.stderr.trim().split('\n')).toHaveLength(1);
    expect(ci.stderr).toMatch(/hint: use `ballast analyze examples\/demo\/demo\.tar` for a report/);
    expect(ci.stderr).toContain('in CI, `ballast ci examples/demo/demo.tar` is the gate');
    const notCi = await runCli(['explore', DEMO], { env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' } });
    expect(notCi.code).toBe(2);
    expect(notCi.stderr).not.toContain('ballast ci');
  });

  it("prints each layer's changes with --json", async () => {
    const { code, stdout } = await runCli(['explore', DEMO, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.layers).toHaveLength(6);
    expect(json.layers[2].changes).toContainEqual({
      path: '/opt/tool/tool-1.0.tar.gz',
      kind: 'file',
      status: 'added',
      sizeBytes: 1_000_000,
      wasted: { cause: 'deleted', byLayer: 5 },
    });
    expect(json.layers[5].changes).toContainEqual(expect.objectContaining({ path: '/opt/tool', status: 'removed' }));
    expect(json.summary.wastedBytes).toBeGreaterThan(1_000_000);
  });

  it('marks a deleted copy wasted on its removal too, and the added or modified copies sum to the wasted bytes', async () => {
    // Given files deleted (one in a directory a file replaces), overwritten, and rewritten by a chmod, when --json
    // lists the changes, then a removal carries the wasted mark of the copy it removed, with its own layer as byLayer,
    // and, as the README says, the added and modified changes marked wasted add up to each layer's wastedBytes and to
    // summary.wastedBytes, where every mark summed counts the deleted files twice.
    const built = await buildOciLayout([
      layer({ 'a/': DIR, 'a/x': 1_000, 'c/': DIR, 'c/z': 4_000, b: 3_000, m: file('m', { mode: 0o644 }) }),
      layer({ '.wh.c': WHITEOUT, c: 800, b: 300, 'a/.wh.x': WHITEOUT, m: file('m', { mode: 0o600 }) }),
      layer({ b: 30 }),
    ]);
    try {
      const { code, stdout } = await runCli(['explore', built.path, '--json']);
      expect(code).toBe(0);
      const json = JSON.parse(stdout) as ExploreJson;
      const removals = json.layers[1].changes.filter((c) => c.status === 'removed');
      expect(removals.map((c) => [c.path, c.sizeBytes, c.wasted])).toEqual([
        ['/c/z', 4_000, { cause: 'deleted', byLayer: 1 }],
        ['/a/x', 1_000, { cause: 'deleted', byLayer: 1 }],
      ]);
      const marked = (status: (s: string) => boolean) =>
        json.layers.map((l) =>
          l.changes.filter((c) => c.wasted && status(c.status)).reduce((n, c) => n + c.sizeBytes, 0),
        );
      const written = marked((s) => s !== 'removed');
      expect(written).toEqual(json.layers.map((l) => l.wastedBytes));
      expect(json.summary.wastedBytes).toBe(1_000 + 4_000 + 3_000 + 1 + 300);
      expect(written.reduce((a, b) => a + b)).toBe(json.summary.wastedBytes);
      expect(marked(() => true).reduce((a, b) => a + b)).toBe(json.summary.wastedBytes + 5_000);
    } finally {
      built.cleanup();
    }
  });

  it('marks hard-linked bytes wasted on the name that wrote them, so the marks add up with no exception', async () => {
    // Given: L0 writes h1 (5000 B) and k1 (600 B), each with a hard link (h2, k2); L1 removes h1 and k1 (the links
    // hold the bytes now); L2 removes h2 and rewrites k2. The bytes L0 wrote are wasted, by L2, under the names of
    // the links, which L0 wrote as links of no bytes.
    const built = await buildOciLayout([
      layer({ h1: 5_000, h2: hardlink('h1'), k1: 600, k2: hardlink('k1') }),
      layer({ '.wh.h1': WHITEOUT, '.wh.k1': WHITEOUT }),
      layer({ '.wh.h2': WHITEOUT, k2: 70 }),
    ]);
    try {
      const { code, stdout } = await runCli(['explore', built.path, '--json']);
      expect(code).toBe(0);
      const json = JSON.parse(stdout) as ExploreJson;
      expect(json.summary.wastedBytes).toBe(5_600);
      // Then L0's changes that wrote the bytes carry the mark, with the layer that hid them through the other name;
      const marks = (i: number) =>
        json.layers[i].changes.filter((c) => c.wasted).map((c) => [c.status, c.path, c.wasted]);
      expect(marks(0)).toEqual([
        ['added', '/h1', { cause: 'deleted', byLayer: 2 }],
        ['added', '/k1', { cause: 'overwrittenChanged', byLayer: 2 }],
      ]);
      // L1's removals freed nothing (the links kept the bytes), and L2's removal of h2 is the one that hid them.
      expect(marks(1)).toEqual([]);
      expect(marks(2)).toEqual([['removed', '/h2', { cause: 'deleted', byLayer: 2 }]]);
      // and the added and modified changes marked wasted add up to each layer's and the image's wasted bytes.
      const written = json.layers.map((l) =>
        l.changes.filter((c) => c.wasted && c.status !== 'removed').reduce((n, c) => n + c.sizeBytes, 0),
      );
      expect(written).toEqual(json.layers.map((l) => l.wastedBytes));
      expect(written.reduce((a, b) => a + b)).toBe(json.summary.wastedBytes);
    } finally {
      built.cleanup();
    }
  });

  it('does not list the other name of a hard-linked file as changed by a layer that rewrote only the file', async () => {
    // Given: L0 writes etc/app.conf and a hard link etc/app.link to it; L1 chmods etc/app.conf (a copy-up: the
    // link alone keeps the old bytes, and L1's tar never names it).
    const built = await buildOciLayout([
      layer({ 'etc/': DIR, 'etc/app.conf': file('port=80'), 'etc/app.link': hardlink('etc/app.conf') }),
      layer({ 'etc/app.conf': file('port=80', { mode: 0o600 }) }),
    ]);
    try {
      const { code, stdout } = await runCli(['explore', built.path, '--json']);
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      expect(json.layers[1].changes).toEqual([
        { path: '/etc/app.conf', kind: 'file', status: 'modified', sizeBytes: 7 },
      ]);
      expect(json.summary.finalFileBytes).toBe(14);
    } finally {
      built.cleanup();
    }
  });

  it('says where a symlink or hard link points, as the view does, so a link does not read as an empty file', async () => {
    // Given: L0 writes a file, a hard link to it and a relative symlink; L1 removes the symlink.
    const built = await buildOciLayout([
      layer({
        'opt/': DIR,
        'opt/data/': DIR,
        'opt/data/blob.bin': file('payload'),
        'opt/data/same.bin': hardlink('opt/data/blob.bin'),
        'opt/current': symlinkEntry('data/blob.bin'),
      }),
      layer({ 'opt/.wh.current': WHITEOUT }),
    ]);
    try {
      const { code, stdout } = await runCli(['explore', built.path, '--json']);
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      expect(json.layers[0].changes).toEqual(
        expect.arrayContaining([
          { path: '/opt/data/blob.bin', kind: 'file', status: 'added', sizeBytes: 7 },
          { path: '/opt/data/same.bin', kind: 'hardlink', status: 'added', sizeBytes: 0, link: '/opt/data/blob.bin' },
          { path: '/opt/current', kind: 'symlink', status: 'added', sizeBytes: 0, link: 'data/blob.bin' },
        ]),
      );
      expect(json.layers[1].changes).toEqual([
        { path: '/opt/current', kind: 'symlink', status: 'removed', sizeBytes: 0, link: 'data/blob.bin' },
      ]);
    } finally {
      built.cleanup();
    }
  });

  it('writes the same document with --format json -o FILE as --json prints (both are written in pieces)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-'));
    try {
      const file = join(dir, 'layers.json');
      const [printed, written] = await Promise.all([
        runCli(['explore', DEMO, '--json']),
        runCli(['explore', DEMO, '--format', 'json', '-o', file]),
      ]);
      expect(printed.code).toBe(0);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe('');
      const text = await readFile(file, 'utf8');
      expect(text).toBe(printed.stdout);
      // The exact text JSON.stringify gives, so nothing downstream sees a difference from the pieces.
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Review s48: `-o -` is stdout for every command (its --help says so), but explore dropped it and wanted a terminal.
  it('prints the same document with -o - as --json, not asking for a terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-'));
    try {
      const image = join(process.cwd(), DEMO);
      const [printed, dash] = await Promise.all([
        runCli(['explore', image, '--json']),
        runCli(['explore', image, '-o', '-'], { cwd: dir }),
      ]);
      expect([dash.code, dash.stderr]).toEqual([0, '']);
      expect(dash.stdout).toBe(printed.stdout);
      expect(existsSync(join(dir, '-'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A tmux server of this test's own (private socket), so other sessions on the machine are never touched. */
class Tmux {
  readonly socket = `ballast-explore-test-${process.pid}`;

  run(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  screen(escapes = false): string {
    return this.run('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'explore');
  }

  /** Polls the screen until it matches (the first start compiles nothing, but the machine may be busy). */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() - started > timeoutMs) throw new Error(`screen never matched ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  keys(...keys: string[]): void {
    for (const k of keys) this.run('send-keys', '-t', 'explore', k);
  }

  /** Whether the terminal echoes what is typed (its mode, as `stty` reads it). */
  echoes(): boolean {
    const tty = this.run('display', '-p', '-t', 'explore', '#{pane_tty}').trim();
    return !/(^|\s)-echo(\s|$)/.test(execFileSync('stty', ['-a', '-F', tty], { encoding: 'utf8' }));
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn(
    'tmux not found: the real-terminal explore test is SKIPPED (sudo bash scripts/setup-tests.sh installs it)',
  );

(hasTmux ? describe : describe.skip)('ballast explore in a real terminal (tmux)', () => {
  const tmux = new Tmux();
  afterAll(() => tmux.kill());

  it('draws at 80x24, answers keys, redraws on resize, respects NO_COLOR and quits on q', async () => {
    // Given the demo image in an 80x24 terminal with NO_COLOR set, and CI=true (a CI job that opens a terminal: the
    // view draws all the same).
    const command = `NO_COLOR=1 CI=true node bin/run.js explore ${DEMO} --dockerfile examples/demo/Dockerfile; echo "exit=$?"; sleep 60`;
    tmux.run('new-session', '-d', '-s', 'explore', '-x', '80', '-y', '24', '-c', process.cwd(), command);
    let screen = await tmux.waitFor(/\?:help tab:pane/);
    const lines = screen.replace(/\n+$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(screen).toContain('Layers (6)');
    expect(screen).toMatch(/>L5 +0 B +- :20 RUN rm -/);
    expect(screen).toContain('L5 +0 ~0 -1 files  examples/demo/Dockerfile:20 RUN rm -rf /opt/tool');
    expect(screen).toMatch(/6 layers · .* wasted 1\.4\d MB/);
    expect(screen).toMatch(/1\.00 MB IM003 \/opt\/tool\/tool-1\.0\.tar\.gz L2 line 13 →/);
    // NO_COLOR: attributes (bold, inverse bars) but no colours on the real screen; tmux itself writes the resets
    // to the default colours (39, 49), which are not colours.
    // eslint-disable-next-line no-control-regex -- matching ANSI codes is the point
    expect(tmux.screen(true)).not.toMatch(/\u001b\[[0-9;]*\b(3[0-8]|4[0-8]|9[0-7]|10[0-7])\b[0-9;]*m/);

    // When: the layers pane moves up three layers to the download, then the tree is filtered to it.
    tmux.keys('k', 'k', 'k');
    screen = await tmux.waitFor(/>L2 +1\.00 MB +1\.00 MB/);
    tmux.keys('/', 't', 'o', 'o', 'l', '-', 'Enter');
    // (Each expectation waits for its screen: a capture can land while the terminal is halfway through a redraw.)
    screen = await tmux.waitFor(/filter \/tool-(?!_)[^]*\+ +1\.00 MB WJ? +tool-1\.0\.tar\.gz/);

    // Resize: the help bar, its less needed hints dropped at 80 columns (q:quit kept), shows whole at 120.
    expect(screen).toMatch(/^\?:help tab:pane .* q:quit *$/m);
    expect(screen).not.toContain('u:unchanged');
    tmux.run('resize-window', '-t', 'explore', '-x', '120', '-y', '30');
    screen = await tmux.waitFor(/E\/C:all .* u:unchanged w:wasted f:findings q:quit/);
    expect(screen.split('\n').some((l) => l.length > 80)).toBe(true);

    // q leaves the alternate screen and exits 0.
    tmux.keys('q');
    screen = await tmux.waitFor(/exit=\d+/);
    expect(screen).toContain('exit=0');
    expect(screen).not.toContain('Layers (6)');
  }, 120_000);

  it('says stdin is what is not a terminal when only stdout is one (input redirected)', async () => {
    // Given a terminal for stdout but stdin from /dev/null (a script, `< file`), when explore starts, then it exits 2
    // naming stdin: keys could never reach the view.
    spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
    const command = `node bin/run.js explore ${DEMO} < /dev/null; echo "exit=$?"; sleep 60`;
    tmux.run('new-session', '-d', '-s', 'explore', '-x', '200', '-y', '24', '-c', process.cwd(), command);
    const screen = await tmux.waitFor(/exit=\d+/);
    expect(screen).toContain('exit=2');
    expect(screen).toMatch(/^error: explore needs a terminal \(stdin is not a TTY\)/m);
  }, 60_000);

  it('exits 2 on a terminal that cannot move the cursor (TERM=dumb), drawing nothing', async () => {
    // Given a TTY whose TERM says it is dumb (Emacs' shell), when explore starts, then it says so in one line and
    // exits 2 instead of sending a full-screen view's escape codes to a terminal that would print them.
    spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
    const command = `TERM=dumb node bin/run.js explore ${DEMO}; echo "exit=$?"; sleep 60`;
    tmux.run('new-session', '-d', '-s', 'explore', '-x', '200', '-y', '24', '-c', process.cwd(), command);
    const screen = await tmux.waitFor(/exit=\d+/);
    expect(screen).toContain('exit=2');
    expect(screen).toMatch(/^error: explore needs a terminal that can move the cursor \(TERM is dumb\)/m);
    expect(screen).not.toContain('Layers (6)');
  }, 60_000);

  it("leaves the alternate screen when stopped by SIGTERM, so the shell comes back on the user's screen", async () => {
    // Given the view open, when the process gets SIGTERM (kill, a closing session manager), then it exits 143 with
    // the terminal back on its normal screen (the shell's output is not left on the view's alternate screen).
    spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
    const dir = await mkdtemp(join(tmpdir(), 'ballast-explore-'));
    try {
      const pidFile = join(dir, 'pid');
      const command = `sh -c 'echo $$ > ${pidFile}; exec node bin/run.js explore ${DEMO}'; echo "exit=$?"; sleep 60`;
      tmux.run('new-session', '-d', '-s', 'explore', '-x', '100', '-y', '24', '-c', process.cwd(), command);
      await tmux.waitFor(/\?:help tab:pane/);
      expect(tmux.run('display', '-p', '-t', 'explore', '#{alternate_on}').trim()).toBe('1');
      process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGTERM');
      const screen = await tmux.waitFor(/exit=\d+/);
      expect(screen).toContain('exit=143');
      expect(tmux.run('display', '-p', '-t', 'explore', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves no echo of the keys typed as it starts, before it could silence the terminal', async () => {
    // Node takes ~100 ms to start before any of ballast runs: the terminal echoes keys typed then (`xx` stayed on the
    // screen, before the shell's next prompt). They are on the line the command started on, which is wiped once
    // the terminal is silenced, as the progress bar wipes it.
    spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
    const command = `node bin/run.js explore ${DEMO}; echo "exit=$?"; sleep 60`;
    tmux.run('new-session', '-d', '-s', 'explore', '-x', '100', '-y', '24', '-c', process.cwd(), command);
    for (let i = 0; i < 20; i++) {
      tmux.keys('x');
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await tmux.waitFor(/\?:help tab:pane/);
    tmux.keys('q');
    const screen = await tmux.waitFor(/exit=\d+/);
    expect(screen.split('\n').filter((l) => l.trim())).toEqual(['exit=0']);
  }, 60_000);

  describe('while the image loads', () => {
    // The demo image behind a registry proxy that holds its blobs back (the connection open, nothing sent) for as
    // long as the test wants: a load as long as a big image's, on a tiny one.
    let registry: Registry;
    let proxy: Proxy;
    beforeAll(async () => {
      registry = await startRegistry();
      await skopeoCopy(`docker-archive:${DEMO}`, `docker://${registry.host}/demo/app:1`, { format: 'v2s2' });
      proxy = await startProxy(registry.host);
    }, 120_000);
    afterAll(async () => {
      await proxy?.stop();
      await registry?.stop();
    });

    /** Starts explore on the image, its blobs held back, and waits until the walk started (no more echo). */
    async function start(): Promise<void> {
      spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
      proxy.reset();
      proxy.fault = (req) => (req.url?.includes('/blobs/') ? { kind: 'stall', afterBytes: 0 } : undefined);
      const command = `node bin/run.js explore docker://${proxy.host}/demo/app:1 --no-cache --timeout 2; echo "exit=$?"; sleep 60`;
      tmux.run('new-session', '-d', '-s', 'explore', '-x', '100', '-y', '24', '-c', process.cwd(), command);
      for (const started = Date.now(); tmux.echoes() || !proxy.requests.some((r) => r.path.includes('/blobs/'));) {
        if (Date.now() - started > 30_000)
          throw new Error(`the terminal still echoes, or the load never started:\n${tmux.screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('echoes nothing, and applies the keys typed before the view opens once it is drawn', async () => {
      await start();
      tmux.keys('PageUp', 'k', 'Up');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(tmux.screen()).not.toMatch(/\^\[|k/);
      // The blobs come (after the 2 s timeout, the retries pass): the view opens, then applies PgUp, k and Up, typed
      // during the load, as typed: from the last layer a page up, to the first.
      proxy.fault = undefined;
      const screen = await tmux.waitFor(/>L0 [\s\S]*\?:help tab:pane/);
      expect(screen).not.toMatch(/>L5 /);
      tmux.keys('q');
      expect(await tmux.waitFor(/exit=\d+/)).toMatch(/^exit=0$/m);
      expect(tmux.screen()).not.toMatch(/\^\[/);
      expect(tmux.echoes()).toBe(true);
    }, 60_000);

    it('stops the load on q (exit 0) and on Ctrl-C (exit 130) at once, the terminal restored', async () => {
      for (const [key, code] of [
        ['q', 0],
        ['C-c', 130],
      ] as const) {
        await start();
        tmux.keys('PageUp', key);
        // Before the load gives up on its stalled blobs (each try times out after 2 s; then it exits 2): the exit code
        // tells a quit from a failed load, so the wait itself is generous (a loaded CI machine is slow to draw).
        const screen = await tmux.waitFor(/exit=\d+/, 10_000);
        expect(screen).toMatch(new RegExp(`^exit=${code}$`, 'm'));
        expect(screen).not.toMatch(/\^\[/);
        expect(tmux.echoes()).toBe(true);
      }
    }, 60_000);
  });

  it('exits 130 on Ctrl-C in the view (an interrupt, as in every command), after leaving the alternate screen', async () => {
    spawnSync('tmux', ['-L', tmux.socket, 'kill-session', '-t', 'explore']);
    const command = `node bin/run.js explore ${DEMO}; echo "exit=$?"; sleep 60`;
    tmux.run('new-session', '-d', '-s', 'explore', '-x', '100', '-y', '24', '-c', process.cwd(), command);
    await tmux.waitFor(/\?:help tab:pane/);
    // From the help too: Ctrl-C is not a key that closes the help first, as q is.
    tmux.keys('?');
    await tmux.waitFor(/close help/);
    tmux.keys('C-c');
    const screen = await tmux.waitFor(/exit=\d+/);
    expect(screen).toMatch(/^exit=130$/m);
    expect(tmux.run('display', '-p', '-t', 'explore', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    expect(tmux.echoes()).toBe(true);
  }, 60_000);
});

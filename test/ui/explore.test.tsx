// The explore view (issue 10) driven with key sequences through ink's real renderer (ink-testing-library), frames
// compared with ANSI codes stripped. The image is built in the test and read through the real sources; it plants
// the anomalies the view must make visible: a download deleted later, a file rewritten with the same content
// (chmod), apt lists left behind.
import type { ExploreResult } from '../../src/services/explore.js';
import { exploreJson } from '../../src/services/explore.js';
import {
  DIR,
  OPAQUE,
  WHITEOUT,
  buildOciLayout,
  file,
  hardlink,
  layer,
  special,
  symlink,
} from '../helpers/image-builder.js';
import { splitPresses, type ExploreState } from '../../src/ui/explore/state.js';
import { modeString, ownerColumn, sameContent } from '../../src/ui/explore/attributes.js';
import type { FsNode } from '../../src/analysis/union.js';
import type { Finding } from '../../src/report/types.js';
import { forgetCi } from '../../src/ui/ci-variables.js';
import { detail, drawn, exploreImage, openView, paneLines, strip, tick, treeRows } from '../helpers/explore-view.js';

// Colour must be possible for the NO_COLOR test to mean anything: chalk decides once, when ink is first imported.
process.env.FORCE_COLOR = '1';
// The full-screen tests drive runExplore as the command does, which first drops the CI variables (CI runs these tests
// with CI=true, under which ink would draw no frame before it unmounts).
forgetCi();
const { render } = await import('ink-testing-library');
const { ExploreApp, HELP } = await import('../../src/ui/explore/ExploreApp.js');

/** A foreground colour (SGR 30-39, 90-97). */
// eslint-disable-next-line no-control-regex -- matching ANSI codes is the point
const colourCode = /\u001b\[(3[0-9]|9[0-7])m/;

const KEY = {
  home: '\u001b[H',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  tab: '\t',
  esc: '\u001b',
  backspace: '\u007f',
  end: '\u001b[F',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
};

let result: ExploreResult;

beforeAll(async () => {
  const built = await buildOciLayout([
    layer({ 'bin/': DIR, 'bin/sh': 50_000, 'etc/motd': file('hi\n') }, '/bin/sh -c #(nop) ADD rootfs /'),
    layer({ 'var/lib/apt/lists/Packages': 300_000 }, '/bin/sh -c apt-get update'),
    layer(
      { 'opt/toolchain/': DIR, 'opt/toolchain/toolchain.tar': 640_000, 'opt/toolchain/VERSION': file('1.0\n') },
      '/bin/sh -c fetch toolchain',
    ),
    layer({ 'app/': DIR, 'app/data/model.bin': file(Buffer.alloc(320_000, 7)) }, '/bin/sh -c train'),
    layer({ 'opt/.wh.toolchain': WHITEOUT }, '/bin/sh -c rm -rf /opt/toolchain'),
    layer(
      { 'app/data/model.bin': file(Buffer.alloc(320_000, 7), { mode: 0o640 }) },
      '/bin/sh -c chmod 0640 /app/data/model.bin',
    ),
  ]);
  result = await exploreImage(built);
});

const open = (columns = 80, rows = 24, color = false) => openView(result, columns, rows, color);

/**
 * The view run full-screen by runExplore, as the command runs it, on a fake terminal: everything written, the size
 * settable (then `emit('resize')`), keys pressed one read at a time.
 */
async function fullScreen(columns: number, rows: number) {
  const { runExplore } = await import('../../src/ui/render.js');
  const { EventEmitter } = await import('node:events');
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    isTTY: true,
    write: (chunk: string) => {
      written.push(chunk);
      return true;
    },
  });
  let pending: string | null = null;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: () => {},
    setEncoding: () => {},
    resume: () => {},
    pause: () => {},
    ref: () => {},
    unref: () => {},
    read: () => {
      const chunk = pending;
      pending = null;
      return chunk;
    },
  });
  const ended = runExplore(result, {
    color: false,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
  });
  const press = (key: string) => {
    pending = key;
    stdin.emit('readable');
  };
  return { stdout, written, ended, press };
}

describe('ballast explore view', () => {
  it('fits 80x24, with layers, tree, summary, the top findings with their fixes, and the help bar', async () => {
    const s = await open();
    const frame = s.frame();
    const lines = frame.split('\n');
    // One line short of the terminal, so ink redraws in place instead of clearing the screen.
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1].length).toBe(80);
    expect(frame).toContain('Layers (6)');
    expect(frame).toMatch(/>L5 +320 kB +- RUN chmod/);
    expect(frame).toMatch(/ L2 +640 kB +640 kB RUN fetch/);
    expect(frame).toMatch(/6 layers · 670 kB in 4 files · wasted 960 kB \(58\.9%\) · efficiency/);
    expect(frame).toMatch(/640 kB IM003 \/opt\/toolchain L2 → Delete files in the step that creates them/);
    expect(frame).toMatch(/320 kB IM005 \/app\/data\/model\.bin L3 → Set permissions/);
    expect(lines[22]).toMatch(/^\?:help tab:pane/);
    s.unmount();
  });

  it('lists an error finding first among the top findings, however small, as the reports do', async () => {
    // A secret of 106 B sorts last by size: under the three largest it was only seen in the findings list (`f`).
    const secret: Finding = {
      code: 'IM009',
      rule: 'secrets-in-image',
      severity: 'error',
      message: '`/app/.env` (an environment file) is in the image, brought in by layer 3.',
      messageId: 'secret',
      bytes: 106,
      location: { kind: 'image', image: 'img', layerIndex: 3, path: '/app/.env' },
    };
    const largest = result.analysis.findings.slice(0, 2).map((f) => f.code);
    const s = await openView({
      ...result,
      analysis: { ...result.analysis, findings: [...result.analysis.findings, secret] },
    });
    const lines = s.frame().split('\n');
    const top = lines.slice(lines.findIndex((l) => /^6 layers · /.test(l)) + 1, -1);
    expect(top).toHaveLength(3);
    expect(top[0]).toMatch(/^ +106 B IM009 \/app\/\.env L3 → /);
    expect(top.slice(1).map((l) => l.trim().split(' ')[2])).toEqual(largest);
    s.unmount();
  });

  it("keeps the summary's efficiency whole at 60 columns, giving up the file count and then the share first", async () => {
    const summary = (frame: string) => frame.split('\n').find((l) => /^\d+ layers · /.test(l));
    const s = await open(60, 24);
    expect(summary(s.frame())).toBe('6 layers · 670 kB · wasted 960 kB (58.9%) · efficiency 85.9%');
    // A bigger image's figures take more room: the wasted share goes next, the efficiency stays.
    const big = {
      ...result,
      analysis: {
        ...result.analysis,
        summary: {
          ...result.analysis.summary,
          layers: 123,
          finalFileBytes: 1.23e9,
          fileBytes: 2.5e9,
          wastedBytes: 456e6,
        },
      },
    };
    const b = await openView(big, 60, 24);
    expect(summary(b.frame())).toBe('123 layers · 1.23 GB · wasted 456 MB · efficiency 85.9%');
    // With room, all of it.
    expect(summary(await s.rerender(80, 24))).toBe(
      '6 layers · 670 kB in 4 files · wasted 960 kB (58.9%) · efficiency 85.9%',
    );
    s.unmount();
    b.unmount();
  });

  it('keeps ?:help and q:quit on the key bar at any width, dropping the less needed hints first', async () => {
    const s = await open(80, 24);
    const bar = (frame: string) => frame.split('\n').at(-1)!.trimEnd();
    for (const width of [80, 60, 70, 100]) {
      const line = bar(await s.rerender(width, 24));
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toMatch(/^\?:help tab:pane .* q:quit$/);
      expect(line).not.toContain('…');
    }
    // Wide enough, every hint is there.
    expect(bar(await s.rerender(120, 24))).toBe(
      '?:help tab:pane ↑↓:move ⏎:expand E/C:all s:sort /:filter c:changes u:unchanged w:wasted f:findings q:quit',
    );
    s.unmount();
  });

  it('shows the keys that work while a filter is typed on the key bar, and the usual ones once it is left', async () => {
    const s = await open(80, 24);
    const bar = (frame: string) => frame.split('\n').at(-1)!.trimEnd();
    // While typing, q and the letters are text: the bar says how to keep, clear or edit the filter, and how to leave.
    expect(bar(await s.press('/', 'a'))).toBe(
      'typing a filter  ⏎:keep esc:clear ⌫:delete ↑↓:move tab:pane ctrl+c:quit',
    );
    for (const width of [60, 61, 70]) {
      const line = bar(await s.rerender(width, 24));
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toMatch(/⏎:keep esc:clear .*ctrl\+c:quit$/);
      expect(line).not.toMatch(/q:quit|\?:help|…/);
    }
    await s.rerender(80, 24);
    expect(bar(await s.press('\r'))).toMatch(/^\?:help tab:pane .* q:quit$/);
    s.unmount();
  });

  it('opens on the last layer with the whole tree biggest first; s sorts by name', async () => {
    const s = await open();
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · aggregated · by size');
    expect(treeRows(s.frame())).toEqual([
      '> 320 kB w ▸ app/',
      '300 kB ▸ var/',
      '50.0 kB ▸ bin/',
      '3 B ▸ etc/',
      // Empty since L4 removed the toolchain: nothing to open.
      '0 B w opt/',
    ]);
    await s.press(KEY.tab, 's');
    expect(treeRows(s.frame()).map((r) => r.split(' ').pop())).toEqual(['app/', 'bin/', 'etc/', 'opt/', 'var/']);
    expect(detail(s.frame())).toBe('sorted by name');
    s.unmount();
  });

  it('moves through layers with arrows and j/k, and expands directories with enter, space and l', async () => {
    const s = await open();
    // Given the layers pane: up three times from L5 selects L2, the toolchain download.
    await s.press(KEY.up, 'k', 'k');
    expect(s.frame()).toMatch(/>L2 +640 kB/);
    expect(detail(s.frame())).toBe('L2 +2 ~0 -0 files  RUN fetch toolchain');
    // The cursor stays where it was (app/ does not exist yet in L2).
    expect(treeRows(s.frame()).slice(0, 2)).toEqual(['+ 640 kB w ▸ opt/', '> 300 kB ▸ var/']);
    // tab to the tree, open opt/ and toolchain/.
    await s.press(KEY.tab, 'k', KEY.enter, 'j', 'l');
    expect(treeRows(s.frame())).toEqual([
      '+ 640 kB w ▾ opt/',
      '> + 640 kB w ▾ toolchain/',
      '+ 640 kB WJ toolchain.tar',
      '+ 4 B W VERSION',
      '300 kB ▸ var/',
      '50.0 kB ▸ bin/',
      '3 B ▸ etc/',
    ]);
    await s.press('j');
    expect(detail(s.frame())).toBe('/opt/toolchain/toolchain.tar  640 kB  added in L2; deleted by L4');
    // ] steps to the next layer from the tree and keeps the cursor on the same path.
    await s.press(']', ']');
    expect(paneLines(s.frame())[0].trim()).toMatch(/^L4 /);
    expect(treeRows(s.frame())).toContain('> - 640 kB WJ toolchain.tar');
    // h goes back to the directory, then closes it; space opens it again.
    await s.press('h', 'h');
    expect(treeRows(s.frame())).toContain('> - 640 kB w ▸ toolchain/');
    await s.press(' ');
    expect(treeRows(s.frame())).toContain('> - 640 kB w ▾ toolchain/');
    s.unmount();
  });

  it('[ and ] step through the layers from the layers pane too, as from the tree', async () => {
    const s = await open();
    expect(s.frame()).toMatch(/║>L5 /);
    await s.press('[', '[');
    expect(s.frame()).toMatch(/║>L3 /);
    expect(paneLines(s.frame())[0].trim()).toMatch(/^L3 /);
    await s.press(']');
    expect(s.frame()).toMatch(/║>L4 /);
    // Focus stays on the layers pane.
    expect(s.frame()).toMatch(/^╔/m);
    s.unmount();
  });

  it('in changes-only, a removal is sized by the bytes it took away, not 0 B', async () => {
    const s = await open();
    // L4 is `rm -rf /opt/toolchain`.
    await s.press('k', KEY.tab, 'c', KEY.home, KEY.enter);
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · changes only · by size');
    expect(treeRows(s.frame())).toEqual(['> 640 kB w ▾ opt/', '- 640 kB w ▸ toolchain/']);
    s.unmount();
  });

  it("says the wasted list's story in its row's words where the sentence would not fit beside the path", async () => {
    for (const [columns, story] of [
      [120, /\/opt\/toolchain\/toolchain\.tar {2}640 kB {2}written by L2; deleted by L4$/],
      [60, /\/opt\/toolchain\/toolchain\.tar {2}640 kB {2}L2→L4 deleted$/],
    ] as const) {
      const s = await open(columns, 24);
      // (a move clears the toggle's message from that line)
      await s.press(KEY.tab, 'w', 'j', 'k');
      expect(detail(s.frame())).toMatch(story);
      s.unmount();
    }
  });

  it('toggles changes-only, hide-unchanged and only-wasted views', async () => {
    const s = await open();
    await s.press(KEY.tab, 'u');
    // L5 only rewrote the model: every other top-level directory is unchanged.
    expect(treeRows(s.frame())).toEqual(['> 320 kB w ▸ app/']);
    await s.press('u', 'c', KEY.enter, 'j', KEY.enter);
    expect(paneLines(s.frame())[0]).toContain('changes only');
    expect(treeRows(s.frame())).toEqual(['320 kB w ▾ app/', '> 320 kB w ▾ data/', '~ 320 kB w model.bin']);
    // Only wasted, on the final layer: every wasted copy as one list, how it was lost as the mark, biggest first.
    await s.press('c', 'w');
    expect(paneLines(s.frame())[0]).toContain('only wasted');
    expect(treeRows(s.frame()).map((r) => r.replace(/^> /, ''))).toEqual([
      // (cut at the pane's width; the line under the panes shows the selected row whole)
      '- 640 kB WJ L2→L4 …olchain/toolchain.tar',
      '= 320 kB W L3→L5 /app/data/model.bin',
      '- 4 B W L2→L4 /opt/toolchain/VERSION',
    ]);
    // enter shows the selected copy in the tree of the layer that holds it.
    await s.press(KEY.home, KEY.enter);
    expect(paneLines(s.frame())[0]).toMatch(/^L2 · aggregated/);
    expect(treeRows(s.frame())).toContain('> + 640 kB WJ toolchain.tar');
    // Expand all, collapse all: the cursor stays on the copy, then on the directory that holds it.
    await s.press('E');
    expect(treeRows(s.frame())).toEqual([
      '+ 640 kB w ▾ opt/',
      '+ 640 kB w ▾ toolchain/',
      '> + 640 kB WJ toolchain.tar',
      '+ 4 B W VERSION',
      '300 kB ▾ var/',
      '300 kB ▾ lib/',
      '300 kB ▾ apt/',
      '300 kB J ▾ lists/',
      '300 kB J Packages',
      '50.0 kB ▾ bin/',
      '50.0 kB sh',
      '3 B ▾ etc/',
    ]);
    // (12 rows fit at 80x24: etc/motd is one page down.)
    await s.press('C');
    expect(treeRows(s.frame())).toEqual(['> + 640 kB w ▸ opt/', '300 kB ▸ var/', '50.0 kB ▸ bin/', '3 B ▸ etc/']);
    s.unmount();
  });

  it('E shows the tree from its top when the selected entry is still on the first page', async () => {
    // Kept on its line of the screen, var/ pushed app/ and data/ (the biggest change) above the view.
    const s = await open();
    await s.press(KEY.tab, 'j');
    expect(treeRows(s.frame()).find((r) => r.startsWith('> '))).toMatch(/ ▸ var\/$/);
    await s.press('E');
    expect(treeRows(s.frame()).slice(0, 4)).toEqual([
      '320 kB w ▾ app/',
      '320 kB w ▾ data/',
      '~ 320 kB w model.bin',
      '> 300 kB ▾ var/',
    ]);
    s.unmount();
  });

  it('keeps the selected entry selected and in view through E and C (C: its nearest directory still shown)', async () => {
    // The selection went to the first row: in a tree of thousands of expanded rows the user lost their place.
    const s = await open();
    const selected = () => treeRows(s.frame()).find((r) => r.startsWith('> '));
    await s.press(KEY.tab, KEY.end, 'k');
    expect(selected()).toMatch(/ etc\/$/);
    await s.press('E');
    expect(detail(s.frame())).toBe('expanded all');
    // Expanded, etc/ is past the first page: the view scrolls to it
    expect(selected()).toMatch(/ ▾ etc\/$/);
    await s.press('j');
    expect(selected()).toMatch(/ motd$/);
    await s.press('C');
    expect(detail(s.frame())).toBe('collapsed all');
    expect(selected()).toMatch(/ ▸ etc\/$/);
    await s.press(KEY.home, 'j');
    const second = selected()!.split(' ').pop();
    await s.press('E', 'C');
    expect(selected()!.split(' ').pop()).toBe(second);
    s.unmount();
  });

  it('leaves the wasted list for the tree on esc, as it closes the help and the findings (a filter first)', async () => {
    const s = await open();
    const tree = treeRows(s.frame());
    await s.press(KEY.tab, 'w');
    expect(paneLines(s.frame())[0]).toContain('only wasted');
    // A filter typed over the list: the first esc clears it and stays in the list, the next leaves the list.
    await s.press('/', 't', 'o', 'o', 'l', KEY.enter, KEY.esc);
    expect(paneLines(s.frame())[0]).toContain('only wasted');
    expect(treeRows(s.frame())).toHaveLength(3);
    await s.press(KEY.esc);
    expect(paneLines(s.frame())[0]).not.toContain('only wasted');
    expect(detail(s.frame())).toBe('all entries');
    expect(treeRows(s.frame()).map((r) => r.replace(/^> /, ''))).toEqual(tree.map((r) => r.replace(/^> /, '')));
    // The focus stays in the tree (its border drawn double), the cursor on the path the list had selected.
    expect(s.frame().split('\n')[1]).toMatch(/┐╔═+╗$/);
    expect(treeRows(s.frame())).toContain('> 0 B w opt/');
    // Esc elsewhere still does nothing: the tree stays as it is.
    expect(treeRows(await s.press(KEY.esc))).toEqual(treeRows(s.frame()));
    s.unmount();
  });

  it('says when a filter is searched as text because it counts out too many copies of a repeating group', async () => {
    // `(.*a){25}` would try every split of a name among 25 copies; it is a text, and the empty tree says why.
    const s = await open(200, 24);
    await s.press('/', ...'(.*a){25}', KEY.enter);
    expect(treeRows(s.frame())).toEqual([
      'nothing matches /(.*a){25} as text: too many copies of a repeating group to run',
    ]);
    await s.press(KEY.esc, '/', ...'(.*a){4}x', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['nothing matches /(.*a){4}x']);
    s.unmount();
  });

  it('filters by path as you type; esc clears the filter', async () => {
    const s = await open();
    await s.press('/', 'm', 'o', 'd');
    expect(paneLines(s.frame())[0]).toContain('filter /mod_');
    await s.press('e', 'l', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> 320 kB w ▾ app/', '320 kB w ▾ data/', '~ 320 kB w model.bin']);
    // The filter applies to the wasted list too.
    await s.press(KEY.esc, 'w', '/', 'm', 'o', 'd', KEY.enter);
    expect(treeRows(s.frame()).map((r) => r.replace(/^> /, ''))).toEqual(['= 320 kB W L3→L5 /app/data/model.bin']);
    await s.press(KEY.esc, 'w', '/', 'm', 'o', 'd', 'e', 'l', KEY.enter);
    await s.press('/', 'x', 'y', 'z', 'z', 'y');
    expect(treeRows(s.frame())).toEqual(['nothing matches /modelxyzzy']);
    await s.press(KEY.esc);
    // The five top directories, app/ and app/data/ still open: esc in the wasted list kept model.bin selected.
    expect(treeRows(s.frame())).toHaveLength(7);
    s.unmount();
  });

  it('shows the filter being typed even when the view has more modes on than the header has room for', async () => {
    // The header is the only place the typed text shows: cut at its end, as the modes before it grow, the filter
    // would be typed blind.
    const s = await open();
    await s.press('c', 'u', 's', 'a', '~', '/', 'm', 'o', 'd');
    expect(paneLines(s.frame())[0]).toMatch(/^L5 · filter \/mod_ · changes only/);
    // A filter longer than the header keeps its end, where the typing is.
    await s.press(...'el/with/a/long/tail/typed/on');
    expect(paneLines(s.frame())[0]).toMatch(/^L5 · ….*typed\/on_$/);
    for (const line of s.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    s.unmount();
  });

  it('tab while typing a filter ends the typing (the filter kept, as enter keeps it), then switches pane', async () => {
    const s = await open();
    await s.press('/', 'm', 'o', 'd', KEY.tab);
    // The layers pane has the keys, the filter still applies and is no longer being typed.
    expect(s.frame()).toMatch(/^╔/m);
    expect(paneLines(s.frame())[0]).toContain('filter /mod');
    expect(paneLines(s.frame())[0]).not.toContain('filter /mod_');
    expect(treeRows(s.frame())).toEqual(['> 320 kB w ▾ app/', '320 kB w ▾ data/', '~ 320 kB w model.bin']);
    // k moves the layer, not into the filter.
    await s.press('k');
    expect(s.frame()).toMatch(/║>L4 /);
    expect(paneLines(s.frame())[0]).toMatch(/^L4 · filter \/mod · /);
    s.unmount();
  });

  it('esc clearing the filter leaves the cursor on the entry it was on, its directories open', async () => {
    // Given a filter typed to find a file and the cursor moved onto it (arrows while typing, or j after enter), when
    // esc clears the filter, then the whole tree is back with that file still selected: not the row that happens to
    // sit at the same index in the unfiltered tree, nor the top.
    const s = await open();
    await s.press(KEY.tab, '/', 'm', 'o', 't', 'd', KEY.down);
    expect(detail(s.frame())).toMatch(/^\/etc\/motd /);
    let frame = await s.press(KEY.esc);
    expect(paneLines(frame)[0]).not.toContain('filter');
    expect(treeRows(frame).find((r) => r.startsWith('>'))).toMatch(/ motd$/);
    expect(detail(frame)).toMatch(/^\/etc\/motd /);
    await s.press('C', '/', 'm', 'o', 'd', 'e', 'l', KEY.enter, 'j', 'j');
    expect(detail(s.frame())).toMatch(/^\/app\/data\/model\.bin /);
    frame = await s.press(KEY.esc);
    expect(treeRows(frame).find((r) => r.startsWith('>'))).toMatch(/ model\.bin$/);
    expect(treeRows(frame)).toHaveLength(7);
    s.unmount();
  });

  it('lists the findings about the selected layer and jumps to the file', async () => {
    const s = await open();
    await s.press('k', 'k', 'f');
    const pane = paneLines(s.frame()).join('\n');
    expect(pane).toContain('Findings about L3 (1)');
    expect(pane).toMatch(/320 kB IM005 \/app\/data\/model\.bin/);
    await s.press(KEY.enter);
    expect(treeRows(s.frame())).toContain('> + 320 kB W model.bin');
    expect(detail(s.frame())).toBe('IM005 /app/data/model.bin');
    await s.press('j', 'k');
    expect(detail(s.frame())).toBe('/app/data/model.bin  320 kB  added in L3; copied again by L5 (mode changed)');
    s.unmount();
  });

  it.each([
    // The filter was typed to find this file: it stays
    ['model', /^L3 · filter \/model/, 'IM005 /app/data/model.bin'],
    // A filter that hides the file is cleared to reach it, and the line under the panes says so
    ['zzz', /^L3 · aggregated/, 'IM005 /app/data/model.bin; filter /zzz cleared to reach it'],
  ])(
    'jumps from the findings list under the filter /%s, keeping it when it shows the file',
    async (typed, head, said) => {
      const s = await open();
      await s.press('k', 'k', '/', ...typed.split(''), KEY.enter, 'f', KEY.enter);
      expect(paneLines(s.frame())[0]).toMatch(head);
      expect(treeRows(s.frame())).toContain('> + 320 kB W model.bin');
      expect(detail(s.frame())).toBe(said);
      s.unmount();
    },
  );

  it('says so in the findings list of a layer without findings, as the tree says it shows nothing', async () => {
    // The list was a blank pane under its header, once the line under the panes had moved on from its message.
    const s = await open();
    const without = result.analysis.layers.findIndex(
      (l) => !result.analysis.findings.some((f) => f.location.kind === 'image' && f.location.layerIndex === l.index),
    );
    expect(without).toBeGreaterThanOrEqual(0);
    await s.press(KEY.home);
    for (let i = 0; i < without; i++) await s.press('j');
    await s.press('f', 'j');
    const pane = paneLines(s.frame());
    expect(pane[0]).toContain(`Findings about L${without} (0)`);
    expect(pane[1]).toBe(`no findings about layer ${without}`);
    s.unmount();
  });

  it('shows the selected finding whole in the findings list, its message wrapped under the list', async () => {
    // A finding's message (what happened, then what to do) is longer than any pane: cut on its row, and on the
    // summary's line too, the advice would be readable nowhere in the view.
    const s = await open();
    await s.press('k', 'k', 'f');
    const finding = result.analysis.findings.find((f) => f.code === 'IM005')!;
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    const pane = paneLines(s.frame());
    expect(pane[1]).toMatch(/^> *320 kB IM005 \/app\/data\/model\.bin/);
    expect(pane[2]).toBe('');
    expect(words(pane.slice(3).join(' '))).toEqual(words(finding.message));
    for (const line of s.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    s.unmount();
    // On a short terminal the list keeps its row and the message shows what fits, cut with an ellipsis.
    const small = await open(60, 12);
    await small.press('k', 'k', 'f');
    const cut = paneLines(small.frame());
    expect(cut[1]).toMatch(/^> *320 kB IM005/);
    expect(cut.slice(2).filter(Boolean).length).toBeGreaterThan(0);
    expect(cut.filter(Boolean).at(-1)).toMatch(/…$/);
    small.unmount();
  });

  it('says, in the findings list, that a key of the tree works in the tree and how to get back there', async () => {
    const s = await open();
    await s.press('k', 'k', 'f');
    for (const key of ['c', 'u', 'w', 's', '/', 'a', 'E', 'C', '+', '-', '~']) {
      await s.press(key);
      expect(detail(s.frame())).toBe(`${key} works in the tree: esc or f closes the findings`);
      expect(paneLines(s.frame())[0]).toContain('Findings about L3 (1)');
    }
    // Nothing changed behind the list: the tree is as it was.
    await s.press(KEY.esc);
    expect(paneLines(s.frame())[0].trim()).toBe('L3 · aggregated · by size');
    s.unmount();
  });

  it('enters the tree with Enter from the layers pane, and ← at its top goes back to the layers', async () => {
    const s = await open();
    const layersFocused = (frame: string) => /^╔═+╗┌/.test(frame.split('\n')[1]);
    expect(layersFocused(s.frame())).toBe(true);
    // The key bar names ⏎; on the layers pane, where the view opens, it did nothing.
    await s.press(KEY.enter);
    expect(s.frame().split('\n')[1]).toMatch(/^┌─+┐╔/);
    const top = treeRows(s.frame())[0];
    // In the tree, ← closes a directory, then goes to its parent; at the top, with nothing to close, back to layers.
    await s.press(KEY.enter, KEY.down, KEY.left);
    expect(treeRows(s.frame())[0]).toBe(top.replace('▸', '▾'));
    await s.press(KEY.left);
    expect(treeRows(s.frame())[0]).toBe(top);
    expect(layersFocused(s.frame())).toBe(false);
    await s.press(KEY.left);
    expect(layersFocused(s.frame())).toBe(true);
    // h stays a tree key: it does not leave the tree.
    await s.press(KEY.right, 'h');
    expect(layersFocused(s.frame())).toBe(false);
    s.unmount();
  });

  it('draws the findings list focused while it has the keys, opened from the layers pane too', async () => {
    const s = await open();
    // The layers pane has the focus (double border, the selected layer in inverse).
    expect(s.frame()).toMatch(/^╔/m);
    await s.press('k', 'k', 'f');
    // The list's keys move its cursor, not the layer: so its pane is the one drawn focused, and only its row inverse.
    expect(s.frame()).toMatch(/^┌.*╗$/m);
    expect(s.frame()).not.toMatch(/^╔/m);
    await s.press('j');
    expect(s.frame()).toMatch(/│>L3 /);
    // Esc gives the keys back to the layers pane.
    await s.press(KEY.esc, 'k');
    expect(s.frame()).toMatch(/^╔/m);
    expect(s.frame()).toMatch(/║>L2 /);
    s.unmount();
  });

  it('moves through a long findings list by page, and to its first and last, as the help says', async () => {
    const { RowModel, initialState, reduceKey } = await import('../../src/ui/explore/state.js');
    const finding = (n: number) =>
      ({ ...result.analysis.findings[0], location: { kind: 'image', layerIndex: 0, path: `/f${n}` } }) as Finding;
    const ctx = {
      rows: new RowModel(result.tree),
      pageSize: 5,
      findings: Array.from({ length: 12 }, (_, n) => finding(n)),
    };
    let state = { ...initialState(result.tree), layer: 0, findings: true, findingCursor: 0 };
    const at = (key: Parameters<typeof reduceKey>[1]) => (state = reduceKey(state, key, ctx)).findingCursor;
    expect(at({ input: '', pageDown: true })).toBe(5);
    expect(at({ input: '', pageDown: true })).toBe(10);
    expect(at({ input: '', pageDown: true })).toBe(11);
    expect(at({ input: '', pageUp: true })).toBe(6);
    expect(at({ input: '', home: true })).toBe(0);
    expect(at({ input: '', end: true })).toBe(11);
    expect(state.findings).toBe(true);
  });

  it('on a layer where the selected file is not shown, puts the cursor on its nearest directory there', async () => {
    // With changes only: d/b changed in L2, d/a in L1. Stepping from d/b to L1 kept the row number, landing on d/a.
    const built = await buildOciLayout([
      layer({ 'd/': DIR, 'd/a': file('1'), 'd/b': file('2') }),
      layer({ 'd/a': file('11') }),
      layer({ 'd/b': file('22') }),
    ]);
    const own = await exploreImage(built);
    const { RowModel, initialState, reduceKey } = await import('../../src/ui/explore/state.js');
    const ctx = { rows: new RowModel(own.tree), pageSize: 10, findings: [] };
    let state: ExploreState = { ...initialState(own.tree), pane: 'tree', changesOnly: true, expanded: new Set(['d']) };
    const selected = () => ctx.rows.rows(state).row(state.cursor)?.entry.path;
    state = { ...state, cursor: 'd/b' };
    expect(selected()).toBe('d/b');
    state = reduceKey(state, { input: '[' }, ctx);
    expect([state.layer, selected()]).toEqual([1, 'd']);
    // And back: d/a is not among L2's changes either.
    state = reduceKey({ ...state, cursor: 'd/a' }, { input: ']' }, ctx);
    expect([state.layer, selected()]).toEqual([2, 'd']);
    // Where the file is shown (every file, not only changes), it is the file again.
    state = { ...state, changesOnly: false };
    state = reduceKey({ ...state, cursor: 'd/b' }, { input: '[' }, ctx);
    expect([state.layer, selected()]).toEqual([1, 'd/b']);
  });

  it('toggles a view of the same layer on an expanded tree without making its entries again', async () => {
    // Unchanged hidden, changes only, a sort: the same entries of the same layer, filtered or ordered otherwise. Each
    // made every entry below every open directory again: 250-400 ms a key on a 45k-file tree, fully expanded.
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 3}/f${i}`, 100 + i]));
    const own = await exploreImage(await buildOciLayout([layer(files), layer({ 'd1/f1': 5000 })]));
    const { RowModel, initialState, reduceKey } = await import('../../src/ui/explore/state.js');
    const ctx = { rows: new RowModel(own.tree), pageSize: 10, findings: [] };
    let state: ExploreState = { ...initialState(own.tree), pane: 'tree' };
    for (const key of [{ input: 'E' }, { input: '', end: true }]) state = reduceKey(state, key, ctx);
    expect(ctx.rows.rows(state).row(state.cursor)?.entry.path).toBe('d0/f0');
    // Every row of the expanded tree made once, as End did when it counted them (it now goes to the last row from
    // its path): what is counted below is entries made again for each view.
    expect(ctx.rows.rows(state).length).toBe(303);
    let made = 0;
    const entry = own.tree.entry.bind(own.tree);
    own.tree.entry = (path, layer) => (made++, entry(path, layer));
    for (const input of ['u', 'c', 's', 'u', 'c']) {
      state = reduceKey(state, { input }, ctx);
      // Rows of each view still produced, to its last (the cursor kept on its path at the end of the tree).
      expect(ctx.rows.rows(state).length).toBeGreaterThan(0);
    }
    // The one look-up each key makes: whether the selected path is in the new view.
    expect(made).toBeLessThanOrEqual(5);
  });

  it('opens the wasted list at its top, the biggest copy, from a row the list does not hold', async () => {
    // 20 top-level directories, and 20 files deleted later, the biggest /junk/f19. From a directory far down the tree,
    // w kept the row number: the list opened scrolled, its biggest copies above the screen.
    const dirs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`d${String(i).padStart(2, '0')}/x`, 100]));
    const junk = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`junk/f${i}`, 1000 * (i + 1)]));
    const own = await exploreImage(
      await buildOciLayout([layer(dirs), layer({ 'junk/': DIR, ...junk }), layer({ '.wh.junk': WHITEOUT })]),
    );
    const s = await openView(own, 80, 24);
    await s.press(KEY.tab, KEY.end, 'w');
    expect(paneLines(s.frame())[0]).toContain('only wasted');
    expect(treeRows(s.frame())[0]).toBe('> - 20.0 kB W L1→L2 /junk/f19');
    s.unmount();
  });

  it('marks J a junk place that holds bytes, not an empty /tmp every image has', async () => {
    // J stood beside every image's empty /tmp/ (0 B): junk to delete, where analyze finds no temp files at all.
    const own = await exploreImage(
      await buildOciLayout([
        layer({ 'tmp/': DIR, 'var/log/': DIR, 'var/tmp/cache.bin': 5_000, 'app/x': 100 }),
        layer({ 'var/cache/apt/old.deb': 2_000 }),
        layer({ 'var/cache/apt/.wh.old.deb': WHITEOUT }),
      ]),
    );
    const s = await openView(own, 80, 24);
    await s.press(KEY.tab, 'E');
    const rows = treeRows(s.frame()).map((r) => r.replace(/^> /, ''));
    expect(rows).toContain('0 B tmp/');
    expect(rows).toContain('0 B log/');
    // Bytes there, or bytes once there and still shipped: junk.
    expect(rows).toContain('5.00 kB J ▾ tmp/');
    expect(rows).toContain('5.00 kB J cache.bin');
    expect(rows.find((r) => r.endsWith(' apt/'))).toMatch(/ wJ ▾ apt\/$/);
    s.unmount();
  });

  it.each([
    // [other files, whether the Yarn cache and its zip are J]: with Plug'n'Play the cache is the install, as analyze
    // says.
    [{ 'app/.pnp.cjs': 100 }, false],
    [{ 'app/node_modules/semver/index.js': 100 }, true],
  ])("marks a Yarn project cache J only when no Plug'n'Play loads it (beside %j: %s)", async (others, junk) => {
    const own = await exploreImage(
      await buildOciLayout([layer({ 'app/': DIR, ...others, 'app/.yarn/cache/semver-npm-7.6.0-x.zip': 5_000 })]),
    );
    const s = await openView(own, 100, 24);
    await s.press(KEY.tab, 'E');
    const rows = treeRows(s.frame()).filter((r) => / (cache\/|semver-npm-7\.6\.0-x\.zip)$/.test(r));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => / J /.test(r))).toEqual([junk, junk]);
    s.unmount();
  });

  it('shows every key on ? and quits on q', async () => {
    const s = await open(100, 30);
    await s.press('?');
    const pane = s.frame();
    for (const key of [
      'j k',
      'tab',
      'enter',
      'E  C',
      '/',
      'changes in this layer only',
      'hide unchanged',
      'only wasted',
      'findings',
      'q',
      'ctrl+f',
      'ctrl+space',
      'c  ctrl+l',
      'ctrl+a',
      'u  +  -  ~',
      'a  ctrl+b',
      'file attributes',
    ])
      expect(pane).toContain(key);
    await s.press('?');
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · aggregated · by size');
    expect(s.quits()).toBe(0);
    await s.press('q');
    // The view asks to quit from an effect, after the frame is drawn.
    await drawn(() => s.quits() > 0);
    expect(s.quits()).toBe(1);
    s.unmount();
  });

  it('shows the whole help at 80x24, every key and tree mark with its whole description, over the whole view', async () => {
    const s = await open(80, 24);
    await s.press('?');
    const lines = s.frame().split('\n');
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const help = lines.filter((l) => /^║/.test(l)).map((l) => l.slice(1, -1).trimEnd());
    for (const [i, [key, text]] of HELP.entries()) {
      expect(help[i].startsWith(key)).toBe(true);
      expect(help[i]).toContain(text);
      expect(help[i]).not.toContain('…');
    }
    // The tree's flag column (W, w, J) and its marks are explained there too, nowhere else: each has its own line.
    const explained = (mark: string) => help.find((l) => l.startsWith(`${mark} `));
    expect(explained('W')).toMatch(/^W +wasted: a later layer/);
    expect(explained('w')).toMatch(/^w +(only wasted|wasted within)/);
    expect(help.filter((l) => l.startsWith('w '))).toHaveLength(2); // the key w, and the flag w
    expect(explained('J')).toMatch(/^J +junk/);
    expect(explained('+  ~  -  =')).toMatch(/marks: added, modified, removed/);
    // Nothing scrolls: the bar says every line is shown.
    expect(lines.at(-1)).toMatch(new RegExp(`^\\? q esc: close help +1-${HELP.length} of ${HELP.length}`));
    s.unmount();
  });

  // ctrl+a was listed twice, once for the changes view and once for hiding added entries: two meanings with no word
  // that each is for one pane. Each of dive's keys is listed once, with what it does in each pane.
  it('lists each ctrl key once', () => {
    const keys = HELP.flatMap(([key, text]) => `${key} ${text}`.match(/ctrl\+\w+/g) ?? []);
    expect(keys.filter((k) => k === 'ctrl+a')).toEqual(['ctrl+a']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(HELP.find(([key]) => key === 'ctrl+a')?.[1]).toMatch(
      /whole tree \(in layers\) \/ hide added \(in the tree\)/,
    );
  });

  it('leaves a spare row under the help at 80x24, with every key still listed', async () => {
    // The help filled every row between its borders: one more entry would have made it scroll at the most common size.
    const s = await open(80, 24);
    await s.press('?');
    const lines = s.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    const inside = lines.filter((l) => /^║/.test(l)).map((l) => l.slice(1, -1).trimEnd());
    const used = inside.filter((l) => l !== '');
    expect(used.length).toBeLessThanOrEqual(inside.length - 1);
    expect(inside.at(-1)).toBe('');
    // Every key the view reads, and every mark and flag of the tree, by name: none dropped to make room.
    const words = new Set(used.join(' ').split(/[\s(),/:]+/));
    for (const key of [
      '↑',
      '↓',
      'j',
      'k',
      'pgup',
      'pgdn',
      'home',
      'end',
      'tab',
      '→',
      '←',
      'l',
      'h',
      '[',
      ']',
      'enter',
      'space',
      'E',
      'C',
      'ctrl+space',
      's',
      'ctrl+o',
      'ctrl+f',
      'c',
      'ctrl+l',
      'ctrl+a',
      'u',
      'ctrl+u',
      '+',
      '-',
      '~',
      'ctrl+r',
      'a',
      'ctrl+b',
      'w',
      'f',
      'esc',
      '?',
      'q',
      '=',
      'W',
      'J',
    ])
      expect([key, words.has(key)]).toEqual([key, true]);
    expect(used.some((l) => l.startsWith('/ '))).toBe(true);
    s.unmount();
  });

  it('scrolls the help on a short terminal, saying where it is and how to close it on every screen', async () => {
    // Given a 60x12 terminal, where the help (wrapped to 58 columns) is far longer than the 7 lines it has.
    const s = await open(60, 12);
    const shown = (frame: string) =>
      frame
        .split('\n')
        .filter((l) => /^║/.test(l))
        .map((l) => l.slice(1, -1).trim());
    const bar = (frame: string) => frame.split('\n').at(-1)!;
    let frame = await s.press('?');
    const total = Number(/ of (\d+)/.exec(bar(frame))?.[1]);
    expect(total).toBeGreaterThan(HELP.length);
    expect(shown(frame)).toHaveLength(7);
    expect(shown(frame)[0].startsWith(HELP[0][0])).toBe(true);
    expect(bar(frame)).toMatch(/^\? q esc: close help +1-7 of \d+/);
    // The bar's scroll keys end whole at 60 columns, not cut (home and end are in the help itself).
    expect(bar(frame)).toMatch(/ {2}↑↓ pgup pgdn: scroll *$/);
    // When: down a line, a page, to the end and back.
    frame = await s.press(KEY.down);
    expect(bar(frame)).toContain(`2-8 of ${total}`);
    frame = await s.press('j', KEY.pageDown);
    expect(bar(frame)).toContain(`10-16 of ${total}`);
    frame = await s.press(KEY.end);
    expect(bar(frame)).toContain(`${total - 6}-${total} of ${total}`);
    expect(shown(frame).at(-2)).toMatch(/^J +junk: caches/);
    expect(bar(frame)).toMatch(/^\? q esc: close help/);
    frame = await s.press(KEY.down);
    expect(bar(frame)).toContain(`${total - 6}-${total} of ${total}`);
    frame = await s.press(KEY.pageUp, 'k');
    expect(bar(frame)).toContain(`${total - 14}-${total - 8} of ${total}`);
    frame = await s.press(KEY.home);
    expect(shown(frame)[0].startsWith(HELP[0][0])).toBe(true);
    // Then q closes the help (the view is back, nothing quit), and the help opens again at its top.
    frame = await s.press(KEY.end, 'q');
    expect(frame).toContain('Layers (6)');
    expect(s.quits()).toBe(0);
    expect(bar(await s.press('?'))).toContain(`1-7 of ${total}`);
    // At 80x24 everything fits: nothing to scroll.
    const all = HELP.length;
    expect(bar(await s.rerender(80, 24))).toMatch(new RegExp(`^\\? q esc: close help +1-${all} of ${all}`));
    expect(bar(await s.press(KEY.down))).toContain(`1-${all} of ${all}`);
    s.unmount();
  });

  it('says the terminal is too small below 60x12 instead of drawing broken boxes, and still quits on q', async () => {
    const s = await open(50, 14);
    const message = 'terminal too small (50x14): explore needs 60x12; enlarge it, or q to quit';
    // Wrapped to the width, whole: at 40 or 50 columns the size it needs and how to quit are still read.
    expect(s.frame().split('\n')).toEqual([
      'terminal too small (50x14): explore needs 60x12;',
      'enlarge it, or q to quit',
    ]);
    expect(s.frame().replace(/\n/g, ' ')).toBe(message);
    const narrow = (await s.rerender(40, 10)).split('\n');
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(40);
    expect(narrow.join(' ')).toBe(message.replace('50x14', '40x10'));
    expect((await s.rerender(12, 3)).split('\n')).toHaveLength(2);
    expect((await s.rerender(80, 10)).startsWith('terminal too small (80x10)')).toBe(true);
    // Back to a usable size: the view again.
    expect(await s.rerender(60, 15)).toContain('Layers (6)');
    await s.press('q');
    await drawn(() => s.quits() > 0);
    expect(s.quits()).toBe(1);
    s.unmount();
  });

  it('quits on q while too small even from a filter being typed or the help, and acts on no other key unseen', async () => {
    // Given a filter being typed when the terminal becomes too small, when q is pressed, then the view quits, as the
    // screen says (q was typed into the filter, unseen, and the view stayed open).
    const typing = await open();
    await typing.press('/', 'x');
    expect(await typing.rerender(50, 14)).toContain('or q to quit');
    await typing.press('q');
    await drawn(() => typing.quits() > 0);
    expect(typing.quits()).toBe(1);
    typing.unmount();
    // The same with the help open (q closes the help at a usable size).
    const help = await open();
    await help.press('?');
    await help.rerender(50, 14);
    await help.press('q');
    await drawn(() => help.quits() > 0);
    expect(help.quits()).toBe(1);
    help.unmount();
    // Other keys do nothing while nothing of the view shows: back at a usable size, the tree is as it was left.
    const keys = await open();
    const before = await keys.press(KEY.tab);
    await keys.rerender(50, 14);
    await keys.press('/', 'w', KEY.tab);
    expect(await keys.rerender(80, 24)).toBe(before);
    expect(keys.quits()).toBe(0);
    keys.unmount();
  });

  it('redraws to the new size on resize', async () => {
    const s = await open();
    let lines = (await s.rerender(100, 40)).split('\n');
    expect(lines.length).toBe(39);
    expect(Math.max(...lines.map((l) => l.length))).toBe(100);
    // Wider: the layer pane shows whole instructions.
    expect(lines.join('\n')).toContain('RUN chmod 0640 /app/d');
    lines = (await s.rerender(80, 24)).split('\n');
    expect(lines.length).toBe(23);
    expect(Math.max(...lines.map((l) => l.length))).toBe(80);
    s.unmount();
  });

  it('clears the whole screen before the frame at a new size (a terminal rewraps the old frame when it narrows)', async () => {
    // Given the view running full-screen (runExplore, as the command runs it) at 60x12, when the terminal becomes
    // narrower and taller (tmux rewraps each 60-column line of the old frame into two), then the screen is cleared
    // and the cursor homed before the frame at the new size: erasing the old frame's line count upward from the
    // cursor would leave the rewrapped top half of it on screen.
    const { stdout, written, ended, press } = await fullScreen(60, 12);
    const output = () => strip(written.join(''));
    // Drawn, and the view listening for resizes (its effect runs after the first frame is written): ink's and its own.
    await drawn(() => output().includes('Layers (6)') && stdout.listenerCount('resize') >= 2);
    const before = written.length;
    Object.assign(stdout, { columns: 59, rows: 30 });
    stdout.emit('resize');
    // ink draws the old tree at the new width, then the view's clear and the new frame follow, each on its own
    // timer: waited for until the screen has settled (up to 5 s, for a loaded CI machine), not the first frame with
    // the text, which can come before the clear that then draws it again.
    const last = () => {
      const after = written.slice(before).join('');
      const clear = after.lastIndexOf('\u001b[2J\u001b[H');
      return { clear, text: after.indexOf('terminal too small (59x30)', clear) };
    };
    await drawn(() => last().clear >= 0 && last().text > last().clear, 5000);
    const { clear, text } = last();
    expect(clear).toBeGreaterThanOrEqual(0);
    expect(text).toBeGreaterThan(clear);
    // A resize event without a new size (some terminals send them) does not blank the screen: nothing would redraw it.
    const same = written.length;
    stdout.emit('resize');
    await tick();
    expect(written.slice(same).join('')).not.toContain('\u001b[2J');
    press('q');
    await expect(ended).resolves.toBe('quit');
  });

  it('blanks its alternate screen before leaving it, so none of it shows over the shell after a resize', async () => {
    // Given the view opened at 60x12 and the terminal made 80x24, when q ends it, then the alternate screen is
    // cleared before it is left: tmux, given back a shell screen shorter than the terminal has become, keeps the
    // view's lines below it (the last panes showed above the shell's next output).
    const { stdout, written, ended, press } = await fullScreen(60, 12);
    await drawn(() => strip(written.join('')).includes('Layers (6)') && stdout.listenerCount('resize') >= 2);
    Object.assign(stdout, { columns: 80, rows: 24 });
    stdout.emit('resize');
    press('q');
    await expect(ended).resolves.toBe('quit');
    const all = written.join('');
    const left = all.lastIndexOf('\u001b[?1049l');
    expect(left).toBeGreaterThan(0);
    const blank = all.lastIndexOf('\u001b[2J', left);
    expect(blank).toBeGreaterThan(all.lastIndexOf('Layers (6)', left));
  });

  it('keeps the selected row on screen when the terminal shrinks under it', async () => {
    // Given every directory open on a tall terminal and the cursor low in the tree, when the terminal gets shorter,
    // then the selected row is still drawn (the line under the panes names it), and moving on from it works.
    const s = await open(100, 40);
    await s.press(KEY.tab, 'E');
    for (let i = 0; i < 11; i++) await s.press('j');
    const selected = detail(s.frame()).split('  ')[0];
    const row = (frame: string) => treeRows(frame).find((r) => r.startsWith('>'));
    const name = row(s.frame())!.split(' ').pop()!;
    expect(selected).toBe('/etc/motd');
    expect(name).toBe('motd');
    const small = await s.rerender(80, 16);
    expect(row(small)?.split(' ').pop()).toBe(name);
    // k moves up one row from it, still on screen.
    const up = await s.press('k');
    expect(row(up)).toBeDefined();
    expect(row(up)?.split(' ').pop()).not.toBe(name);
    s.unmount();
  });

  it('uses no colour when told not to (NO_COLOR), and colour otherwise', async () => {
    const plain = await open(80, 24, false);
    expect(plain.raw()).not.toMatch(colourCode);
    plain.unmount();
    const coloured = await open(80, 24, true);
    expect(coloured.raw()).toMatch(colourCode);
    coloured.unmount();
  });
});

/** Ctrl+letter and Ctrl+Space as a terminal sends them (one byte each). */
const ctrl = (letter: string) => String.fromCharCode(letter === ' ' ? 0 : letter.charCodeAt(0) - 96);

describe('the command that made a layer', () => {
  // dive shows a layer's command whole; cut to the line at 80 columns, what the RUN installs (its end) was lost. It
  // wraps over the top findings' lines (this image has one finding: two lines).
  const command =
    '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends build-essential ' +
    'git && rm -rf /var/lib/apt/lists/*';
  // As the layers pane says it.
  const shown = command.replace('/bin/sh -c ', 'RUN ');
  let long: ExploreResult;
  beforeAll(async () => {
    long = await exploreImage(
      await buildOciLayout([
        layer({ 'bin/': DIR, 'bin/sh': 50_000 }, '/bin/sh -c #(nop) ADD rootfs /'),
        layer({ 'var/lib/apt/lists/Packages': 300_000 }, command),
        layer({ 'etc/motd': file('hi\n') }, '/bin/sh -c echo hi > /etc/motd'),
      ]),
    );
  });

  it('is shown whole under the panes while its layer is selected in the layers pane, wrapped over the findings', async () => {
    const s = await openView(long, 80, 24);
    let frame = await s.press(KEY.up);
    let lines = frame.split('\n');
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const below = lines.slice(lines.findIndex((l) => /^[└╚]/.test(l)) + 1);
    // Every word of the command, in order, in the lines under the panes (the summary line stays).
    const words = below.join(' ').split(/\s+/).join(' ');
    expect(words).toContain(shown.split(/\s+/).join(' '));
    expect(below.some((l) => /^3 layers · /.test(l))).toBe(true);
    expect(lines[22]).toMatch(/^\?:help tab:pane/);
    // A short command takes its one line again, and the top findings come back.
    frame = await s.press(KEY.down);
    lines = frame.split('\n');
    expect(detail(frame)).toMatch(/^L2 \+1 ~0 -0 files {2}RUN echo hi > \/etc\/motd$/);
    expect(frame).toMatch(/IM001/);
    s.unmount();
  });
  it('wraps as well on a terminal under 21 rows and on an image without findings, over lines of the panes', async () => {
    // Only the top findings' lines were lent to it: below 21 rows (no findings shown) or with no findings at all it
    // was cut to one line. The panes lend it up to the three lines the findings would have, the tree keeping 5 rows.
    const words = shown.split(/\s+/).join(' ');
    const under = (frame: string) => {
      const lines = frame.split('\n');
      return lines.slice(lines.findIndex((l) => /^[└╚]/.test(l)) + 1);
    };
    const cases: Array<[ExploreResult, number, number]> = [
      [long, 80, 18],
      [{ ...long, analysis: { ...long.analysis, findings: [] } }, 80, 24],
    ];
    for (const [result, columns, rows] of cases) {
      const s = await openView(result, columns, rows);
      const opened = s.frame();
      // Where the view opens (the last layer), nothing is lent: the panes are as tall as before.
      expect(under(opened)).toHaveLength(3);
      const frame = await s.press(KEY.up);
      const lines = frame.split('\n');
      expect(lines).toHaveLength(rows - 1);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      expect(under(frame).join(' ').split(/\s+/).join(' ')).toContain(words);
      expect(under(frame).some((l) => /^3 layers · /.test(l))).toBe(true);
      expect(lines[rows - 2]).toMatch(/^\?:help tab:pane/);
      // The layer stays selected in the shorter layers pane.
      expect(frame).toMatch(/>L1 /);
      // A short command gives the lines back.
      expect(under(await s.press(KEY.down))).toHaveLength(3);
      s.unmount();
    }
    // No room to lend: at 12 rows the tree has 4 rows, and the command is cut to its line, as before.
    const small = await openView(long, 80, 12);
    expect(under(await small.press(KEY.up))).toHaveLength(3);
    small.unmount();
  });
});

describe("a layer's Dockerfile line in the layers pane", () => {
  // At 60 columns the Instruction column was cut to `:2…` for line 26, which reads as line 2.
  const attributed = (): ExploreResult => ({
    ...result,
    analysis: {
      ...result.analysis,
      layers: result.analysis.layers.map((l) => ({
        ...l,
        instruction: {
          file: 'Dockerfile',
          line: 20 + l.index,
          endLine: 20 + l.index,
          keyword: 'RUN',
          text: `RUN step-${l.index}`,
        },
      })),
    },
  });
  const layerPane = (frame: string) =>
    frame
      .split('\n')
      .map((line) => line.split(/[│║]/)[1] ?? '')
      .filter((cell) => /^[ >]L\d/.test(cell));

  it('drops the Instruction column when its line number does not fit whole, and shows it whole when it does', async () => {
    const narrow = await openView(attributed(), 60, 15);
    const rows = layerPane(narrow.frame());
    expect(rows.length).toBeGreaterThan(0);
    // (`:22…` keeps the number but reads as line 22 of 220 cut, as `:2…` did)
    for (const row of rows) expect(row).not.toMatch(/:\d|…/);
    expect(narrow.frame()).not.toContain('Instruction');
    narrow.unmount();
    const wide = await openView(attributed(), 100, 30);
    expect(layerPane(wide.frame())).toContainEqual(expect.stringMatching(/ :25 RUN step-5 *$/));
    wide.unmount();
  });

  it('names the Dockerfile by its base name under the panes when its path would cut the line number off', async () => {
    const file = 'scripts/corpus/dockerfiles/bloated.Dockerfile';
    const long = attributed();
    long.analysis.layers = long.analysis.layers.map((l) => ({ ...l, instruction: { ...l.instruction!, file } }));
    const narrow = await openView(long, 60, 15);
    expect(detail(narrow.frame())).toBe('L5 +0 ~1 -0 files  bloated.Dockerfile:25 RUN step-5');
    narrow.unmount();
    const wide = await openView(long, 100, 30);
    expect(detail(wide.frame())).toBe(`L5 +0 ~1 -0 files  ${file}:25 RUN step-5`);
    wide.unmount();
  });
});

describe("dive's keys", () => {
  it('Ctrl+F opens the path filter (not the findings) and Esc closes it', async () => {
    const s = await open();
    await s.press(ctrl('f'), 'm', 'o', 'd');
    expect(paneLines(s.frame())[0]).toContain('filter /mod_');
    expect(s.frame()).not.toContain('Findings about');
    await s.press(KEY.esc);
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · aggregated · by size');
    s.unmount();
  });

  it("in the layers pane, Ctrl+L shows this layer's changes and Ctrl+A the aggregated tree, focus staying there", async () => {
    const s = await open();
    await s.press(ctrl('l'));
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · changes only · by size');
    // Still in the layers pane: k selects the layer above.
    await s.press('k');
    expect(s.frame()).toMatch(/>L4 /);
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · changes only · by size');
    await s.press(ctrl('a'));
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · aggregated · by size');
    s.unmount();
  });

  it('c, like Ctrl+L and Ctrl+A, switches the changes view from the layers pane, focus staying there', async () => {
    const s = await open();
    await s.press('c');
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · changes only · by size');
    // Still in the layers pane (its border drawn double): k selects the layer above, as it did before c.
    expect(s.frame().split('\n')[1]).toMatch(/^╔═+╗┌/);
    await s.press('k');
    expect(s.frame()).toMatch(/>L4 /);
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · changes only · by size');
    await s.press('c');
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · aggregated · by size');
    // From the tree, c keeps the tree's focus: j moves its cursor, not the layer.
    await s.press(KEY.tab, 'c', 'j');
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · changes only · by size');
    expect(s.frame()).toMatch(/>L4 /);
    await s.press('c');
    expect(paneLines(s.frame())[0].trim()).toBe('L4 · aggregated · by size');
    s.unmount();
  });

  it('in the tree, Ctrl+A / +, Ctrl+R / - and ~ hide added, removed and modified entries, and the header says so', async () => {
    const s = await open();
    await s.press('k', 'k', 'k', KEY.tab, KEY.home);
    expect(treeRows(s.frame())[0]).toBe('> + 640 kB w ▸ opt/');
    await s.press(ctrl('a'));
    expect(paneLines(s.frame())[0].trim()).toBe('L2 · aggregated · added hidden · by size');
    expect(detail(s.frame())).toBe('added entries hidden');
    expect(treeRows(s.frame()).map((r) => r.split(' ').pop())).toEqual(['var/', 'bin/', 'etc/']);
    await s.press('+');
    expect(treeRows(s.frame()).map((r) => r.split(' ').pop())).toEqual(['opt/', 'var/', 'bin/', 'etc/']);
    // L4 removed the toolchain: opt/ (unchanged) stays, the removed directory goes.
    await s.press(']', ']', KEY.end, KEY.enter);
    expect(treeRows(s.frame())).toContain('- 640 kB w ▸ toolchain/');
    await s.press(ctrl('r'));
    expect(paneLines(s.frame())[0]).toContain('removed hidden');
    expect(treeRows(s.frame()).join('\n')).not.toContain('toolchain/');
    await s.press('-');
    expect(treeRows(s.frame())).toContain('- 640 kB w ▸ toolchain/');
    // L5 modified the model (chmod): ~ hides it, its unchanged directories stay.
    await s.press(']', '-', '~');
    expect(paneLines(s.frame())[0]).toContain('removed/modified hidden');
    await s.press(KEY.home, KEY.enter, 'j', KEY.enter);
    // data/ holds nothing shown: no arrow to open it by.
    expect(treeRows(s.frame()).slice(0, 3)).toEqual(['320 kB w ▾ app/', '> 320 kB w data/', '300 kB ▸ var/']);
    await s.press('~');
    expect(treeRows(s.frame())).toContain('> 320 kB w ▸ data/');
    await s.press(KEY.enter);
    expect(treeRows(s.frame())).toContain('~ 320 kB w model.bin');
    // With unchanged entries hidden too, a directory stays only for what changed below it in a kind still shown.
    await s.press('C', 'u', '+');
    expect(treeRows(s.frame())).toEqual(['> 320 kB w ▸ app/']);
    await s.press('~');
    expect(treeRows(s.frame())).toEqual(['nothing to show in this view']);
    s.unmount();
  });

  it('Ctrl+Space expands or collapses everything, Ctrl+O sorts, Ctrl+U hides unchanged entries', async () => {
    const s = await open();
    await s.press(KEY.tab, ctrl(' '));
    expect(detail(s.frame())).toBe('expanded all');
    expect(treeRows(s.frame())).toHaveLength(12);
    await s.press(ctrl(' '));
    expect(detail(s.frame())).toBe('collapsed all');
    expect(treeRows(s.frame())).toHaveLength(5);
    await s.press(ctrl('o'));
    expect(treeRows(s.frame()).map((r) => r.split(' ').pop())).toEqual(['app/', 'bin/', 'etc/', 'opt/', 'var/']);
    await s.press(ctrl('u'));
    expect(treeRows(s.frame())).toEqual(['> 320 kB w ▸ app/']);
    s.unmount();
  });

  it('PageUp / PageDown move a page through the layers', async () => {
    const s = await open();
    await s.press(KEY.pageUp);
    expect(s.frame()).toMatch(/>L0 /);
    await s.press(KEY.pageDown);
    expect(s.frame()).toMatch(/>L5 /);
    s.unmount();
  });

  it("never does a plain letter's job for a Ctrl+letter, and says when a dive key has no equivalent", async () => {
    const s = await open();
    await s.press(KEY.tab, ctrl('w'));
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · aggregated · by size');
    await s.press(ctrl('p'));
    expect(detail(s.frame())).toMatch(/^ctrl\+p \(dive's tree wrap\) has no equivalent here/);
    // dive's extract-file key said nothing: a user moving over waited for a file.
    await s.press(ctrl('e'));
    expect(detail(s.frame())).toBe('ctrl+e (extract a file) is not available: ballast writes no image files to disk');
    s.unmount();
  });
});

describe('a directory with nothing to show below it in the view', () => {
  it('has no arrow, opened or not, when the view hides all it holds (or it holds nothing in this layer)', async () => {
    // Given etc/ given a new mode by L1 (a modified directory) and one file added below it, when the tree shows L1's
    // changes with added entries hidden, then etc/ is shown for its own change, with nothing left below it.
    const built = await buildOciLayout([
      layer({ 'etc/': DIR, 'etc/a': 3, 'opt/': DIR }, '/bin/sh -c base'),
      layer({ 'etc/': { kind: 'dir', mode: 0o700 }, 'etc/new': 5 }, '/bin/sh -c touch /etc/new; chmod 700 /etc'),
    ]);
    const own = await exploreImage(built);
    const s = await openView(own, 80, 24);
    await s.press(KEY.tab, 'c');
    expect(treeRows(s.frame())).toEqual(['> ~ 5 B ▸ etc/']);
    await s.press('+');
    expect(treeRows(s.frame())).toEqual(['> ~ 5 B etc/']);
    await s.press(KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> ~ 5 B etc/']);
    // Shown again, the file is there to open to.
    await s.press('+', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> ~ 5 B ▾ etc/', '+ 5 B new']);
    // opt/ never holds anything: no arrow in any view.
    await s.press('c');
    expect(treeRows(s.frame())).toContain('0 B opt/');
    s.unmount();
  });
});

describe('a path that changed kind', () => {
  it('shows the bytes a directory held when a file replaces it, as a directory replacing a file shows the file', async () => {
    // Given c/ holding a 4 kB file and a 3 kB file b in L0, then L1 replacing c by an 800 B file (the 4 kB are
    // deleted with it) and b by a directory of 700 B, and an L2 that leaves both alone, when the tree shows L1,
    // then each is marked w for the bytes its old self lost, and changes only sizes c by what L1 wrote and removed.
    const built = await buildOciLayout([
      layer({ 'c/': DIR, 'c/z': 4_000, b: 3_000 }, '/bin/sh -c base'),
      layer({ '.wh.c': WHITEOUT, c: 800, 'b/': DIR, 'b/inner': 700 }, '/bin/sh -c swap'),
      layer({ other: 1 }, '/bin/sh -c touch /other'),
    ]);
    const own = await exploreImage(built);
    const s = await openView(own, 80, 24);
    const rows = () => treeRows(s.frame()).map((r) => r.replace(/^> /, ''));
    await s.press('k', KEY.tab, 's');
    expect(paneLines(s.frame())[0].trim()).toBe('L1 · aggregated · by name');
    expect(rows()).toEqual(['~ 700 B w ▸ b/', '~ 800 B w c']);
    await s.press('c');
    expect(rows()).toEqual(['~ 700 B w ▸ b/', '~ 4.80 kB w c']);
    // A layer later the old bytes are still wasted (w), and neither path changed.
    await s.press('c', ']');
    expect(paneLines(s.frame())[0].trim()).toBe('L2 · aggregated · by name');
    expect(rows()).toEqual(['700 B w ▸ b/', '800 B w c', '+ 1 B other']);
    s.unmount();
  });
});

describe('keys typed faster than the view reads them', () => {
  it('treats "kkk" in one read as three presses', async () => {
    const s = await open();
    await s.press('kkk');
    expect(s.frame()).toMatch(/>L2 +640 kB/);
    s.unmount();
  });

  it('reads Enter, Backspace, Tab and Esc inside such a string as keys, not as filter text', () => {
    expect(splitPresses('l-\r')).toEqual([{ input: 'l' }, { input: '-' }, { input: '', return: true }]);
    expect(splitPresses('ab\x7f\t\x1b')).toEqual([
      { input: 'a' },
      { input: 'b' },
      { input: '', backspace: true },
      { input: '', tab: true },
      { input: '', escape: true },
    ]);
  });

  it('reads Esc and a Ctrl+letter in one read as those two keys, never as filter text', async () => {
    const s = await open();
    await s.press('/', 'm', 'o', 'd', `${KEY.esc}${ctrl('o')}`);
    expect(paneLines(s.frame())[0].trim()).toBe('L5 · aggregated · by name');
    s.unmount();
  });

  it('reads Esc and a letter in one read as Esc, then the letter, never as filter text', async () => {
    // Esc to leave the filter, then q, typed quickly: one read, which ink reports as Alt+q.
    const s = await open();
    await s.press('/', 'c', 'a', 'f', `${KEY.esc}q`);
    await drawn(() => s.quits() > 0);
    expect(s.quits()).toBe(1);
    expect(paneLines(s.frame())[0]).not.toContain('filter');
    s.unmount();
    // Outside the filter too: Esc then k is k (up a layer).
    const t = await open();
    expect(await t.press(`${KEY.esc}k`)).not.toMatch(/>L5 /);
    expect(t.frame()).toMatch(/>L4 /);
    t.unmount();
  });

  it('reads Esc and an arrow in one read as Esc, then the arrow', async () => {
    // Esc to clear a kept filter, then down, typed while the view is busy: one read, which ink reports as Alt+down.
    const s = await open();
    await s.press('/', 'c', 'a', 'f', KEY.enter, `${KEY.esc}${KEY.down}`);
    expect(paneLines(s.frame())[0]).not.toContain('filter');
    s.unmount();
  });

  it('reads Esc and a punctuation key in one read as Esc, then the key, never as filter text', async () => {
    // Esc to leave the filter, then / to start another, typed quickly: one read, which ink reports as a bare '/'.
    const s = await open();
    await s.press('/', 'c', 'a', 'f', `${KEY.esc}/`);
    await s.press('m', 'o', 'd');
    expect(paneLines(s.frame())[0]).toContain('filter /mod_');
    s.unmount();
  });

  it('reads Ctrl+letter and Ctrl+Space (NUL) inside such a string as ink reads them alone', () => {
    expect(splitPresses('\x06\x00\x12')).toEqual([
      { input: 'f', ctrl: true },
      { input: '`', ctrl: true },
      { input: 'r', ctrl: true },
    ]);
  });
});

describe('the wasted list with several copies of one path', () => {
  it('redraws cleanly when filtered (one row per copy, none left over)', async () => {
    // Given x written three times (two wasted copies) and y deleted.
    const built = await buildOciLayout([
      layer({ x: file('aaaa'), y: 9 }),
      layer({ x: file('bbbbb'), '.wh.y': WHITEOUT }),
      layer({ x: file('cccccc') }),
    ]);
    const own = await exploreImage(built);
    const ui = render(<ExploreApp analysis={own.analysis} tree={own.tree} columns={80} rows={24} color={false} />);
    await tick();
    const press = async (...keys: string[]) => {
      for (const k of keys) {
        const before = ui.frames.length;
        ui.stdin.write(k);
        await drawn(() => ui.frames.length > before);
      }
      return strip(ui.lastFrame() ?? '');
    };
    expect(treeRows(await press('w')).map((r) => r.replace(/^> /, ''))).toEqual([
      '- 9 B W L0→L1 /y',
      '~ 5 B W L1→L2 /x',
      '~ 4 B W L0→L1 /x',
    ]);
    expect(treeRows(await press('/', 'y')).map((r) => r.replace(/^> /, ''))).toEqual(['- 9 B W L0→L1 /y']);
    expect(treeRows(await press(KEY.backspace, 'x')).map((r) => r.replace(/^> /, ''))).toEqual([
      '~ 5 B W L1→L2 /x',
      '~ 4 B W L0→L1 /x',
    ]);
    ui.unmount();
  });
});

describe('filtering while typing', () => {
  it('narrows and widens (Backspace, a different filter) to exactly the rows a fresh view shows for that filter', async () => {
    const { RowModel, initialState } = await import('../../src/ui/explore/state.js');
    const shown = (model: InstanceType<typeof RowModel>, filter: string) =>
      model
        .rows({ ...initialState(result.tree), filter })
        .slice(0, 1000)
        .map((r) => `${r.depth} ${r.entry.path}`);
    const typing = new RowModel(result.tree);
    // Typed one character at a time, then erased, then typed anew, then a leading slash and capitals.
    for (const filter of [
      'o',
      'op',
      'opt',
      'opt/t',
      'opt',
      'op',
      'a',
      'ap',
      'app/data',
      'at',
      '/VAR',
      '/var/lib',
      'zzz',
      '',
    ]) {
      const fresh = shown(new RowModel(result.tree), filter);
      expect({ filter, rows: shown(typing, filter) }).toEqual({ filter, rows: fresh });
    }
    // The filters themselves select what they should (directories above a match are kept, and opened).
    // (The toolchain is gone by the last layer: its directory, still there, holds nothing the filter names.)
    expect(shown(new RowModel(result.tree), 'opt/t')).toEqual([]);
    expect(shown(new RowModel(result.tree), 'model')).toEqual(['0 app', '1 app/data', '2 app/data/model.bin']);
    expect(shown(new RowModel(result.tree), '/VAR').slice(0, 2)).toEqual(['0 var', '1 var/lib']);
  });
});

describe('filtering a layer', () => {
  it('shows no directory whose matches are only in other layers (written later, or removed before)', async () => {
    // Given a package's files written in the second layer under directories the first already has.
    const built = await buildOciLayout([
      layer({ 'usr/share/doc/base/README': file('base\n') }),
      layer({ 'usr/share/nodejs/npm/index.js': file('js\n'), 'usr/share/doc/nodejs/README': file('node\n') }),
      layer({ 'usr/share/nodejs/.wh..wh..opq': OPAQUE, 'usr/share/doc/.wh.nodejs': WHITEOUT }),
    ]);
    const own = await exploreImage(built);
    const { RowModel, initialState } = await import('../../src/ui/explore/state.js');
    const shown = (layerIndex: number) =>
      new RowModel(own.tree)
        .rows({ ...initialState(own.tree), layer: layerIndex, filter: 'nodejs' })
        .slice(0, 100)
        .map((r) => `${r.depth} ${r.entry.path}`);
    // Then the first layer, which has no such file yet, shows nothing for the filter (not usr/ share/ doc/ empty).
    expect(shown(0)).toEqual([]);
    expect(shown(1)).toEqual([
      '0 usr',
      '1 usr/share',
      '2 usr/share/doc',
      '3 usr/share/doc/nodejs',
      '4 usr/share/doc/nodejs/README',
      '2 usr/share/nodejs',
      '3 usr/share/nodejs/npm',
      '4 usr/share/nodejs/npm/index.js',
    ]);
    // The layer that removes them shows what it removed; the directory emptied by it still matches by its own name.
    expect(shown(2)).toContain('3 usr/share/doc/nodejs');
    expect(shown(2)).toContain('2 usr/share/nodejs');
  });
});

describe('stepping between views', () => {
  it('finds the rows of a view it showed lately made already, and the same as a fresh view makes', async () => {
    const { RowModel, initialState } = await import('../../src/ui/explore/state.js');
    const all = (model: InstanceType<typeof RowModel>, layer: number, sort: 'size' | 'name') => {
      const base = initialState(result.tree);
      return model.rows({ ...base, layer, sort, expanded: model.allDirs() }).slice(0, 1000);
    };
    const text = (rows: { depth: number; entry: { path: string; status: string } }[]) =>
      rows.map((r) => `${r.depth} ${r.entry.status} ${r.entry.path}`);
    const model = new RowModel(result.tree);
    const first = all(model, 5, 'size');
    // Other layers and a sort in between, then back.
    for (const [layer, sort] of [
      [4, 'size'],
      [2, 'size'],
      [2, 'name'],
    ] as const)
      expect(text(all(model, layer, sort))).toEqual(text(all(new RowModel(result.tree), layer, sort)));
    const again = all(model, 5, 'size');
    expect(text(again)).toEqual(text(first));
    expect(text(again)).toEqual(text(all(new RowModel(result.tree), 5, 'size')));
    // The very rows made the first time (a file row is never copied): not made again.
    const fileRow = first.findIndex((r) => r.entry.kind === 'file');
    expect(again[fileRow]).toBe(first[fileRow]);
  });
});

describe('names from the image', () => {
  it('are shown with ESC[...m escaped too, never sent to the terminal (conceal would hide the rest of the line)', async () => {
    // Given a file name and a history step ending in ESC[8m (conceal), when the view draws them, then they read
    // `\x1b[8m` and the frame holds no such sequence.
    const built = await buildOciLayout([layer({ 'z\x1b[8m': 1_000 }, '/bin/sh -c make \x1b[8m')]);
    const spoof = await exploreImage(built);
    const ui = render(
      <ExploreApp analysis={spoof.analysis} tree={spoof.tree} columns={80} rows={24} color={false} onQuit={() => {}} />,
    );
    await tick();
    const raw = ui.lastFrame() ?? '';
    ui.unmount();
    expect(raw).not.toContain('\x1b[8m');
    expect(raw).toContain('z\\x1b[8m');
    expect(raw).toContain('RUN make \\x1b[8m');
  });

  it('show a tab or newline in a file name as \\x09 or \\x0a: as a space it would name another file', async () => {
    // Given /app/new<LF>line beside /app/new line, when the tree shows /app, then the two rows differ, as they do
    // in the text and HTML reports, and the history's newline still reads as a space (prose).
    const built = await buildOciLayout([
      layer({ 'app/new\nline': 2_000, 'app/new line': 1_000, 'app/tab\tx': 500 }, '/bin/sh -c make \\\n\tall'),
    ]);
    const named = await exploreImage(built);
    const ui = render(
      <ExploreApp
        analysis={named.analysis}
        tree={named.tree}
        columns={100}
        rows={24}
        color={false}
        onQuit={() => {}}
      />,
    );
    await tick();
    ui.stdin.write(KEY.tab);
    await tick();
    ui.stdin.write(KEY.right);
    await tick();
    const raw = ui.lastFrame() ?? '';
    ui.unmount();
    expect(raw).toContain('new\\x0aline');
    expect(raw).toContain('new line');
    expect(raw).toContain('tab\\x09x');
    expect(raw).toContain('RUN make \\ all');
  });
});

describe('wide names (CJK, emoji)', () => {
  let wide: ExploreResult;
  const longDir = '中文目录';
  const longName = '文件一个很长的名字用来测试宽字符截断是否正确对齐列宽度.dat';
  beforeAll(async () => {
    const built = await buildOciLayout([
      layer(
        {
          'data/': DIR,
          'data/日本語のファイル名.txt': 12_345,
          'data/emoji-🐳🚀.bin': 2_222,
          'data/café-ñ.txt': 500,
          [`data/${longDir}/`]: DIR,
          [`data/${longDir}/${longName}`]: 70_000,
        },
        '/bin/sh -c add 日本語のファイル files',
      ),
      layer({ 'data/👍.txt': 5 }, '/bin/sh -c touch 👍'),
    ]);
    wide = await exploreImage(built);
  });

  /** Terminal columns of a line of this test's names: their CJK characters and emoji take two. */
  const columnsOf = (line: string) =>
    [...line].reduce((w, ch) => w + (/[\u3000-\u9fff\u{1f300}-\u{1faff}]/u.test(ch) ? 2 : 1), 0);

  it.each([
    [80, 24],
    [100, 30],
    [60, 12],
  ])('keep every line inside %ix%i, boxes closed and columns aligned, cutting a name too wide', async (cols, rows) => {
    // Given names and a history step in CJK and emoji, when the tree is expanded, then no line is wrapped by the
    // terminal (the frame has its rows, each row of the panes ends in its border at the last column).
    const ui = render(
      <ExploreApp
        analysis={wide.analysis}
        tree={wide.tree}
        columns={cols}
        rows={rows}
        color={false}
        onQuit={() => {}}
      />,
    );
    await tick();
    for (const k of [KEY.tab, 'E']) {
      const before = ui.frames.length;
      ui.stdin.write(k);
      await drawn(() => ui.frames.length > before);
    }
    const frame = strip(ui.lastFrame() ?? '');
    ui.unmount();
    const lines = frame.split('\n');
    expect(lines).toHaveLength(rows - 1);
    for (const line of lines) expect(columnsOf(line)).toBeLessThanOrEqual(cols);
    const panes = lines.slice(1, lines.findIndex((l) => /^[└╚]/.test(l)) + 1);
    expect(panes.length).toBeGreaterThan(2);
    for (const line of panes) {
      expect(columnsOf(line)).toBe(cols);
      expect(line).toMatch(/[│║┐╗┘╝]$/);
    }
    // One line per layer, however wide its step's text.
    expect(lines.filter((l) => /^[│║][ >]L\d/.test(l))).toHaveLength(2);
    // The long name is cut to its pane with an ellipsis, whole characters only.
    expect(frame).toMatch(/文件一个[^\s]*…/);
  });

  it('are found by the path filter as typed, in any case for ASCII (names are stored as their UTF-8 bytes)', async () => {
    const ui = render(
      <ExploreApp analysis={wide.analysis} tree={wide.tree} columns={100} rows={24} color={false} onQuit={() => {}} />,
    );
    await tick();
    const type = async (...keys: string[]) => {
      for (const k of keys) {
        const before = ui.frames.length;
        ui.stdin.write(k);
        await drawn(() => ui.frames.length > before);
      }
      return treeRows(strip(ui.lastFrame() ?? '')).map((r) => r.split(' ').pop());
    };
    expect(await type(KEY.tab, '/', '日', '本')).toEqual(['data/', '日本語のファイル名.txt']);
    expect(await type(KEY.esc, '/', '🐳')).toEqual(['data/', 'emoji-🐳🚀.bin']);
    expect(await type(KEY.esc, '/', 'C', 'A', 'F', 'É')).toEqual(['data/', 'café-ñ.txt']);
    const nested = await type(KEY.esc, '/', '目录/文件');
    expect(nested.slice(0, 2)).toEqual(['data/', `${longDir}/`]);
    expect(nested[2]).toMatch(/^文件一个/);
    expect(nested).toHaveLength(3);
    ui.unmount();
  });
});

describe('the cursor across a sort or layer change on a large expanded tree', () => {
  it('stays on its entry when the entry moves far (by name, 300 rows away), and at the same line of the screen', async () => {
    // Given every directory open, the cursor on the biggest file (z/big, second row by size), when s sorts by name,
    // then z/big is behind a/'s 300 files (and before zz/'s 50): the cursor is still on it (not on a/f000, the row now at its old index),
    // and it is drawn on the same line of the screen, the rows above it in view.
    const files: Record<string, number | typeof DIR> = { 'a/': DIR, 'z/': DIR, 'z/big': 1_000_000, 'z/small': 1 };
    for (let i = 0; i < 300; i++) files[`a/f${String(i).padStart(3, '0')}`] = 10;
    for (let i = 0; i < 50; i++) files[`zz/g${String(i).padStart(2, '0')}`] = 1;
    const built = await buildOciLayout([layer(files, '/bin/sh -c make'), layer({ 'z/new': 5 }, '/bin/sh -c more')]);
    const many = await exploreImage(built);
    const ui = render(
      <ExploreApp analysis={many.analysis} tree={many.tree} columns={80} rows={24} color={false} onQuit={() => {}} />,
    );
    await tick();
    const press = async (k: string) => {
      const before = ui.frames.length;
      ui.stdin.write(k);
      await drawn(() => ui.frames.length > before);
      return strip(ui.lastFrame() ?? '');
    };
    await press(KEY.tab);
    await press('E');
    let frame = await press('j');
    const line = (f: string) => treeRows(f).findIndex((r) => r.startsWith('>'));
    expect(treeRows(frame)[line(frame)]).toMatch(/ big$/);
    expect(line(frame)).toBe(1);
    frame = await press('s');
    expect(detail(frame)).toBe('sorted by name');
    expect(treeRows(frame)[line(frame)]).toMatch(/ big$/);
    expect(line(frame)).toBe(1);
    expect(treeRows(frame)[0]).toMatch(/ z\/$/);
    // Back by size, then to the first layer: still on z/big, on the same line.
    frame = await press('s');
    frame = await press('[');
    expect(paneLines(frame)[0].trim()).toMatch(/^L0 /);
    expect(treeRows(frame)[line(frame)]).toMatch(/ big$/);
    expect(line(frame)).toBe(1);
    ui.unmount();
  });
});

describe('the layers pane on a wide terminal', () => {
  it('grows with the width (at 200 columns), and the line under the panes says the step as the pane does', async () => {
    // At 200 columns the pane stayed 68 columns wide and cut the step, while the tree beside it had 100 empty columns;
    // and the line under the panes showed the builder's raw `/bin/sh -c #(nop) COPY …` the pane had cleaned.
    const step = `apt-get update && apt-get install -y --no-install-recommends ${'python3-package '.repeat(6)}`;
    const built = await buildOciLayout([
      layer({ 'app/a': 10 }, '/bin/sh -c #(nop) COPY dir:2a6c5f0e in /app '),
      layer({ 'usr/b': 10 }, `/bin/sh -c ${step}`),
    ]);
    const wide = await exploreImage(built);
    const s = await openView(wide, 200, 30);
    const pane = (frame: string) =>
      frame
        .split('\n')
        .map((line) => line.split(/[│║]/))
        .filter((parts) => parts.length >= 5)
        .map((parts) => parts[1]);
    expect(pane(s.frame())[0].length).toBeGreaterThanOrEqual(84);
    expect(pane(s.frame()).join('\n')).toContain(`RUN ${step.slice(0, 55)}`);
    expect(detail(s.frame())).toMatch(/^L1 \+1 ~0 -0 files {2}RUN apt-get update && apt-get install/);
    await s.press('k');
    expect(detail(s.frame())).toBe('L0 +1 ~0 -0 files  [base] COPY dir:2a6c5f0e in /app');
    s.unmount();
  });
});

describe('the base layers', () => {
  it('are marked in the layers pane and under the panes, however long their command', async () => {
    // A base image's layer is made by `ADD file:<64 hex digits> in /`: the mark after it was cut off at any width.
    const built = await buildOciLayout([
      layer({ 'bin/sh': 10 }, `/bin/sh -c #(nop) ADD file:${'e7c7'.repeat(16)} in / `),
      layer({ 'app/a': 10 }, '/bin/sh -c make'),
    ]);
    const based = await exploreImage(built);
    expect(based.analysis.layers.map((l) => l.base)).toEqual([true, false]);
    for (const columns of [80, 200]) {
      const s = await openView(based, columns, 24);
      const rows = s
        .frame()
        .split('\n')
        .map((line) => line.split(/[│║]/))
        .filter((parts) => parts.length >= 5)
        .map((parts) => parts[1]);
      expect(rows.find((r) => r.includes('L0'))).toMatch(/L0 .*\[base\] ADD f/);
      expect(rows.find((r) => r.includes('L1'))).not.toContain('[base]');
      // Its command wraps under the panes (it is not the last layer): the mark opens it.
      expect(detail(await s.press('k'))).toMatch(/^L0 \+1 ~0 -0 files +\[base\] ADD/);
      s.unmount();
    }
  });
});

describe("a layer's file counts", () => {
  it('group their thousands (1,234), in the summary too', async () => {
    const files: Record<string, number> = {};
    for (let i = 0; i < 1234; i++) files[`d/f${i}`] = 1;
    const built = await buildOciLayout([layer(files, '/bin/sh -c make')]);
    const many = await exploreImage(built);
    const s = await openView(many, 80, 24);
    expect(detail(s.frame())).toBe('L0 +1,234 ~0 -0 files  [base] RUN make');
    expect(s.frame()).toContain('1 layer · 1.23 kB in 1,234 files · wasted');
    s.unmount();
  });

  it('are the files --json lists as added, modified and removed: whiteouts, directories replaced, opaque dirs', async () => {
    // Given a directory of 4 files replaced by a file (a layer tar holds just the file, no whiteout), one replaced
    // by a symlink, a whiteout, an opaque directory, and paths a layer removes and writes again, when the layers
    // pane shows each layer, then its `+A ~M -R files` are the files --json lists as added, modified, removed.
    const built = await buildOciLayout([
      layer({ 'dir2file/': DIR, 'dir2file/a': 10, 'dir2file/b': 10, 'dir2file/sub/c': 10, 'dir2file/sub/d': 10 }),
      layer({ 'd2l/x': 5, 'd2l/y': 5, 'op/p': 1, 'op/q': 1, 'wh/m': 2 }),
      layer({ dir2file: file('f\n') }, '/bin/sh -c rm -rf /dir2file; echo f > /dir2file'),
      layer({ d2l: symlink('/tmp') }, '/bin/sh -c rm -rf /d2l; ln -s /tmp /d2l'),
      layer({ '.wh.wh': WHITEOUT, 'op/.wh..wh..opq': OPAQUE, 'op/r': 1 }, '/bin/sh -c rm -rf /wh /op/*; touch /op/r'),
      layer(
        { '.wh.dir2file': WHITEOUT, dir2file: file('g\n'), 'op/.wh..wh..opq': OPAQUE, 'op/r': 2 },
        '/bin/sh -c rm -rf /dir2file /op/*; echo g > /dir2file; echo 2 > /op/r',
      ),
    ]);
    const counted = await exploreImage(built);
    const inJson = exploreJson(counted).layers.map((l) => {
      const files = (status: string) => l.changes.filter((c) => c.status === status && c.kind === 'file').length;
      return [files('added'), files('modified'), files('removed')];
    });
    expect(inJson.map(([, , removed]) => removed)).toEqual([0, 0, 4, 2, 3, 0]);
    expect(inJson[5]).toEqual([0, 2, 0]);
    const ui = render(
      <ExploreApp
        analysis={counted.analysis}
        tree={counted.tree}
        columns={80}
        rows={24}
        color={false}
        onQuit={() => {}}
      />,
    );
    await tick();
    const shown: string[] = [];
    try {
      // The view opens on the last layer; up walks back to L0.
      for (let i = 5; i >= 0; i--) {
        shown[i] = detail(strip(ui.lastFrame() ?? ''));
        if (i === 0) break;
        const before = ui.frames.length;
        ui.stdin.write(KEY.up);
        await drawn(() => ui.frames.length > before);
      }
    } finally {
      ui.unmount();
    }
    expect(shown.map((line) => /\+(\d+) ~(\d+) -(\d+) files/.exec(line)?.slice(1).map(Number))).toEqual(inJson);
    expect(shown[2]).toBe('L2 +0 ~1 -4 files  RUN rm -rf /dir2file; echo f > /dir2file');
  });
});

describe('file attributes (a, ctrl+b)', () => {
  let attrs: ExploreResult;

  beforeAll(async () => {
    // Given a directory, an executable, a setuid and a setgid file, a sticky directory, a symlink and a file owned by
    // 1000:1001, then a layer that only chmods the executable (same content) and one that chowns the owned file.
    const built = await buildOciLayout([
      layer(
        {
          'bin/': DIR,
          'bin/tool': file(4_000, { mode: 0o755 }),
          'bin/su': file(2_000, { mode: 0o4755 }),
          'bin/wall': file(1_000, { mode: 0o2711 }),
          'bin/run': symlink('tool'),
          'tmp/': { kind: 'dir', mode: 0o1777 },
          'srv/data': file('x', { uid: 1000, gid: 1001, mode: 0o640 }),
        },
        '/bin/sh -c #(nop) ADD rootfs /',
      ),
      layer({ 'bin/tool': file(4_000, { mode: 0o4755 }) }, '/bin/sh -c chmod u+s /bin/tool'),
    ]);
    attrs = await exploreImage(built);
  });

  async function view(columns = 80, rows = 24) {
    const ui = render(
      <ExploreApp
        analysis={attrs.analysis}
        tree={attrs.tree}
        columns={columns}
        rows={rows}
        color={false}
        onQuit={() => {}}
      />,
    );
    await tick();
    const frame = () => strip(ui.lastFrame() ?? '');
    return {
      frame,
      ui,
      async press(...keys: string[]) {
        for (const k of keys) {
          const before = ui.frames.length;
          ui.stdin.write(k);
          await drawn(() => ui.frames.length > before);
        }
        return frame();
      },
    };
  }

  it('a shows each row with its mode as ls -l writes it, at 80x24, names still readable; a again hides it', async () => {
    const v = await view();
    // The whole tree as of L0, by name, bin/ open.
    await v.press('k', KEY.tab, 's', KEY.home, KEY.enter);
    expect(treeRows(v.frame()).some((r) => /rwx/.test(r))).toBe(false);
    await v.press('a');
    const frame = v.frame();
    expect(detail(frame)).toBe("file attributes shown: mode (uid:gid on the selected entry's line)");
    expect(paneLines(frame)[1]).toMatch(/^ {3}Mode +Size {4}Name$/);
    expect(treeRows(frame)).toEqual([
      '> + drwxr-xr-x 7.00 kB w ▾ bin/',
      '+ lrwxr-xr-x 0 B run → tool',
      '+ -rwsr-xr-x 2.00 kB su',
      '+ -rwxr-xr-x 4.00 kB W tool',
      '+ -rwx--s--x 1.00 kB wall',
      '+ drwxr-xr-x 1 B ▸ srv/',
      '+ drwxrwxrwt 0 B tmp/',
    ]);
    const lines = frame.split('\n');
    expect(lines).toHaveLength(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    // uid:gid of the selected entry on the line under the panes (the tree column has room for the mode only).
    await v.press(KEY.end, 'k', KEY.enter, 'j');
    expect(detail(v.frame())).toBe('/srv/data  1 B  -rw-r----- 1000:1001  added in L0');
    await v.press('a');
    expect(detail(v.frame())).toBe('file attributes hidden');
    expect(treeRows(v.frame()).some((r) => /rw-|rwx/.test(r))).toBe(false);
    v.ui.unmount();
  });

  it('marks a chmod-only copy ~ (modified, as dive does) in the tree, = with a on, and the help says so', async () => {
    const v = await view();
    // L1 (where the view opens) only chmods bin/tool; the tree by name, bin/ open.
    await v.press(KEY.tab, 's', KEY.home, KEY.enter);
    const tool = () => treeRows(v.frame()).find((r) => /B w tool$/.test(r));
    expect(tool()).toMatch(/^~ /);
    await v.press('a');
    expect(tool()).toMatch(/^= -rwsr-xr-x /);
    await v.press('a', '?');
    // The help listed = among the tree's marks as if the tree showed it without a.
    const marks = v
      .frame()
      .split('\n')
      .find((l) => l.includes('marks:'));
    expect(marks).toMatch(/marks: added, modified, removed; = with a: mode\/owner only/);
    v.ui.unmount();
  });

  it("ctrl+b (dive's key) toggles them too", async () => {
    const v = await view();
    await v.press(KEY.tab, ctrl('b'));
    expect(detail(v.frame())).toBe("file attributes shown: mode (uid:gid on the selected entry's line)");
    expect(treeRows(v.frame())[0]).toMatch(/^> drwxr-xr-x /);
    await v.press(ctrl('b'));
    expect(treeRows(v.frame())[0]).not.toMatch(/drwx/);
    v.ui.unmount();
  });

  it('follows the width: uid:gid in the tree when wide, the mode alone at 80, neither at 60 (names keep room)', async () => {
    const v = await view(130, 30);
    await v.press('k', KEY.tab, 's', 'a', KEY.end, 'k', KEY.enter);
    expect(paneLines(v.frame())[1]).toMatch(/Mode +uid:gid +Size +Name/);
    expect(treeRows(v.frame())).toContain('+ -rw-r----- 1000:1001 1 B data');
    v.ui.rerender(
      <ExploreApp analysis={attrs.analysis} tree={attrs.tree} columns={80} rows={24} color={false} onQuit={() => {}} />,
    );
    await tick();
    expect(treeRows(v.frame())).toContain('+ -rw-r----- 1 B data');
    v.ui.rerender(
      <ExploreApp analysis={attrs.analysis} tree={attrs.tree} columns={60} rows={20} color={false} onQuit={() => {}} />,
    );
    await drawn(() => !treeRows(v.frame()).some((r) => r.includes('rw-r-----')));
    expect(treeRows(v.frame())).toContain('+ 1 B data');
    for (const line of v.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    v.ui.unmount();
  });

  it('says what a shows at this width: at 60 columns the tree has no room, so it points to the line that has them', async () => {
    // It said 'file attributes shown: mode, uid:gid' at any width, over a tree that showed the mode alone at 80 columns
    // and nothing at 60: the key looked broken.
    for (const [columns, said] of [
      [130, 'file attributes shown: mode, uid:gid'],
      [80, "file attributes shown: mode (uid:gid on the selected entry's line)"],
      [60, "file attributes: on the selected entry's line (narrow tree)"],
    ] as const) {
      const v = await view(columns, 24);
      await v.press(KEY.tab, 'a');
      expect(detail(v.frame())).toBe(said);
      v.ui.unmount();
    }
  });

  it('in changes only, marks a rewrite that only changed the mode with = and says what it was', async () => {
    const v = await view();
    await v.press(KEY.tab, 'c', KEY.home, KEY.enter);
    expect(treeRows(v.frame())).toContain('~ 4.00 kB w tool');
    await v.press('a', 'j');
    expect(treeRows(v.frame())).toContain('> = -rwsr-xr-x 4.00 kB w tool');
    expect(detail(v.frame())).toBe('/bin/tool  4.00 kB  -rwsr-xr-x 0:0 (was -rwxr-xr-x 0:0)  modified in L1');
    v.ui.unmount();
  });

  it('types a device or FIFO from its tar entry when the mode holds only permission bits (c, b, p, never ?), with its numbers', async () => {
    // Given devices and a FIFO as tar writers store them: mode 0620/0660/0644, the type in the typeflag alone.
    const built = await buildOciLayout([
      layer({
        'dev/': DIR,
        'dev/sda': special('block-device', 0o660, { major: 8, minor: 0 }),
        'dev/tty': special('character-device', 0o620),
        'run/': DIR,
        'run/initctl': special('fifo', 0o644),
      }),
    ]);
    const result = await exploreImage(built);
    const v = await openView(result, 80, 24);
    await v.press(KEY.tab, 's', KEY.home, KEY.enter, 'a');
    expect(treeRows(v.frame()).slice(0, 3)).toEqual([
      '> + drwxr-xr-x 0 B ▾ dev/',
      '+ brw-rw---- 0 B sda',
      '+ crw--w---- 0 B tty',
    ]);
    // A device's numbers stand where its size would, as `ls -l` writes them.
    await v.press('j');
    expect(detail(v.frame())).toBe('/dev/sda  8,0  brw-rw---- 0:0  added in L0');
    await v.press('j', 'j', KEY.enter, 'j');
    expect(detail(v.frame())).toBe('/run/initctl  0 B  prw-r--r-- 0:0  added in L0');
    v.unmount();
  });

  it('writes special bits and device types as ls -l does', () => {
    const node = (kind: FsNode['kind'], mode: number): FsNode => ({ layer: 0, kind, size: 0, mode, uid: 0, gid: 0 });
    expect(modeString(node('file', 0o4644))).toBe('-rwSr--r--');
    expect(modeString(node('file', 0o2644))).toBe('-rw-r-Sr--');
    expect(modeString(node('dir', 0o1770))).toBe('drwxrwx--T');
    expect(modeString(node('file', 0o6755))).toBe('-rwsr-sr-x');
    expect(modeString(node('other', 0o020620))).toBe('crw--w----');
    expect(modeString(node('other', 0o060660))).toBe('brw-rw----');
    expect(modeString(node('other', 0o010644))).toBe('prw-r--r--');
    expect(modeString(node('other', 0o644))).toBe('?rw-r--r--');
  });

  it('marks a device rewritten with other numbers, or a FIFO made a device, as changed, not `=`', () => {
    const node = (mode: number, device?: { major: number; minor: number }): FsNode => ({
      layer: 0,
      kind: 'other',
      size: 0,
      mode,
      uid: 0,
      gid: 0,
      ...(device ? { device } : {}),
    });
    expect(sameContent(node(0o020666, { major: 1, minor: 3 }), node(0o020600, { major: 1, minor: 3 }))).toBe(true);
    expect(sameContent(node(0o020666, { major: 1, minor: 3 }), node(0o020666, { major: 1, minor: 5 }))).toBe(false);
    expect(sameContent(node(0o060660, { major: 8, minor: 0 }), node(0o020660, { major: 8, minor: 0 }))).toBe(false);
    expect(sameContent(node(0o010644), node(0o020644, { major: 0, minor: 0 }))).toBe(false);
    expect(sameContent(node(0o010644), node(0o010600))).toBe(true);
  });

  it('keeps the owner column one width, cutting an owner too long for it', () => {
    const owned = (uid: number, gid: number): FsNode => ({ layer: 0, kind: 'file', size: 0, mode: 0o644, uid, gid });
    expect(ownerColumn(owned(0, 0))).toBe('        0:0');
    expect(ownerColumn(owned(65534, 65534))).toBe('65534:65534');
    expect(ownerColumn(owned(100000, 100000))).toBe('100000:100…');
  });
});

describe('a deep path', () => {
  // A file 30 directories down (the tree's row for it would be all indentation at 80 columns).
  let own: ExploreResult;
  beforeAll(async () => {
    const dirs = Array.from({ length: 30 }, (_, i) => `dir${i}`).join('/');
    const built = await buildOciLayout([layer({ [`${dirs}/leaf.txt`]: file('x'.repeat(77)) })]);
    own = await exploreImage(built);
  });

  it("keeps the selected entry's name on the line under the panes, cutting the path's start instead", async () => {
    const s = await openView(own, 80, 24);
    // When the whole tree is open and the cursor on the last row (the file).
    await s.press(KEY.tab, 'E', KEY.end);
    // Then the line shows the end of the path, the file's name, size and layer, in 80 columns.
    const line = detail(s.frame());
    expect(line).toMatch(/^….*\/dir28\/dir29\/leaf\.txt {2}77 B {2}added in L0$/);
    expect(line.length).toBeLessThanOrEqual(80);
    s.unmount();
  });

  it('moves the rows on screen left so the deepest one still shows its name, one level still a step right', async () => {
    const s = await openView(own, 80, 24);
    // When the whole tree is open and the bottom of it on screen, 31 levels deep, at 80 columns.
    const pane = paneLines(await s.press(KEY.tab, 'E', KEY.end));
    // Then the file's row shows its name, two columns right of its directory's (the levels still read as levels).
    const leaf = pane.find((l) => l.includes('leaf.txt'));
    const parent = pane.find((l) => l.includes('dir29/'));
    const grandparent = pane.find((l) => l.includes('dir28/'));
    expect(leaf).toBeDefined();
    expect(parent).toBeDefined();
    expect(leaf!.indexOf('leaf.txt')).toBe(parent!.indexOf('dir29/') + 2);
    expect(parent!.indexOf('dir29/')).toBe(grandparent!.indexOf('dir28/') + 2);
    s.unmount();
  });

  it('keeps one level a step right of its directory with the attributes shown, at 80 columns', async () => {
    // The mode column leaves the names no more than their own room: moved left that far, every level would sit in
    // the same column, and a directory's files would read as its siblings.
    const s = await openView(own, 80, 24);
    const pane = paneLines(await s.press(KEY.tab, 'a', 'E', KEY.end));
    const leaf = pane.find((l) => l.includes('leaf.txt'));
    const parent = pane.find((l) => l.includes('dir29/'));
    expect(leaf).toBeDefined();
    expect(parent).toBeDefined();
    expect(leaf).toContain('-rw-r--r--');
    expect(leaf!.indexOf('leaf.txt')).toBe(parent!.indexOf('dir29/') + 2);
    s.unmount();
  });
});

describe('a hard link', () => {
  it('shows the path it shares its bytes with, as a symlink shows its target', async () => {
    // Given a file with a second name (a hard link: 0 B of its own) and a symlink beside it.
    const built = await buildOciLayout([
      layer({
        'bin/': DIR,
        'bin/tool': file('x'.repeat(50)),
        'bin/alias': hardlink('bin/tool'),
        'bin/soft': symlink('tool'),
      }),
    ]);
    const own = await exploreImage(built);
    const s = await openView(own, 80, 24);
    // Then, the directory open, the hard link names the file whose bytes it reads.
    expect(treeRows(await s.press(KEY.tab, KEY.enter))).toEqual([
      '> + 50 B ▾ bin/',
      '+ 50 B tool',
      '+ 0 B alias ⇒ /bin/tool',
      '+ 0 B soft → tool',
    ]);
    s.unmount();
  });
});

describe('a hard link target as the tar wrote it', () => {
  // Tars name a link's target as they name entries: `./bin/tool`, `bin/tool`, `/bin/tool`, `bin//tool`. The row
  // shows the path as the rest of the view shows it, once: `/./bin/tool` reads as another file.
  it.each(['./bin/tool', 'bin/tool', '/bin/tool', 'bin//tool', './bin/../bin/tool'])(
    '%s shows as /bin/tool',
    async (target) => {
      const built = await buildOciLayout([
        layer({ 'bin/': DIR, 'bin/tool': file('x'.repeat(50)), 'bin/alias': hardlink(target) }),
      ]);
      const own = await exploreImage(built);
      const s = await openView(own, 80, 24);
      expect(treeRows(await s.press(KEY.tab, KEY.enter))).toContain('+ 0 B alias ⇒ /bin/tool');
      s.unmount();
    },
  );
});

describe('the help at the narrowest widths explore draws', () => {
  it('keeps every key visibly apart from its description (two spaces at least), at 60 and 61 columns too', async () => {
    for (const width of [60, 61, 62, 80, 100]) {
      const s = await open(width, 60);
      await s.press('?');
      const help = s
        .frame()
        .split('\n')
        .filter((l) => /^║/.test(l))
        .map((l) => l.slice(1, -1));
      for (const [key] of HELP) {
        const line = help.find((l) => l.startsWith(key));
        expect([width, line?.slice(key.length)]).toEqual([width, expect.stringMatching(/^ {2,}\S/)]);
      }
      s.unmount();
    }
  });
});

describe('the help wrapped at any width explore draws', () => {
  // Keys named together are read together: `(→ ← l` at a line's end and `h)` under it read as a key `h)`.
  it.each(['(→ ← l h);', '(home end:', '(ctrl+u, ctrl+r)', 'w, f:'])('keeps %s on one line', async (group) => {
    const s = await open(60, 60);
    await s.press('?');
    const cut: number[] = [];
    for (let width = 60; width <= 100; width++) {
      const help = (await s.rerender(width, 60))
        .split('\n')
        .filter((l) => /^║/.test(l))
        .map((l) => l.slice(1, -1).trim());
      expect(help.length).toBeGreaterThanOrEqual(HELP.length);
      if (!help.some((l) => l.includes(group))) cut.push(width);
    }
    expect(cut).toEqual([]);
    s.unmount();
  });
});

describe('the header over the wasted list', () => {
  it('names only the modes that apply to the list: changes only and hidden kinds do not, and are back after w', async () => {
    // Wide enough for every mode on: the header is cut at 80.
    const s = await open(160, 24);
    await s.press(KEY.tab, 'c', 'u', '+', 'w');
    const header = paneLines(s.frame())[0];
    expect(header).toContain('only wasted');
    expect(header).not.toMatch(/changes only|aggregated|unchanged hidden|added hidden/);
    // The rows are every wasted copy up to this layer, as with changes only off.
    expect(treeRows(s.frame())).toHaveLength(3);
    await s.press('w');
    expect(paneLines(s.frame())[0]).toMatch(/changes only · unchanged hidden · added hidden/);
    s.unmount();
  });
});

describe('the line under the panes with the findings list open', () => {
  it('describes the selected finding, not the hidden tree entry or the layer', async () => {
    // Wide enough for the whole fix: the line is cut to the terminal.
    const s = await open(140, 24);
    await s.press(KEY.tab, '[', '[', 'f');
    const finding = result.analysis.findings.find((f) => f.code === 'IM005')!;
    expect(detail(s.frame())).toMatch(/^IM005 \/app\/data\/model\.bin +320 kB +L3 → /);
    expect(detail(s.frame())).toContain(finding.fix?.title ?? result.analysis.rules.IM005.summary);
    // From the layers pane too.
    await s.press(KEY.tab, KEY.tab, 'f');
    expect(detail(s.frame())).toMatch(/^IM005 \/app\/data\/model\.bin/);
    s.unmount();
  });
});

describe('the line under the panes for a finding with a long path', () => {
  const path = '/var/cache/apt/archives/libjs-mathjax_2.7.9+dfsg-1_all.deb';
  const withFix = (title: string): Finding => ({
    code: 'IM002',
    rule: 'package-cache',
    severity: 'warning',
    message: `Package cache left in the image: \`${path}\`.`,
    messageId: 'cache',
    location: { kind: 'image', image: 'test', layerIndex: 5, path },
    bytes: 5_300_000,
    fix: { title, applicability: 'unsafe', edits: [] },
  });
  const lineAt = async (columns: number, finding: Finding) => {
    const s = await openView({ ...result, analysis: { ...result.analysis, findings: [finding] } }, columns, 20);
    await s.press('f');
    const line = detail(s.frame());
    s.unmount();
    return line;
  };
  const long = 'Clean the package manager caches in the RUN step that fills them';

  it('keeps the whole path, its size and layer at 80 columns, and cuts the fix (the message below has it)', async () => {
    // The path is what finds the file: it was cut to its last 16 columns there, the fix cut all the same.
    const line = await lineAt(80, withFix(long));
    expect(line.startsWith(`IM002 ${path}  5.30 MB  L5 →`)).toBe(true);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(await lineAt(100, withFix('clean the apt cache'))).toBe(`IM002 ${path}  5.30 MB  L5 → clean the apt cache`);
  });

  it("keeps a long path's file name in the summary's top findings too, cutting the fix first", async () => {
    const s = await openView({ ...result, analysis: { ...result.analysis, findings: [withFix(long)] } }, 60, 24);
    const top = s
      .frame()
      .split('\n')
      .find((l) => l.includes('IM002'));
    s.unmount();
    expect(top).toMatch(/^ 5\.30 MB IM002 …[^ ]*-1_all\.deb L5 → ?…$/);
    expect(top!.length).toBeLessThanOrEqual(60);
    const wide = await openView({ ...result, analysis: { ...result.analysis, findings: [withFix(long)] } }, 80, 24);
    expect(wide.frame()).toContain(` 5.30 MB IM002 ${path} L5 → …`);
    wide.unmount();
  });

  it('cuts a path wider than the line at its start, keeping its file name, size and layer, at 60 columns', async () => {
    for (const title of [long, 'clean the apt cache']) {
      const line = await lineAt(60, withFix(title));
      expect(line).toMatch(/^IM002 …[^ ]*-1_all\.deb {2}5\.30 MB {2}L5 → ?…$/);
      expect(line.length).toBeLessThanOrEqual(60);
      // As much of the path as the line holds: the fix gave up its room first.
      expect(line.length).toBeGreaterThanOrEqual(58);
    }
  });
});

describe('a finding message with a word wider than the pane', () => {
  it('is shown whole, the word broken across lines by columns (wide characters counted as two)', async () => {
    const { columns } = await import('../../src/report/text.js');
    const path = `/opt/${'very-long-directory-name/'.repeat(4)}データ/ファイル-${'x'.repeat(30)}.bin`;
    const message = `Delete \`${path}\` in the step that writes it.`;
    const finding: Finding = {
      code: 'IM003',
      rule: 'deleted-later',
      severity: 'warning',
      message,
      messageId: 'deleted',
      location: { kind: 'image', image: 'test', layerIndex: 5, path: '/opt' },
      bytes: 1000,
    };
    const s = await openView({ ...result, analysis: { ...result.analysis, findings: [finding] } }, 80, 40);
    await s.press('f');
    const pane = paneLines(s.frame());
    const lines = pane.slice(3).filter(Boolean);
    expect(lines.join('')).not.toContain('…');
    expect(lines.join('').replace(/ /g, '')).toBe(message.replace(/ /g, ''));
    for (const line of s.frame().split('\n')) expect(columns(line)).toBeLessThanOrEqual(80);
    s.unmount();
  });
});

describe('a finding message with a size at the end of a line', () => {
  it('keeps the size with its unit, on the next line', async () => {
    // At 80 columns the pane holds 43: `(80.5` ends the first line exactly, its `MB)` would start the next.
    const message =
      'layer 3 overwrites 11 files under `/` (80.5 MB) from layer 2; the old version still ships. Write the final version in one step.';
    const finding: Finding = {
      code: 'IM004',
      rule: 'overwritten-later',
      severity: 'warning',
      message,
      messageId: 'overwritten',
      location: { kind: 'image', image: 'test', layerIndex: 5, path: '/' },
      bytes: 80_500_000,
    };
    const s = await openView({ ...result, analysis: { ...result.analysis, findings: [finding] } }, 80, 24);
    await s.press('f');
    const lines = paneLines(s.frame()).slice(3).filter(Boolean);
    expect(lines).toContain('layer 3 overwrites 11 files under `/`');
    expect(lines.some((l) => l.startsWith('(80.5 MB) from layer 2;'))).toBe(true);
    s.unmount();
  });
});

describe('keys typed while the image loaded', () => {
  it('are applied once the view is drawn, sequences and plain keys alike', async () => {
    const ui = render(
      <ExploreApp
        analysis={result.analysis}
        tree={result.tree}
        columns={80}
        rows={24}
        color={false}
        typedAhead={['\t', '\u001b[B', 'j']}
      />,
    );
    await drawn(() => treeRows(strip(ui.lastFrame() ?? ''))[2]?.startsWith('>') ?? false);
    const frame = strip(ui.lastFrame() ?? '');
    // Tab moved to the tree (drawn focused), then down and j moved two rows.
    expect(frame.split('\n')[1]).toMatch(/^┌.*╔/);
    expect(treeRows(frame)[2]).toMatch(/^> /);
    ui.unmount();
  });

  it('are applied read by read: Esc then [ typed apart leave the filter, then step a layer', async () => {
    const ui = render(
      <ExploreApp
        analysis={result.analysis}
        tree={result.tree}
        columns={80}
        rows={24}
        color={false}
        typedAhead={['/x', '\u001b', '[', 'j']}
      />,
    );
    // Run together, `\u001b[j` would be one unknown sequence: the filter open, and Esc, [ and j lost.
    const header = () => paneLines(strip(ui.lastFrame() ?? ''))[0] ?? '';
    await drawn(() => header().startsWith('L4 '));
    expect(header()).toMatch(/^L4 · aggregated/);
    ui.unmount();
  });
});

describe('a long path in the wasted list', () => {
  it('keeps its file name when the row is too narrow for the whole path (the start of the path gives way)', async () => {
    // Given two wasted files under one long directory: at 80 columns, cut at their end, both rows read the same.
    const dir = 'app/node_modules/typescript/lib/deeper/still';
    const built = await buildOciLayout([
      layer({ [`${dir}/lib.dom.d.ts`]: 900, [`${dir}/tsc.js`]: 800 }),
      layer({ 'app/.wh.node_modules': WHITEOUT }),
    ]);
    const own = await exploreImage(built);
    const ui = render(<ExploreApp analysis={own.analysis} tree={own.tree} columns={80} rows={24} color={false} />);
    await tick();
    const before = ui.frames.length;
    ui.stdin.write('w');
    await drawn(() => ui.frames.length > before);
    const rows = treeRows(strip(ui.lastFrame() ?? ''));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/L0→L1 ….*\/lib\.dom\.d\.ts$/);
    expect(rows[1]).toMatch(/L0→L1 ….*\/tsc\.js$/);
    ui.unmount();
  });
});

describe('the title line', () => {
  // The platform is the one the user picked (`--platform arm64`): cut, `linux/arm6…` reads as arm v6. The time the
  // analysis took gives way first, then the tag (its registry first), then the path, in its middle (its file name is
  // at its end).
  const classic = '.corpus/docker-engine/bloated.docker-classic.tar';
  it.each([
    [
      160,
      classic,
      'localhost/corpus/bloated:latest',
      'linux/amd64',
      `ballast explore  ${classic} (localhost/corpus/bloated:latest)  linux/amd64  analyzed in 1.2 s`,
    ],
    [
      60,
      '.corpus/multiarch.oci',
      'latest',
      'linux/arm64',
      'ballast explore  .corpus/multiarch.oci (latest)  linux/arm64',
    ],
    [80, classic, 'localhost/corpus/bloated:latest', 'linux/amd64', `ballast explore  ${classic}  linux/amd64`],
    [
      100,
      classic,
      'localhost/corpus/bloated:latest',
      'linux/amd64',
      `ballast explore  ${classic} (…pus/bloated:latest)  linux/amd64`,
    ],
    [90, classic, '', 'linux/arm64/v8', `ballast explore  ${classic}  linux/arm64/v8`],
    [60, classic, '', 'linux/arm64/v8', 'ballast explore  .corpus/…docker-classic.tar  linux/arm64/v8'],
  ])('at %i columns, %s (%s) on %s: %s', async (width, reference, tag, platform, title) => {
    const analysis = { ...result.analysis, image: { ...result.analysis.image, reference, tag, platform } };
    const ui = render(
      <ExploreApp analysis={analysis} tree={result.tree} columns={width} rows={24} color={false} analyzeMs={1234} />,
    );
    await tick();
    const line = strip(ui.lastFrame() ?? '').split('\n')[0];
    expect(line).toBe(title);
    expect(line.length).toBeLessThanOrEqual(width);
    ui.unmount();
  });
});

describe('the wasted list (w)', () => {
  it('names, and enter reaches, the name that wrote a copy a hard link took over: the row marked W, not a 0 B link', async () => {
    // Given bytes written as /a/f with a second name /a/g, f removed in L1 (g holds them on), g rewritten in L2.
    const built = await buildOciLayout([
      layer({ 'a/': DIR, 'a/f': file('x'.repeat(1000)), 'a/g': hardlink('a/f') }),
      layer({ 'a/.wh.f': WHITEOUT }),
      layer({ 'a/g': file('y'.repeat(2000)) }),
    ]);
    const s = await openView(await exploreImage(built), 100, 24);
    // The list names the copy as analyze does (/a/g, L0, hidden by L2), and says which name L0 wrote it as.
    expect(treeRows(await s.press(KEY.tab, 'w', 'j', 'k'))).toEqual(['> ~ 1.00 kB W L0→L2 /a/g']);
    expect(detail(s.frame())).toBe('/a/g  1.00 kB  written by L0 as /a/f; overwritten by L2');
    // Enter lands on that name in L0, the row carrying the mark, not on the link (0 B there, no mark).
    await s.press(KEY.enter);
    expect(detail(s.frame())).toBe('/a/f in L0');
    expect(treeRows(s.frame())).toContain('> + 1.00 kB W f');
    s.unmount();
  });

  it('says in its title which layers it covers: the whole image on the last layer, L0 to the selected one before', async () => {
    const s = await open();
    await s.press(KEY.tab, 'w');
    expect(paneLines(s.frame())[0]).toBe('whole image · only wasted · by size');
    // On L2 the model (written by L3) is not listed yet: the list is the copies written up to L2.
    await s.press('[', '[', '[');
    expect(paneLines(s.frame())[0]).toBe('written in L0–L2 · only wasted · by size');
    expect(treeRows(s.frame()).map((r) => r.replace(/^> /, ''))).toEqual([
      '- 640 kB WJ L2→L4 …olchain/toolchain.tar',
      '- 4 B W L2→L4 /opt/toolchain/VERSION',
    ]);
    s.unmount();
  });

  it.each([
    // [keys before w, the header after enter, the line under the panes]
    ['c', /^L2 · changes only · by size$/, '/opt/toolchain/toolchain.tar in L2'],
    ['u', /^L2 · aggregated · unchanged hidden/, '/opt/toolchain/toolchain.tar in L2'],
    // The copy is an added file of L2: hidden, it could not be shown, and the line says what was turned off.
    [
      'c+',
      /^L2 · changes only · by size$/,
      '/opt/toolchain/toolchain.tar in L2; added entries shown again to reach it',
    ],
  ])(
    'enter on a row keeps the view modes on (%s) where they show the copy, else says which it undid',
    async (keys, header, said) => {
      const s = await open();
      await s.press(KEY.tab, ...keys, 'w', KEY.home, KEY.enter);
      expect(paneLines(s.frame())[0]).toMatch(header);
      expect(treeRows(s.frame())).toContain('> + 640 kB WJ toolchain.tar');
      expect(detail(s.frame())).toBe(said);
      s.unmount();
    },
  );
});

describe('enter in the wasted list under a path filter', () => {
  it('keeps the filter when the tree under it shows the copy', async () => {
    // The filter was typed to find these files: cleared on the way to one of them, the tree came back whole.
    const s = await open();
    await s.press(KEY.tab, '/', 't', 'o', 'o', 'l', KEY.enter, 'w', KEY.home, KEY.enter);
    expect(paneLines(s.frame())[0]).toMatch(/^L2 · filter \/tool · aggregated/);
    expect(treeRows(s.frame())).toEqual([
      '+ 640 kB w ▾ opt/',
      '+ 640 kB w ▾ toolchain/',
      '> + 640 kB WJ toolchain.tar',
      '+ 4 B W VERSION',
    ]);
    expect(detail(s.frame())).toBe('/opt/toolchain/toolchain.tar in L2');
    s.unmount();
  });

  it('clears the filter, and says so, when the tree under it would hide the copy', async () => {
    // Given a file that a later layer replaced with a directory: the filter matches the path for what is below it
    // later (`x/child`), so the wasted list holds the file, but in L0 the file has nothing of the filter's.
    const built = await buildOciLayout([layer({ x: 100 }), layer({ 'x/': DIR, 'x/child': 5 })]);
    const own = await exploreImage(built);
    const s = await openView(own, 80, 24);
    await s.press(KEY.tab, '/', 'c', 'h', 'i', 'l', 'd', KEY.enter, 'w');
    expect(treeRows(s.frame())).toEqual([expect.stringMatching(/^> . 100 B W +L0→L1 \/x$/)]);
    await s.press(KEY.enter);
    expect(paneLines(s.frame())[0]).toMatch(/^L0 · aggregated/);
    expect(treeRows(s.frame()).find((r) => r.startsWith('>'))).toMatch(/ 100 B .*x$/);
    expect(detail(s.frame())).toBe('/x in L0; filter /child cleared to reach it');
    s.unmount();
  });
});

describe('the help for expanding and collapsing', () => {
  // E and C act on every directory, enter and space on one: one line for both read as if E and C did one directory.
  it.each([
    ['enter  space', /^expand or collapse a directory \(→ ← l h\)/],
    ['E  C  ctrl+space', /^expand all \/ collapse all \/ toggle all$/],
  ])('%s: %s', (key, text) => {
    expect(HELP.find(([k]) => k === key)?.[1]).toMatch(text);
  });
});

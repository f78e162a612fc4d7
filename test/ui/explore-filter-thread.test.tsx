// A filter that backtracks on every path (`(.*.*)*x`) took seconds a key over a big tree, searched on the view's own
// thread: no key was read meanwhile, not even Esc. It is searched on a thread of its own now (filter-thread.ts): the
// typed text echoes at once, the rows on screen stay (marked) until the search has the new ones, Esc cancels, and
// once the search is done the view is the one the search in place made.
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { exploreImage, openView, paneLines, tick, type Session } from '../helpers/explore-view.js';
import { layerTreeOf } from '../helpers/layer-tree.js';
import type { FsNode } from '../../src/analysis/union.js';
import {
  RowModel,
  initialState,
  pressKeys,
  reduceKey,
  splitPresses,
  type ExploreState,
  type HeldKeys,
  type KeyContext,
  type KeyPress,
} from '../../src/ui/explore/state.js';

const RUNAWAY = '(.*.*)*x';
/** How soon a key must show on screen: the search in place took seconds for each key over this tree. */
const ECHO_MS = 500;

/** 20,000 files in long-named directories (few hold an `x`: the runaway filter searches nearly all of it in vain). */
function bigTree() {
  const nodes = new Map<string, FsNode>();
  const file = (size: number): FsNode => ({ layer: 0, kind: 'file', size, mode: 0o644, uid: 0, gid: 0 });
  for (let i = 0; i < 20000; i++)
    nodes.set(
      `usr/share/pkg${i % 40}/module-${i % 13}/lib/site-packages/some-longer-file-name-of-a-module-${i}.data`,
      file(100 + i),
    );
  for (let i = 0; i < 30; i++) nodes.set(`opt/tools/bin${i % 3}/x-ray-${i}`, file(10 * i));
  return layerTreeOf(nodes, 1);
}

let tree: ReturnType<typeof bigTree>;
let session: Session;

beforeAll(async () => {
  tree = bigTree();
  // The panes around the tree (layers, summary) are a one-layer image's; the tree is the big one.
  const small = await exploreImage(await buildOciLayout([layer({ 'etc/hostname': 5 })]));
  session = await openView({ ...small, tree }, 80, 24);
});

afterAll(() => session.unmount());

/** The tree pane's header line. */
const header = () => paneLines(session.frame())[0] ?? '';

/** Writes keys (one read each, as typed) and returns the ms until `shown()` holds (or `limit` ms passed). */
async function until(shown: () => boolean, limit = 60_000): Promise<number> {
  const start = Date.now();
  while (!shown() && Date.now() - start < limit) await tick();
  return Date.now() - start;
}

/** Types `text` a key at a time, each key's echo waited for; returns the slowest echo in ms. */
async function type(text: string, filterBefore: string): Promise<number> {
  let slowest = 0;
  let typed = filterBefore;
  for (const ch of text) {
    typed += ch;
    const want = `filter /${typed}_`;
    session.press(ch).catch(() => undefined);
    slowest = Math.max(slowest, await until(() => header().includes(want)));
  }
  return slowest;
}

describe('explore filter searched on a thread', () => {
  it('echoes each key at once while a runaway filter is searched, and Esc cancels it', async () => {
    // Given a big tree, the filter being typed
    await session.press('/');
    // When a filter that backtracks on every path is typed, then more keys while it is searched
    const slowest = await type(`${RUNAWAY}yz`, '');
    // Then each key showed within the limit, the rows on screen marked as being filtered
    expect(slowest).toBeLessThan(ECHO_MS);
    expect(header()).toContain('filtering…');
    // And Esc clears the filter at once: the whole tree again, no search left marked
    session.press('\u001b').catch(() => undefined);
    expect(await until(() => !header().includes('filter /'))).toBeLessThan(ECHO_MS);
    expect(paneLines(session.frame()).join('\n')).toMatch(/usr\//);
    // And the thread is free for the next filter: an ordinary expression's rows come without waiting for the last
    await session.press('/');
    await type('bin1$', '');
    const ms = await until(
      () => !header().includes('filtering…') && paneLines(session.frame()).some((l) => /bin1/.test(l)),
    );
    expect(ms).toBeLessThan(5000);
    await session.press('\u001b');
  });

  it('shows, once searched, the rows the search in place shows', async () => {
    // Given the runaway filter typed, then Enter and a key down while it is searched
    await session.press('/');
    await type(RUNAWAY, '');
    await session.press('\r', 'j');
    // When its search is done
    await until(() => !header().includes('filtering…'));
    expect(header()).not.toContain('filtering…');
    // Then the rows, and the cursor on the second, are those of the filter searched in place
    const lines = paneLines(session.frame()).slice(2);
    expect(lines.filter((l) => l.startsWith('>'))).toHaveLength(1);
    expect(lines[1]).toMatch(/^>/);
    expect(lines.join('\n')).toMatch(/opt\/[\s\S]*tools\/[\s\S]*bin\d\//);
    expect(lines.join('\n')).not.toMatch(/usr\//);
  });
});

describe('keys held for the filter thread (pressKeys)', () => {
  const PAGE = 10;
  const presses = (...keys: string[]): KeyPress[] => keys.flatMap((k) => splitPresses(k));

  /** The keys applied as the view applies them, the thread's answers waited for; the rows on screen after. */
  async function threaded(keys: KeyPress[][]) {
    const model = new RowModel(tree, { threadFrom: 0 });
    const ctx: KeyContext = { rows: model, pageSize: PAGE, findings: [] };
    let view: HeldKeys = { state: { ...initialState(tree), pane: 'tree' }, held: [] };
    let answered = 0;
    model.onAnswer = () => answered++;
    try {
      for (const read of keys) view = pressKeys(view, read, ctx);
      for (const start = Date.now(); view.held.length && Date.now() - start < 120_000;) {
        const seen = answered;
        while (answered === seen) await tick();
        view = pressKeys(view, [], ctx);
      }
      return {
        state: view.state,
        rows: ctx.rows
          .rows(view.state)
          .window(view.state.scroll, PAGE)
          .map((r) => r.entry.path),
      };
    } finally {
      model.close();
    }
  }

  /** The same keys searched in place, each waited for. */
  function inPlace(keys: KeyPress[][]) {
    const model = new RowModel(tree, { threadFrom: Infinity });
    const ctx: KeyContext = { rows: model, pageSize: PAGE, findings: [] };
    let state: ExploreState = { ...initialState(tree), pane: 'tree' };
    for (const read of keys) for (const key of read) state = reduceKey(state, key, ctx);
    return {
      state,
      rows: ctx.rows
        .rows(state)
        .window(state.scroll, PAGE)
        .map((r) => r.entry.path),
    };
  }

  it.each([
    [
      'a runaway filter, then moves',
      [presses('/'), ...[...RUNAWAY].map((c) => presses(c)), presses('\r'), presses('j'), presses('j')],
    ],
    [
      'a filter typed past a runaway one, then erased back',
      [presses('/'), ...[...`${RUNAWAY}q`].map((c) => presses(c)), presses('\x7f'), presses('\r'), presses('j')],
    ],
    ['a runaway filter typed in one read', [presses('/', `${RUNAWAY}\r`, 'jj')]],
  ])('%s: the state and rows are those of the keys searched in place', async (_, keys) => {
    const got = await threaded(keys);
    const want = inPlace(keys);
    expect(got.rows).toEqual(want.rows);
    expect(got.rows.length).toBeGreaterThan(3);
    expect({ ...got.state, expanded: [...got.state.expanded] }).toEqual({
      ...want.state,
      expanded: [...want.state.expanded],
    });
  });

  it('Esc while a runaway filter is searched drops the keys held and clears the filter', async () => {
    const got = await threaded([presses('/'), ...[...RUNAWAY].map((c) => presses(c)), presses('j'), presses('\u001b')]);
    expect(got.state.filter).toBe('');
    expect(got.state.filtering).toBe(false);
    expect(got.rows).toEqual(['usr', 'opt']);
  });
});

// Where the cursor lands after each key on an expanded tree. The state names rows by path and moves from the
// cursor's path (a new view, End or a layer step cost the rows on screen); the row each key lands on is checked here
// against the rules as they were written for row numbers, worked out on every row of each view (RowList.at, which
// produces the rows in order). Each start row, each key, several views and layers.
import { DIR, WHITEOUT, buildOciLayout, layer } from '../helpers/image-builder.js';
import { exploreImage } from '../helpers/explore-view.js';
import {
  RowModel,
  initialState,
  reduceKey,
  settle,
  type ExploreState,
  type KeyContext,
  type KeyPress,
} from '../../src/ui/explore/state.js';

const PAGE = 7;

async function tree() {
  const base: Record<string, number | typeof DIR> = { 'a/': DIR, 'b/c/d/': DIR, 'z/': DIR };
  for (let i = 0; i < 12; i++) base[`a/f${String(i).padStart(2, '0')}`] = 10 + ((i * 37) % 11);
  for (let i = 0; i < 6; i++) base[`b/c/d/g${i}`] = 100 * (i + 1);
  for (let i = 0; i < 5; i++) base[`b/c/h${i}`] = 7 * (5 - i);
  base['b/top'] = 5000;
  base['z/only'] = 1;
  const built = await buildOciLayout([
    layer(base),
    layer({ 'b/c/d/g2': 9000, 'n/new1': 40, 'n/sub/new2': 30, 'a/f03': 2 }),
    layer({ 'b/c/d/.wh.g4': WHITEOUT, 'a/f07': 700, 'z/.wh.only': WHITEOUT, 'y/late': 3 }),
  ]);
  return exploreImage(built);
}

/** Every row of the view as key and path, made in order (the rows as row numbers knew them). */
function listOf(ctx: KeyContext, state: ExploreState): { keys: string[]; paths: string[] } {
  const rows = ctx.rows.rows(state);
  const all = rows.slice(0, rows.length);
  return { keys: all.map((r) => rows.keyOf(r)), paths: all.map((r) => r.entry.path) };
}

/** settle() as it was for row numbers. */
function settleAt(cursor: number, scroll: number, length: number): [number, number] {
  cursor = Math.max(0, cursor);
  scroll = Math.max(0, scroll);
  if (cursor >= length) cursor = Math.max(0, length - 1);
  if (scroll + PAGE - 1 >= length) scroll = Math.min(Math.max(scroll, 0), Math.max(0, length - PAGE));
  if (cursor < scroll) scroll = cursor;
  if (cursor >= scroll + PAGE) scroll = cursor - PAGE + 1;
  return [cursor, scroll];
}

/** Cursor and first row shown as row numbers of the view. */
function numbers(ctx: KeyContext, state: ExploreState): [number, number] {
  const { keys } = listOf(ctx, state);
  const at = (key: string | undefined) => (key === undefined ? 0 : keys.indexOf(key));
  return [at(state.cursor), at(state.scroll)];
}

/** Where the key left the cursor, by the rules for row numbers: the same path (or its nearest directory) and line. */
function expected(ctx: KeyContext, before: ExploreState, key: KeyPress, after: ExploreState): [number, number] {
  const [c, s] = numbers(ctx, before);
  const was = listOf(ctx, before);
  const now = listOf(ctx, after);
  const n = now.keys.length;
  if (key.input === 'j') return settleAt(c + 1, s, n);
  if (key.input === 'k') return settleAt(c - 1, s, n);
  if (key.pageDown) return settleAt(c + PAGE, s + PAGE, n);
  if (key.pageUp) return settleAt(c - PAGE, s - PAGE, n);
  if (key.home) return settleAt(0, s, n);
  if (key.end) return settleAt(n - 1, s, n);
  if (key.input === 'h') {
    // An open directory closes (the rows above it stay); on a child, its directory: the nearest row above, less deep.
    const depths = was.keys.map((k) => ctx.rows.rows(before).row(k)!);
    if (depths[c].expandable && depths[c].expanded) return settleAt(c, s, n);
    for (let i = c - 1; i >= 0; i--) if (depths[i].depth < depths[c].depth) return settleAt(i, s, n);
    return [c, s];
  }
  // A view toggle or a layer step: the path, else its nearest directory shown, on the same line.
  for (let p = was.paths[c]; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const i = now.paths.indexOf(p);
    if (i >= 0) return settleAt(i, i - (c - s), n);
  }
  if (after.onlyWasted && !before.onlyWasted) return settleAt(0, 0, n);
  // Nothing of it shown: the row at its number on the first four pages, else the last row.
  return c < 4 * PAGE ? settleAt(c, s, n) : settleAt(n - 1, n - 1, n);
}

const KEYS: KeyPress[] = [
  { input: 'j' },
  { input: 'k' },
  { input: '', pageDown: true },
  { input: '', pageUp: true },
  { input: '', home: true },
  { input: '', end: true },
  { input: 'h' },
  { input: 'u' },
  { input: 'c' },
  { input: 's' },
  { input: '[' },
  { input: ']' },
  { input: '+' },
  { input: '-' },
  { input: 'w' },
];

describe('the cursor after each key on an expanded tree', () => {
  it('lands on the row, and the line of the screen, that row numbers gave, from every row of several views', async () => {
    const own = await tree();
    const ctx: KeyContext = { rows: new RowModel(own.tree), pageSize: PAGE, findings: [] };
    const open = reduceKey({ ...initialState(own.tree), pane: 'tree' }, { input: 'E' }, ctx);
    const views: ExploreState[] = [];
    for (const layer of [0, 1, 2])
      for (const view of [{}, { changesOnly: true }, { sort: 'name' as const }, { onlyWasted: true }])
        views.push({ ...open, layer, ...view });
    let checked = 0;
    for (const view of views) {
      const { keys } = listOf(ctx, view);
      for (let i = 0; i < keys.length; i++)
        for (const line of [0, 3, PAGE - 1]) {
          const start = settle({ ...view, cursor: keys[i], scroll: keys[Math.max(0, i - line)] }, ctx);
          expect(numbers(ctx, start)).toEqual(settleAt(i, i - line, keys.length));
          for (const key of KEYS) {
            const after = reduceKey(start, key, ctx);
            const want = expected(ctx, start, key, after);
            const got = numbers(ctx, after);
            if (got[0] !== want[0] || got[1] !== want[1])
              throw new Error(
                `layer ${view.layer} ${view.changesOnly ? 'changes' : view.onlyWasted ? 'wasted' : view.sort} row ${i} line ${line} key ${JSON.stringify(key)}: got ${got}, want ${want}`,
              );
            checked++;
          }
        }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

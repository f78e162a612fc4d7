// The `ballast explore` screen: layers on the left, the file tree as of the selected layer on the right, the image
// summary with the top findings at the bottom, a help bar. All state changes go through state.ts; this file only
// draws, sized to the terminal it is given (80x24 and up, redrawn on resize).
import { Box, Text, Transform, useInput, useStdin } from 'ink';
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { inJunkClass, JUNK_CLASSES, rememberingFinalFiles, type FinalFiles } from '../../analysis/junk.js';
import type { LayerTree } from '../../analysis/layer-tree.js';
import { displayPath } from '../../analysis/tar-parser.js';
import type { AnalyzeResult } from '../../services/analyze.js';
import { inkChalk, inkWidestLine, shareInkLineCache } from '../ink-line-cache.js';
import { READS } from '../key-sequences.js';
import { columns, cutPathToColumns, cutToColumns, graphemes } from '../../report/text.js';
import { attributesDiffer, modeString, ownerColumn, ownerString, OWNER_COLUMN, sameContent } from './attributes.js';
import {
  ATTRIBUTES_SHOWN,
  heldFilter,
  initialState,
  layerFindings,
  pressKeys,
  repeatsRepetition,
  RowModel,
  settle,
  splitPresses,
  type HeldKeys,
  type KeyPress,
  type TreeRow,
} from './state.js';
import { efficiencyPercent, formatBytes, formatCount, plural } from '../../report/figures.js';
import { fileBaseName, lineOf } from '../../report/dockerfile-lines.js';
import { findingsToShow } from '../../report/finding-order.js';
import { imageTitle } from '../../report/image-name.js';
import { oneLine, oneLineWithSpans, printablePath } from '../../report/printable.js';

// Before the first frame: most lines of one frame are the lines of the next (see ink-line-cache.ts).
await shareInkLineCache();
// The styles of a line's pieces, applied as ink's <Text> applies them (see Line).
const inkStyles = await inkChalk();
const inkWidth = await inkWidestLine();

export interface ExploreAppProps {
  analysis: AnalyzeResult;
  tree: LayerTree;
  columns: number;
  rows: number;
  color: boolean;
  /** Seconds the walk and analysis took, shown in the title. */
  analyzeMs?: number;
  /** The view ended: `q` (quit) or Ctrl-C (interrupt). */
  onQuit?: (how: 'quit' | 'interrupt') => void;
  /** Keys typed while the image loaded, as the terminal sent them, a string a read: applied once the view is drawn. */
  typedAhead?: readonly string[];
}

const MARK: Record<string, string> = { added: '+', modified: '~', removed: '-', unchanged: ' ' };
const STATUS_COLOR: Record<string, string | undefined> = {
  added: 'green',
  modified: 'yellow',
  removed: 'red',
  unchanged: undefined,
};
const CAUSE: Record<string, string> = {
  deleted: 'deleted',
  overwrittenChanged: 'overwritten',
  overwrittenSameContent: 'copied again',
};

// dive's keys work too (the ctrl+ ones): listed next to ballast's own. Then what the tree's columns mark (its flags
// W w J are read nowhere else). One line per entry at 80 columns, all of them on an 80x24 screen with a row to spare
// (the help takes the lines under the panes too): one entry more still fits without scrolling. Keys that belong
// together share a line (`tab → [ ]`: moving between panes and between layers) to keep that row, as enter does with
// what it does in the w and f lists. E and C have a line apart from enter and space: on one line, they read as keys
// for one directory. dive's ctrl+a does one thing in each pane: it has a line of its own that says both, rather than
// a mention beside each.
export const HELP: [string, string][] = [
  ['↑ ↓ j k pgup pgdn', 'move a line / a page (home end: first / last)'],
  ['tab  →  [  ]', 'switch pane / previous, next layer (from either pane)'],
  ['enter  space', 'expand or collapse a directory (→ ← l h); in w, f: go to it'],
  ['E  C  ctrl+space', 'expand all / collapse all / toggle all'],
  ['s  ctrl+o', 'sort by size (default) or by name'],
  ['/  ctrl+f', 'filter by path (enter keeps it, esc clears it)'],
  ['c  ctrl+l', 'changes in this layer only / whole tree as of this layer'],
  ['ctrl+a', 'whole tree (in layers) / hide added (in the tree)'],
  ['u  +  -  ~', 'hide unchanged, added, removed, modified (ctrl+u, ctrl+r)'],
  ['a  ctrl+b', 'file attributes: mode uid:gid (= marks a chmod/chown copy)'],
  ['w', 'only wasted: deleted -, overwritten ~, copied again ='],
  ['f', 'findings about the selected layer'],
  ['esc', 'leave w, f or this help (back to the tree); clear a filter'],
  ['?  q', 'this help / quit'],
  // The tree marks a chmod/chown-only copy modified (~), as dive does; = only with the attributes shown (a).
  ['+  ~  -  =', 'marks: added, modified, removed; = with a: mode/owner only'],
  ['W', 'wasted: a later layer deletes or overwrites these bytes'],
  ['w', 'wasted within: an older copy, or a file below, was hidden'],
  ['J', 'junk: caches, package lists, docs, temp files, logs, tests'],
];

const HELP_KEY_COLUMN = Math.max(...HELP.map(([key]) => columns(key))) + 2;

/** Columns of a tree row kept for the name however deep it sits (the line under the panes has the full path). */
const NAME_ROOM = 16;

/** Below this the panes cannot be drawn (fixed columns, borders): the view says so instead of breaking its boxes. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

const KEY_NAMES = new Set(['home', 'end', 'pgup', 'pgdn', 'enter', 'space', 'tab', 'esc']);

/** Whether a word of the help's descriptions names a key (`→`, `h);`, `ctrl+u,`, `(home`), its punctuation aside. */
function namesKey(word: string): boolean {
  const bare = word.replace(/^\(/, '').replace(/[,:;)]+$/, '');
  return graphemes(bare).length === 1 || bare.startsWith('ctrl+') || KEY_NAMES.has(bare);
}

/**
 * A description's words, the keys named one after another kept as one (`(→ ← l h);`, `w, f:`): broken between lines,
 * `(→ ← l` then `h)` under it reads as a key `h)`.
 */
function helpWords(text: string): string[] {
  return text.split(' ').reduce<string[]>((all, word) => {
    const last = all.at(-1);
    if (last !== undefined && namesKey(last.split(' ').at(-1)!) && namesKey(word)) all[all.length - 1] += ` ${word}`;
    else all.push(word);
    return all;
  }, []);
}

/**
 * The help as lines of `width` columns: keys in a column of their own, descriptions wrapped under each other. The key
 * column is the longest key and two spaces at every width the view is drawn at (MIN_COLUMNS and up): one space reads
 * as part of the key (`E  C expand`).
 */
function helpLines(width: number): string[] {
  const out: string[] = [];
  for (const [key, text] of HELP) {
    let line = key.padEnd(HELP_KEY_COLUMN);
    for (const word of helpWords(text)) {
      if (line.trim() !== key.trim() && line.length + 1 + word.length > width) {
        out.push(line);
        line = ' '.repeat(HELP_KEY_COLUMN);
      }
      line += line.length === HELP_KEY_COLUMN ? word : ` ${word}`;
    }
    out.push(line);
  }
  return out.map((l) => fit(l, width));
}

/**
 * The attributes column at a tree pane this wide: mode and owner, the mode alone, or neither, so that names keep room
 * to be read (at 80 columns, the mode alone; the status line always has both for the selected entry).
 */
export function attributeColumns(inner: number): 'full' | 'mode' | 'none' {
  const rest = inner - 14; // cursor, mark, size, flags and their spaces
  return rest - 24 >= 24 ? 'full' : rest - 12 >= 12 ? 'mode' : 'none';
}

/**
 * What `a` says it turned on, as the tree pane's width shows it: 'mode, uid:gid' over a tree that had room for the
 * mode alone (80 columns), or for neither (below 70), read as a key that did not work.
 */
function attributesShown(columns: 'full' | 'mode' | 'none'): string {
  if (columns === 'full') return `${ATTRIBUTES_SHOWN}: mode, uid:gid`;
  if (columns === 'mode') return `${ATTRIBUTES_SHOWN}: mode (uid:gid on the selected entry's line)`;
  return "file attributes: on the selected entry's line (narrow tree)";
}

// The key bar's hints in the order shown, each with its rank: on a narrow terminal the highest ranks go first, so
// the bar is cut between hints, never in one; rank 0 stays at any width (how to get help and how to leave).
const KEY_HINTS: [string, number][] = [
  ['?:help', 0],
  ['tab:pane', 0],
  ['↑↓:move', 7],
  ['⏎:expand', 6],
  ['E/C:all', 9],
  ['s:sort', 3],
  ['/:filter', 1],
  ['c:changes', 5],
  ['u:unchanged', 8],
  ['w:wasted', 4],
  ['f:findings', 2],
  ['q:quit', 0],
];

// While a filter is typed every letter is text (`q` and `?` included): the bar says which keys still act, ranked the
// same way; how to keep or clear the filter and how to leave stay at any width.
const FILTER_HINTS: [string, number][] = [
  ['typing a filter ', 3],
  ['⏎:keep', 0],
  ['esc:clear', 0],
  ['⌫:delete', 2],
  ['↑↓:move', 4],
  ['tab:pane', 5],
  ['ctrl+c:quit', 0],
];

/**
 * The key bar in at most `width` columns: the hints of lowest rank that fit, those of rank 0 always (`?:help` and
 * `q:quit`; while a filter is typed, how to keep it, clear it, and quit).
 */
function keyBar(width: number, filtering: boolean): string {
  let hints = filtering ? FILTER_HINTS : KEY_HINTS;
  for (let rank = 9; rank > 0 && columns(hints.map(([hint]) => hint).join(' ')) > width; rank--)
    hints = hints.filter(([, r]) => r < rank);
  return hints.map(([hint]) => hint).join(' ');
}

/** Per tree, what junkOf found per path, and the tree's final filesystem as the junk classes ask it. */
const junkPaths = new WeakMap<LayerTree, { paths: Map<string, boolean>; final: FinalFiles }>();

/** The final filesystem of `tree`, as analyze's junk classes see the union's. */
function finalFilesOf(tree: LayerTree): FinalFiles {
  const there = (path: string) => {
    const node = tree.finalNode(path);
    return node !== undefined && node.kind !== 'dir';
  };
  return {
    exists: there,
    anyNamed: (name) => {
      for (const path of tree.paths()) if ((path === name || path.endsWith(`/${name}`)) && there(path)) return true;
      return false;
    },
  };
}

/**
 * Whether a path is junk (some twenty patterns, twice; a Yarn cache also asks the final filesystem whether a
 * Plug'n'Play app loads it, as analyze does): asked for every row drawn, so remembered per path.
 */
function junkOf(tree: LayerTree, path: string): boolean {
  let known = junkPaths.get(tree);
  if (!known) junkPaths.set(tree, (known = { paths: new Map(), final: rememberingFinalFiles(finalFilesOf(tree)) }));
  const { paths, final } = known;
  let junk = paths.get(path);
  if (junk === undefined) {
    junk = JUNK_CLASSES.some((j) => inJunkClass(j, path, final) || inJunkClass(j, `${path}/`, final));
    paths.set(path, junk);
  }
  return junk;
}

/** Columns under which a cut tag is left out: too few to tell one tag from another. */
const TAG_ROOM = 12;

/**
 * The title: the image (its path, its tag) and its platform, then the time the analysis took, in `width` columns.
 * The platform is the one picked (`--platform arm64`) and stays whole: cut, `linux/arm6…` reads as arm v6. What gives
 * way first is the time, then the tag (its start, the registry, before its name and version), then the path, the
 * argument the user typed, in its middle (its end names the file).
 */
export function titleLine(
  image: { reference: string; tag: string | null; platform: string; source?: string },
  took: string,
  width: number,
): string {
  const { name, note } = imageTitle(image);
  const line = (path: string, tag: string, after: string) =>
    `ballast explore  ${path}${tag ? ` (${tag})` : ''}  ${image.platform}${after}`;
  for (const after of [took, '']) {
    const whole = line(name, note, after);
    if (columns(whole) <= width) return whole;
  }
  const room = width - columns(line('', '', ''));
  const path = cutPathToColumns(name, Math.max(1, room));
  // The tag in what the path leaves, less its brackets and the space before them.
  const tagRoom = room - columns(path) - 3;
  return line(path, note && tagRoom >= TAG_ROOM ? keepEnd(note, tagRoom) : '', '');
}

/**
 * At most `width` columns: cut with an ellipsis. Not padded: ink blanks the screen under a short line anyway, and
 * every column of a text node is measured each frame (slowly, character by character, as soon as the line holds
 * one non-ASCII character such as ▸ or ·), so trailing spaces cost time on every key and show nothing.
 */
function fit(text: string, width: number): string {
  // Names from the image: control characters are shown as `\xHH`, never sent to the terminal, ESC[...m included (the
  // view's own colours are ink's, never in this text). Paths come here already through `printablePath` (a tab or
  // newline in a file name as `\x09`, `\x0a`); what is left to make one line is prose (history, help, messages).
  // Cut by terminal columns, not UTF-16 units: a CJK or emoji name would otherwise overflow the pane.
  return cutToColumns(oneLine(text), width);
}

/** At most `width` columns of `text`, its end kept: cut at the start, an ellipsis where it was cut. */
function keepEnd(text: string, width: number): string {
  if (columns(text) <= width) return text;
  const kept: string[] = [];
  let used = 1;
  const parts = graphemes(text);
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = columns(parts[i]);
    if (used + w > width) break;
    kept.push(parts[i]);
    used += w;
  }
  return `…${kept.reverse().join('')}`;
}

/**
 * Prose as lines of at most `width` columns, broken between words. A word wider than a line (a long path in a finding)
 * is broken across lines, by columns, so the text stays whole: cut, its end (often the file name) would be lost.
 */
function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  // A size stays with its unit (`(80.5 MB)`): a line ending in `80.5` reads as a count, the next one starting `MB)`.
  const words = text.split(' ').reduce<string[]>((all, word) => {
    if (all.length && /\d$/.test(all[all.length - 1]) && /^(B|kB|MB|GB|TB)\b/.test(word))
      all[all.length - 1] += ` ${word}`;
    else all.push(word);
    return all;
  }, []);
  for (const word of words) {
    if (line && columns(`${line} ${word}`) > width) {
      out.push(fit(line, width));
      line = '';
    }
    if (columns(word) <= width - (line ? columns(line) + 1 : 0)) {
      line = line ? `${line} ${word}` : word;
      continue;
    }
    // Too wide for any line: it starts on a line of its own and fills lines grapheme by grapheme.
    let used = 0;
    for (const part of graphemes(word)) {
      const w = columns(part);
      if (line && used + w > width) {
        out.push(fit(line, width));
        line = '';
        used = 0;
      }
      line += part;
      used += w;
    }
  }
  if (line) out.push(fit(line, width));
  return out;
}

/** The first `count` of `lines`; when some are left out, the last one shown ends with an ellipsis. */
function under(lines: string[], count: number, width: number): string[] {
  if (lines.length <= count) return lines;
  const shown = lines.slice(0, Math.max(0, count));
  if (shown.length) shown[shown.length - 1] = fit(`${shown.at(-1)} …`, width);
  return shown;
}

/** Exactly `width` columns, for the lines drawn in inverse video (the cursor row, the help bar): they fill the line. */
function pad(text: string, width: number): string {
  const flat = fit(text, width);
  return flat + ' '.repeat(Math.max(0, width - columns(flat)));
}

interface Piece {
  text: string;
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  dimColor?: boolean;
}

const NON_ASCII_RUNS = /([^\x20-\x7e]+)/;

/**
 * A piece's text with its styles, as ink's `<Text>` styles its text (the same chalk, in the same order: dim, colour,
 * bold, inverse); undefined for a colour that is not one of chalk's names (ink's `<Text>` draws it then).
 */
export function styledText({ text, color, bold, inverse, dimColor }: Piece): string | undefined {
  let out = text;
  if (dimColor) out = inkStyles.dim(out);
  if (color) {
    const paint = inkStyles[color];
    if (typeof paint !== 'function') return undefined;
    out = paint(out);
  }
  if (bold) out = inkStyles.bold(out);
  if (inverse) out = inkStyles.inverse(out);
  return out;
}

/**
 * Pieces as one text node, each piece's styles already in its text: a `<Text>` per piece (five on a tree row) was
 * five components rendered, diffed and committed for every row a key changes, for the same string ink makes of them.
 */
const styled = (pieces: Piece[]) => {
  const texts = pieces.map(styledText);
  if (texts.every((t) => t !== undefined)) return texts.join('');
  return pieces.map(({ text, ...style }, i) => (
    <Text key={i} {...style}>
      {text}
    </Text>
  ));
};

/** The columns of each run of characters outside printable ASCII drawn lately, as ink measures them. */
const runWidths = new Map<string, number>();

function runWidth(run: string): number {
  let width = runWidths.get(run);
  if (width === undefined) {
    if (runWidths.size >= 4096) runWidths.clear();
    runWidths.set(run, (width = inkWidth(run)));
  }
  return width;
}

/**
 * A run of characters outside printable ASCII (▾, ·, →, a CJK name), as a text node ink measures as blanks of its
 * width, the run itself written in their place. ink measures every text node's text on every frame, uncached, and
 * a non-ASCII one through Intl.Segmenter and the emoji tables: 30-200 µs for one `▾` (2 µs for a line of ASCII),
 * for each of the fifty or so on an expanded tree at 200x60 (the arrows of directories and links, the `…` that cuts
 * the layers' commands), on every key. The run's width is measured once, with ink's own function.
 */
function WideRun({ piece }: { piece: Piece }) {
  const text = styledText(piece);
  const width = runWidth(piece.text);
  // Zero columns: ink writes nothing for blanks of no width, and the run would be lost (drawn as ink draws it).
  if (text === undefined || width === 0 || piece.text.includes('\n')) return <Text>{styled([piece])}</Text>;
  const blanks = ' '.repeat(width);
  // Only the line measured becomes the run: ink never cuts or wraps it here (each line fits its pane).
  return <Transform transform={(line) => (line === blanks ? text : line)}>{blanks}</Transform>;
}

/**
 * One screen line made of styled pieces. ink measures every text node's width on every frame, and a text holding
 * one character outside printable ASCII (▸ ▾ · → …) is measured grapheme by grapheme: about 70 µs for a tree row
 * against 2 µs, times every row on screen, times every key. So such characters get text nodes of their own
 * (WideRun), in a row between the ASCII stretches around them (styled pieces are joined into one text: see styled):
 * the same cells on screen, measured cheaply. Memoized on the pieces' content: a key redraws only the lines it
 * changes.
 */
export const Line = memo(
  function Line({ pieces }: { pieces: Piece[] }) {
    const groups: (Piece[] | Piece)[] = [[]];
    for (const piece of pieces) {
      piece.text.split(NON_ASCII_RUNS).forEach((run, j) => {
        if (j % 2 === 1) groups.push({ ...piece, text: run }, []);
        else if (run) (groups[groups.length - 1] as Piece[]).push({ ...piece, text: run });
      });
    }
    if (groups.length === 1) return <Text>{styled(groups[0] as Piece[])}</Text>;
    return (
      <Box height={1}>
        {groups.map((group, i) =>
          !Array.isArray(group) ? (
            <WideRun key={i} piece={group} />
          ) : group.length ? (
            <Text key={i}>{styled(group)}</Text>
          ) : null,
        )}
      </Box>
    );
  },
  (a, b) =>
    a.pieces.length === b.pieces.length &&
    a.pieces.every((p, i) => {
      const q = b.pieces[i];
      return (
        p.text === q.text &&
        p.color === q.color &&
        p.bold === q.bold &&
        p.inverse === q.inverse &&
        p.dimColor === q.dimColor
      );
    }),
);

/**
 * React keys for the tree's rows on screen: a slot each, kept by a row while it stays on screen and handed to a new
 * row when it leaves. Keyed by path, every row of a new page (End, Home, a view toggle or a layer step on an expanded
 * tree: a screen of new paths) was unmounted and a new line mounted, its ink nodes and yoga nodes made anew and the
 * old ones freed: a quarter of End's time at 200x60 once a row was one text node. A slot's line is updated in place
 * instead. A row scrolled onto the screen takes the slot of one that left, so a move still redraws one line. A line
 * with characters outside printable ASCII (a directory's arrow) has more nodes than a plain one (see Line), so a new
 * row takes a slot that held a line of its kind when one is free, in screen order (React then moves few of them).
 * `previous`: the last call's slots (the row key each holds, undefined for none, and its line's kind), updated to
 * this call's.
 */
export function rowSlots(
  keys: readonly string[],
  kinds: readonly number[],
  previous: { keys: (string | undefined)[]; kinds: number[] },
): number[] {
  const count = previous.keys.length;
  const kept = new Map<string, number>();
  for (let slot = 0; slot < count; slot++) if (previous.keys[slot] !== undefined) kept.set(previous.keys[slot]!, slot);
  const slots = keys.map((key) => kept.get(key) ?? -1);
  const taken = new Set(slots);
  // The lines on screen that no row keeps, by kind, in screen order; then the slots with no line (none mounted).
  const free = new Map<number, number[]>();
  const anyFree: number[] = [];
  const unused: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    if (taken.has(slot)) continue;
    if (previous.keys[slot] === undefined) {
      unused.push(slot);
      continue;
    }
    const kind = previous.kinds[slot];
    if (!free.has(kind)) free.set(kind, []);
    free.get(kind)!.push(slot);
    anyFree.push(slot);
  }
  const used = new Set<number>();
  const first = (list: number[] | undefined) => {
    while (list?.length && used.has(list[0])) list.shift();
    return list?.length ? list.shift() : undefined;
  };
  for (let i = 0; i < slots.length; i++) {
    if (slots[i] >= 0) continue;
    const slot = first(free.get(kinds[i])) ?? first(anyFree) ?? first(unused) ?? previous.keys.length;
    used.add(slot);
    slots[i] = slot;
    if (slot === previous.keys.length) previous.keys.push(undefined);
  }
  previous.keys.fill(undefined);
  slots.forEach((slot, i) => {
    previous.keys[slot] = keys[i];
    previous.kinds[slot] = kinds[i];
  });
  return slots;
}

/**
 * A base layer's mark, before its command: after it, as analyze's table has it, the end of a base image's long
 * `ADD file:<digest> in /` cut it off at any width, and --base showed nothing.
 */
const baseMark = (l: AnalyzeResult['layers'][number]) => (l.base ? '[base] ' : '');

function layerLabel(l: AnalyzeResult['layers'][number]): string {
  return l.instruction
    ? `:${lineOf(l.instruction)} ${baseMark(l)}${l.instruction.text}`
    : `${baseMark(l)}${l.historyInstruction ?? '?'}`;
}

/**
 * The line under the panes for a selected layer: its file counts and the command (or Dockerfile line) that made it.
 * Cut to `width`, a long Dockerfile path took the line number with it (the layers pane may have no column for it):
 * the file is then named by its base name, as analyze's layer table names it.
 */
function layerDetailText(layer: AnalyzeResult['layers'][number], width = Infinity): string {
  const ch = `+${formatCount(layer.added.files)} ~${formatCount(layer.modified.files)} -${formatCount(layer.removed.files)} files`;
  const text = (file: string) =>
    `L${layer.index} ${ch}  ${baseMark(layer)}${layer.instruction ? `${file}:${lineOf(layer.instruction)} ${layer.instruction.text}` : (layer.historyInstruction ?? layer.createdBy ?? '')}`;
  const whole = text(layer.instruction?.file ?? '');
  return columns(oneLine(whole)) <= width || !layer.instruction ? whole : text(fileBaseName(layer.instruction.file));
}

/** Lines under the panes a layer's command may take: its own and the three the top findings have at most. */
const DETAIL_LINES = 4;
/** The tree rows the panes keep when they lend lines to a layer's command. */
const LENDING_LIST = 5;

/**
 * Sizes the three regions to the terminal; the output stays one line short of it so ink never clears the screen.
 * `detail`: the lines the line under the panes wants (a layer's command, wrapped). It takes the top findings' lines,
 * then, up to DETAIL_LINES, the panes' while the tree keeps LENDING_LIST rows: a short terminal (no findings shown)
 * or an image without findings had no line to lend and cut the command to one.
 */
export function layout(columns: number, rows: number, findings: number, detail = 1) {
  const height = Math.max(10, rows - 1);
  const shown = height >= 20 ? 1 + Math.min(3, findings) : 1;
  const spare = Math.max(0, height - 1 - 1 - shown - 1 - 4 - LENDING_LIST);
  const summary = shown + Math.min(spare, Math.max(0, Math.min(detail, DETAIL_LINES) - shown));
  const panes = height - 1 - 1 - summary - 1;
  // The same share at any width (as dive keeps its layers pane a share): capped, the pane cut the steps at 200 columns
  // beside a tree pane with half its width empty.
  const left = Math.max(24, Math.floor(columns * 0.44));
  // Pane contents: two borders, a title and a column header around the list.
  return { height, summary, panes, list: Math.max(1, panes - 4), left, right: Math.max(30, columns - left), columns };
}

export function ExploreApp(props: ExploreAppProps) {
  const { analysis, tree, color } = props;
  const model = useMemo(() => new RowModel(tree), [tree]);
  // The state, and the keys held while the filter's thread searches (pressKeys): the state's rows stay on screen.
  const [view, setView] = useState<HeldKeys>(() => ({ state: initialState(tree), held: [] }));
  const stored = view.state;
  // The view closed: the filter's thread with it (it never keeps the process alive in any case).
  useEffect(() => () => model.close(), [model]);
  // A layer's command too long for the line under the panes (see detailLines below) is given lines of the panes
  // when the findings have none to give; settle() changes only the cursor and scroll, so the stored state tells.
  const lastLayer = analysis.layers.length - 1;
  // The selected layer's line under the panes, wrapped to the terminal once: the layout sizes the region by it and
  // the region draws it (a long RUN wraps in a few ms, which a key's frame should not pay twice).
  const commandLines = useMemo(() => {
    const l = analysis.layers[stored.layer];
    const text = l ? oneLine(layerDetailText(l)) : '';
    return columns(text) > props.columns ? wrapWords(text.replace(/ {2,}/g, ' '), props.columns) : [text];
  }, [analysis.layers, stored.layer, props.columns]);
  const layerWants =
    stored.message || stored.findings || stored.help || stored.pane !== 'layers' || stored.layer >= lastLayer
      ? 1
      : commandLines.length;
  const size = layout(props.columns, props.rows, analysis.findings.length, layerWants);
  // The help takes every line between the title and the bar (the panes, the summary, the findings: nothing there is
  // read while it is open), inside a border: on a short terminal it scrolls a window of its lines.
  const help = useMemo(() => helpLines(size.columns - 2), [size.columns]);
  const helpPage = Math.max(1, size.height - 4);
  const ctx = {
    rows: model,
    pageSize: size.list,
    findings: analysis.findings,
    help: { lines: help.length, page: helpPage },
  };
  // Settled to this frame's page: after the terminal shrinks, the selected row is still drawn, and keys move on
  // from the rows the user sees.
  const state = settle(stored, ctx);

  // Esc then a key that is neither a letter nor a digit (/, -, space), in one read, reaches useInput as that key alone:
  // ink drops the ESC without marking Alt. The read itself, which ink hands its listeners in order, still has it, so
  // it is noted here, before useInput's listener (registered after this one) sees the key.
  const { internal_eventEmitter: reads } = useStdin();
  const lastRead = useRef('');
  useEffect(() => {
    const note = (data: string) => {
      lastRead.current = data;
    };
    reads.on('input', note);
    return () => {
      reads.removeListener('input', note);
    };
  }, [reads]);

  useInput((input, key) => {
    // Esc then a Ctrl+letter in one read (Esc to leave the filter, Ctrl+O to sort, typed quickly) reaches ink as one
    // key whose text is the bare control character, without Ctrl (ink drops the ESC): it is those two keys, not text
    // for the filter. (Alone, such a character is reported with Ctrl; \b \t \n \r are keys of their own.)
    const escCtrl = !key.ctrl && input.length === 1 && input.charCodeAt(0) < 0x1b && !'\b\t\n\r'.includes(input);
    // Esc then a plain letter in one read (Esc to leave the filter, then q) reaches ink as Alt+letter, and Esc then
    // any other printable key as that key (seen in `lastRead`): the view has no Alt keys, so it is those two keys
    // too, not text for the filter.
    const escKey =
      !key.escape &&
      !key.ctrl &&
      input.length === 1 &&
      input >= ' ' &&
      (key.meta || lastRead.current === `\x1b${input}`);
    // Esc then an arrow, Home, PgDn... in one read (Esc to leave the filter, then down, while a big tree redraws)
    // reaches ink as that key with Alt: the view has no Alt keys, so it is Esc, then the key.
    const escMove = !escKey && !escCtrl && key.meta && !key.escape && lastRead.current.startsWith('\x1b\x1b');
    const presses: KeyPress[] = escMove
      ? [
          { input: '', escape: true },
          { input, ...key },
        ]
      : escCtrl || escKey || (input.length > 1 && !key.ctrl && !key.meta)
        ? splitPresses(escCtrl || escKey ? `\x1b${input}` : input)
        : [{ input, ...key }];
    if (props.columns < MIN_COLUMNS || props.rows < MIN_ROWS) {
      // The screen shows only how to quit: q quits as it says, from a filter being typed or the help too (where q is
      // text, or closes the help), and no other key acts on a view that cannot be seen.
      const end = presses.find((p) => (p.input === 'q' && !p.ctrl) || (p.input === 'c' && p.ctrl));
      if (end) setView((v) => ({ state: { ...v.state, quit: end.ctrl ? 'interrupt' : 'quit' }, held: [] }));
      return;
    }
    setView((v) => pressKeys(v, presses, ctx));
  });
  // An answer of the filter's thread that held keys waited for: they are tried again, on this frame's page.
  const latest = useRef(ctx);
  // The tree rows' React keys (rowSlots) as of the last frame.
  const rowSlotsShown = useRef<{ keys: (string | undefined)[]; kinds: number[] }>({ keys: [], kinds: [] });
  latest.current = ctx;
  useEffect(() => {
    model.onAnswer = () => setView((v) => (v.held.length ? pressKeys(v, [], latest.current) : v));
    return () => {
      model.onAnswer = undefined;
    };
  }, [model]);
  // Keys typed during the load: read now, after the listeners above are on, as if typed on the view just drawn.
  const { typedAhead } = props;
  useEffect(() => {
    for (const typed of typedAhead ?? []) for (const read of typed.match(READS) ?? []) reads.emit('input', read);
  }, [typedAhead, reads]);
  const { onQuit } = props;
  useEffect(() => {
    if (state.quit) onQuit?.(state.quit);
  }, [state.quit, onQuit]);

  const c = (name: string | undefined) => (color ? name : undefined);
  const rows = model.rows(state);
  const layer = analysis.layers[state.layer];
  const leftInner = size.left - 2;
  const rightInner = size.right - 2;

  // The header names what shapes the rows shown. The wasted list is every wasted copy up to this layer whatever the
  // tree's modes (changes only, hidden kinds): they are kept for when it closes, but not named over a list they do
  // not change. It names the layers the list covers: `L5` read as the copies of L5 alone, over rows of L2 and L3.
  const treeModes = state.onlyWasted
    ? ['only wasted']
    : [
        state.changesOnly ? 'changes only' : 'aggregated',
        state.hideUnchanged ? 'unchanged hidden' : '',
        (['added', 'removed', 'modified'] as const)
          .filter((k) => state.hidden[k])
          .map((k, i, all) => (i === all.length - 1 ? `${k} hidden` : k))
          .join('/'),
      ];
  const modes = [...treeModes, `by ${state.sort}`, state.attributes ? 'attributes' : ''].filter(Boolean);
  // The filter comes first, its end kept when it is longer than the header: the header is the only place the typed
  // text shows, and the modes after it are cut when many are on.
  const layerTitle = !state.onlyWasted
    ? `L${state.layer} · `
    : state.layer === lastLayer
      ? 'whole image · '
      : `written in ${state.layer === 0 ? 'L0' : `L0–L${state.layer}`} · `;
  // The filter as typed, keys held or not: its rows follow once searched (the rows on screen are marked meanwhile).
  const typed = view.held.length ? heldFilter(view) : state;
  const searching = view.held.length ? ' (filtering…)' : '';
  const filterTitle =
    typed.filter || typed.filtering || searching
      ? keepEnd(
          `filter /${typed.filter}${typed.filtering ? '_' : ''}${searching}`,
          Math.max(1, rightInner - layerTitle.length),
        )
      : '';
  // The modes follow the filter when it leaves room for the ellipsis that cuts them; else they are left out.
  const header =
    filterTitle && columns(layerTitle + filterTitle) >= rightInner
      ? layerTitle + filterTitle
      : layerTitle + [filterTitle, ...modes].filter(Boolean).join(' · ');

  const took = props.analyzeMs === undefined ? '' : `  analyzed in ${(props.analyzeMs / 1000).toFixed(1)} s`;
  const title = titleLine(analysis.image, took, size.columns);

  const indexWidth = String(analysis.layers.length - 1).length + 1;
  // A line number cut (`:2…` for line 26) reads as another line: the instruction column is drawn only when every
  // row's line number fits whole with a letter of its instruction after it, else it goes (the line under the panes
  // names the selected layer's line).
  const instructionRoom = leftInner - (indexWidth + 18);
  const showInstruction = analysis.layers.every(
    (l) => !l.instruction || columns(`:${lineOf(l.instruction)} `) + 2 <= instructionRoom,
  );
  const layerLines = analysis.layers.map((l) => {
    const cursor = l.index === state.layer ? '>' : ' ';
    const text = `${cursor}${`L${l.index}`.padEnd(indexWidth)} ${formatBytes(l.fileBytes).padStart(7)} ${(l.wastedBytes ? formatBytes(l.wastedBytes) : '-').padStart(7)}${showInstruction ? ` ${layerLabel(l)}` : ''}`;
    return { index: l.index, text: fit(text, leftInner), wasted: l.wastedBytes > 0 };
  });
  const layerWindow = size.list;
  const layerStart = Math.max(
    0,
    Math.min(state.layer - Math.floor(layerWindow / 2), analysis.layers.length - layerWindow),
  );

  const attrCols = state.attributes ? attributeColumns(rightInner) : 'none';
  // The version a change in this layer replaced, when its mode or owner differ (asked for the rows drawn only).
  const replaced = (row: TreeRow) => {
    const e = row.entry;
    if (!state.attributes || row.flat || e.status !== 'modified') return undefined;
    const prev = tree.replacedNode(e.path, e.layer);
    return prev && attributesDiffer(prev, e.node) ? prev : undefined;
  };
  const attrText = (row: TreeRow) =>
    attrCols === 'none'
      ? ''
      : attrCols === 'mode'
        ? ` ${modeString(row.entry.node)} `
        : ` ${modeString(row.entry.node)} ${ownerColumn(row.entry.node)} `;

  // Two columns a level. Deeper than the pane allows (node_modules in node_modules at 80 columns), the rows on screen
  // move left together, as far as the deepest of them needs to keep NAME_ROOM columns for its name: they keep their
  // places relative to each other, only the shallowest ones stop at the left edge. Otherwise a deep row would be all
  // indentation and no name.
  const onScreen = state.help || state.findings ? [] : rows.window(state.scroll, size.list);
  const deepest = onScreen.reduce((d, row) => Math.max(d, row.flat ? 0 : row.depth), 0);
  // At least one level of room: with the mode column at 80 columns there is none beyond the name's own, and every
  // level would sit in one column (a directory's files read as its siblings); the deepest name gives up two columns.
  const room = Math.max(2, rightInner - 15 - (onScreen[0] ? attrText(onScreen[0]).length : 0) - 2 - NAME_ROOM);
  const shift = Math.max(0, 2 * deepest - room);
  const indent = (depth: number) => Math.max(0, 2 * depth - shift);

  const treeLine = (row: TreeRow) => {
    const e = row.entry;
    const attrs = attrText(row);
    if (row.flat && e.waste) {
      // The wasted list: how the bytes were lost as the mark (- deleted, ~ overwritten, = copied again), then the
      // full path and the layers that wrote and hid them.
      const mark = e.waste.cause === 'deleted' ? '-' : e.waste.cause === 'overwrittenChanged' ? '~' : '=';
      const junk = junkOf(tree, e.path) ? 'J' : ' ';
      const layers = `L${e.layer}→L${e.waste.byLayer} `;
      // A path too long for the row loses its start, not its end: cut at the end, the rows of one deep directory
      // read alike (`/app/node_modules/typ…`) and the file name, what tells them apart, is the part lost.
      const room = Math.max(2, rightInner - 15 - attrs.length - columns(layers));
      return {
        mark,
        attrs,
        attrsChanged: false,
        size: formatBytes(row.shownBytes).padStart(9),
        flags: `W${junk}`,
        name: `${layers}${keepEnd(`/${printablePath(displayPath(e.path))}`, room)}`,
      };
    }
    const arrow = row.expandable ? (row.expanded ? '▾ ' : '▸ ') : '  ';
    // W: these bytes are hidden by a later layer; w: earlier versions, or files below, were.
    const wasted = e.waste ? 'W' : e.wastedBytes > 0 ? 'w' : ' ';
    // A directory is junk for what it holds, now or hidden below it: an empty /tmp/ (every image has one) or
    // /var/log/ is no temp file or log to remove, and analyze counts none there.
    const holds = e.kind !== 'dir' || e.sizeBytes > 0 || e.wastedBytes > 0 || e.removedBytes > 0;
    const junk = holds && junkOf(tree, e.path) ? 'J' : ' ';
    // A symlink's target as written; a hard link's as the path it shares its bytes with (absolute, as tar has it
    // relative to the root), or a 0 B name reads as an empty file.
    const link = !e.node.link
      ? ''
      : e.kind === 'symlink'
        ? ` → ${printablePath(displayPath(e.node.link))}`
        : e.kind === 'hardlink'
          ? ` ⇒ /${printablePath(displayPath(e.node.link))}`
          : '';
    const name = `${printablePath(displayPath(e.name))}${e.kind === 'dir' ? '/' : ''}${link}`;
    const prev = replaced(row);
    return {
      // = : rewritten with the same content, only mode or owner changed (as the wasted list marks such a copy).
      mark: prev && sameContent(prev, e.node) ? '=' : MARK[e.status],
      attrs,
      attrsChanged: !!prev,
      size: formatBytes(row.shownBytes).padStart(9),
      flags: `${wasted}${junk}`,
      name: `${' '.repeat(indent(row.depth))}${arrow}${name}`,
    };
  };

  // What a finding asks to do: its fix, else its rule's summary, else its message.
  const fixOf = (f: AnalyzeResult['findings'][number]) => f.fix?.title ?? analysis.rules[f.code]?.summary ?? f.message;
  const selected = rows.row(state.cursor)?.entry;
  // The line under the panes tells of the selected layer (not an entry, a finding or a message).
  const layerDetail = !state.message && !state.findings && (state.pane === 'layers' || !selected) && !!layer;
  const detail = (() => {
    if (state.message === ATTRIBUTES_SHOWN) return attributesShown(attrCols);
    if (state.message) return state.message;
    if (state.findings) {
      // The findings list hides the tree: the line describes the selected finding, not the tree's hidden entry.
      const f = layerFindings(analysis.findings, state.layer)[state.findingCursor];
      if (f) {
        const loc = f.location.kind === 'image' ? f.location : undefined;
        const bytes = f.bytes ? `  ${formatBytes(f.bytes)}` : '';
        const where = `L${state.layer}${loc?.line ? ` line ${loc.line}` : ''}`;
        const head = `${bytes}  ${where}`;
        // The path is what finds the file: the fix after it is cut first (fit, below; the message over this line
        // says what to do too), and the path is kept whole. One wider than the line loses its start, as the tree
        // entry's does, so that its file name, the size and the layer stay, and the arrow tells a fix was cut.
        const whole = loc?.path ? printablePath(loc.path) : '';
        const room =
          columns(`${f.code} ${whole}${head}`) <= size.columns
            ? columns(whole)
            : size.columns - columns(`${f.code} ${head} → …`);
        const path = whole ? ` ${keepEnd(whole, Math.max(16, room))}` : '';
        return `${f.code}${path}${head} → ${fixOf(f)}`;
      }
    }
    if (state.pane === 'layers' || !selected) {
      return layer ? layerDetailText(layer, size.columns) : '';
    }
    const when = rows.row(state.cursor)?.flat
      ? `written by L${selected.layer}${selected.writtenAs !== undefined ? ` as /${printablePath(displayPath(selected.writtenAs))}` : ''}`
      : selected.status === 'unchanged'
        ? `from L${selected.layer}`
        : `${selected.status} in L${selected.layer}`;
    const w = selected.waste;
    const waste = w
      ? `; ${CAUSE[w.cause]} by L${w.byLayer}${w.change && w.change !== 'none' ? ` (${w.change} changed)` : ''}`
      : '';
    const row = rows.row(state.cursor);
    const prev = row && replaced(row);
    const attrs = state.attributes
      ? `  ${modeString(selected.node)} ${ownerString(selected.node)}${prev ? ` (was ${modeString(prev)} ${ownerString(prev)})` : ''}`
      : '';
    const path = `/${printablePath(displayPath(selected.path))}`;
    // A device node holds no bytes: its numbers stand where its size would, as `ls -l` writes them (`8,0`).
    const device = selected.node.device;
    const bytes = device ? `${device.major},${device.minor}` : formatBytes(selected.sizeBytes);
    let rest = `  ${bytes}${attrs}  ${when}${waste}`;
    // The wasted list's story in its own row's words (`L4→L6 overwritten`) where the sentence would not fit beside the
    // path: cut, it lost the layer that hid the bytes.
    if (w && rows.row(state.cursor)?.flat && columns(path) + columns(rest) > size.columns)
      rest = `  ${bytes}${attrs}  L${selected.layer}→L${w.byLayer} ${CAUSE[w.cause]}`;
    // A path too long for the line loses its start, not its end: the name of the selected entry is the part to read
    // (the tree's own row may show none of it, deep in the tree). It keeps some room even when the rest is long.
    const room = Math.max(24, size.columns - columns(rest));
    return `${keepEnd(path, room)}${rest}`;
  })();

  const sum = analysis.summary;
  const pct = sum.fileBytes > 0 ? ` (${((100 * sum.wastedBytes) / sum.fileBytes).toFixed(1)}%)` : '';
  const summaryOf = (files: boolean, share: boolean) =>
    `${plural(sum.layers, 'layer')} · ${formatBytes(sum.finalFileBytes)}${files ? ` in ${plural(sum.finalFiles, 'file')}` : ''} · wasted ${formatBytes(sum.wastedBytes)}${share ? pct : ''} · efficiency ${efficiencyPercent(sum.efficiency, 1)}`;
  // The efficiency is dive's figure, the one its users look for, and it comes last: cut at the line's end, it was
  // lost at 60 columns. The file count goes first, then the wasted share (its bytes stay), so that it stays whole.
  const summaryLine =
    [summaryOf(true, true), summaryOf(false, true)].find((line) => columns(line) <= size.columns) ??
    summaryOf(false, false);
  // One line per finding: where, then the fix (the full message is in the findings view, `f`).
  // A layer's command is shown whole, as dive shows it: too long for its line, it wraps over the top findings' lines
  // (the summary line stays), whose end (what a RUN installs, what it removes) was the part cut, and over lines the
  // panes lend where there are fewer findings lines (layout()). Longer than all of them, the last one is cut. Not on
  // the last layer, where the view opens: there the top findings answer "why is this image so big" first, and keep
  // their lines.
  const detailLines =
    layerDetail && state.layer < lastLayer && commandLines.length > 1 && size.summary > 1
      ? commandLines
      : [fit(detail, size.columns)];
  const shownDetail = detailLines.slice(0, size.summary);
  if (detailLines.length > size.summary)
    shownDetail[size.summary - 1] = fit(`${shownDetail[size.summary - 1]} …`, size.columns);
  // Errors first, as the reports list them: a secret of 106 B sorts last by size, and under the three largest it was
  // only seen in the findings list of its layer.
  const shownFindings = findingsToShow(analysis.findings, size.summary - shownDetail.length);
  const topFindings = shownFindings.map((f) => {
    const fix = fixOf(f);
    const loc = f.location.kind === 'image' ? f.location : undefined;
    const head = `${(f.bytes ? formatBytes(f.bytes) : '').padStart(8)} ${f.code}`;
    const at = [loc?.layerIndex !== undefined ? `L${loc.layerIndex}` : '', loc?.line ? `line ${loc.line}` : '']
      .filter(Boolean)
      .join(' ');
    // The fix is cut first (fit); a path wider than the line loses its start, not its file name (as on the line
    // under the findings list).
    const whole = loc?.path ? printablePath(loc.path) : '';
    const path =
      whole && columns(`${head} ${whole} ${at}`) > size.columns
        ? keepEnd(whole, Math.max(16, size.columns - columns(`${head}  ${at} → …`)))
        : whole;
    return fit(`${head} ${[path, at].filter(Boolean).join(' ')} → ${fix}`, size.columns);
  });

  // The findings list takes the keys from either pane (its own cursor moves, not the layers'), so the right pane is
  // the one drawn focused while it is open; Esc gives the keys back to the pane they came from.
  const focused = (pane: 'layers' | 'tree') => !state.help && (state.findings ? pane === 'tree' : state.pane === pane);
  const border = (pane: 'layers' | 'tree') => (focused(pane) ? 'double' : 'single');

  let right: ReactNode;
  if (state.help) {
    right = undefined; // drawn across both panes, below
  } else if (state.findings) {
    const list = layerFindings(analysis.findings, state.layer);
    // The selected finding whole, wrapped under the list: its row (and the summary's line) cut the message, whose end
    // says what to do. The list keeps at least one row; a long message on a short pane loses its last lines.
    const chosen = list[state.findingCursor];
    const message = chosen ? wrapWords(oneLineWithSpans(chosen.message), rightInner) : [];
    const listRows = Math.max(1, size.list + 1 - (message.length ? message.length + 1 : 0));
    const findingStart = Math.max(0, state.findingCursor - listRows + 1);
    const shownRows = Math.min(listRows, list.length - findingStart);
    right = [
      <Text key="h" bold>
        {fit(`Findings about L${state.layer} (${list.length}) · enter jumps to the file`, rightInner)}
      </Text>,
      ...list.slice(findingStart, findingStart + shownRows).map((f, n) => {
        const i = findingStart + n;
        const path = f.location.kind === 'image' && f.location.path ? ` ${printablePath(f.location.path)}` : '';
        const text = (i === state.findingCursor ? pad : fit)(
          `${i === state.findingCursor ? '>' : ' '}${(f.bytes ? formatBytes(f.bytes) : '').padStart(8)} ${f.code}${path} ${oneLineWithSpans(f.message)}`,
          rightInner,
        );
        return (
          <Text key={i} inverse={i === state.findingCursor}>
            {text}
          </Text>
        );
      }),
      ...under(message.length ? [' ', ...message] : [], size.list + 1 - shownRows, rightInner).map((line, i) => (
        <Text key={`m${i}`}>{line}</Text>
      )),
      // An empty list says so in the pane, as an empty tree does: the line under the panes says it only until the
      // next key.
      ...(list.length === 0
        ? [<Text key="none">{fit(`no findings about layer ${state.layer}`, rightInner)}</Text>]
        : []),
    ];
  } else {
    const visible = onScreen;
    const drawn = visible.map((row) => {
      const line = treeLine(row);
      const at = rows.keyOf(row) === state.cursor;
      const text = (at ? pad : fit)(
        `${at ? '>' : ' '}${line.mark}${line.attrs}${line.size} ${line.flags} ${line.name}`,
        rightInner,
      );
      return { line, at, text };
    });
    // A path repeats in the wasted list (one row per wasted copy): the layer makes the key unique.
    const slots = rowSlots(
      visible.map((row) => `${row.entry.path}\u0000${row.entry.layer}`),
      drawn.map(({ text }) => text.split(NON_ASCII_RUNS).length),
      rowSlotsShown.current,
    );
    right = [
      <Line key="h" pieces={[{ text: fit(header, rightInner), bold: true }]} />,
      <Text key="cols" dimColor={color}>
        {fit(
          '  ' +
            (attrCols === 'none'
              ? ''
              : attrCols === 'mode'
                ? ' Mode'.padEnd(12)
                : ` ${'Mode'.padEnd(10)} ${'uid:gid'.padStart(OWNER_COLUMN)} `) +
            `${state.onlyWasted ? 'Wasted' : state.changesOnly ? 'Changed' : 'Size'}`.padStart(9) +
            (state.onlyWasted ? '    Written→hidden by, file' : '    Name'),
          rightInner,
        )}
      </Text>,
      ...visible.map((row, i) => {
        const { line, at, text } = drawn[i];
        const rowKey = `r${slots[i]}`;
        if (at) return <Line key={rowKey} pieces={[{ text, inverse: focused('tree'), bold: !focused('tree') }]} />;
        // Columns: cursor, mark, the attributes (when shown), size (9), space, W, J, then the name.
        const status = c(STATUS_COLOR[row.entry.status]);
        const a = 2 + line.attrs.length;
        return (
          <Line
            key={rowKey}
            pieces={[
              { text: text.slice(0, 2), color: status },
              ...(a > 2 ? [{ text: text.slice(2, a), color: c(line.attrsChanged ? 'yellow' : undefined) }] : []),
              { text: `${text.slice(a, a + 9)} ` },
              { text: text.slice(a + 10, a + 11), color: c('red'), bold: !!row.entry.waste },
              { text: text.slice(a + 11, a + 12), color: c('magenta') },
              { text: text.slice(a + 12), color: status },
            ]}
          />
        );
      }),
      ...(!rows.first()
        ? [
            <Text key="empty">
              {fit(
                !state.filter
                  ? 'nothing to show in this view'
                  : repeatsRepetition(state.filter)
                    ? // Searched as a text (see `repeatsRepetition`): said, or the expression reads as one that matched nothing.
                      `nothing matches /${state.filter} as text: too many copies of a repeating group to run`
                    : `nothing matches /${state.filter}`,
                rightInner,
              )}
            </Text>,
          ]
        : []),
    ];
  }

  if (props.columns < MIN_COLUMNS || props.rows < MIN_ROWS) {
    // Wrapped, not cut: on a 40-column terminal the size needed and how to quit are the part worth reading.
    const lines = wrapWords(
      `terminal too small (${props.columns}x${props.rows}): explore needs ${MIN_COLUMNS}x${MIN_ROWS}; enlarge it, or q to quit`,
      props.columns,
    );
    const shown = under(lines, Math.max(1, props.rows - 1), props.columns);
    return (
      <Box flexDirection="column">
        {shown.map((l, i) => (
          <Text key={i}>{l}</Text>
        ))}
      </Box>
    );
  }

  // The help takes the panes and the lines under them: at 80x24 every key and mark with its whole description fit,
  // with a row to spare.
  // Shorter, it scrolls, and the bar below (always on screen) says how to close it and which of its lines are shown.
  const helpStart = Math.min(state.helpScroll, Math.max(0, help.length - helpPage));
  const helpShown = help.slice(helpStart, helpStart + helpPage);
  const panes = state.help ? (
    <Box
      flexDirection="column"
      width={size.columns}
      height={size.height - 2}
      borderStyle="double"
      borderColor={c('cyan')}
    >
      {helpShown.map((l, i) => (
        <Text key={i}>{l}</Text>
      ))}
    </Box>
  ) : undefined;
  // On a narrow terminal the scroll keys lose home and end (the help lists them): cut, the bar would end `scr…`.
  const helpBar = (keys: string) =>
    `? q esc: close help  ${helpStart + 1}-${helpStart + helpShown.length} of ${help.length}  ${keys}: scroll`;
  const fullHelpBar = helpBar('↑↓ pgup pgdn home end');
  const bar = state.help
    ? columns(fullHelpBar) <= size.columns
      ? fullHelpBar
      : helpBar('↑↓ pgup pgdn')
    : keyBar(size.columns, typed.filtering);

  return (
    <Box flexDirection="column" width={size.columns} height={size.height}>
      <Text bold wrap="truncate-end">
        {fit(title, size.columns)}
      </Text>
      {panes ?? (
        <Box flexDirection="row" height={size.panes}>
          <Box
            flexDirection="column"
            width={size.left}
            borderStyle={border('layers')}
            borderColor={c(focused('layers') ? 'cyan' : undefined)}
          >
            <Text bold>{fit(`Layers (${analysis.layers.length})`, leftInner)}</Text>
            <Text dimColor={color}>
              {fit(` ${'#'.padEnd(indexWidth)}    Size  Wasted${showInstruction ? ' Instruction' : ''}`, leftInner)}
            </Text>
            {layerLines.slice(layerStart, layerStart + layerWindow).map((l) =>
              // Lines (see Line): a command cut by `…`, measured whole, cost as much as the rest of a key.
              l.index === state.layer ? (
                <Line
                  key={l.index}
                  pieces={[{ text: pad(l.text, leftInner), inverse: focused('layers'), bold: !focused('layers') }]}
                />
              ) : (
                <Line key={l.index} pieces={[{ text: l.text, color: c(l.wasted ? 'yellow' : undefined) }]} />
              ),
            )}
          </Box>
          <Box
            flexDirection="column"
            width={size.right}
            borderStyle={border('tree')}
            borderColor={c(focused('tree') ? 'cyan' : undefined)}
          >
            {right}
          </Box>
        </Box>
      )}
      {!panes && shownDetail.map((text, i) => <Line key={`d${i}`} pieces={[{ text }]} />)}
      {!panes && <Line pieces={[{ text: fit(summaryLine, size.columns), bold: true }]} />}
      {!panes &&
        topFindings.map((f, i) => (
          <Line
            key={i}
            pieces={[
              {
                text: f,
                color: c(shownFindings[i].severity === 'error' ? 'red' : i === 0 ? 'yellow' : undefined),
              },
            ]}
          />
        ))}
      <Line pieces={[{ text: pad(bar, size.columns), inverse: true }]} />
    </Box>
  );
}

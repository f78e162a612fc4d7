// HTML view of `ballast analyze`: one self-contained page (styles, d3-hierarchy, the page script and the data all
// inline; nothing fetched), readable offline and attachable to CI artifacts. A pure function of the result.
//
// Everything from the image (paths, instructions, history, package names) is attacker-controlled. Markup is built
// here with `escapeHtml` on every interpolated value, and the treemap data travels as JSON in a non-executable
// script element with `<`, `>` and `&` escaped, so no name can close the element or inject markup; the page script
// only sets text with textContent.
import { biggestDirectoryFirst, leftOutAbove, leftOutLine } from '../analysis/measure.js';
import { junkTotal } from '../analysis/junk.js';
import { compareVersions } from '../analysis/package-versions.js';
import type { PackageManager } from '../analysis/packages.js';
import type { SizeTree, SizeTreeNode } from '../analysis/size-tree.js';
import type { AnalyzeLayer, AnalyzeResult } from '../services/analyze.js';
import {
  diveFileList,
  diveUserWastedText,
  percentOf,
  storedUncompressedMark,
  wasteCauseText,
  wastedListText,
  yourWastedPercent,
} from './format.js';
import { hexEscape, printablePath } from '../report/printable.js';
import { codeSpan, mapCodeSpans } from '../report/code-span.js';
import { findingWhere } from './index.js';
import { truncate } from './width.js';
import { d3Hierarchy, d3HierarchyVersion, pageScript, pageStyle } from './html/assets.generated.js';
import { efficiencyPercent, formatBytes, formatCount, plural } from '../report/figures.js';
import { findingsToShow } from '../report/finding-order.js';
import { imageTitle } from '../report/image-name.js';
import { lineOf, linesText } from '../report/dockerfile-lines.js';

// Named through the result, so this view depends on the analyze result's shape only.
type Finding = AnalyzeResult['findings'][number];
type RuleMeta = AnalyzeResult['rules'][string];

export interface AnalyzeHtmlOptions {
  /** Rows in each table (default 50). */
  rows?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text and attribute values: the five characters that can change HTML's meaning, and control characters shown as
 * `\xHH` as the text reports show them (HTML reads most of them as parse errors; a browser draws them as nothing),
 * bidirectional controls as `\u202e` (they would reorder the rest of the cell).
 */
export function escapeHtml(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- the point
    /[&<>"']|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => ESCAPES[c] ?? hexEscape(c),
  );
}

/**
 * JSON safe inside a <script> element: nothing in it can end the element or open a comment, and no raw control
 * character (JSON.stringify escapes C0, but not DEL and C1, which HTML reads as parse errors) or bidirectional one
 * (which reorders the page's source in an editor). The page script shows them escaped (page.js `visible`).
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(
      /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

// Light tones that dark labels stay readable on, distinct enough side by side: the first twelve layers' colours.
const PALETTE = [
  '#8cb5e0',
  '#f2b36b',
  '#e38a8a',
  '#8fd0c9',
  '#92c98a',
  '#f0d878',
  '#c9a3c4',
  '#f7b6c2',
  '#c4a995',
  '#b5b0e6',
  '#7fb3a0',
  '#d9d7cf',
];

/**
 * The colour of layer `index`: the palette, then colours of their own. Cycling through the palette gave layer 12 the
 * base layer's colour, so in an image of 13 or more layers (images on a language runtime often have more) the treemap
 * and the legend said a later layer's bytes were the base's. Past the palette, hues step by the golden angle (each
 * far from the ones just before it) at three tones, all light enough for dark labels, and the tones are not
 * the palette's, so a hue that comes near one of its colours still differs from it.
 */
export function layerColour(index: number): string {
  if (index < PALETTE.length) return PALETTE[index];
  const step = index - PALETTE.length;
  // The first lands in the palette's widest gap of hue (between its yellow and its green).
  const hue = (80 + step * 137.508) % 360;
  const [saturation, lightness] = [
    [0.6, 0.78],
    [0.45, 0.64],
    [0.7, 0.87],
  ][step % 3];
  return hslHex(hue, saturation, lightness);
}

/** `#rrggbb` of an HSL colour (hue in degrees, saturation and lightness 0 to 1). */
function hslHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const v = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

function instructionOf(l: AnalyzeLayer): string {
  return l.instruction ? l.instruction.text : (l.historyInstruction ?? l.createdBy ?? '');
}

function layerLabel(l: AnalyzeLayer): string {
  const where = l.instruction ? ` ${linesText(l.instruction)}` : '';
  return `L${l.index}${where}${l.base ? ' (base)' : ''}: ${truncate(instructionOf(l), 100)}`;
}

const kindCode = { dir: 'd', file: 'f', collapsed: 'c', small: 's' } as const;

/**
 * The tree in short keys (it is the bulk of the page): n name, k kind, b bytes, h hidden bytes, f files, g hidden
 * files, l layer, v layer of the visible bytes (when not l), s and w the layers of a collapsed directory's bytes and
 * visible bytes (when more than l), x why the bytes are hidden (as the Wasted files table says it), y hiding layer, c children. (A directory's layers are its children's: the
 * page works them out.)
 */
function compact(node: SizeTreeNode): Record<string, unknown> {
  const out: Record<string, unknown> = {
    n: node.name,
    k: kindCode[node.kind],
    b: node.bytes,
    h: node.hiddenBytes,
    f: node.files,
    g: node.hiddenFiles,
  };
  if (node.layer !== undefined) out.l = node.layer;
  if (node.finalLayer !== undefined) out.v = node.finalLayer;
  if (node.layers) out.s = node.layers;
  if (node.finalLayers) out.w = node.finalLayers;
  if (node.cause) out.x = wasteCauseText(node.cause, node.change);
  if (node.byLayer !== undefined) out.y = node.byLayer;
  if (node.children) out.c = node.children.map(compact);
  return out;
}

/**
 * A table of `rows`; `numeric` columns align right. `wide` columns hold paths, commands or sentences holding them: a
 * path breaks anywhere, so on a phone the table gave them what the other columns left (a path three letters wide to a
 * line); they get room of their own (page.css) and the table scrolls sideways instead. `tight` columns hold short
 * labels (a layer), kept as narrow as they are, as numbers are, so that a size stays beside its path.
 */
function table(
  headers: string[],
  rows: string[][],
  numeric: number[] = [],
  wide: number[] = [],
  tight: number[] = [],
  /** Per column, each row's sort rank (page.js sorts a cell by its `data-sort`): a column whose text does not sort. */
  sortBy: Record<number, (number | undefined)[]> = {},
): string {
  const cls = (i: number) =>
    numeric.includes(i)
      ? ' class="num"'
      : wide.includes(i)
        ? ' class="wide"'
        : tight.includes(i)
          ? ' class="tight"'
          : '';
  const head = headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  // Cells arrive as HTML (already escaped by the caller) so they can hold markup such as swatches.
  // Each cell names its column: on a phone the rows stack as cards (page.css), the head hidden.
  const label = (i: number) => (headers[i] ? ` data-label="${escapeHtml(headers[i])}"` : '');
  const rank = (row: number, i: number) => (sortBy[i]?.[row] === undefined ? '' : ` data-sort="${sortBy[i][row]}"`);
  const body = rows
    .map((r, row) => `<tr>${r.map((c, i) => `<td${cls(i)}${label(i)}${rank(row, i)}>${c}</td>`).join('')}</tr>`)
    .join('\n');
  // In a box of its own that scrolls sideways: on a phone a wide table scrolls, not the whole page.
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * Each package's place in its version order, for the Version column's click-to-sort: by its manager's rules (dpkg's
 * epochs and revisions, apk's `-r10` after `-r9`, rpm's, PEP 440's), which the page's text order got wrong
 * (`1:3.8-4` before `1.0-2`). Versions of one manager are ordered among themselves, the managers apart (by name): a
 * dpkg version and a pip one have no order. A version its manager cannot read sorts by its text, numbers as numbers.
 */
function versionRanks(
  packages: readonly { manager: PackageManager; version: string | null }[],
): (number | undefined)[] {
  const text = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const order = packages
    .map((p, i) => ({ ...p, i }))
    .filter((p) => p.version)
    .sort(
      (a, b) =>
        text.compare(a.manager, b.manager) ||
        (compareVersions(a.manager, a.version!, b.version!) ?? text.compare(a.version!, b.version!)) ||
        a.i - b.i,
    );
  const ranks: (number | undefined)[] = packages.map(() => undefined);
  order.forEach((p, rank) => (ranks[p.i] = rank));
  return ranks;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/**
 * A path or a file:line in a table cell or a note, escaped, with the points where a phone may wrap it: after a `/`, before a `.`
 * or a `:`. On a phone `bloated.Dockerfile:19` broke into `bloated.Dockerfi` and `le:19`. The points are there on a
 * phone only (page.css): on a wider screen they changed where a path broke, and so the tables' layout.
 */
function pathBreaks(text: string): string {
  return escapeHtml(text)
    .replace(/\//g, '/<wbr>')
    .replace(/(?<=\w)([.:])/g, '<wbr>$1');
}

/**
 * A command or a code span of a sentence in a table cell or a note, escaped: each word (what stands between spaces) in a box of
 * its own on a phone (page.css `.word`), which goes whole to the next line when it fits there. The word is broken
 * only when it is wider than a line, and then where `pathBreaks` puts its points or after a shell operator glued to
 * what follows (`a&&b`, `a;b`, `a|b`). On a phone the demo's RUN line broke in "tool_1.0_amd64.d" / "eb", and
 * `uname -m` and `--home-dir` after a dash, though the next line had room for the word whole or for the path after a
 * `/`. On a wider screen the boxes are plain text and the points are not there (page.css), so tables keep their layout.
 */
function codeWords(text: string): string {
  return text
    .split(CODE_BLANKS)
    .map((part, i) => (i % 2 || !part ? part : `<span class="word">${wordBreaks(part)}</span>`))
    .join('');
}

/** What separates the words of a command or a code span (`codeWords`). */
const CODE_BLANKS = /([ \t\n]+)/;

/** A word of a command, escaped, with the points where a phone may break it when it is wider than a line (`codeWords`). */
function wordBreaks(word: string): string {
  return word
    .split(/(?<=&&|\|\||[|;])(?=[^&|;])/)
    .map(pathBreaks)
    .join('<wbr>');
}

/**
 * A path from the image, as a command's word is shown (`codeWords`): on a phone it goes whole to the next line when it
 * fits there, and breaks after a `/` or before a `.` only when it is wider than a line. Without the box and the points,
 * the Largest, Directory, File and Paths columns and the notes broke `/usr/lib/x86_64-linux-` / `gnu/perl` with room
 * for the path on the next line. Tabs and newlines are shown as `\x09` and `\x0a` too, as the treemap shows them: left
 * in, the browser draws them as a space, and `/app/new\nline` would read as `/app/new line`, another file. So are the
 * blanks HTML folds or trims (`printablePath`, as the text report shows them): `/app/a ` read as `/app/a`.
 */
function pathCode(path: string): string {
  return `<code>${codeWords(printablePath(path))}</code>`;
}

/**
 * Sentence text, escaped: each word holding a `-` or a `/` in a box of its own on a phone, as a command's words are
 * (`codeWords`). Rule summaries and advice name commands and options in plain words, and a browser breaks after a
 * dash or a slash: the demo's IM005 fix read "(COPY --chmod/--" / "chown)" with room for the word on the next line.
 */
function proseHtml(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part, i) =>
      i % 2 === 0 && /[-/]/.test(part) ? `<span class="word">${escapeHtml(part)}</span>` : escapeHtml(part),
    )
    .join('');
}

/**
 * Text whose code spans are Markdown's (rule messages, summaries and advice fence names and commands in backticks,
 * with a longer fence when the text holds backticks of its own: see `codeSpan`): the spans become code elements and
 * their fences go. Shown as they were, `/a` read with backticks round it, and a name holding a backtick with a fence
 * of two or three. Read as CommonMark does: a run of backticks opens a span that the next run of the same length
 * closes (one space is stripped inside each fence when both are there), and a run nothing closes is text. What a
 * span holds is the image's or the Dockerfile's text: its tabs, newlines and folded blanks are shown escaped, as in
 * `pathCode` and as the text report's spans (`oneLineWithSpans`).
 */
export function spansHtml(text: string): string {
  // The text's words, each of its pieces of prose and of code (a word may hold both: `--chmod`, with its comma).
  const words: { code: boolean; text: string }[][] = [];
  let word: { code: boolean; text: string }[] = [];
  const add = (code: boolean, piece: string, blanks: RegExp) =>
    piece.split(blanks).forEach((part, i) => {
      if (i % 2) {
        if (word.length) words.push(word);
        words.push([{ code, text: part }]);
        word = [];
      } else if (part) word.push({ code, text: part });
    });
  mapCodeSpans(
    text,
    (part) => (add(false, part, /(\s+)/), ''),
    (inside) => {
      const stripped = inside.length > 2 && inside.startsWith(' ') && inside.endsWith(' ') && inside.trim();
      add(true, printablePath(stripped ? inside.slice(1, -1) : inside), CODE_BLANKS);
      return '';
    },
  );
  if (word.length) words.push(word);
  // Each word of a span in a box of its own (`codeWords`), each of the prose as `proseHtml` has it. A word that is
  // part code and part prose (punctuation glued to a span: `--chmod`, or (`apt-get`)) is one box: on a phone a span's
  // box and the comma after it were two, with a break between them, and the line began with the comma.
  let out = '';
  let open = false;
  const code = (inside: boolean) => {
    if (inside !== open) out += inside ? '<code>' : '</code>';
    open = inside;
  };
  for (const pieces of words) {
    const [first] = pieces;
    if (pieces.length > 1 && pieces.some((p) => p.code !== first.code)) {
      code(false);
      out += `<span class="word">${pieces.map((p) => (p.code ? `<code>${wordBreaks(p.text)}</code>` : pathBreaks(p.text))).join('')}</span>`;
    } else {
      const whole = pieces.map((p) => p.text).join('');
      code(first.code);
      out += first.code ? codeWords(whole) : proseHtml(whole);
    }
  }
  code(false);
  return out;
}

/** A name that may wrap at a `/` or before a `.` (on a phone the title broke `bloated.oci` mid-word), escaped. */
function breakable(text: string): string {
  return escapeHtml(text)
    .replace(/\//g, '/<wbr>')
    .replace(/(?<=\w)\./g, '<wbr>.');
}

/** A file:line location, kept on one line but on a phone. */
function loc(file: string, line: number | string | undefined): string {
  return `<code class="loc">${pathBreaks(line === undefined ? file : `${file}:${line}`)}</code>`;
}

/**
 * A layer's swatch and name (`L2`), kept on one line: where a phone lets `.loc` wrap, the swatch sat alone on a line
 * above its name, like a row of its own.
 */
function swatch(index: number): string {
  return `<span class="layer-id"><span class="swatch" style="background:${layerColour(index)}"></span>L${index}</span>`;
}

function layerRef(r: AnalyzeResult, index: number): string {
  const instruction = r.layers[index]?.instruction;
  return `<span class="loc">${swatch(index)}${instruction ? ` ${linesText(instruction)}` : ''}</span>`;
}

/** Where a finding is, as every report writes a place (`findingWhere`), with the page's own layer names (`L2`). */
function findingPlaceHtml(f: Finding): string {
  const where = findingWhere(f, (index) => `L${index}`);
  const parts = where ? [`<code class="loc">${pathBreaks(where)}</code>`] : [];
  if (f.location.kind === 'image' && f.location.path) parts.push(pathCode(f.location.path));
  return parts.join(' ');
}

function findingFix(f: Finding, meta: RuleMeta | undefined): string {
  const parts: string[] = [];
  if (meta) parts.push(spansHtml(meta.summary));
  if (f.fix) {
    const edits = f.fix.edits
      .map((e) => `<code>${codeWords(`${e.file}:${e.range.line}`)}</code> → <code>${codeWords(e.text)}</code>`)
      .join('<br>');
    parts.push(`${spansHtml(f.fix.title)} (${escapeHtml(f.fix.applicability)})${edits ? `<br>${edits}` : ''}`);
  }
  return `<span class="fix">${parts.join('<br>')}</span>`;
}

function treemapSection(tree: SizeTree | undefined): string {
  if (!tree)
    return '<p class="note">The treemap needs the file tree, which this result does not carry (it is made with <code>--format html</code>).</p>';
  return [
    '<div class="toolbar">',
    '<div id="crumbs"></div>',
    // On paper a checkbox and an order to tick it mean nothing: the sentence of the state it was printed in stands in
    // for them (page.css), without script, so it is right whatever the box was left at.
    '<label><input type="checkbox" id="show-hidden" checked><span class="screen"> show hidden bytes (deleted or overwritten in a later layer, still shipped; hatched)</span>' +
      '<span class="paper hidden-on">The map includes hidden bytes (deleted or overwritten in a later layer, still shipped), hatched.</span>' +
      '<span class="paper hidden-off">The map leaves out hidden bytes (deleted or overwritten in a later layer, still shipped).</span></label>',
    // A layer picked in the legend dims the rest of the map; on paper only a thin outline in the legend said so. Said
    // in words there, kept up to date by page.js (empty when none is picked).
    '<span class="paper" id="picked-note"></span>',
    // Zoomed into a directory the picked layer added nothing to, every cell is dimmed: a grey map, said in words.
    '<span id="picked-none" role="status"></span>',
    // What dive's path filter and explore's `/` do: find a file or directory by name, then zoom to it.
    '<input type="search" id="find" placeholder="find a path" aria-label="find a path in the treemap" aria-controls="found" autocomplete="off" spellcheck="false">',
    '</div>',
    '<div id="found" role="region" aria-live="polite" aria-label="paths found"></div>',
    // A group, not an image: the directories in it are buttons a keyboard reaches (an image's content is not).
    '<div id="treemap" role="group" tabindex="-1" aria-label="treemap of the final filesystem by size"></div>',
    // What is said of clicks, keys and the find box is for the screen only (page.css): paper has none of them.
    `<p class="note" id="treemap-help">Area is bytes; colour is the layer that added them (see the layer table<span class="screen">; click a layer below to pick out its bytes</span>). <span class="screen">Click a directory (or Tab to the map, move to it with the arrow keys and press Enter) to zoom in; click the path above, right-click or press Backspace to zoom out; type in the find box to list the biggest paths holding what you type (the down arrow goes to them), and pick one to zoom to it. </span>Entries under ${escapeHtml(formatBytes(tree.thresholdBytes))}, but the biggest few of each directory, are merged per directory and layer.</p>`,
    // Without JavaScript (a viewer that runs none, a hardened browser) the map would be an empty box under controls
    // that do nothing: hidden, and the tables below, which need no script, are pointed to instead.
    '<noscript><style>#treemap, .toolbar, #found, #treemap-help, #legend { display: none; }</style>',
    '<p class="note" id="no-script">The treemap needs JavaScript, which is off: the sizes are in the tables below (<a href="#biggest">biggest directories and files</a>, <a href="#layers">layers</a>, <a href="#wasted">wasted files</a>, <a href="#duplicates">duplicate files</a>).</p></noscript>',
  ].join('\n');
}

export function renderAnalyzeHtml(r: AnalyzeResult, options: AnalyzeHtmlOptions = {}): string {
  const rows = options.rows ?? 50;
  const s = r.summary;
  const named = imageTitle(r.image);
  const title = named.note ? `${named.name} (${named.note})` : named.name;
  const data = {
    tree: r.sizeTree ? compact(r.sizeTree.root) : null,
    // The size under which entries are merged: the find box says names under it are not searched.
    merged: r.sizeTree?.thresholdBytes,
    layers: r.layers.map((l) => ({ label: layerLabel(l), colour: layerColour(l.index) })),
  };
  const card = (label: string, value: string, extra = '') =>
    `<div class="card${extra}"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from anywhere: the page is all inline, and says so to the browser.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>ballast: ${escapeHtml(title)}</title>`,
    `<style>${pageStyle}</style>`,
    '</head><body>',
    `<h1>ballast analyze: ${breakable(title)}</h1>`,
    `<p class="sub">${escapeHtml([r.image.platform, r.image.digest ?? r.image.imageId].filter(Boolean).join(' · '))}</p>`,
    '<div class="cards">',
    card('uncompressed', formatBytes(s.uncompressedBytes)),
    card(`compressed${storedUncompressedMark(s)}`, formatBytes(s.compressedBytes)),
    card(`in ${plural(s.finalFiles, 'final file')}`, formatBytes(s.finalFileBytes)),
    card(`wasted (${percentOf(s.wastedBytes, s.fileBytes)} of file bytes)`, formatBytes(s.wastedBytes), ' wasted'),
    card('efficiency (dive)', efficiencyPercent(s.efficiency)),
    // "0 B reclaimable by 0 findings" read as a sum that came to nothing: said as the findings section says it.
    r.findings.length
      ? card(`reclaimable by ${plural(r.findings.length, 'finding')}`, formatBytes(s.findingBytes))
      : card('nothing for a rule to reclaim', 'No findings'),
    // "assumed" as the text and Markdown reports say it: without a Dockerfile or --base the base is the first layer.
    card(
      `${s.layers === 1 ? 'layer' : 'layers'} (${s.base.layers} base${s.base.source === 'first-layer' ? ', assumed' : ''})`,
      String(s.layers),
    ),
    '</div>',
  );

  const legend = r.layers
    .map(
      (l) =>
        `<button type="button" data-layer="${l.index}" aria-pressed="false" title="show only this layer's bytes">${layerRef(r, l.index)}${l.base ? ' (base)' : ''}</button>`,
    )
    .join('');
  out.push('<h2>Where the bytes are</h2>', treemapSection(r.sizeTree), `<div id="legend">${legend}</div>`);

  out.push(
    `<h2 id="findings">Findings (${r.findings.length}, ${escapeHtml(formatBytes(s.findingBytes))} reclaimable)</h2>`,
  );
  if (r.findings.length) {
    out.push(
      table(
        ['Severity', 'Rule', 'Bytes', 'Where', 'Problem', 'Fix'],
        findingsToShow(r.findings, rows).map((f) => [
          `<span class="sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span>`,
          `${escapeHtml(f.code)}<br><span class="note">${escapeHtml(f.rule)}</span>`,
          f.bytes ? escapeHtml(formatBytes(f.bytes)) : '',
          findingPlaceHtml(f),
          spansHtml(f.message),
          findingFix(f, r.rules[f.code]),
        ]),
        [2],
        [3, 4, 5],
      ),
    );
    if (r.findings.length > rows)
      out.push(
        `<p class="note">…and ${formatCount(r.findings.length - rows)} more (<code>--json</code> lists all).</p>`,
      );
  } else out.push('<p>No findings.</p>');

  out.push('<h2 id="layers">Layers</h2>');
  // Without a Dockerfile (or one that does not line up) no layer has a line: the column would be empty in every row,
  // and the text and Markdown reports leave it out.
  const lines = r.layers.some((l) => l.instruction);
  out.push(
    table(
      ['#', 'Size', 'Files', 'Wasted', ...(lines ? ['Dockerfile line'] : []), 'Instruction'],
      r.layers.map((l) => [
        `<span class="loc">${swatch(l.index)}</span>${l.base ? ' <span class="note">base</span>' : ''}`,
        escapeHtml(formatBytes(l.fileBytes)),
        formatCount(l.files),
        // `-`, as the text report and explore write it: an empty cell read "Wasted:" and nothing on a phone's card.
        l.wastedBytes ? escapeHtml(formatBytes(l.wastedBytes)) : '-',
        ...(lines ? [l.instruction ? loc(l.instruction.file, lineOf(l.instruction)) : ''] : []),
        `<code>${codeWords(instructionOf(l))}</code>`,
      ]),
      [1, 2, 3],
      // A Dockerfile's file:line is a path too: on a phone it read down its cell three letters at a time.
      lines ? [4, 5] : [4],
    ),
  );
  if (r.attribution && !r.attribution.matched) {
    out.push(
      // As a code span of the sentence, so that its `;` goes with it to the next line on a phone (spansHtml).
      `<p class="note">${spansHtml(`The image history does not line up with ${codeSpan(r.attribution.dockerfile)}; layers are not attributed to lines.`)}</p>`,
    );
  }

  out.push(`<h2 id="wasted">Wasted files (${escapeHtml(formatBytes(s.wastedBytes))})</h2>`);
  if (r.wastedFiles.length) {
    const shown = r.wastedFiles.slice(0, rows);
    out.push(
      table(
        ['Size', 'Cause', 'Shipped in', 'Hidden by', 'Path'],
        shown.map((w) => [
          escapeHtml(formatBytes(w.sizeBytes)),
          escapeHtml(wasteCauseText(w.cause, w.change)),
          layerRef(r, w.layer),
          layerRef(r, w.byLayer),
          pathCode(`/${w.path}`),
        ]),
        [0],
        [4],
        [2, 3],
      ),
    );
    out.push(
      `<p class="note">${wastedListText(shown, s.wastedBytes)}; deleted ${escapeHtml(formatBytes(s.wasted.deleted))}, overwritten ${escapeHtml(formatBytes(s.wasted.overwrittenChanged))}, copied again with the same content ${escapeHtml(formatBytes(s.wasted.overwrittenSameContent))}.${
        // Here, not on the wasted card: a longer card label wrapped and moved the map below it.
        yourWastedPercent(s)
          ? ` Of your layers' file bytes ${yourWastedPercent(s)} are wasted, the share <code>ci</code>'s maxWastedPercent checks.`
          : ''
      }</p>`,
    );
  } else out.push('<p>No wasted files.</p>');
  // dive's wasted bytes and user-wasted percent, which the text report gives beside the efficiency: the figures a
  // .dive-ci's rules check. Here, not on the efficiency card, which a longer label put on a row of its own on a phone,
  // moving the map below the fold; and beside ballast's wasted bytes, which they are not.
  out.push(
    `<p class="note" id="dive-wasted">dive: ${escapeHtml(formatBytes(r.dive.inefficientBytes))} inefficient, user wasted ${diveUserWastedText(r.dive.userWastedPercent)}. dive counts every copy of a path that several layers hold, the kept one too, and user wasted is those bytes over the bytes above the first layer: the figures a <code>.dive-ci</code>'s highestWastedBytes and highestUserWastedPercent check.</p>`,
  );
  // The paths behind those bytes, the rows the text and Markdown reports list under the same heading.
  const dive = diveFileList(r.dive, rows);
  if (dive) {
    out.push(
      `<p class="note" id="dive-files">${escapeHtml(dive.heading)}</p>`,
      table(
        ['Count', "dive's wasted", 'Path'],
        dive.shown.map((f) => [formatCount(f.count), escapeHtml(formatBytes(f.sizeBytes)), pathCode(f.file)]),
        [0, 1],
        [2],
      ),
    );
    if (dive.hidden > 0)
      out.push(`<p class="note">…and ${formatCount(dive.hidden)} more (<code>--top</code> sets how many).</p>`);
  }

  const junk = r.junk.filter((j) => j.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  // With its total, as the text and Markdown reports give it: the sum `ci` checks against maxJunkBytes.
  out.push(
    `<h2 id="junk">Junk in the final filesystem${junk.length ? ` (${escapeHtml(formatBytes(junkTotal(r.junk)))})` : ''}</h2>`,
  );
  if (junk.length) {
    out.push(
      table(
        ['Size', 'Files', 'Class', 'What to do', 'Largest'],
        junk.map((j) => [
          escapeHtml(formatBytes(j.bytes)),
          formatCount(j.files),
          escapeHtml(j.title),
          spansHtml(j.advice),
          j.top
            .slice(0, 3)
            .map((t) => `${pathCode(`/${t.path}`)} ${escapeHtml(formatBytes(t.sizeBytes))}`)
            .join('<br>'),
        ]),
        [0, 1],
        [3, 4],
      ),
    );
  } else out.push('<p>No junk found.</p>');

  out.push('<h2 id="packages">Packages by size</h2>');
  if (r.packages.top.length) {
    const packages = r.packages.top.slice(0, rows);
    out.push(
      table(
        ['Size', 'Files', 'Kind', 'Package', 'Version'],
        packages.map((p) => [
          escapeHtml(formatBytes(p.bytes)),
          formatCount(p.files),
          escapeHtml(p.manager),
          escapeHtml(p.name),
          escapeHtml(p.version ?? ''),
        ]),
        [0, 1],
        [],
        [],
        { 4: versionRanks(packages) },
      ),
    );
    const count = Object.values(r.packages.totals).reduce((n, t) => n + t.packages, 0);
    out.push(`<p class="note">The ${r.packages.top.length} largest of ${plural(count, 'package')}.</p>`);
  } else out.push('<p>No package database found.</p>');
  for (const db of r.packages.unsupported) out.push(`<p class="note">Package database not read: ${code(db)}</p>`);
  for (const w of r.packages.warnings) out.push(`<p class="note">Warning: ${escapeHtml(w)}</p>`);

  out.push('<h2 id="biggest">Biggest directories and files</h2>');
  const directories = r.topDirectories.slice(0, rows);
  out.push(
    table(
      ['Size', 'Files', 'Directory'],
      directories.map((d) => [escapeHtml(formatBytes(d.bytes)), formatCount(d.files), pathCode(`/${d.path}`)]),
      [0, 1],
      [2],
    ),
  );
  // Said, as the list would otherwise read as missing /usr when /usr/lib holds nearly all of it (measure.ts); the
  // names are code spans, each with the comma after it (spansHtml), and the sentence round them is leftOutLine's own.
  const leftOut = leftOutAbove(directories, r.leftOutDirectories, biggestDirectoryFirst);
  if (leftOut.length) out.push(`<p class="note">${spansHtml(leftOutLine(leftOut.map((p) => codeSpan(`/${p}`))))}</p>`);
  out.push(
    table(
      ['Size', 'Layer', 'File'],
      r.topFiles
        .slice(0, rows)
        .map((f) => [escapeHtml(formatBytes(f.sizeBytes)), layerRef(r, f.layer), pathCode(`/${f.path}`)]),
      [0],
      [2],
      [1],
    ),
  );

  // As the text report lists them: identical files in the final filesystem, each group its extra bytes (all but one
  // copy), its copies and its paths (the result names the first 10 of a group), one to a line.
  out.push(`<h2 id="duplicates">Duplicate files (${escapeHtml(formatBytes(r.duplicates.bytes))})</h2>`);
  if (r.duplicates.top.length) {
    out.push(
      table(
        ['Extra', 'Copies', 'Paths'],
        r.duplicates.top.slice(0, rows).map((d) => {
          const more = d.copies - d.paths.length;
          const paths = d.paths.map((p) => pathCode(`/${p}`));
          if (more > 0) paths.push(`<span class="note">…and ${escapeHtml(formatCount(more))} more</span>`);
          return [escapeHtml(formatBytes(d.extraBytes)), formatCount(d.copies), paths.join('<br>')];
        }),
        [0, 1],
        [2],
      ),
    );
    out.push(
      `<p class="note">${escapeHtml(formatBytes(r.duplicates.bytes))} in ${plural(r.duplicates.groups, 'group')} of identical files${r.duplicates.groups > Math.min(rows, r.duplicates.top.length) ? `; the ${Math.min(rows, r.duplicates.top.length)} largest` : ''}.</p>`,
    );
  } else out.push('<p>No duplicate files.</p>');

  out.push(
    '<div id="tip"></div>',
    `<p class="note">Made by ballast. Treemap layout by d3-hierarchy ${escapeHtml(d3HierarchyVersion)} (ISC licence), inlined.</p>`,
    `<script type="application/json" id="ballast-data">${scriptJson(data)}</script>`,
    `<script>${d3Hierarchy}</script>`,
    `<script>${pageScript}</script>`,
    '</body></html>',
  );
  return out.join('\n');
}

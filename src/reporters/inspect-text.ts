// Text view of `ballast inspect`: a pure function of the result.
import { shortDigest } from '../image/digest.js';
import { isCompressedLayerType, isTarLayerType } from '../image/media-types.js';
import { formatPlatform } from '../image/platform.js';
import type { InspectResult } from '../services/inspect.js';
import { cutWidth, storedUncompressedMark, style } from './format.js';
import { columns, copiedWhole, cutPathToColumns, cutToColumns } from '../report/text.js';
import { pathOverNote, table, truncate } from './width.js';
import { formatBytes, formatCount } from '../report/figures.js';
import { imageTitle } from '../report/image-name.js';

const DIGEST = /^[a-z0-9]+:[0-9a-f]{32,}$/;

export interface TextOptions {
  color: boolean;
  /** Terminal width for truncating long instructions. */
  width?: number;
}

/**
 * The fields whose value is one word that may be wider than the room beside the labels; the Source, Cmd and
 * Entrypoint are kept whole beside their label (README), a digest whole on a line of its own.
 */
const UNDER_LABEL = new Set(['Media type', 'Created', 'Platform', 'User', 'WorkingDir', 'StopSignal']);

/** Annotations the text view shows; `--json` has every one. */
const MAX_ANNOTATIONS = 30;

export function renderInspect(result: InspectResult, options: TextOptions): string {
  const s = style(options.color);
  // Everything below is cut (values, instructions), never wrapped, and only to a width the terminal or COLUMNS gave:
  // a pipe or a report file keeps each whole on its line, as analyze and diff do.
  const width = cutWidth(options.width);
  // Normalised as --platform matches it: a config's `arm64` + `v8` is linux/arm64, `aarch64` is arm64.
  const platform = formatPlatform({ ...result.platform, variant: result.platform.variant ?? undefined });
  const c = result.config;
  const fields: [string, string][] = [
    ['Source', result.source],
    ['Digest', result.digest ?? '- (no manifest in this source)'],
    ...(result.index
      ? ([
          ['Index', result.index.digest ?? '- (index.json lists the platforms)'],
          ['Platforms', result.index.platforms.join(', ')],
        ] as [string, string][])
      : []),
    ['Image ID', result.imageId],
    ['Media type', result.mediaType ?? '- (no manifest in this source)'],
    ['Platform', platform],
    ...(result.expectedPlatform
      ? ([['', s.yellow(platformNote(platform, result.expectedPlatform))]] as [string, string][])
      : []),
    ['Created', result.created ?? '-'],
    ...(result.author ? ([['Author', truncate(result.author, width - 12)]] as [string, string][]) : []),
    ['User', c.user ?? '- (root)'],
    ['Entrypoint', c.entrypoint ? JSON.stringify(c.entrypoint) : '-'],
    ['Cmd', c.cmd ? JSON.stringify(c.cmd) : '-'],
    ['WorkingDir', c.workingDir ?? '-'],
    ['Exposed', c.exposedPorts.length ? c.exposedPorts.join(', ') : '-'],
    ['Volumes', c.volumes.length ? c.volumes.join(', ') : '-'],
    ...(c.stopSignal ? ([['StopSignal', c.stopSignal]] as [string, string][]) : []),
    ...(c.healthcheck ? ([['Healthcheck', JSON.stringify(c.healthcheck.test)]] as [string, string][]) : []),
    ...(c.shell ? ([['Shell', JSON.stringify(c.shell)]] as [string, string][]) : []),
    ...c.onBuild.map((trigger): [string, string] => ['OnBuild', truncate(trigger, width - 14)]),
  ];
  // A loop, not Math.max(...): a config's lists (OnBuild, history) may be longer than a call's arguments can be.
  const labelWidth = fields.reduce((widest, [k]) => Math.max(widest, columns(k)), 0);
  const beside = (k: string) => `${s.bold(k)}${' '.repeat(labelWidth - columns(k) + 2)}`;
  // As analyze's and diff's headers: a long path gets a line of its own, whole (cut in its middle it could not be
  // copied), its tag under it; one too long to stand beside its label goes under the label, as a digest does.
  // Laid out only to a width the terminal or COLUMNS gave: a pipe keeps it on one line.
  const room = Math.max(20, width - labelWidth - 2);
  const title = imageTitle(result);
  const image =
    columns(title.name) <= room
      ? pathOverNote(title.name, title.note, '', room).map(
          (line, i) => `${i === 0 ? beside('Image') : ' '.repeat(labelWidth + 2)}${line}`,
        )
      : [s.bold('Image'), ...pathOverNote(title.name, title.note, '', width - 2).map((line) => `  ${line}`)];
  // A digest is copied whole, so it is never cut: beside its label when the line has room for it, else alone on the
  // next line, however narrow the terminal (as the annotations' digests and a path in prose: copied as one).
  const lines = [
    [
      ...image,
      ...fields.flatMap(([k, v]) => {
        if (labelWidth + 2 + columns(v) <= width) return [`${beside(k)}${v}`.trimEnd()];
        if (DIGEST.test(v)) return [s.bold(k), `  ${v}`];
        // A one-word value (a media type, a time) wider than the room beside its label goes under it, cut in its
        // middle only when wider than that line too: beside it at 40 columns the media type ran to 54.
        if (UNDER_LABEL.has(k)) return [s.bold(k), `  ${cutPathToColumns(v, width - 2)}`];
        return [`${beside(k)}${v}`.trimEnd()];
      }),
    ].join('\n'),
  ];
  // Cut, never folded (as labels): `A=a  b` is another value than `A=a b`.
  if (c.env.length) lines.push('', s.bold('Env'), ...c.env.map((e) => `  ${cutToColumns(e, width - 2)}`));
  // A digest (base.digest), an image reference (base.name) or a URL (source) is copied whole (copiedWhole), as the
  // Digest line above: on a line of its own under its key when it does not fit beside it, however narrow the terminal.
  // Other values are cut.
  const keyValue = ([k, v]: [string, string]) =>
    !copiedWhole(v)
      ? [`  ${cutToColumns(`${k}=${v}`, width - 2)}`]
      : columns(`  ${k}=${v}`) <= width
        ? [`  ${k}=${v}`]
        : [`  ${cutToColumns(`${k}=`, width - 2)}`, `    ${v}`];
  const labels = Object.entries(c.labels);
  if (labels.length)
    // Escaped like file names (printableResult), so nothing is left to fold: a label's spaces show as they are.
    lines.push('', s.bold('Labels'), ...labels.flatMap(keyValue));
  // The manifest's, apart from the labels: the same key may have another value there.
  const annotations = Object.entries(result.annotations ?? {});
  // A manifest may carry any number of them (50,000 printed 50 MB): the first ones, and a count of the rest.
  if (annotations.length)
    lines.push(
      '',
      s.bold('Annotations'),
      ...annotations.slice(0, MAX_ANNOTATIONS).flatMap(keyValue),
      ...(annotations.length > MAX_ANNOTATIONS
        ? [s.dim(`  …and ${formatCount(annotations.length - MAX_ANNOTATIONS)} more (--json lists all)`)]
        : []),
    );

  // A plain tar layer (docker save) is stored at its tar size, not what a pull downloads: marked as analyze marks it.
  // All of them plain (what a docker save holds), the title says so once and the cells stay as they were: a mark in
  // each would take the room of the command. Some of them plain, each such cell is marked.
  // A blob of a type that is not a layer's (not a tar at all) is not said to be a plain tar either.
  const plain = result.layers.map((l) => isTarLayerType(l.mediaType) && !isCompressedLayerType(l.mediaType));
  const plainLayers = plain.filter(Boolean).length;
  const allPlain = plainLayers > 0 && plainLayers === result.totals.layers;
  const total = storedUncompressedMark({ layers: result.totals.layers, plainLayers });
  // One level of brackets: "693 MB, stored uncompressed", not "693 MB (stored uncompressed)" inside the title's own.
  const stored = (allPlain ? '' : ' compressed') + (total ? `, ${total.slice(2, -1)}` : '');
  lines.push('', s.bold(`Layers (${result.totals.layers}, ${formatBytes(result.totals.compressedBytes)}${stored})`));
  const sizes = result.layers.map(
    (l, i) =>
      formatBytes(l.compressedBytes) +
      (allPlain ? '' : storedUncompressedMark({ layers: 1, plainLayers: plain[i] ? 1 : 0 })),
  );
  const cells: Record<LayerColumn, string[]> = {
    '#': result.layers.map((l) => String(l.index)),
    Compressed: sizes,
    Digest: result.layers.map((l) => shortDigest(l.digest)),
    DiffID: result.layers.map((l) => shortDigest(l.diffId)),
    'Media type': result.layers.map((l) => shortType(l.mediaType) + (l.included ? '' : ' (absent)')),
  };
  const shown = layerColumns(cells, width);
  lines.push(
    table(
      [
        [...shown, 'Created by'].map((h) => s.dim(h)),
        ...result.layers.map((l, i) => [...shown.map((column) => cells[column][i]), l.createdBy ?? '?']),
      ],
      ['r', 'r'],
      { width, cut: truncate, min: 10 },
    ),
  );
  if (result.history.length) lines.push('', ...historyTable(result, width, s, total.slice(2, -1)));
  if (!result.historyMatchesLayers) lines.push(s.yellow(historyNote(result)));
  return lines.join('\n');
}

type LayerColumn = '#' | 'Compressed' | 'Digest' | 'DiffID' | 'Media type';

/** Under 20 columns left for "Created by", the columns it can do without go first. */
const MIN_CREATED_BY = 20;

/**
 * The columns before "Created by" that leave it room on a line of `width`: all of them on a wide terminal; on a
 * narrower one the DiffID goes first (the digest names the layer, `--json` has both; in a docker save they are the
 * same), then the media type. "Created by" then gets the rest, cut, so no row wraps.
 */
function layerColumns(cells: Record<LayerColumn, string[]>, width: number): LayerColumn[] {
  let shown = Object.keys(cells) as LayerColumn[];
  const taken = () =>
    shown.reduce((sum, column) => sum + Math.max(columns(column), ...cells[column].map((c) => columns(c))) + 2, 0);
  for (const optional of ['DiffID', 'Media type'] as const) {
    if (width - taken() >= MIN_CREATED_BY) break;
    shown = shown.filter((column) => column !== optional);
  }
  return shown;
}

/**
 * The build steps in the config's order, as `docker history` and dive list them: when each ran, what it ran and
 * the (compressed) layer it made, `0 B` for a step that made none (ENV, CMD), `?` when the history does not line up
 * with the layers. The command is cut to what is left of the width, so each row stays one terminal line. A docker
 * save's sizes are marked once, in the title (`stored`, in the title's own brackets as the Layers title has it): in
 * each cell the mark would take what is left for the command.
 */
function historyTable(result: InspectResult, width: number, s: ReturnType<typeof style>, stored: string): string[] {
  const header = ['Layer', 'Created', 'Compressed', 'Created by'];
  const cells = result.history.map((h) => {
    const layer = h.layerIndex === null ? undefined : result.layers[h.layerIndex];
    const size = h.emptyLayer ? '0 B' : layer ? formatBytes(layer.compressedBytes) : '?';
    return [String(h.layerIndex ?? (h.emptyLayer ? '' : '?')), createdAt(h.created), size, h.instruction || '-'];
  });
  // The command gets what the other columns leave; with less than MIN_CREATED_BY it goes under its row, cut to that
  // line (at 40 columns it was cut to 10 beside the row, `RUN apt-g…`, and the rows ran to 51).
  return [
    s.bold(
      `History (${result.history.length} step${result.history.length === 1 ? '' : 's'}${stored ? `, ${stored}` : ''})`,
    ),
    table([header.map((h) => s.dim(h)), ...cells], ['r', 'l', 'r'], { width, cut: truncate, min: MIN_CREATED_BY }),
  ];
}

/** A step's time in UTC to the second (`2018-12-26T08:20:42Z`), `-` when the config has none or an unreadable one. */
function createdAt(created: string | null): string {
  const time = created ? Date.parse(created) : Number.NaN;
  return Number.isNaN(time) ? '-' : `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** Why the platform is not the one the user would have expected. */
function platformNote(platform: string, expected: NonNullable<InspectResult['expectedPlatform']>): string {
  const wanted = formatPlatform(expected.platform);
  return expected.by === 'flag'
    ? `no ${wanted} image here; this ${platform} one is the closest that runs on it`
    : `not this machine's platform (${wanted}): it runs here only under emulation`;
}

/** Why no layer has an instruction: no history at all (bazel, crane append, some umoci edits), or a miscount. */
function historyNote(result: InspectResult): string {
  if (result.history.length === 0) {
    return 'The image records no history, so the instruction of each layer is unknown.';
  }
  const made = result.history.filter((h) => !h.emptyLayer).length;
  const layers = result.totals.layers;
  return (
    `The history lists ${made} step${made === 1 ? '' : 's'} that made a layer for ${layers} layer${layers === 1 ? '' : 's'}, ` +
    'so which instruction made each layer is unknown.'
  );
}

/** `oci tar+gzip`, `docker tar` instead of the full media type. */
function shortType(mediaType: string): string {
  const oci = /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.(tar(?:\+\w+)?)$/.exec(mediaType);
  if (oci) return `oci ${oci[2]}${oci[1] ? ' foreign' : ''}`;
  const docker = /^application\/vnd\.docker\.image\.rootfs\.(foreign\.)?diff\.(tar(?:\.\w+)?)$/.exec(mediaType);
  if (docker) return `docker ${docker[2]}${docker[1] ? ' foreign' : ''}`;
  return mediaType;
}

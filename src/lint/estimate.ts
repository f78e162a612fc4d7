// What each fix is expected to save, read off an image built from the Dockerfile (lint --image): the fixable lint
// finding's instruction is matched to the layer it made (analyze's attribution), and the bytes are what analyze
// measured there for the thing the fix removes. Without an image, or for a fix whose saving the image cannot show,
// the estimate is null ("unknown"): no typical size is assumed.
import type { WastedFile } from '../analysis/measure.js';
import type { AnalyzeResult } from '../services/analyze.js';
import { globToRegExp } from '../config/glob.js';
import type { Finding } from '../report/types.js';
import { lineOf, spansLines } from '../report/dockerfile-lines.js';

export interface FixEstimate {
  /** Bytes the fix is expected to take out of the image; null when unknown. */
  bytes: number | null;
  /** Where the number comes from (the image findings or waste it adds up), or why it is unknown. */
  basis: string;
}

/**
 * Per lint rule: the image findings (code, and optionally the path they name or words of their message) that measure
 * what its fix removes, in the layer of the same instruction.
 */
const IMAGE_EVIDENCE: Record<
  string,
  { code: string; path?: RegExp; message?: RegExp; fixText?: RegExp; ignored?: boolean }[]
> = {
  // apt's caches (/var/cache/apt) only when the fix runs `apt-get clean`: it does for a RUN that installs; for an
  // `apt-get update` alone the fix removes the lists and nothing else (--verify measured the difference). IM002 names
  // the cache's directory (`/var/cache/apt`, or below it).
  DF001: [{ code: 'IM001' }, { code: 'IM002', path: /^\/var\/cache\/apt(\/|$)/, fixText: /\bapt-get clean\b/ }],
  // apt's caches where no docker-clean empties them; DF034 reports no RUN DF001 does, so they count once.
  DF034: [{ code: 'IM002', path: /^\/var\/cache\/apt(\/|$)/ }],
  DF005: [{ code: 'IM002', path: /^\/var\/cache\/apk(\/|$)/ }],
  DF006: [{ code: 'IM002', path: /(^|\/)\.cache\/pip(\/|$)/ }],
  DF007: [{ code: 'IM002', path: /yarn/ }],
  DF008: [{ code: 'IM002', path: /(^|\/)\.npm(\/|$)/ }],
  // yum is dnf on EL 8+ and Fedora, and dnf is dnf5 on Fedora 41+ (see rpmFamilyOf): their fixes empty dnf's or
  // dnf5's cache there.
  DF009: [{ code: 'IM002', path: /^\/var\/cache\/(yum|dnf|libdnf5)(\/|$)/ }],
  DF010: [{ code: 'IM002', path: /^\/var\/cache\/(dnf|yum|libdnf5)(\/|$)/ }],
  DF011: [{ code: 'IM002', path: /^\/var\/cache\/zypp(\/|$)/ }],
  // conda's, Composer's and cpanm's caches have no one place (a conda root's pkgs, ~/.composer/cache or ~/.cache/composer, the
  // composer image's /tmp/cache; a layer holding two of them is named by the directory above both): IM002 names their
  // class in its message.
  DF030: [{ code: 'IM002', message: /the conda package cache/ }],
  DF031: [{ code: 'IM002', path: /^\/var\/cache\/pacman(\/|$)/ }],
  DF032: [{ code: 'IM002', message: /the Composer cache/ }],
  DF033: [{ code: 'IM002', message: /the cpanm work directory/ }],
  // a .dockerignore keeps .git, .env files and node_modules out of the COPY's layer: each finding counts when a line
  // the fix adds to .dockerignore matches its path (DF026 adds one entry per fix; a key file no entry names stays)
  DF025: [
    { code: 'IM006', ignored: true },
    { code: 'IM009', ignored: true },
    { code: 'IM008', ignored: true },
  ],
  DF026: [
    { code: 'IM006', ignored: true },
    { code: 'IM009', ignored: true },
    { code: 'IM008', ignored: true },
  ],
};

const HIDDEN_BY: Record<string, WastedFile['cause']> = { DF014: 'overwrittenSameContent', DF015: 'deleted' };
/** Fixes that reorder for the build cache: they save rebuild time; the image keeps its bytes. */
const REBUILD_TIME_ONLY = new Set(['DF013']);
const HIDDEN_TEXT: Partial<Record<WastedFile['cause'], string>> = {
  overwrittenSameContent: 'copied again with the same content',
  deleted: 'deleted',
};

/** The estimate for one fixable lint finding, given the analysis of an image built from its Dockerfile. */
export function estimateFix(finding: Finding, image: AnalyzeResult | undefined): FixEstimate {
  if (!image) return { bytes: null, basis: 'unknown: no --image to measure' };
  if (finding.location.kind !== 'dockerfile') return { bytes: null, basis: 'unknown: not a Dockerfile finding' };
  const { line, endLine } = finding.location;
  const at = (l: number | undefined) => l !== undefined && l >= line && l <= endLine;
  if (!image.attribution?.matched)
    return { bytes: null, basis: "unknown: the image's layers do not match this Dockerfile's instructions" };
  // Waste this instruction's layer caused by hiding bytes of earlier layers: a delete (DF015, the delete moves into the
  // RUN that created the files) or a chmod/chown that rewrites copied files whole (DF014, the mode moves onto the COPY).
  if (REBUILD_TIME_ONLY.has(finding.code))
    return { bytes: 0, basis: 'a cache-order fix saves rebuild time, not bytes' };
  if (finding.code === 'DF016') return mergeEstimate(finding, image, at);
  // A layer several instructions were committed as (buildah without --layers, --squash) holds the bytes of any of
  // them: read off its first line, that line would get them all and the others none (a 0 B estimate for a fix that
  // removes a download one of the later lines left).
  const span = image.layers.find(
    (l) => l.instruction && spansLines(l.instruction) && l.instruction.line <= endLine && l.instruction.endLine >= line,
  );
  if (span?.instruction)
    return {
      bytes: null,
      basis: `unknown: lines ${lineOf(span.instruction)} were committed as one layer (layer ${span.index}), which does not tell which of them left these bytes`,
    };
  if (finding.code === 'DF019') return removalEstimate(finding, image, at);
  const hiddenBy = HIDDEN_BY[finding.code];
  if (hiddenBy) {
    const layers = new Set(image.layers.filter((l) => at(l.instruction?.line)).map((l) => l.index));
    const hidden = image.wastedFiles.filter((w) => w.cause === hiddenBy && layers.has(w.byLayer));
    const bytes = hidden.reduce((n, w) => n + w.sizeBytes, 0);
    return { bytes, basis: `${hidden.length} file(s) of earlier layers ${HIDDEN_TEXT[hiddenBy]} by this layer` };
  }
  const evidence = IMAGE_EVIDENCE[finding.code];
  // The COPY the finding is at, as written (its destination anchors .dockerignore lines).
  const copyText = image.layers.find((l) => at(l.instruction?.line))?.instruction?.text;
  if (!evidence) return { bytes: null, basis: 'unknown: the image shows no measure of what this fix removes' };
  const matched = image.findings.filter(
    (f) =>
      f.location.kind === 'image' &&
      at(f.location.line) &&
      evidence.some(
        (e) =>
          e.code === f.code &&
          (!e.path || e.path.test(f.location.kind === 'image' ? (f.location.path ?? '') : '')) &&
          (!e.message || e.message.test(f.message)) &&
          (!e.fixText || finding.fix!.edits.some((edit) => e.fixText!.test(edit.text))) &&
          (!e.ignored || ignoredByFix(finding, f.location.kind === 'image' ? (f.location.path ?? '') : '', copyText)),
      ),
  );
  let bytes = matched.reduce((n, f) => n + (f.bytes ?? 0), 0);
  const codes = [...new Set(matched.map((f) => f.code))].join(', ');
  let basis = matched.length > 0 ? `image findings ${codes} at this line` : 'no image finding at this line';
  if (evidence.some((e) => e.ignored)) {
    // The image findings name what the final image ships; what the COPY wrote and a later layer deleted (a
    // `RUN rm -rf node_modules`) is waste the .dockerignore entry keeps out too.
    const layers = new Set(image.layers.filter((l) => at(l.instruction?.line)).map((l) => l.index));
    // Not under a path a finding above already counted: IM006 counts every copy of .git, hidden ones included.
    // (Findings name absolute paths; wasted files are relative to the root.)
    const counted = matched
      .map((f) => (f.location.kind === 'image' ? (f.location.path ?? '') : '').replace(/^\/+/, ''))
      .filter(Boolean);
    const hidden = image.wastedFiles.filter(
      (w) =>
        layers.has(w.layer) &&
        ignoredByFix(finding, w.path, copyText) &&
        !counted.some((p) => w.path === p || w.path.startsWith(`${p}/`)),
    );
    bytes += hidden.reduce((n, w) => n + w.sizeBytes, 0);
    if (hidden.length > 0) basis += `, and ${hidden.length} file(s) it wrote that a later layer hid`;
  }
  return { bytes, basis };
}

/**
 * Whether a line the fix adds to .dockerignore excludes the image path from the COPY that wrote it. A `**\/name` line
 * names a segment at any depth; a plain `name` line only the first segment under the COPY's destination (`COPY . /app`:
 * `dist` is /app/dist, not /app/node_modules/rxjs/dist). When the destination is not an absolute path in the
 * instruction (`COPY . .` after a WORKDIR), any segment counts: an over-estimate this cannot tell apart.
 */
function ignoredByFix(finding: Finding, path: string, copy: string | undefined): boolean {
  const names = path.split('/').filter((n) => n !== '');
  const lines = finding
    .fix!.edits.filter((e) => e.context)
    .flatMap((e) => e.text.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
  const anywhere = lines.filter((l) => l.startsWith('**/')).map((l) => l.replace(/^(\*\*\/)+/, ''));
  const anchored = lines.filter((l) => !l.startsWith('**/'));
  const matches = (patterns: string[], name: string | undefined) =>
    name !== undefined && patterns.some((p) => !p.includes('/') && globToRegExp(p).test(name));
  if (names.some((name) => matches(anywhere, name))) return true;
  const dest = copy?.trim().split(/\s+/).pop() ?? '';
  if (!dest.startsWith('/')) return names.some((name) => matches(anchored, name));
  const prefix = dest.split('/').filter((n) => n !== '');
  if (!prefix.every((p, i) => names[i] === p)) return false;
  return matches(anchored, names[prefix.length]);
}

/**
 * DF016 joins a RUN onto the one before it: what the second RUN's layer hid of the first's (files it deleted or
 * rewrote) no longer ships twice. The merge edit starts at the first RUN's line; the finding is at the second's.
 */
function mergeEstimate(finding: Finding, image: AnalyzeResult, at: (line: number | undefined) => boolean): FixEstimate {
  const firstLine = finding.fix!.edits.reduce((least, e) => Math.min(least, e.range.line), Infinity);
  const layersAt = (test: (line: number | undefined) => boolean) =>
    new Set(image.layers.filter((l) => test(l.instruction?.line)).map((l) => l.index));
  const first = layersAt((l) => l === firstLine);
  const second = layersAt(at);
  const hidden = image.wastedFiles.filter((w) => first.has(w.layer) && second.has(w.byLayer));
  return {
    bytes: hidden.reduce((n, w) => n + w.sizeBytes, 0),
    basis: `${hidden.length} file(s) of the first RUN's layer deleted or rewritten by the second`,
  };
}

/**
 * DF019 appends `rm -f FILE...` for the downloads its RUN leaves: what that RUN's layer holds at those paths, in the
 * final image or hidden by a later layer, no longer ships. A word holding a variable (`/tmp/app-${V}.tar.gz`) matches
 * any value there; a relative one (`pkg.deb`, downloaded into the WORKDIR) any directory: only files of that layer.
 */
function removalEstimate(
  finding: Finding,
  image: AnalyzeResult,
  at: (line: number | undefined) => boolean,
): FixEstimate {
  const words = finding
    .fix!.edits.flatMap((e) => /\brm -f (.*)$/.exec(e.text.trim())?.[1].split(' ') ?? [])
    .map((w) => w.replace(/^"(.*)"$/, '$1'));
  const patterns = words.map((w) => {
    const glob = w.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '*');
    const source = glob
      .replace(/^\/+/, '')
      .replace(/[.+^${}()|[\]\\?]/g, '\\$&')
      .replace(/\*/g, '[^/]*');
    return new RegExp(w.startsWith('/') ? `^${source}$` : `(^|/)${source}$`);
  });
  const layers = new Set(image.layers.filter((l) => at(l.instruction?.line)).map((l) => l.index));
  const files = [...image.topFiles, ...image.wastedFiles].filter(
    (f) => layers.has(f.layer) && patterns.some((p) => p.test(f.path)),
  );
  return {
    bytes: files.reduce((n, f) => n + f.sizeBytes, 0),
    basis: `${files.length} downloaded file(s) this RUN's layer holds`,
  };
}

// Reporters by --format name, imported on demand so start-up loads only the one in use. Each is a pure function
// `(report, options) => string` over the shared Report shape (Dockerfile and image findings alike).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { climbsOut } from '../host-path.js';
import type { FormatName } from '../report/lint-formats.js';
import type { Check, Finding, Report, TargetResult } from '../report/types.js';
import { checkBytes } from './format.js';
import { truncate } from './width.js';
import { formatBytes, plural } from '../report/figures.js';
import { sizeMark } from '../report/check-figures.js';

export interface ReporterOptions {
  color: boolean;
  /** The directory ballast ran in, which relative paths in the report are relative to. */
  cwd: string;
  /**
   * The repository's root, when it is not `cwd`: a CI job run from a subdirectory (`working-directory: services/api`)
   * still has its annotations, SARIF and Code Quality paths read from the checkout's root. Default: `cwd`.
   */
  root?: string;
  /**
   * Whether the report ends with its totals (stylish: `✖ 3 problems ...`, `✔ no problems`). Default: true. Off when
   * the output is one part of several, as pre-commit's batches are (see `partOfBatches`).
   */
  summary?: boolean;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;

export const reporters: Record<string, () => Promise<Reporter>> = {
  stylish: async () => (await import('./stylish.js')).renderStylish,
  json: async () => (await import('./json.js')).renderJson,
  sarif: async () => (await import('./sarif.js')).renderSarif,
  github: async () => (await import('./github.js')).renderGithub,
  checkstyle: async () => (await import('./checkstyle.js')).renderCheckstyle,
  junit: async () => (await import('./junit.js')).renderJunit,
  codeclimate: async () => (await import('./codeclimate.js')).renderCodeclimate,
  sonarqube: async () => (await import('./sonarqube.js')).renderSonarqube,
  gnu: async () => (await import('./gnu.js')).renderGnu,
  codacy: async () => (await import('./codacy.js')).renderCodacy,
  tty: async () => (await import('./tty.js')).renderTty,
} satisfies Record<FormatName, () => Promise<Reporter>>;

export async function loadReporter(name: string): Promise<Reporter> {
  const load = reporters[name];
  if (!load) throw new Error(`unknown format ${name}`);
  return load();
}

/** An error's message with its hint, as the error line on stderr words it (`... (hint: ...)`), for a report's text. */
export function withHint(e: { message: string; hint?: string }): string {
  return e.hint ? `${e.message} (hint: ${e.hint})` : e.message;
}
/**
 * A path as the repository names it: relative to `root` (the checkout, by default `cwd`, the directory ballast runs in)
 * and `/`-separated when it is under `root`, whether it was given relative to `cwd` or absolute (`--stdin-filename
 * $PWD/Dockerfile`); undefined for a path elsewhere (an image archive in /tmp, `../Dockerfile` run from the root), which
 * no path in the repository names.
 */
export function repositoryPath(file: string, cwd: string, root: string = cwd): string | undefined {
  const inside = relative(root, resolve(cwd, file));
  if (climbsOut(inside)) return undefined;
  return inside.split(sep).join('/');
}

/**
 * A file as the formats read by a CI system name it (annotations, SARIF, Code Quality): its path from the repository's
 * root when it is under it, else its absolute path, since no path relative to the root names a file outside.
 */
export function rootedPath(file: string, cwd: string, root: string = cwd): string {
  return repositoryPath(file, cwd, root) ?? resolve(cwd, file);
}

/**
 * Whether an image is named by a transport rather than a path (`docker://ghcr.io/app`, `podman:app`,
 * `oci-archive:app.tar`): no file in the repository, and no path to normalise (`//` would be folded). A Windows drive
 * (`C:`) is one letter, so it is a path.
 */
export function isTransportReference(name: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(name);
}

/**
 * The image a finding is on when that names no file of the repository: an image named by a registry or daemon
 * reference (`ghcr.io/o/app:1` read from a registry, `docker://…`), for a finding on no Dockerfile line. Undefined for
 * a finding on a file (a Dockerfile line, an image archive or layout on disk), whose path reporters make relative to
 * the repository's root: a reference made relative to it would name a file that is not there
 * (`services/api/ghcr.io/o/app:1`).
 */
export function referencedImage(finding: Finding): string | undefined {
  const location = finding.location;
  if (location.kind !== 'image' || location.file !== undefined) return undefined;
  return location.reference || isTransportReference(location.image) ? location.image : undefined;
}

// Where each CI system checks the repository out: GitHub Actions, GitLab CI, Azure Pipelines. Each reads the paths of
// annotations, SARIF (upload-sarif) and Code Quality reports from that directory, wherever the job's step ran.
const CI_ROOTS = ['GITHUB_WORKSPACE', 'CI_PROJECT_DIR', 'BUILD_SOURCESDIRECTORY'] as const;

/**
 * Whether this run is one of several whose outputs are printed one after the other: pre-commit (which sets
 * PRE_COMMIT=1 for its hooks) splits the files among several `ballast lint` processes, a batch per core and more for
 * long lists, and shows their outputs together under its own Passed/Failed line.
 */
export function partOfBatches(env: NodeJS.ProcessEnv): boolean {
  return env.PRE_COMMIT === '1';
}

/**
 * The repository root that the machine formats (SARIF, Code Quality, annotations) write paths from: the CI system's
 * checkout when ballast runs inside it (a job step with a working directory below the root), else the git checkout
 * `cwd` is in (a CI system that names no root, or a run at a terminal in `services/api`: SARIF uploaded from there
 * named `file:///.../services/api/Dockerfile`, no file of the repository), else `cwd`.
 */
export function reportRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  for (const name of CI_ROOTS) {
    const root = env[name];
    if (!root || !isAbsolute(root)) continue;
    const below = relative(resolve(root), cwd);
    if (!climbsOut(below)) return resolve(root);
  }
  return gitCheckoutRoot(cwd) ?? cwd;
}

/**
 * The nearest directory at or above `dir` holding `.git` (a folder, or the file of a worktree or submodule), or
 * undefined. Read from the file system, not by running git: reports are written where git may not be installed.
 */
export function gitCheckoutRoot(dir: string): string | undefined {
  for (let at = resolve(dir); ;) {
    if (existsSync(join(at, '.git'))) return at;
    const up = dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

/** Where a finding points, as file/line/column whatever its kind (image findings may be attributed to a Dockerfile line). */
export function findingPosition(
  finding: Report['targets'][number]['findings'][number],
  target: string,
): { file: string; line?: number; column?: number; endLine?: number; endColumn?: number } {
  const location = finding.location;
  if (location.kind === 'dockerfile')
    return {
      file: location.file,
      line: location.line,
      column: location.column,
      endLine: location.endLine,
      endColumn: location.endColumn,
    };
  return {
    file: location.file ?? target,
    line: location.line,
    ...(location.endLine !== undefined ? { endLine: location.endLine } : {}),
  };
}

/**
 * The file a finding is filed under by the reports that place it on a file: its Dockerfile, else the image file as it
 * was named (the target adds the image's tag, `app.tar:app:1`, which names no file).
 */
export function findingFile(finding: Report['targets'][number]['findings'][number], target: string): string {
  return finding.location.kind === 'image' && !finding.location.file
    ? finding.location.image
    : findingPosition(finding, target).file;
}

/**
 * Where a check points: its first location with a Dockerfile line, else its anchor (the final FROM) with the first
 * located layer, else that layer alone.
 */
export function checkPlace(check: Check): { file?: string; line?: number; layerIndex?: number } {
  const located = check.locations.find((l) => l.file !== undefined && l.line !== undefined);
  if (located) return { file: located.file, line: located.line, layerIndex: located.layerIndex };
  const layerIndex = check.locations[0]?.layerIndex;
  return { ...check.anchor, ...(layerIndex !== undefined ? { layerIndex } : {}) };
}

/** A place a report names: a Dockerfile line, the layer it made, the bytes there, and (failOn's) the finding's rule. */
export interface Place {
  file?: string;
  line?: number;
  /** The last line of a span of instructions committed as one layer (`Dockerfile:4-7`). */
  endLine?: number;
  layerIndex?: number;
  bytes?: number;
  rule?: string;
}

/**
 * A place as every report writes it, so one place reads one way in the text, Markdown, HTML and machine formats: the
 * line, then what else is known in parentheses (`Dockerfile:13 (layer 2, 1.00 MB)`, failOn's `Dockerfile:19 (IM009,
 * layer 3, 106 B)`); with no line the layer leads (`layer 0 (11.5 MB)`). `layer` names a layer as the page around it
 * does (the HTML report's legend says `L2`).
 */
export function placeText(
  place: Place,
  format: (bytes: number) => string = formatBytes,
  layer: (index: number) => string = (index) => `layer ${index}`,
): string {
  const lines =
    place.line !== undefined && place.endLine !== undefined && place.endLine > place.line
      ? `${place.line}-${place.endLine}`
      : place.line;
  const line = place.file !== undefined && lines !== undefined ? `${place.file}:${lines}` : '';
  const layerName = place.layerIndex !== undefined ? layer(place.layerIndex) : '';
  const head = line || layerName;
  const details = [
    place.rule ?? '',
    line ? layerName : '',
    place.bytes !== undefined ? format(place.bytes) : '',
  ].filter(Boolean);
  if (!head) return details.join(', ');
  return details.length ? `${head} (${details.join(', ')})` : head;
}

/** The place of a finding: its Dockerfile line, and for an image finding the layer it is in (its bytes are apart). */
export function findingPlace(f: Finding): Place {
  const l = f.location;
  if (l.kind === 'dockerfile') return { file: l.file, line: l.line };
  return { file: l.file, line: l.line, endLine: l.endLine, layerIndex: l.layerIndex };
}

/** Where a finding is, as `placeText` writes places (`Dockerfile:11 (layer 1)`); empty for a finding on no place. */
export function findingWhere(f: Finding, layer?: (index: number) => string): string {
  return placeText(findingPlace(f), undefined, layer);
}

/**
 * "Dockerfile:12 (layer 3, 67.1 MB); layer 5 (1.00 MB)" for a check's locations, each as `placeText` writes it, then
 * how many it leaves out (`…and 1 more finding`, `unlisted`). `format`
 * writes a size with the check's mark (` (tar)`, `sizeMark`), placed where the size it qualifies is.
 */
export function checkWhere(
  check: Check,
  format: (bytes: number, mark: string) => string = (bytes) => checkBytes(check, bytes),
): string {
  const more = unlisted(check);
  return [
    ...check.locations.map((l) => placeText(l, (bytes) => format(bytes, sizeMark(check)))),
    more ? `…and ${unlistedText(check, more)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * How many of what a check counts its first `shown` places leave out. failOn's value counts its findings and its places
 * are the first five of them with a place, so the rest (a finding on no place among them) is its value less those shown;
 * a size budget's places are its biggest contributors, not a count, and only the places not shown are left out.
 */
export function unlisted(check: Check, shown = check.locations.length): number {
  // A skipped failOn (`failOn: none`) counts every finding and lists none: it left nothing out of a list.
  const counted =
    check.unit === 'count' && check.status === 'fail' && check.value !== null ? check.value : check.locations.length;
  return Math.max(0, counted - Math.min(shown, check.locations.length));
}

/** `1 more finding` (failOn, which counts findings) or `2 more places`. */
export function unlistedText(check: Check, more: number): string {
  return plural(more, check.unit === 'count' ? 'more finding' : 'more place');
}

/**
 * What to do about a failed check, in one line: its first place, biggest first, as the text report's first row under
 * "the lines to fix" reads (`fix first: Dockerfile:13 (layer 2, 1.00 MB): RUN ...`), and how many more there are.
 * Undefined for a check with no place (growth against a baseline): its message is all there is to say.
 */
export function checkAdvice(check: Check, name: (file: string) => string = (file) => file): string | undefined {
  const first = check.locations[0];
  if (!first) return undefined;
  // Without the rule: the text of a failOn place is the finding, which starts with it.
  const where = placeText(
    { ...first, rule: undefined, file: first.file === undefined ? undefined : name(first.file) },
    (bytes) => checkBytes(check, bytes),
  );
  // An instruction may run over lines (a heredoc, a long RUN): one line, cut, as the text report cuts it. A finding's
  // message (failOn's places) is kept whole: it is the fix.
  const text = first.text ? (first.rule ? first.text.replace(/\s+/g, ' ') : truncate(first.text, 120)) : '';
  // Counted as the check counts: failOn's "6 findings" advised one place "(and 4 more places)", its list cut at five.
  const more = unlisted(check, 1);
  return `fix first: ${[where, text].filter(Boolean).join(': ')}${more > 0 ? ` (and ${unlistedText(check, more)})` : ''}`;
}

// The rule name of a budget's finding: what it measures, in the kebab-case of lint rule names, since the finding-based
// formats print `code rule` (`budget/maxImageBytes image-size`) and the check id is the code already.
const BUDGET_RULES: Record<string, string> = {
  maxImageBytes: 'image-size',
  'maxImageBytes.compressed': 'compressed-image-size',
  maxLayerBytes: 'layer-size',
  minEfficiency: 'efficiency',
  lowestEfficiency: 'efficiency',
  maxWastedBytes: 'wasted-bytes',
  highestWastedBytes: 'wasted-bytes',
  maxWastedPercent: 'wasted-share',
  highestUserWastedPercent: 'wasted-share',
  maxJunkBytes: 'junk',
  maxGrowthBytes: 'growth',
  maxGrowthPercent: 'growth-share',
  failOn: 'findings',
};

/** The rule name of a budget's finding (`junk-python-bytecode` for `maxJunkBytes.pythonBytecode`); `budget` if unknown. */
export function budgetRule(id: string): string {
  const known = BUDGET_RULES[id];
  if (known) return known;
  const junk = /^maxJunkBytes\.(\w+)$/.exec(id);
  if (junk) return `junk-${junk[1].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return 'budget';
}

/**
 * The failing checks of a gate as findings (code `budget/ID`) in one extra target, so every finding-based format
 * (sarif, github, codeclimate, checkstyle) shows a failed budget at the Dockerfile line to fix. `name` writes the
 * advice's file as the format names files (github: from the repository's root, absolute outside it), so that a result
 * reads one path for one file.
 */
export function checkTargets(report: Report, name?: (file: string) => string): TargetResult[] {
  const failed = (report.checks ?? []).filter((c) => c.status === 'fail');
  if (failed.length === 0) return [];
  const byTarget = new Map<string, Finding[]>();
  for (const check of failed) {
    const at = checkPlace(check);
    const list = byTarget.get(check.target) ?? [];
    list.push({
      code: `budget/${check.id}`,
      rule: budgetRule(check.id),
      severity: 'error',
      // The formats with one message per result get what to do as well as value and limit, as the text report gives.
      message: [check.message, checkAdvice(check, name)].filter(Boolean).join('; '),
      messageId: 'budget',
      location: {
        kind: 'image',
        image: check.image ?? check.target,
        ...(check.reference ? { reference: true as const } : {}),
        ...(at.layerIndex !== undefined ? { layerIndex: at.layerIndex } : {}),
        ...(at.file !== undefined ? { file: at.file, line: at.line } : {}),
      },
    });
    byTarget.set(check.target, list);
  }
  return [...byTarget.entries()].map(([target, findings]) => ({ target, findings, stats: {} }));
}

/**
 * What an image finding is from one run to the next, for the fingerprints of the CI formats: its path in the image, or
 * for a group of files (whose path is its largest file, which changes as sizes do) its group and layer. Never its size
 * or its message (which holds the size), nor the Dockerfile line it is attributed to (which other findings share).
 * The layer is named by the instruction that made it (`layerKey`), not by its index, which a layer inserted above
 * shifts: one RUN line added at the top would otherwise read as every grouped finding below fixed and found again.
 * Two layers of one instruction share the name, and numberKeys numbers them in layer order. The index is the last
 * resort, for a finding with a layer and no `layerKey`.
 */
export function imageFindingIdentity(
  location: Extract<Finding['location'], { kind: 'image' }>,
  messageId: string,
): string {
  const { group, layerIndex, layerKey, path } = location;
  const layer = layerKey ?? layerIndex ?? '';
  if (group !== undefined) return `group:${group}@${layer}`;
  return path ?? `${messageId}@${layer}`;
}

/** Counts the findings that share a key: each call gives how many had it before (0 for the first). */
export function repeatCounter(): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    return repeat;
  };
}

/** A finding's fingerprint key, and for an image finding the layer that orders its repeats. */
export interface FingerprintKey {
  key: string;
  layerIndex?: number;
}

/**
 * Numbers the findings that share a key, for the formats whose consumers know a finding by a fingerprint and keep one
 * finding per fingerprint (code scanning, GitLab): given the keys of a report's findings in report order, gives each
 * key back for the first finding that has it and with `:1`, `:2`, ... appended for each repeat, so that the first keeps
 * the fingerprint it has alone when a repeat appears. Repeats are numbered in layer order, then report order: image
 * findings are reported largest first, so two of one rule on one path (a file copied again in a later layer) would
 * swap numbers, and fingerprints, whenever their sizes swap; their layers stay. A key with no layer (a Dockerfile
 * finding, a budget) keeps report order.
 */
export function numberKeys(keys: readonly (FingerprintKey | undefined)[]): (string | undefined)[] {
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => {
    if (k === undefined) return;
    const list = byKey.get(k.key) ?? [];
    list.push(i);
    byKey.set(k.key, list);
  });
  const out: (string | undefined)[] = keys.map((k) => k?.key);
  // A finding with no layer among ones with a layer goes after them: its place in report order is all there is of it.
  const layer = (i: number): number => keys[i]!.layerIndex ?? Number.POSITIVE_INFINITY;
  for (const [key, at] of byKey) {
    if (at.length < 2) continue;
    const ordered = [...at].sort((a, b) => layer(a) - layer(b) || a - b);
    ordered.forEach((i, repeat) => {
      if (repeat > 0) out[i] = `${key}:${repeat}`;
    });
  }
  return out;
}

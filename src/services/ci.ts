// `ballast ci`: the gate. Lints the Dockerfile (given, or found next to the config), analyzes the image with image rules
// and attribution, and checks the budgets of .ballast.yaml's `ci:` section (or dive's .dive-ci when there is no
// .ballast.yaml) against the result and an optional baseline. Returns every check with value, limit and PASS/FAIL/SKIP,
// the findings to fix first, and one Report (lint and image findings plus the checks) for the reporters.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadAllRuleMeta } from '../../rules/index.js';
import { exceedsGrowth } from '../analysis/growth.js';
import {
  budgetsFor,
  DIVE_FRACTION_HINT,
  mergeBudgets,
  FLAG_VALUE,
  junkClassMeant,
  parseBudget,
  parseCiSettings,
  parseDiveCi,
  percentAsFraction,
  setsNoBudget,
  type BudgetKey,
  type CiBudgets,
  type CiIgnore,
  type CiSettings,
  type DiveRules,
} from '../config/ci.js';
import { globToRegExp, isEmptyPathGlob } from '../config/glob.js';
import {
  BALLAST_CONFIG_NAMES,
  findUpward,
  loadLintSettings,
  namingConfigAs,
  readYaml,
  shownConfigPath,
  ballastCodesFor,
  type LintSettings,
} from '../config/load.js';
import { BugError, ConfigError, UsageError } from '../errors.js';
import { codeSpan } from '../report/code-span.js';
import {
  buildReport,
  findingFails,
  SEVERITY_RANK,
  type Check,
  type CheckLocation,
  type Finding,
  type Report,
  type RuleMeta,
  type Severity,
  type SeveritySetting,
  type TargetResult,
} from '../report/types.js';
import { isJunkClass, JUNK_CLASS_IDS, junkTotal } from '../analysis/junk.js';
import { isCompressedLayerType } from '../image/media-types.js';
import { splitDigest } from '../image/reference.js';
import type { ImageRef } from '../image/types.js';
import { openImage, type ResolveOptions } from '../sources/resolve.js';
import type { WalkProgress } from '../analysis/walk.js';
import { analyze, analyzeImage, isReferenceSource, yourWastedShare, type AnalyzeResult } from './analyze.js';
import {
  baselineLabel,
  baselineOf,
  compareToBaseline,
  isBaselineFile,
  readBaseline,
  summaryOf,
  writeBaseline,
  type Baseline,
  type BaselineComparison,
} from './baseline.js';
import type { HadolintLayer } from '../lint/hadolint-cli.js';
import { lint } from './lint.js';
import { asTyped, type SourceOf } from '../flag-sources.js';
import { climbsOut } from '../host-path.js';
import { checkExcess, checkFigures } from '../report/check-figures.js';
import { findingOrder, findingsAtOrAbove, severityOrder, sharedFirst } from '../report/finding-order.js';
import { formatBytes, percentText } from '../report/figures.js';
import { listed, listedAtMost } from '../report/lists.js';
import { imageArgument } from '../report/image-name.js';
import { spansLines } from '../report/dockerfile-lines.js';

export const DIVE_CI_NAME = '.dive-ci';

/** A budget set from a flag or env variable; `source` names it in errors (`--max-image-bytes`, `$BALLAST_MAX_IMAGE_BYTES`). */
export interface BudgetOverride {
  key: BudgetKey;
  value: unknown;
  source: string;
}

/** One of dive's rule flags as typed; `source` names it in errors (`--lowestEfficiency`). */
export interface DiveFlag {
  key: keyof DiveRules;
  value: string;
  source: string;
}

export interface CiOptions extends ResolveOptions {
  image: string;
  cwd: string;
  dockerfile?: string;
  /** .ballast.yaml, or dive's .dive-ci (told apart by name); default: .ballast.yaml upward from cwd, else ./.dive-ci. */
  config?: string;
  /** dive's `--ci-config`: a .dive-ci whatever its name, read alongside a .ballast.yaml when there is one. */
  diveConfig?: string;
  /** dive's rule flags (`--lowestEfficiency 0.9`), as dive takes them; they override the .dive-ci's values. */
  diveFlags?: DiveFlag[];
  /** An image, or a baseline file (.json) that --save-baseline wrote. */
  baseline?: string;
  saveBaseline?: string;
  overrides?: BudgetOverride[];
  ignore?: Partial<CiIgnore>;
  /** How errors name a flag's value: the flag (`--ignore-rule`, the default) or its variable (`$BALLAST_IGNORE_RULE`). */
  sourceOf?: SourceOf;
  base?: string;
  workers?: number;
  version?: string;
  /** hadolint's rule variables (hadolintRuleEnvLayer) for the lint step, below the config file as in `lint`. */
  hadolint?: HadolintLayer;
  /** Rows in the "fix first" list (default 5). */
  fixRows?: number;
  onProgress?: (progress: WalkProgress) => void;
}

export interface CiResult {
  verdict: 'pass' | 'fail';
  /** 0 every check passed, 1 a budget or rule failed (errors throw and exit 2). */
  exitCode: 0 | 1;
  image: AnalyzeResult['image'];
  /**
   * The config read; `images` the `ci.images` patterns that matched the image (their budgets apply over the top-level
   * ones), `patterns` every pattern the file has, `references` the names the image was tried against.
   */
  config: {
    kind: 'ballast' | 'dive-ci' | 'hadolint' | 'defaults';
    file: string | null;
    images: string[];
    patterns: string[];
    references: string[];
  };
  dockerfile: string | null;
  checks: Check[];
  counts: { pass: number; fail: number; skip: number };
  /** The findings with the most reclaimable bytes (then the most severe), with their Dockerfile lines. */
  fixFirst: Finding[];
  summary: AnalyzeResult['summary'];
  /**
   * dive's numbers. With dive's rules (a .dive-ci or dive's flags), also the paths dive finds inefficient, largest
   * first (as `analyze --json` lists them, each `sizeBytes` every copy, the kept one too) and how many there are, as
   * dive's CI log lists them under "Inefficient Files".
   */
  dive: Omit<AnalyzeResult['dive'], 'fileReferences' | 'fileReferenceCount' | 'layerInefficientBytes'> &
    Partial<Pick<AnalyzeResult['dive'], 'fileReferences' | 'fileReferenceCount'>>;
  baseline: BaselineComparison | null;
  /** Things the user should know about how the gate ran (which config, what was skipped). */
  notes: string[];
  report: Report;
}

interface ConfigChoice {
  kind: CiResult['config']['kind'];
  file: string | null;
  lint: LintSettings;
  /** The `ci:` section; null when dive's rules (`dive`) are the budgets: a .dive-ci or dive's flags, no .ballast.yaml. */
  ci: CiSettings | null;
  dive: DiveRules | null;
  /** Where dive's rules came from: the .dive-ci read (if any) and the rule flags given. */
  diveFile: string | null;
  diveFlags: string[];
  /** The rules the .dive-ci gives a value (the others take dive's defaults). */
  diveFileSets: (keyof DiveRules)[];
}

const TRANSPORT = /^(?:docker-archive|oci-archive|oci|docker-daemon|podman):|^docker:\/\//;

/**
 * The names `ci.images` patterns are tried against, so that one image gets one verdict however it is written: the
 * argument as typed, without a transport prefix, the path or reference it resolved to, and the image's own name
 * (an archive's `localhost/app:1.2` tag, also without the tag; a registry or layout tag after the name).
 */
export function imageNames(argument: string, ref: ImageRef): string[] {
  const names = [argument.trim(), argument.trim().replace(TRANSPORT, ''), ref.name.replace(TRANSPORT, '')];
  const tag = ref.tag;
  if (ref.source === 'registry') {
    // The repository without the digest a pinned reference holds, and with its tag: what `host/app` and
    // `host/app:1.2` patterns name however the image was pinned.
    const repository = splitDigest(ref.name).name;
    names.push(repository, ...(tag ? [`${repository}:${tag}`] : []));
  } else if (tag?.startsWith('@')) names.push(`${ref.name}${tag}`);
  else if (tag && /[/:]/.test(tag)) {
    // A full reference (docker save's RepoTags, every one of them): the name itself, and the repository without its
    // tag.
    for (const name of [tag, ...(ref.aliases ?? [])]) names.push(name, name.replace(/:[^/:]*$/, ''));
  } else if (tag) names.push(`${ref.name.replace(TRANSPORT, '')}:${tag}`);
  return [...new Set(names)];
}

const DIVE_RULE_KEYS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;

/** The rules and which of them the file gives a value (a missing or null one takes dive's default). */
async function readDiveCi(
  file: string,
  flag: string | undefined,
): Promise<{ rules: DiveRules; sets: (keyof DiveRules)[] }> {
  const raw = await readYaml(file, flag);
  const rules = parseDiveCi(raw, file);
  const section = (raw as { rules?: Record<string, unknown> } | null)?.rules;
  return { rules, sets: DIVE_RULE_KEYS.filter((k) => section?.[k] !== undefined && section[k] !== null) };
}

/**
 * dive's rule flags, parsed as a .dive-ci's values are (so `disabled`, `off`, `20MB`, `20MiB` mean what they mean
 * there), into the rules they set. A bad value is the command line's fault: a usage error naming the flag.
 */
function diveFlagRules(flags: DiveFlag[]): Partial<DiveRules> {
  const out: Partial<DiveRules> = {};
  for (const flag of flags) {
    try {
      out[flag.key] = parseDiveCi({ rules: { [flag.key]: flag.value } }, flag.source)[flag.key];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const bytes = flag.key === 'highestWastedBytes';
      // A size dive takes but ballast cannot count exactly (`1EB`) is a size all the same: say what is wrong with it.
      const tooBig = bytes && /out of range/.test(error.message);
      const problem = tooBig ? 'out of range (at most 9PB)' : bytes ? 'not a size' : 'not a number between 0 and 1';
      // `--lowestEfficiency=95%` gets the value to write, as the same slip in a .dive-ci does.
      const fraction = bytes ? undefined : percentAsFraction(flag.value);
      throw new UsageError(`${flag.source} ${JSON.stringify(flag.value)}: ${problem}`, {
        code: 'usage',
        hint: bytes
          ? `give a size such as 20MB, 20MiB or a number of bytes, or disabled`
          : fraction
            ? `write ${fraction}: ${DIVE_FRACTION_HINT}`
            : `give a fraction such as 0.9, or disabled`,
        cause: error,
      });
    }
  }
  return out;
}

async function chooseConfig(options: CiOptions, metas: RuleMeta[]): Promise<ConfigChoice> {
  const namedDive = options.config !== undefined && /dive-ci/.test(basename(options.config));
  if (namedDive && options.diveConfig !== undefined)
    throw new UsageError(`--config ${options.config} and --ci-config ${options.diveConfig}: two .dive-ci files`, {
      code: 'usage',
      hint: 'give the .dive-ci once, with --ci-config',
    });
  // Flag values fail before any file is read, as the other flags do.
  const flagged = diveFlagRules(options.diveFlags ?? []);
  const flagSources = (options.diveFlags ?? []).map((f) => f.source);
  const diveFile =
    options.diveConfig !== undefined
      ? resolve(options.cwd, options.diveConfig)
      : options.config
        ? namedDive
          ? resolve(options.cwd, options.config)
          : undefined
        : findUpward(options.cwd, BALLAST_CONFIG_NAMES)
          ? undefined
          : existsSync(join(options.cwd, DIVE_CI_NAME))
            ? join(options.cwd, DIVE_CI_NAME)
            : undefined;
  const diveGiven = options.diveConfig ?? (namedDive ? options.config : undefined);
  const fileRules = diveFile
    ? await namingConfigAs(diveFile, shownConfigPath(diveFile, options.cwd, diveGiven), () =>
        readDiveCi(
          diveFile,
          // A ./.dive-ci found by its name was named by no flag.
          options.diveConfig !== undefined ? '--ci-config' : options.config ? '--config' : undefined,
        ),
      )
    : undefined;
  // As in dive, a flag overrides the file's value for its rule (and a rule neither sets takes dive's default). dive
  // itself lets a .dive-ci replace its flags; here the command line wins, being the more specific, so a job can
  // tighten one rule of a shared .dive-ci.
  const dive =
    fileRules || flagSources.length ? { ...(fileRules?.rules ?? parseDiveCi(null, DIVE_CI_NAME)), ...flagged } : null;
  const diveFrom = { diveFile: diveFile ?? null, diveFlags: flagSources, diveFileSets: fileRules?.sets ?? [] };
  if (diveFile && options.diveConfig === undefined) {
    // The .dive-ci is the config. Lint settings still come from .hadolint.yaml or the defaults; the budgets are dive's
    // rules only.
    const lintSettings = await loadLintSettings({ cwd: options.cwd, rules: metas });
    return { kind: 'dive-ci', file: diveFile, lint: lintSettings, ci: null, dive, ...diveFrom };
  }
  const lintSettings = await loadLintSettings({ cwd: options.cwd, configPath: options.config, rules: metas });
  const file = lintSettings.source ?? null;
  // dive's rules with a .ballast.yaml are checked alongside its budgets, not refused: a team moving over keeps its dive
  // step's command line (its thresholds, on dive's numbers) while it adopts the budgets, instead of switching all at
  // once. Neither set replaces the other: dive's wasted bytes count every copy, maxWastedBytes the reclaimable ones.
  if (lintSettings.kind !== 'ballast' && dive)
    return {
      kind: diveFile ? 'dive-ci' : lintSettings.kind,
      file: diveFile ?? file,
      lint: lintSettings,
      ci: null,
      dive,
      ...diveFrom,
    };
  const ci = parseCiSettings(lintSettings.raw?.ci, file ?? '.ballast.yaml');
  return { kind: lintSettings.kind, file, lint: lintSettings, ci, dive, ...diveFrom };
}

/** The budgets, ignore lists and matched `images:` patterns for an image known by `names`. */
function settingsFor(
  config: ConfigChoice,
  names: string[],
): { budgets: CiBudgets; ignore: CiIgnore; images: string[] } {
  if (!config.ci) return { budgets: { failOn: 'none' }, ignore: { rules: [], paths: [], junk: [] }, images: [] };
  const chosen = budgetsFor(config.ci, names);
  return { budgets: chosen.budgets, ignore: chosen.ignore, images: chosen.matched };
}

function applyOverrides(budgets: CiBudgets, overrides: BudgetOverride[]): CiBudgets {
  let out: CiBudgets = { ...budgets };
  for (const o of overrides) {
    const parsed: CiBudgets = {};
    parseBudget(parsed, o.key, o.value, o.source, FLAG_VALUE);
    // Object-valued budgets merge, so `--max-image-bytes compressed=...` keeps the configured uncompressed limit.
    out = mergeBudgets(out, parsed);
  }
  return out;
}

/** --ignore-junk ids must exist (config ones are checked with the config): a typo would silently count the class. */
function checkJunkIds(ids: string[], source: string): void {
  for (const id of ids) {
    if (!isJunkClass(id)) {
      // The hint the config gives for the same typo: the class probably meant, else all of them.
      const guess = junkClassMeant(id);
      throw new UsageError(`${source} ${id}: not a junk class`, {
        code: 'usage',
        hint: guess ? `did you mean ${guess}?` : `junk classes are ${JUNK_CLASS_IDS}`,
      });
    }
  }
}

/**
 * The Dockerfile the image was built from must be a file: the lint step took a directory as `lint` does, linting every
 * Dockerfile below it (and stopping the gate on an unrelated broken one), before the attribution failed on it with
 * EISDIR; `-` was told lint's hint, "a directory, or - for stdin", which ci takes neither of.
 */
function checkDockerfile(given: string, cwd: string, source: string): void {
  const hint = 'give the path of the Dockerfile the image was built from';
  if (given === '-')
    throw new UsageError(`${source} -: ci reads the Dockerfile from its file, not from stdin`, {
      code: 'usage',
      hint: `${hint} (./- for a file named -)`,
    });
  const path = resolve(cwd, given);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) {
    const inside = join(given, 'Dockerfile');
    throw new UsageError(`${source} ${given} is a directory, not a Dockerfile`, {
      code: 'usage',
      hint: isFile(join(path, 'Dockerfile'))
        ? `did you mean ${source}${source.startsWith('$') ? '=' : ' '}${inside}?`
        : hint,
    });
  }
  // A missing one is left to the run, which says first that the image is missing when neither is there (a job whose
  // build step failed), then names the Dockerfile.
}

/**
 * --ignore-path globs must name a path (config ones are checked with the config): an empty one ignores nothing, and
 * so does one in quotes that nothing took off (quoted twice in a shell, or in a CI system's argument list that keeps
 * them: `--ignore-path '/app/**'` passed `'/app/**'`), since no image path starts with a quote.
 */
function checkIgnorePaths(globs: string[], source: string): void {
  for (const glob of globs) {
    if (isEmptyPathGlob(glob))
      throw new UsageError(`${source} ${JSON.stringify(glob)}: an empty path`, {
        code: 'usage',
        hint: 'give an image path glob such as "/app/static/**"',
      });
    if (/^(['"]).+\1$/.test(glob))
      throw new UsageError(`${source} ${JSON.stringify(glob)}: the glob is in quotes, which are part of it`, {
        code: 'usage',
        hint: `no image path starts with a quote: give it without them, ${glob.slice(1, -1)}`,
      });
  }
}

/** `--ignore-path` / `ignore.paths` globs; `DIR/**` also covers DIR itself (a finding located at the directory). */
function ignoredPaths(globs: string[]): RegExp[] {
  return globs.flatMap((glob) => {
    const p = glob.replace(/^\/+/, '');
    const dir = /^(.+?)\/+\*\*$/.exec(p);
    return dir ? [globToRegExp(p), globToRegExp(dir[1])] : [globToRegExp(p)];
  });
}

function layerLocation(result: AnalyzeResult, index: number, bytes?: number): CheckLocation {
  const layer = result.layers[index];
  const instruction = layer?.instruction;
  return {
    ...(instruction
      ? {
          file: instruction.file,
          line: instruction.line,
          ...(spansLines(instruction) ? { endLine: instruction.endLine } : {}),
          text: instruction.text,
        }
      : { text: layer?.historyInstruction ?? undefined }),
    layerIndex: index,
    ...(bytes !== undefined ? { bytes } : {}),
  };
}

/**
 * Your layers: those above the base, as the summary's user figures count them. Without a Dockerfile or --base the
 * first layer is the base, as in dive's user-wasted percent, so a one-layer image has none: maxLayerBytes and
 * maxWastedPercent then both SKIP, rather than one counting the layer as yours and the other not.
 */
function userLayers(result: AnalyzeResult): AnalyzeResult['layers'] {
  return result.layers.filter((l) => !l.base);
}

/** Which layers are yours, in words, for the checks that count only those. */
function yourLayersAre(result: AnalyzeResult): string {
  const base = result.summary.base;
  if (base.source === 'dockerfile') return "the layers of the Dockerfile's instructions after its FROM";
  if (base.source === 'base-image') return "the layers above --base's";
  return 'the layers above the first, which is taken as the base as dive does (give --dockerfile or --base to tell)';
}

function topLayers(
  result: AnalyzeResult,
  layers: AnalyzeResult['layers'],
  measure: (l: AnalyzeResult['layers'][number]) => number,
  n = 3,
): CheckLocation[] {
  return [...layers]
    .filter((l) => measure(l) > 0)
    .sort((a, b) => measure(b) - measure(a))
    .slice(0, n)
    .map((l) => layerLocation(result, l.index, measure(l)));
}

/**
 * The layers holding the most of dive's wasted bytes: where dive's score and rules move. ballast's waste by layer
 * is another set: a file deleted with its directory (`rm -rf /opt/toolchain`) is waste to ballast but not to dive,
 * whose score even drops when it goes, and dive counts the kept copy of a path rewritten by a later layer.
 */
function topDiveLayers(result: AnalyzeResult, layers: AnalyzeResult['layers']): CheckLocation[] {
  return topLayers(result, layers, (l) => result.dive.layerInefficientBytes[l.index] ?? 0);
}

function findingLocation(f: Finding): CheckLocation | undefined {
  if (f.location.kind === 'dockerfile')
    return { file: f.location.file, line: f.location.line, ...(f.bytes !== undefined ? { bytes: f.bytes } : {}) };
  if (f.location.file === undefined && f.location.layerIndex === undefined) return undefined;
  return {
    ...(f.location.file !== undefined ? { file: f.location.file, line: f.location.line } : {}),
    ...(f.location.endLine !== undefined ? { endLine: f.location.endLine } : {}),
    ...(f.location.layerIndex !== undefined ? { layerIndex: f.location.layerIndex } : {}),
    ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
  };
}

interface Measure {
  id: string;
  title: string;
  unit: Check['unit'];
  measure?: Check['measure'];
  /** 'max': fails above the limit; 'min': fails below it. */
  kind: 'max' | 'min';
  limit: number | undefined | null;
  value: number | null;
  locations: CheckLocation[];
  /** Why there is no value (SKIP), when value is null. */
  unmeasured?: string;
  /** A value of null that passes anyway (dive's NaN user-wasted percent). */
  nullPasses?: string;
  /** What makes up the value, said after a failure's figures (junk: its largest classes or files). */
  detail?: string;
}

/**
 * A measure against a limit of 0, which the user set to allow none: "wasted bytes 1.41 MB is 1.41 MB over the 0 B
 * limit" said the size twice and "0 B is within the 0 B limit" read as if some were allowed.
 */
function noneAllowed(measured: string, failed: boolean, limit: string, none: string): string {
  return failed
    ? `${measured} is over the ${limit} limit, which allows ${none}`
    : `${measured}: ${none}, as the ${limit} limit requires`;
}

function toCheck(m: Measure): Check {
  const figures = checkFigures(m, m.value, m.limit ?? null);
  // The target is filled in by the caller, which knows the image's display name.
  const base = {
    id: m.id,
    title: m.title,
    unit: m.unit,
    ...(m.measure ? { measure: m.measure } : {}),
    limit: m.limit ?? null,
    value: m.value,
    target: '',
  };
  if (m.limit === undefined || m.limit === null)
    return { ...base, status: 'skip', message: `${m.title}: no limit set`, locations: [] };
  if (m.value === null) {
    if (m.nullPasses) return { ...base, status: 'pass', message: `${m.title}: ${m.nullPasses}`, locations: [] };
    return { ...base, status: 'skip', message: `${m.title}: ${m.unmeasured ?? 'not measured'}`, locations: [] };
  }
  const failed = m.kind === 'max' ? m.value > m.limit : m.value < m.limit;
  const excess = failed ? ` ${checkExcess(m, m.value, m.limit)}` : '';
  const word = m.kind === 'max' ? (failed ? `is${excess} over` : 'is within') : failed ? `is${excess} below` : 'meets';
  const suffix = m.kind === 'max' ? 'limit' : 'minimum';
  const said =
    m.kind === 'max' && m.limit === 0
      ? noneAllowed(`${m.title} ${figures.value}`, failed, figures.limit, 'none')
      : `${m.title} ${figures.value} ${word} the ${figures.limit} ${suffix}`;
  return {
    ...base,
    status: failed ? 'fail' : 'pass',
    message: `${said} (${m.id})${failed && m.detail ? `; ${m.detail}` : ''}`,
    locations: failed ? m.locations : [],
    ...(failed && m.detail ? { detail: m.detail } : {}),
  };
}

function growthMeasure(
  id: string,
  title: string,
  unit: 'bytes' | 'ratio',
  limit: number | undefined,
  comparison: BaselineComparison | null,
): Measure {
  const growth = comparison?.notCompared ? undefined : comparison?.uncompressed;
  const value = growth === undefined ? null : unit === 'bytes' ? growth.bytes : growth.ratio;
  return {
    id,
    title,
    unit,
    // The growth of the sum of the layers' tar sizes (the summary's uncompressedBytes), the bytes and the share alike.
    measure: 'tar',
    kind: 'max',
    limit,
    value,
    locations: [],
    unmeasured: !comparison
      ? 'no --baseline given'
      : comparison.notCompared
        ? `not compared: ${comparison.notCompared} (${SAME_PLATFORM_HINT})`
        : 'the baseline is empty (0 bytes), so there is no ratio',
  };
}

const SAME_PLATFORM_HINT = "save the baseline from the same platform's build, or pick it with --platform";

/** The gate's failOn: findings at or above it fail the gate (default error). */
function gateFailOn(budgets: CiBudgets): Severity | 'none' {
  return budgets.failOn ?? 'error';
}

/** The checks of the budgets (ballast's keys) over one analysis. Exported for tests and the diff-service move. */

export function budgetChecks(
  result: AnalyzeResult,
  budgets: CiBudgets,
  findings: Finding[],
  ignore: CiIgnore,
  comparison: BaselineComparison | null,
): Check[] {
  const measures: Measure[] = [];
  const s = result.summary;
  const own = userLayers(result);
  const noneOfYours = `no layers of yours: yours are ${yourLayersAre(result)}`;
  const byWaste = (layers: AnalyzeResult['layers']) => topLayers(result, layers, (l) => l.wastedBytes);
  measures.push({
    id: 'maxImageBytes',
    title: 'uncompressed image size',
    unit: 'bytes',
    // The sum of the layers' tar sizes, and its places are layers by theirs.
    measure: 'tar',
    kind: 'max',
    limit: budgets.maxImageBytes?.uncompressed,
    value: s.uncompressedBytes,
    // The layers to point at: yours, or all of them when none are (the image is all base).
    locations: topLayers(result, own.length ? own : result.layers, (l) => l.uncompressedBytes),
  });
  if (budgets.maxImageBytes?.compressed !== undefined) {
    // `docker save` (and some OCI layouts) store plain tar layers: their stored size is the uncompressed size, and
    // judging a compressed budget on it would fail an image whose pushed size is well within the limit.
    const plain = result.layers.filter((l) => !isCompressedLayerType(l.mediaType));
    measures.push({
      id: 'maxImageBytes.compressed',
      title: 'compressed image size',
      unit: 'bytes',
      kind: 'max',
      limit: budgets.maxImageBytes.compressed,
      value: plain.length ? null : s.compressedBytes,
      unmeasured: `not measured: ${plain.length} of ${result.layers.length} layers are stored uncompressed (as docker save writes them); give the image as pushed (docker://REF, or an OCI layout with compressed layers) to measure it`,
      locations: topLayers(result, own.length ? own : result.layers, (l) => l.compressedBytes),
    });
  }
  const biggest = own.reduce<AnalyzeResult['layers'][number] | undefined>(
    (b, l) => (!b || l.uncompressedBytes > b.uncompressedBytes ? l : b),
    undefined,
  );
  const layerLimit = budgets.maxLayerBytes;
  measures.push({
    id: 'maxLayerBytes',
    title: 'biggest layer of yours',
    unit: 'bytes',
    measure: 'tar',
    kind: 'max',
    limit: layerLimit,
    value: biggest?.uncompressedBytes ?? null,
    unmeasured: noneOfYours,
    locations: topLayers(
      result,
      own.filter((l) => layerLimit === undefined || l.uncompressedBytes > layerLimit),
      (l) => l.uncompressedBytes,
      5,
    ),
  });
  measures.push({
    id: 'minEfficiency',
    title: 'efficiency (dive score)',
    unit: 'ratio',
    kind: 'min',
    limit: budgets.minEfficiency,
    value: s.efficiency,
    // dive's score: the layers of dive's wasted bytes, not ballast's (fixing those could lower it).
    locations: topDiveLayers(result, result.layers),
  });
  measures.push({
    id: 'maxWastedBytes',
    title: 'wasted bytes',
    unit: 'bytes',
    kind: 'max',
    limit: budgets.maxWastedBytes,
    value: s.wastedBytes,
    locations: byWaste(result.layers),
  });
  measures.push({
    id: 'maxWastedPercent',
    title: 'wasted share of your layers',
    unit: 'ratio',
    kind: 'max',
    limit: budgets.maxWastedPercent,
    value: yourWastedShare(s.user),
    unmeasured: own.length ? `your layers (${yourLayersAre(result)}) hold no file bytes` : noneOfYours,
    locations: byWaste(own),
  });

  const junkLimit = budgets.maxJunkBytes;
  const junk = result.junk.filter((j) => !ignore.junk.includes(j.id));
  const junkLocations = (classes: typeof junk): CheckLocation[] => {
    // The layers that brought in the most junk, each once with its junk bytes (all of them, not only the largest
    // files'), biggest first: a failed row then says how much each layer holds, as the other size budgets' rows do.
    // The layer that brought a file in, not a later chown -R that copied it again: there, as IM009 and IM006 say,
    // is the fix (a .dockerignore for `COPY . /app`).
    const byLayer = new Map<number, number>();
    for (const j of classes)
      for (const [layer, bytes] of Object.entries(j.byOrigin))
        byLayer.set(Number(layer), (byLayer.get(Number(layer)) ?? 0) + bytes);
    return [...byLayer.entries()]
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([layer, bytes]) => layerLocation(result, layer, bytes));
  };
  const junkBytes = junkTotal(junk);
  // Which junk it is: the total names its largest classes, a class its largest files (what to delete first).
  const largestClasses = junk
    .filter((j) => j.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((j) => `${j.title} ${formatBytes(j.bytes)}`);
  measures.push({
    id: 'maxJunkBytes',
    title: 'junk in the final filesystem',
    unit: 'bytes',
    kind: 'max',
    limit: junkLimit?.total,
    value: junkBytes,
    locations: junkLocations(junk.filter((j) => j.bytes > 0)),
    detail: largestClasses.length ? `largest: ${largestClasses.join(', ')}` : undefined,
  });
  for (const [id, limit] of Object.entries(junkLimit?.classes ?? {})) {
    const cls = result.junk.find((j) => j.id === id);
    // The config parser rejects a class that does not exist (config/ci.ts), and the result lists every class.
    if (!cls) throw new BugError(`maxJunkBytes.${id}: no such junk class in the result`, {});
    if (ignore.junk.includes(id)) continue;
    const largestFiles = [...cls.top]
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
      .slice(0, 3)
      .map((t) => `/${t.path} ${formatBytes(t.sizeBytes)}`);
    measures.push({
      id: `maxJunkBytes.${id}`,
      title: `junk: ${cls.title}`,
      unit: 'bytes',
      kind: 'max',
      limit,
      value: cls.bytes,
      locations: junkLocations([cls]),
      detail: largestFiles.length ? `largest: ${largestFiles.join(', ')}` : undefined,
    });
  }

  measures.push(
    growthMeasure('maxGrowthBytes', 'growth against the baseline', 'bytes', budgets.maxGrowthBytes, comparison),
  );
  measures.push(
    growthMeasure('maxGrowthPercent', 'growth against the baseline', 'ratio', budgets.maxGrowthPercent, comparison),
  );

  const checks = measures.map(toCheck);
  // Growth uses the shared rule (exceedsGrowth, as `diff --fail-on-growth`): the status above must agree with it.
  for (const check of checks) {
    if (check.status === 'skip' || !comparison || !check.id.startsWith('maxGrowth')) continue;
    const limit =
      check.id === 'maxGrowthBytes'
        ? { kind: 'bytes' as const, bytes: check.limit!, text: '' }
        : { kind: 'ratio' as const, ratio: check.limit!, text: '' };
    check.status = exceedsGrowth(comparison.uncompressed, limit) ? 'fail' : 'pass';
    const g = comparison.uncompressed;
    // The measured figure and its limit get checkFigures' digits, so a boundary failure reads as one. Unmarked: the
    // one "(tar)" below says it of the bytes, and so of the share they are.
    const figures = checkFigures({ id: check.id, unit: check.unit }, check.value, check.limit);
    const plus = (n: number) => (n >= 0 ? '+' : '');
    const bytes = check.id === 'maxGrowthBytes' ? figures.value : formatBytes(g.bytes);
    const ratio =
      g.ratio === null ? null : check.id === 'maxGrowthPercent' ? figures.value : percentText(g.ratio * 100);
    const measured = `uncompressed size ${plus(g.bytes)}${bytes} (tar${ratio === null ? '' : `, ${plus(g.ratio!)}${ratio}`}) against the baseline ${baselineLabel(comparison.baseline)}`;
    const failed = check.status === 'fail';
    check.message = `${
      check.limit === 0
        ? noneAllowed(measured, failed, figures.limit, 'no growth')
        : `${measured} ${failed ? `is ${checkExcess(check, check.value!, check.limit!)} over` : 'is within'} the ${figures.limit} limit`
    } (${check.id})`;
  }

  const failOn = gateFailOn(budgets);
  const over = findings.filter((f) => findingFails(f, failOn));
  if (failOn === 'none')
    checks.push({
      id: 'failOn',
      title: 'findings',
      target: '',
      status: 'skip',
      value: findings.length,
      limit: null,
      unit: 'count',
      message: 'findings: failOn is none',
      locations: [],
    });
  else {
    // Each place names its finding: the ones that fail the gate are often small (a .env file, a lint error) and so
    // absent from the biggest findings listed first, and a line with a size does not say what to fix there.
    const locations = failOnPlaces(over, 5);
    checks.push({
      id: 'failOn',
      target: '',
      title: `findings at or above ${failOn}`,
      status: over.length ? 'fail' : 'pass',
      value: over.length,
      limit: 0,
      unit: 'count',
      message: over.length
        ? `${findingsAtOrAbove(over.length, failOn)} (failOn)`
        : `no findings at or above ${failOn} (failOn)`,
      locations,
    });
  }
  return checks;
}

/**
 * The first `limit` places of the findings that fail the gate, in the reports' order: errors first, so that with
 * failOn: warning a small secret is not to fall into "…and 10 more" behind five big size warnings. Within a severity
 * the image's findings and the Dockerfile's take turns (sharedFirst, as the GitHub annotations share theirs): sorted
 * by bytes, the image's warnings came first and the lint warnings, which have none, went under the cut, so a gate
 * that failed on a Dockerfile warning listed five image warnings and no line of the Dockerfile.
 */
function failOnPlaces(over: Finding[], limit: number): CheckLocation[] {
  const placed = [...over]
    .sort((a, b) => findingOrder(a, b) || findingLine(a) - findingLine(b))
    .flatMap((f): { f: Finding; place: CheckLocation }[] => {
      const l = findingLocation(f);
      return l ? [{ f, place: { ...l, rule: f.code, text: `${f.code} ${f.message}` } }] : [];
    });
  const shown = new Set<(typeof placed)[number]>();
  for (const rank of new Set(placed.map(({ f }) => severityOrder(f.severity)))) {
    const left = limit - shown.size;
    if (left <= 0) break;
    const of = placed.filter(({ f }) => severityOrder(f.severity) === rank);
    const image = of.filter(({ f }) => f.location.kind === 'image');
    const dockerfile = of.filter(({ f }) => f.location.kind !== 'image');
    for (const p of sharedFirst([image, dockerfile], left).slice(0, left)) shown.add(p);
  }
  return placed.filter((p) => shown.has(p)).map(({ place }) => place);
}

/** dive's three rules with dive's own numbers, compared as dive does (strictly), so the verdict is dive's. */
export function diveChecks(result: AnalyzeResult, rules: DiveRules): Check[] {
  const d = result.dive;
  return [
    toCheck({
      id: 'lowestEfficiency',
      title: 'efficiency',
      unit: 'ratio',
      kind: 'min',
      limit: rules.lowestEfficiency,
      value: d.efficiencyScore,
      locations: topDiveLayers(result, result.layers),
    }),
    toCheck({
      id: 'highestWastedBytes',
      title: 'wasted bytes (every copy of a duplicated path, as dive counts them)',
      unit: 'bytes',
      kind: 'max',
      limit: rules.highestWastedBytes,
      value: d.inefficientBytes,
      locations: topDiveLayers(result, result.layers),
    }),
    toCheck({
      id: 'highestUserWastedPercent',
      title: 'wasted bytes over the bytes above the first layer',
      unit: 'ratio',
      kind: 'max',
      limit: rules.highestUserWastedPercent,
      value: d.userWastedPercent,
      nullPasses: 'undefined for a one-layer image (0/0); dive passes it',
      locations: topDiveLayers(result, result.layers.slice(1)),
    }),
  ];
}

/**
 * Where a check's limit came from, in words: dive's rules from their flag, the .dive-ci or dive's default; budgets from
 * their flag (or variable), the last matching `ci.images` block that sets them, the `ci:` section, or the default.
 */
function originOf(
  id: string,
  config: ConfigChoice,
  matched: string[],
  options: CiOptions,
  display: (path: string) => string,
): string {
  const dive = DIVE_RULE_KEYS.find((k) => k === id);
  if (dive) {
    const flag = options.diveFlags?.findLast((f) => f.key === dive);
    if (flag) return `dive's ${flag.source} flag`;
    if (config.diveFile && config.diveFileSets.includes(dive)) return `dive's ${display(config.diveFile)}`;
    return `dive's default for ${dive}${config.diveFile ? ` (${display(config.diveFile)} does not set it)` : ''}`;
  }
  const key = id.split('.')[0] as BudgetKey;
  const flag = options.overrides?.findLast((o) => o.key === key);
  if (flag) return flag.source;
  const file = config.ci && config.file ? display(config.file) : undefined;
  if (file) {
    const block = config.ci!.images.findLast((e) => matched.includes(e.pattern) && key in e.budgets);
    if (block) return `ci.images.${block.pattern} of ${file}`;
    if (key in config.ci!.budgets) return `the ci: section of ${file}`;
  }
  // With dive's rules and no .ballast.yaml, findings fail nothing (settingsFor): "failOn: error" named a limit that
  // was not applied, beside a check that said "failOn is none".
  if (key === 'failOn' && !config.ci) return "dive's rules without a .ballast.yaml (failOn: none; --fail-on sets one)";
  return key === 'failOn' ? "ballast ci's default (failOn: error)" : "ballast ci's default";
}

const findingLine = (f: Finding) =>
  f.location.kind === 'dockerfile' ? f.location.line : (f.location.line ?? Number.MAX_SAFE_INTEGER);

/** Most reclaimable bytes first, then most severe, then by line: "Fix first" is about the bytes. */
function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (b.bytes ?? 0) - (a.bytes ?? 0) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      findingLine(a) - findingLine(b),
  );
}

function ignoredSeverities(keys: string[], metas: RuleMeta[], source: string): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const key of keys) {
    // A ShellCheck code (SC2086) is ignored as `rules:` and `lint --ignore` take it: the lint step reports them.
    const codes = ballastCodesFor(key, metas);
    if (codes.length === 0)
      throw new ConfigError(`${source}: ${key} is not a known rule`, {
        code: 'unknown-rule',
        hint: 'run `ballast rules` to list codes and names',
      });
    for (const code of codes) out[code] = 'off';
  }
  return out;
}

/**
 * A file named as the report names it: relative to `cwd` (the directory the CLI runs in, the repository root in CI),
 * as SARIF and annotations expect, also outside it (`../x/Dockerfile`); a path that climbs more than one level
 * (`../../../srv/x/Dockerfile`) says less than the absolute one, so that one is given instead.
 */
export function nameFrom(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (!rel) return path;
  // More than one level up is leaving cwd's parent: climbsOut asked of that directory, not of cwd (which answers
  // whether the path leaves at all, and would name ../x/Dockerfile absolutely). The `..` parts of `rel` counted the
  // same (relative() gives no `a/../b`, and `..foo` is a name), but beside the one reading of relative paths.
  return climbsOut(relative(dirname(cwd), path)) ? resolve(path) : rel;
}

export async function ci(options: CiOptions): Promise<CiResult> {
  const metas = await loadAllRuleMeta();
  const notes: string[] = [];
  const config = await chooseConfig(options, metas);
  // Bad config and flag values fail now, not after a long analysis.
  const typed = settingsFor(config, [options.image]);
  applyOverrides(typed.budgets, options.overrides ?? []);
  const sourceOf = options.sourceOf ?? asTyped;
  checkJunkIds(options.ignore?.junk ?? [], sourceOf('ignore-junk'));
  checkIgnorePaths(options.ignore?.paths ?? [], sourceOf('ignore-path'));
  if (options.dockerfile !== undefined) checkDockerfile(options.dockerfile, options.cwd, sourceOf('dockerfile'));
  // The rules given here are checked against their flag or variable; the config's as its ignore.rules, every block's
  // (one for another image included), naming the file and key as the config's other errors do.
  ignoredSeverities(options.ignore?.rules ?? [], metas, sourceOf('ignore-rule'));
  if (config.ci) {
    const file = config.file ?? '.ballast.yaml';
    ignoredSeverities(config.ci.ignore.rules, metas, `${file}: ci.ignore.rules`);
    for (const block of config.ci.images)
      ignoredSeverities(block.ignore.rules, metas, `${file}: ci.images.${block.pattern}.ignore.rules`);
  }
  // A .ballast.yaml with no ci: section, an empty one (`ci:`, `ci: {}`) or one with no budget in it (budgets left out of
  // a template, or indented under another key) passes with every budget SKIP: the team that wrote it believes it has a
  // gate, so it is told, as it is when there is no file at all.
  const fileSetsNone = config.kind === 'ballast' && config.file && config.ci && setsNoBudget(config.ci);
  if (config.dive) {
    // With flags only, the rules no flag sets are the ones dive's defaults decide: listed by name, the flag's own not
    // among them.
    const given = new Set((options.diveFlags ?? []).map((f) => f.key));
    const others = DIVE_RULE_KEYS.filter((k) => !given.has(k));
    const rules = config.diveFile || others.length === 0 ? DIVE_RULE_KEYS : others;
    const source = config.diveFile
      ? `${options.diveConfig !== undefined ? '--ci-config' : options.config ? '--config' : 'no .ballast.yaml'}: read dive's ${config.diveFile}`
      : `${config.diveFlags.join(', ')}: dive's rules${others.length ? ", with dive's defaults for the others" : ''}`;
    const flags =
      config.diveFile && config.diveFlags.length
        ? `; ${config.diveFlags.join(', ')} ${config.diveFlags.length > 1 ? 'override' : 'overrides'} it`
        : '';
    const alongside =
      config.ci && config.file && !fileSetsNone ? `; checked alongside ${basename(config.file)}'s budgets` : '';
    notes.push(`${source} (${rules.join(', ')}, with dive's metrics)${flags}${alongside}`);
  } else if (config.kind !== 'ballast')
    notes.push('no .ballast.yaml or .dive-ci found: only the failOn check and flag budgets apply');
  // The .ballast.yaml read, from the working directory; outside it when given so (`-c`) or found by the search upwards.
  const rel = config.kind === 'ballast' && config.file ? relative(options.cwd, config.file) : '';
  const outside = climbsOut(rel);
  // Found from a subfolder: a job run from services/api gated on the repository's file with nothing saying so (JSON's
  // config.file alone named it).
  if (!fileSetsNone && outside && !options.config)
    notes.push(`read ${nameFrom(options.cwd, config.file!)}, found above the working directory`);
  // Named as ballast lint names a file: from the working directory under it, else as the user named it (`-c
  // /etc/ballast.yaml`, not `../../etc/ballast.yaml`).
  const file = !rel ? config.file! : outside && options.config ? options.config : rel;
  if (fileSetsNone) {
    const what =
      config.lint.raw?.ci === undefined ? `${file} has no ci: section` : `${file}'s ci: section sets no budget`;
    const dive = config.dive ? ", dive's rules" : '';
    notes.push(
      `${what}: only the failOn check${dive} and flag budgets apply (add budgets under ci:, such as maxImageBytes: 500MB)`,
    );
  }
  // A ./.dive-ci beside a .ballast.yaml is not read (the .ballast.yaml is the config). A team moving from dive that adds
  // a .ballast.yaml, for its lint rules say, lost its dive thresholds with nothing said: the log read as before.
  if (config.kind === 'ballast' && !config.diveFile && existsSync(join(options.cwd, DIVE_CI_NAME)))
    notes.push(
      `./${DIVE_CI_NAME} not read: ${file} is the config (pass --ci-config ${DIVE_CI_NAME} to check dive's rules alongside its budgets)`,
    );
  // A top-level failOn is lint's, for each Dockerfile; the gate's is ci:'s. Gated at error with nothing said, a team
  // that wrote `failOn: warning` at the top believed its warnings failed the build.
  const lintFailOn = config.kind === 'ballast' && config.file ? config.lint.raw?.failOn : undefined;
  const gateSet =
    options.overrides?.some((o) => o.key === 'failOn') ||
    (config.ci && ('failOn' in config.ci.budgets || config.ci.images.some((block) => 'failOn' in block.budgets)));
  if (lintFailOn !== undefined && !gateSet)
    notes.push(
      `${file}'s top-level failOn: ${lintFailOn} is lint's: the gate reads ci: {failOn: ${lintFailOn}}, and gates at error (its default) here`,
    );

  const {
    image: _image,
    cwd: _cwd,
    dockerfile: _dockerfile,
    config: _config,
    diveConfig: _diveConfig,
    diveFlags: _diveFlags,
    baseline: _baseline,
    saveBaseline: _save,
    overrides: _overrides,
    ignore: _ignore,
    base,
    workers,
    version,
    fixRows: _rows,
    onProgress,
    ...resolveOptions
  } = options;

  // The image is opened before anything is counted: per-image blocks (budgets and ignore lists, which decide the lint
  // and image rule severities) may name its path or its own tag, which only the opened image knows.
  const image = await openImage(options.image, resolveOptions);
  try {
    return await gate(options, config, metas, notes, image, { base, workers, version, onProgress, resolveOptions });
  } finally {
    await image.close();
  }
}

async function gate(
  options: CiOptions,
  config: ConfigChoice,
  metas: RuleMeta[],
  notes: string[],
  image: Awaited<ReturnType<typeof openImage>>,
  rest: Pick<CiOptions, 'base' | 'workers' | 'version' | 'onProgress'> & { resolveOptions: ResolveOptions },
): Promise<CiResult> {
  const { base, workers, version, onProgress, resolveOptions } = rest;
  const references = imageNames(options.image, image.ref);
  const chosen = settingsFor(config, references);
  const patterns = config.ci?.images.map((e) => e.pattern) ?? [];
  // A pattern written for the registry name while the job gates a tar file, or with a typo, matches nothing, and the
  // gate ran on the top-level budgets alone while the team believed their per-image ones held: said, with the names
  // tried, so the pattern can be fixed to one of them.
  if (patterns.length && !chosen.images.length)
    notes.push(
      `no ci.images pattern matched the image (${listedAtMost(patterns.map(codeSpan))}), so only the top-level budgets ` +
        `apply; the image was tried as ${listed(references.map(codeSpan))}`,
    );
  const ignore: CiIgnore = {
    rules: [...chosen.ignore.rules, ...(options.ignore?.rules ?? [])],
    paths: [...chosen.ignore.paths, ...(options.ignore?.paths ?? [])],
    junk: [...chosen.ignore.junk, ...(options.ignore?.junk ?? [])],
  };
  const severities: Record<string, SeveritySetting> = {
    ...config.lint.severities,
    ...ignoredSeverities(ignore.rules, metas, 'ignore.rules'),
  };

  // One Dockerfile is named one way throughout the report: lint findings, attributed image findings, the failOn rows
  // and the advice built from them, the notes (nameFrom): a report that named it `/abs/x/Dockerfile` on its lint
  // findings and `../x/Dockerfile` on its image findings would read as two files. The file is read by its absolute
  // path: the name is relative to cwd, not the process's.
  const display = (path: string) => nameFrom(options.cwd, path);
  let dockerfile = options.dockerfile ? resolve(options.cwd, options.dockerfile) : undefined;
  if (!dockerfile && config.file && config.kind === 'ballast') {
    const next = join(dirname(config.file), 'Dockerfile');
    // A file: a directory of that name (a folder of Dockerfiles, say) is none, and linting it as one stopped the gate.
    if (isFile(next)) {
      dockerfile = next;
      notes.push(`linted and attributed with ${display(next)} (next to ${basename(config.file)})`);
    }
  }
  // Only the Dockerfile given or next to .ballast.yaml is used: not one in the working directory with no config, nor
  // one next to a .dive-ci (dive reads no Dockerfile). Left alone silently, the job got no lint findings and no lines,
  // and nothing said the flag was missing.
  if (!dockerfile) {
    const beside = [
      ...(config.file ? [join(dirname(config.file), 'Dockerfile')] : []),
      join(options.cwd, 'Dockerfile'),
    ];
    // A file: a directory of that name is no Dockerfile, and `--dockerfile` of it would only fail.
    const unused = beside.find(isFile);
    if (unused)
      notes.push(
        `${display(unused)} is not linted or used for line attribution: pass --dockerfile ${display(unused)} ` +
          '(ci uses the Dockerfile given, or the one next to .ballast.yaml)',
      );
  }

  const targets: TargetResult[] = [];
  const lintMetas: RuleMeta[] = [];
  let canFix: ((finding: Finding) => boolean) | undefined;
  if (dockerfile) {
    const linted = await lint({
      files: [dockerfile],
      cwd: options.cwd,
      reportPath: display(dockerfile),
      settings: { ...config.lint, severities },
      ...(options.hadolint ? { hadolint: { env: options.hadolint } } : {}),
      failOn: 'none',
      version,
    });
    targets.push(...linted.report.targets);
    lintMetas.push(...Object.values(linted.report.rules));
    // The report is built again below, over the image's findings too: its fixable count is lint's, by lint's own test
    // of each fix (one that would change nothing is not fixable), not every finding that offers a fix.
    canFix = linted.canFix;
  }

  const analyzed = await analyzeImage(image, {
    ...resolveOptions,
    image: options.image,
    dockerfile,
    dockerfileName: dockerfile ? display(dockerfile) : undefined,
    base,
    workers,
    severities,
    ruleOptions: config.lint.ruleOptions,
    onProgress,
  });
  // A Dockerfile the image was not built from (Dockerfile given, Dockerfile.prod built) places no finding on a line:
  // without this the job's findings and failed budgets came without lines, and nothing said why.
  if (dockerfile && analyzed.attribution && !analyzed.attribution.matched)
    notes.push(
      `${display(dockerfile)} does not line up with the image's history: image findings and budgets are not attributed ` +
        'to its lines (give the Dockerfile the image was built from)',
    );
  const paths = ignoredPaths(ignore.paths);
  const imageFindings = analyzed.findings.filter(
    (f) =>
      !(
        f.location.kind === 'image' &&
        f.location.path &&
        paths.some((re) => re.test(f.location.kind === 'image' ? f.location.path!.replace(/^\/+/, '') : ''))
      ),
  );
  if (imageFindings.length < analyzed.findings.length)
    notes.push(`${analyzed.findings.length - imageFindings.length} image findings under ignore.paths not counted`);
  targets.push({
    target: imageArgument(analyzed.image),
    findings: imageFindings,
    stats: {},
  });

  let baseline: Baseline | undefined;
  let baselineSource = '';
  if (options.baseline) {
    if (isBaselineFile(options.baseline)) {
      baseline = await readBaseline(resolve(options.cwd, options.baseline));
      baselineSource = options.baseline;
    } else {
      baseline = baselineOf(
        await analyze({
          ...resolveOptions,
          image: options.baseline,
          workers,
          severities,
          ruleOptions: config.lint.ruleOptions,
        }).catch((error: unknown) => {
          // The image's errors name a path or reference only: with two images read, say which one failed.
          if (error instanceof Error && !/baseline/i.test(error.message))
            error.message = `--baseline: ${error.message}`;
          throw error;
        }),
      );
      baselineSource = options.baseline;
    }
  }
  const comparison = baseline
    ? compareToBaseline(baseline, summaryOf(analyzed), baselineSource, analyzed.image.platform)
    : null;
  // Another platform's build differs in size for reasons no Dockerfile line explains (main's baseline saved from the
  // arm64 job, the pull request gated on amd64), so its growth would pass or fail the gate on a meaningless number.
  // The growth budgets skip, with the reason, rather than the gate stopping with exit 2: the pull request that moves
  // the build to another platform has only the old platform's baseline until it is merged, and its other budgets and
  // findings still deserve a verdict. A note says it even when no growth budget is set. Another repository's image
  // (a rename, a base image as baseline) is compared: the reports name the baseline's image, and that is all.
  if (comparison?.notCompared)
    notes.push(`${comparison.notCompared}: the growth budgets are not checked (${SAME_PLATFORM_HINT})`);
  if (options.saveBaseline) await writeBaseline(resolve(options.cwd, options.saveBaseline), baselineOf(analyzed));

  const budgets = applyOverrides(chosen.budgets, options.overrides ?? []);
  const allFindings = targets.flatMap((t) => t.findings);
  // Without a .ballast.yaml, dive's rules are the budgets: the others are listed only when a flag sets them, measured
  // or not (a growth limit with no --baseline is a SKIP the job must see, not a budget that vanishes).
  const budgetList = budgetChecks(analyzed, budgets, allFindings, ignore, comparison);
  const checks = config.dive
    ? [
        ...diveChecks(analyzed, config.dive),
        ...(config.ci ? budgetList : budgetList.filter((c) => c.limit !== null || c.id === 'failOn')),
      ]
    : budgetList;

  const imageTarget = targets[targets.length - 1].target;
  const from = analyzed.attribution?.from;
  for (const check of checks) {
    check.origin = originOf(check.id, config, chosen.images, options, display);
    // dive's rules are switched off on purpose (`disabled`, or dive's default for highestWastedBytes), never left
    // unset by mistake: say so, and by what, rather than "no limit set".
    if (check.status === 'skip' && check.limit === null && DIVE_RULE_KEYS.some((k) => k === check.id))
      check.message = `${check.title}: disabled by ${check.origin}`;
    check.target = imageTarget;
    check.image = analyzed.image.reference;
    if (isReferenceSource(analyzed.image.source)) check.reference = true;
    if (from && check.status === 'fail' && !check.locations.some((l) => l.file !== undefined && l.line !== undefined))
      check.anchor = { file: from.file, line: from.line };
  }
  const report = buildReport(targets, [...lintMetas, ...Object.values(analyzed.rules)], version ?? '0.0.0', canFix);
  report.checks = checks;
  report.failOn = gateFailOn(budgets);
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status] += 1;
  const failed = counts.fail > 0;
  // dive's inefficient files only with dive's rules: they explain dive's wasted bytes, which only those rules check.
  const { fileReferences, fileReferenceCount, layerInefficientBytes: _byLayer, ...diveFigures } = analyzed.dive;
  const dive = config.dive ? { ...diveFigures, fileReferences, fileReferenceCount } : diveFigures;
  return {
    verdict: failed ? 'fail' : 'pass',
    exitCode: failed ? 1 : 0,
    image: analyzed.image,
    config: { kind: config.kind, file: config.file, images: chosen.images, patterns, references },
    dockerfile: dockerfile ? display(dockerfile) : null,
    checks,
    counts,
    fixFirst: rankFindings(allFindings.filter((f) => (f.bytes ?? 0) > 0)).slice(0, options.fixRows ?? 5),
    summary: analyzed.summary,
    dive,
    baseline: comparison,
    notes,
    report,
  };
}

/** Whether `path` is a regular file (following links); false when it is missing or anything else. */
function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

// Validation of .ballast.yaml. The same shape is published as JSON Schema in schema/ballast.schema.json (kept in step by
// test/lint/config.test.ts); this hand-written check runs at start-up without loading a schema validator, and names
// the exact key path of any problem.
import { ConfigError } from '../errors.js';
import { fractionOfAByte, parseBytes } from '../analysis/growth.js';
import { BUDGET_KEYS, failOnHint, parseCiSettings, refuseDiveRule } from './ci.js';
import { meant } from './meant.js';
import { FAIL_ON_LEVELS, type Severity, type SeveritySetting } from '../report/types.js';
import { lintFormatNames } from '../report/lint-formats.js';

/** Value types a label schema may name (hadolint's `label-schema` types). */
export const LABEL_TYPES = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];
/** LABEL name -> the type its value must have. */
export type LabelSchema = Record<string, LabelType>;

/** The hadolint ids whose rules read the label schema; the loader hands them `labelSchema` and `strictLabels`. */
export const LABEL_SCHEMA_IDS = [
  'DL3049',
  'DL3050',
  'DL3051',
  'DL3052',
  'DL3053',
  'DL3054',
  'DL3055',
  'DL3056',
  'DL3058',
];

export interface RuleSetting {
  severity?: SeveritySetting;
  options?: Record<string, unknown>;
}

export interface BallastConfig {
  /** Exit 1 when a finding is at or above this severity ('none': never). */
  failOn?: Severity | 'none';
  /** Files (globs, relative to the config file) not to lint. */
  ignorePaths?: string[];
  /**
   * Per rule, keyed by code (DF001), name (apt-lists-not-removed), or the hadolint id or BuildKit check name of a rule
   * that is the same.
   */
  rules?: Record<string, SeveritySetting | RuleSetting>;
  /** Registries DL3026-style rules accept. */
  trustedRegistries?: string[];
  /** Labels every stage must carry, with the type of their value (turns the label rules on). */
  labelSchema?: LabelSchema;
  /** Report labels the schema does not name. */
  strictLabels?: boolean;
  /** Honour `# ballast-ignore` pragmas (and hadolint's). */
  inlinePragmas?: boolean;
  hadolintPragmas?: boolean;
  /** Per-layer budgets of every command that reads layers (flags --max-decompressed-bytes and --max-entries win). */
  limits?: { maxDecompressedBytes?: number | string; maxEntries?: number };
  /** The budgets of `ballast ci` (src/config/ci.ts validates and reads them). */
  ci?: Record<string, unknown>;
  /** `ballast bases`: more family equivalents, and whether the built-in table is used. */
  bases?: BasesConfig;
}

/** One equivalent image for a runtime, as `.ballast.yaml` writes it under `bases.families[].candidates`. */
export interface BasesFamilyCandidateConfig {
  family: string;
  image: string;
  os?: string;
  libc?: 'glibc' | 'musl' | 'none';
  shell?: boolean;
  packageManager?: string | null;
  note?: string;
}

export interface BasesConfig {
  /** Extra families, tried before the built-in ones. */
  families?: { repositories: string[]; candidates: BasesFamilyCandidateConfig[] }[];
  /** Use ballast's own family table (default true). */
  builtinFamilies?: boolean;
}

const SEVERITIES: readonly string[] = ['off', 'style', 'info', 'warning', 'error'];
const FAIL_ON: readonly string[] = FAIL_ON_LEVELS;

/** The hint of a config error that has none of its own. */
export const SCHEMA_HINT = 'see schema/ballast.schema.json for the keys ballast understands';

function fail(file: string, path: string, problem: string, hint?: string): never {
  throw new ConfigError(`${file}: ${path} ${problem}`, { code: 'config-invalid', hint: hint ?? SCHEMA_HINT });
}

/** The sections' own keys, which people write at the top level (`maxWastedBytes: 50MB` without `ci:`). */
const SECTION_KEYS: Record<string, readonly string[]> = {
  ci: [...BUDGET_KEYS, 'ignore', 'images'],
  limits: ['maxDecompressedBytes', 'maxEntries'],
  bases: ['families', 'builtinFamilies'],
};

/** For an unknown top-level key: the section it belongs in, or the top-level key it was probably meant to be. */
function topLevelHint(key: string, item: unknown): string | undefined {
  for (const [section, keys] of Object.entries(SECTION_KEYS))
    if (keys.includes(key)) return `it belongs under ${section}: (${section}.${key})`;
  // A mapping under an unknown key is often the home of YAML anchors for the rest of the file, which goes
  // under an x- key here; GitLab CI users keep them under a hidden key starting with a dot (`.defaults: &defaults`),
  // which would otherwise be offered the nearest key (`.base` is not `bases`).
  const anchors = `if it holds YAML anchors for the rest of the file, name it x-${key.replace(/^\.+/, '')}: keys starting with x- are ignored`;
  if (key.startsWith('.')) return anchors;
  const guess = meant(key, TOP_KEYS);
  const holder = isObject(item);
  if (guess) return holder ? `did you mean ${guess}? or, ${anchors}` : `did you mean ${guess}?`;
  return holder ? anchors : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each top-level key's check: one table, so the keys offered in hints are the keys checked. */
const TOP: Record<string, (item: unknown, file: string, key: string) => void> = {
  failOn(item, file) {
    if (typeof item !== 'string' || !FAIL_ON.includes(item))
      fail(file, 'failOn', `must be one of ${FAIL_ON.join(', ')}`, failOnHint(item));
  },
  ignorePaths: stringList,
  rules: validateRules,
  trustedRegistries: registryList,
  labelSchema: validateLabelSchema,
  strictLabels: boolean,
  inlinePragmas: boolean,
  hadolintPragmas: boolean,
  limits: validateLimits,
  ci: parseCiSettings,
  bases: validateBases,
  $schema() {},
};
const TOP_KEYS = Object.keys(TOP).filter((key) => key !== '$schema');

function stringList(item: unknown, file: string, key: string): void {
  if (!Array.isArray(item) || item.some((x) => typeof x !== 'string')) fail(file, key, 'must be a list of strings');
}

/**
 * An empty registry name in trustedRegistries is refused, as an empty path is in ci.ignore.paths: it matches no
 * registry, so a list of one (a value left blank) turned DL3026 on against every image.
 */
const EMPTY_REGISTRY_HINT = 'give registry hosts such as docker.io, quay.io or *.example.com; * trusts every registry';

function registryList(item: unknown, file: string, key: string): void {
  stringList(item, file, key);
  if ((item as string[]).some((name) => name.trim() === ''))
    fail(file, key, 'must not hold an empty registry name', EMPTY_REGISTRY_HINT);
}

function boolean(item: unknown, file: string, key: string): void {
  if (typeof item !== 'boolean') fail(file, key, 'must be true or false');
}

/** Checks a parsed .ballast.yaml; throws ConfigError naming the key path on the first problem. */
export function validateBallastConfig(value: unknown, file: string): BallastConfig {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) fail(file, '(top level)', 'must be a mapping of keys to values');
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(TOP, key)) TOP[key](item, file, key);
    // `x-` keys hold YAML anchors for the rest of the file (`x-strict: &strict {...}`), as in Docker Compose files.
    else if (!key.startsWith('x-')) {
      refuseDiveRule(file, key, key);
      if (Object.hasOwn(HADOLINT_KEY_HINTS, key))
        fail(file, key, "is hadolint's key, not a .ballast.yaml one", HADOLINT_KEY_HINTS[key]);
      fail(file, key, 'is not a known key', topLevelHint(key, item));
    }
  }
  return value as BallastConfig;
}

function validateRules(item: unknown, file: string): void {
  if (!isObject(item))
    fail(file, 'rules', 'must be a mapping of rule code or name to a severity or {severity, options}');
  for (const [rule, setting] of Object.entries(item)) {
    refuseDiveRule(file, `rules.${rule}`, rule);
    if (typeof setting === 'string') {
      if (!SEVERITIES.includes(setting)) fail(file, `rules.${rule}`, `must be one of ${SEVERITIES.join(', ')}`);
      continue;
    }
    if (!isObject(setting)) fail(file, `rules.${rule}`, 'must be a severity or a mapping with severity and options');
    for (const [field, v] of Object.entries(setting)) {
      if (field === 'severity') {
        if (typeof v !== 'string' || !SEVERITIES.includes(v))
          fail(file, `rules.${rule}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
      } else if (field === 'options') {
        if (!isObject(v)) fail(file, `rules.${rule}.options`, 'must be a mapping');
        if ('labelSchema' in v) validateLabelSchema(v.labelSchema, file, `rules.${rule}.options.labelSchema`);
        if ('trustedRegistries' in v) {
          const names = typeof v.trustedRegistries === 'string' ? [v.trustedRegistries] : v.trustedRegistries;
          registryList(names, file, `rules.${rule}.options.trustedRegistries`);
        }
      } else fail(file, `rules.${rule}.${field}`, 'is not a known key (expected severity, options)');
    }
  }
}

function validateLimits(value: unknown, file: string): void {
  if (!isObject(value)) fail(file, 'limits', 'must be a mapping with maxDecompressedBytes and/or maxEntries');
  for (const [key, item] of Object.entries(value)) {
    if (key === 'maxDecompressedBytes') {
      const bytes = parseBytes(item);
      if (fractionOfAByte(item))
        fail(file, 'limits.maxDecompressedBytes', 'must be a whole number of bytes (or text like 8GB, 500MiB)');
      if (bytes === undefined || bytes < 1)
        fail(file, 'limits.maxDecompressedBytes', 'must be a positive size (bytes, or text like 8GB, 500MiB)');
    } else if (key === 'maxEntries') {
      if (typeof item !== 'number' || !Number.isInteger(item) || item < 1)
        fail(file, 'limits.maxEntries', 'must be a positive whole number');
    } else {
      const guess = meant(key, SECTION_KEYS.limits);
      fail(
        file,
        `limits.${key}`,
        `is not a known key (expected ${SECTION_KEYS.limits.join(', ')})`,
        guess && `did you mean ${guess}?`,
      );
    }
  }
}

const LIBCS = ['glibc', 'musl', 'none'];

function validateBases(value: unknown, file: string): void {
  if (!isObject(value)) fail(file, 'bases', 'must be a mapping');
  for (const [key, item] of Object.entries(value)) {
    if (key === 'builtinFamilies') {
      if (typeof item !== 'boolean') fail(file, 'bases.builtinFamilies', 'must be true or false');
    } else if (key === 'families') {
      if (!Array.isArray(item)) fail(file, 'bases.families', 'must be a list of {repositories, candidates}');
      item.forEach((family: unknown, i) => {
        const at = `bases.families[${i}]`;
        if (!isObject(family)) fail(file, at, 'must be a mapping with repositories and candidates');
        for (const field of Object.keys(family))
          if (field !== 'repositories' && field !== 'candidates')
            fail(file, `${at}.${field}`, 'is not a known key (expected repositories, candidates)');
        const repositories = family.repositories;
        if (
          !Array.isArray(repositories) ||
          repositories.length === 0 ||
          repositories.some((r) => typeof r !== 'string')
        )
          fail(file, `${at}.repositories`, 'must be a non-empty list of repository names');
        if (!Array.isArray(family.candidates)) fail(file, `${at}.candidates`, 'must be a list of {family, image, ...}');
        family.candidates.forEach((candidate: unknown, j) => {
          const c = `${at}.candidates[${j}]`;
          if (!isObject(candidate)) fail(file, c, 'must be a mapping with family and image');
          for (const [field, v] of Object.entries(candidate)) {
            const ok =
              field === 'family' || field === 'image' || field === 'os' || field === 'note'
                ? typeof v === 'string' && v !== ''
                : field === 'libc'
                  ? typeof v === 'string' && LIBCS.includes(v)
                  : field === 'shell'
                    ? typeof v === 'boolean'
                    : field === 'packageManager'
                      ? v === null || (typeof v === 'string' && v !== '')
                      : undefined;
            if (ok === undefined)
              fail(
                file,
                `${c}.${field}`,
                'is not a known key (expected family, image, os, libc, shell, packageManager, note)',
              );
            if (!ok)
              fail(
                file,
                `${c}.${field}`,
                field === 'libc'
                  ? `must be one of ${LIBCS.join(', ')}`
                  : field === 'shell'
                    ? 'must be true or false'
                    : field === 'packageManager'
                      ? 'must be a name or null'
                      : 'must be a non-empty string',
              );
          }
          if (typeof candidate.family !== 'string') fail(file, `${c}.family`, 'is required');
          if (typeof candidate.image !== 'string')
            fail(file, `${c}.image`, 'is required (a reference; {major}, {minor}, {version} are filled in)');
        });
      });
    } else fail(file, `bases.${key}`, `is not a known key (expected ${SECTION_KEYS.bases.join(', ')})`);
  }
}

export interface HadolintConfig {
  ignored?: string[];
  override?: Partial<Record<'error' | 'warning' | 'info' | 'style', string[]>>;
  'failure-threshold'?: string;
  trustedRegistries?: string | string[];
  'no-fail'?: boolean;
  'disable-ignore-pragma'?: boolean;
  'label-schema'?: LabelSchema;
  'strict-labels'?: boolean;
  format?: string;
  'no-color'?: boolean;
  verbose?: boolean;
}

function withoutNulls(map: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).filter(([, item]) => item !== null));
}

/** A label schema maps label names to one of LABEL_TYPES; anything else names its key path. */
export function validateLabelSchema(value: unknown, file: string, path: string): LabelSchema {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) fail(file, path, `must map label names to a type (${LABEL_TYPES.join(', ')})`);
  for (const [label, type] of Object.entries(value)) {
    if (typeof type !== 'string' || !(LABEL_TYPES as readonly string[]).includes(type))
      fail(file, `${path}.${label}`, `must be one of ${LABEL_TYPES.join(', ')}`);
  }
  return value as LabelSchema;
}

// Keys hadolint understands but that do not change what ballast reports. (`format`, `no-color` and `verbose` do: they
// are read for the whole run when its Dockerfiles agree on them, see LintSettings.output.)
const HADOLINT_PASSIVE = ['formats', 'file-path-in-report'];

/**
 * hadolint's own config keys: a `--config` file with any of them is read as a .hadolint.yaml. `trustedRegistries` is
 * spelled the same in both formats, so it decides nothing and is not listed.
 */
export const HADOLINT_OWN_KEYS = [
  'ignored',
  'override',
  'failure-threshold',
  'label-schema',
  'strict-labels',
  'disable-ignore-pragma',
  'no-fail',
  'format',
  'no-color',
  'verbose',
  ...HADOLINT_PASSIVE,
];

const LEVELS = ['error', 'warning', 'info', 'style'];

/**
 * For a .ballast.yaml key written in a hadolint-format file: hadolint's key for the same setting, or where the key is
 * read. (A ballast key is no misspelling of a hadolint one, so edit distance found nothing for most of them.)
 */
const ELSEWHERE = "hadolint's format has none; put it in a .ballast.yaml, which is read instead of a .hadolint.yaml";
const BALLAST_KEY_HINTS: Record<string, string> = {
  failOn: "hadolint's is failure-threshold",
  strictLabels: "hadolint's is strict-labels",
  labelSchema: "hadolint's is label-schema",
  inlinePragmas: "hadolint's is disable-ignore-pragma: true for inlinePragmas: false",
  hadolintPragmas: "hadolint's nearest is disable-ignore-pragma: true, which ignores ballast's pragmas too",
  rules:
    "hadolint's are ignored: [ID, ...] for off and override: {error: [ID, ...]} for a severity (also warning, info, style)",
};

/**
 * For a hadolint key written in a .ballast.yaml: ballast's key for the same setting, or where ballast takes it (the
 * reverse of BALLAST_KEY_HINTS). Edit distance finds none of them: `failure-threshold` is no misspelling of `failOn`.
 */
const NO_KEY = 'a .ballast.yaml has none';
const HADOLINT_KEY_HINTS: Record<string, string> = {
  ignored: "ballast's is rules: {ID: off}",
  override: "ballast's is rules: {ID: error} for a severity (also warning, info, style)",
  'failure-threshold': "ballast's is failOn",
  'no-fail': "ballast's is failOn: none for no-fail: true",
  'label-schema': "ballast's is labelSchema",
  'strict-labels': "ballast's is strictLabels",
  'disable-ignore-pragma':
    "ballast's are inlinePragmas: false (every pragma) or hadolintPragmas: false (hadolint's) for disable-ignore-pragma: true",
  format: `${NO_KEY}: pass --format to lint, or set BALLAST_FORMAT`,
  'no-color': `${NO_KEY}: pass --no-color to lint, or set NO_COLOR`,
  verbose: `${NO_KEY}: pass --verbose (-V) to lint`,
  'file-path-in-report': `${NO_KEY}: pass --file-path-in-report to lint`,
  formats: `${NO_KEY}, and ballast ignores it in a .hadolint.yaml`,
};

export function validateHadolintConfig(value: unknown, file: string): HadolintConfig {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) fail(file, '(top level)', 'must be a mapping of keys to values');
  // hadolint reads a key given no value (`ignored:` whose items are all commented out, YAML's null) as absent, in
  // override's levels too: such a file passes hadolint, so it is read here as if the key were not written.
  const config = withoutNulls(value);
  if (isObject(config.override)) config.override = withoutNulls(config.override);
  for (const [key, item] of Object.entries(config)) {
    if (HADOLINT_PASSIVE.includes(key)) continue;
    switch (key) {
      case 'ignored':
        if (!Array.isArray(item) || item.some((x) => typeof x !== 'string'))
          fail(file, 'ignored', 'must be a list of rule ids');
        break;
      case 'override':
        if (!isObject(item)) fail(file, 'override', 'must map error/warning/info/style to lists of rule ids');
        for (const [level, ids] of Object.entries(item)) {
          if (!LEVELS.includes(level)) {
            const guess = (level && LEVELS.find((l) => l.startsWith(level.toLowerCase()))) || meant(level, LEVELS);
            fail(
              file,
              `override.${level}`,
              `is not a known key (expected ${LEVELS.join(', ')})`,
              guess && `did you mean ${guess}?`,
            );
          }
          if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))
            fail(file, `override.${level}`, 'must be a list of rule ids');
        }
        break;
      case 'failure-threshold':
        if (typeof item !== 'string' || !['error', 'warning', 'info', 'style', 'ignore', 'none'].includes(item)) {
          fail(file, 'failure-threshold', 'must be one of error, warning, info, style, ignore, none');
        }
        break;
      case 'trustedRegistries':
        if (typeof item !== 'string' && (!Array.isArray(item) || item.some((x) => typeof x !== 'string')))
          fail(file, 'trustedRegistries', 'must be a string or a list of strings');
        if ((Array.isArray(item) ? item : [item]).some((name: string) => name.trim() === ''))
          fail(file, 'trustedRegistries', 'must not hold an empty registry name', EMPTY_REGISTRY_HINT);
        break;
      case 'format':
        // Checked when the file is read, so a bad name fails the run before --fix has written anything.
        if (typeof item !== 'string' || !lintFormatNames.includes(item))
          fail(file, 'format', `must be one of ${lintFormatNames.join(', ')}`);
        break;
      case 'no-fail':
      case 'disable-ignore-pragma':
      case 'strict-labels':
      case 'no-color':
      case 'verbose':
        if (typeof item !== 'boolean') fail(file, key, 'must be true or false');
        break;
      case 'label-schema':
        validateLabelSchema(item, file, key);
        break;
      default: {
        // `x-` keys hold YAML anchors for the rest of the file (`x-strict: &strict {...}`), as in Docker Compose files.
        if (key.startsWith('x-')) break;
        if (TOP_KEYS.includes(key))
          fail(file, key, "is a .ballast.yaml key, not hadolint's", BALLAST_KEY_HINTS[key] ?? ELSEWHERE);
        const guess = meant(key, [...HADOLINT_OWN_KEYS, 'trustedRegistries']);
        // A misspelt ballast key (`failon`) gets the ballast key's own hint; a key near one of hadolint's is taken as
        // that one, as this file is read as hadolint's.
        const ours = guess ? undefined : meant(key, TOP_KEYS);
        if (ours)
          fail(
            file,
            key,
            `is not a known key; ${ours} is a .ballast.yaml key, not hadolint's`,
            BALLAST_KEY_HINTS[ours] ?? ELSEWHERE,
          );
        fail(file, key, 'is not a known key', guess && `did you mean ${guess}?`);
      }
    }
  }
  return config as HadolintConfig;
}

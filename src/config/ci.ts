// The `ci:` section of .ballast.yaml (the budgets of `ballast ci`) and dive's `.dive-ci`, validated into one shape.
// Sizes are `500MB` / `1.5GiB` / `20Mi` / bytes, ratios `10%` / `0.1` (src/analysis/growth.ts parses both, as `diff`
// does; .dive-ci sizes with the same parser, read as dive reads them).
// Every problem names its key path, like the rest of the config.
import { bytesOutOfRange, fractionOfAByte, MAX_BYTES, parseBytes, parseRatio, sizeBytes } from '../analysis/growth.js';
import { isJunkClass, JUNK_CLASSES, JUNK_CLASS_IDS } from '../analysis/junk.js';
import { ConfigError } from '../errors.js';
import { globToRegExp, isEmptyPathGlob } from './glob.js';
import { meant } from './meant.js';
import { FAIL_ON_LEVELS, type Severity } from '../report/types.js';

export interface CiBudgets {
  /** Uncompressed (the bytes a container gets) and/or compressed (what a pull downloads) image size. */
  maxImageBytes?: { compressed?: number; uncompressed?: number };
  /** The biggest of your layers, by its uncompressed tar size (what diff shows; analyze shows the sum of file bytes). */
  maxLayerBytes?: number;
  /** dive's efficiency score (0..1). */
  minEfficiency?: number;
  /** Bytes in some layer that the final filesystem does not show (deleted, overwritten, same-content copies). */
  maxWastedBytes?: number;
  /** Wasted bytes of your layers over the file bytes of your layers. */
  maxWastedPercent?: number;
  /** Junk in the final filesystem: `total` and/or per class id (aptLists, gitDirs, ...). */
  maxJunkBytes?: { total?: number; classes: Record<string, number> };
  /** Growth of the uncompressed size against --baseline. */
  maxGrowthBytes?: number;
  maxGrowthPercent?: number;
  /** Fail when a finding (lint or image rule) is at or above this severity. */
  failOn?: Severity | 'none';
}

export interface CiIgnore {
  /** Rule codes or names turned off for the gate (lint and image rules). */
  rules: string[];
  /** Image paths (globs, `/app/static/**`) whose findings and junk do not count. */
  paths: string[];
  /** Junk class ids that do not count. */
  junk: string[];
}

export interface CiSettings {
  budgets: CiBudgets;
  ignore: CiIgnore;
  /**
   * Per-image budgets: every matching pattern's keys override the top-level ones (see budgetsFor); `off` lists the
   * keys the block switches off (`maxLayerBytes: off` or `null`), and sub-keys as `maxImageBytes.compressed`.
   */
  images: { pattern: string; budgets: CiBudgets; ignore: CiIgnore; off: string[] }[];
}

/** dive's three CI rules; `null` means disabled (SKIP). */
export interface DiveRules {
  lowestEfficiency: number | null;
  highestWastedBytes: number | null;
  highestUserWastedPercent: number | null;
}

export const BUDGET_KEYS = [
  'maxImageBytes',
  'maxLayerBytes',
  'minEfficiency',
  'maxWastedBytes',
  'maxWastedPercent',
  'maxJunkBytes',
  'maxGrowthBytes',
  'maxGrowthPercent',
  'failOn',
] as const;
export type BudgetKey = (typeof BUDGET_KEYS)[number];

const FAIL_ON: readonly string[] = FAIL_ON_LEVELS;

/** The hint for a failOn that is no level: the one meant (`warn`, `Error`), else the levels. It is a value, not a key. */
export function failOnHint(value: unknown): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const guess = text ? (FAIL_ON.find((level) => level.startsWith(text)) ?? meant(text, FAIL_ON)) : undefined;
  return guess ? `did you mean ${guess}?` : `give one of ${FAIL_ON.join(', ')}`;
}

function fail(file: string, path: string, problem: string, hint?: string): never {
  throw new ConfigError(`${file}: ${path} ${problem}`, {
    code: 'config-invalid',
    hint: hint ?? 'see schema/ballast.schema.json for the keys ballast understands',
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path given for a flag's or variable's value: its errors say `--max-wasted-bytes: value must be ...`. */
export const FLAG_VALUE = 'value';

/**
 * The path of `key` under `path`. Under a flag's value it is the key alone, as the user typed it in `CLASS=SIZE`:
 * `--max-junk-bytes: pycache is not a junk class`, not `value.pycache`, which names nothing they wrote.
 */
function sub(path: string, key: string): string {
  return path === FLAG_VALUE ? key : `${path}.${key}`;
}

/**
 * An unknown key among `keys`: the message lists them, the hint names the one probably meant. With no guess, a flag's
 * value (`--max-image-bytes foo=1MB`) is hinted with what the flag takes (`takes`): the schema is no help there.
 */
function unknownKey(file: string, path: string, key: string, keys: readonly string[], takes?: string): never {
  const guess = meant(key, keys);
  const hint = guess ? `did you mean ${guess}?` : path === FLAG_VALUE && takes ? `give ${takes}` : undefined;
  fail(file, sub(path, key), `is not a known key (expected ${keys.join(', ')})`, hint);
}

// dive's three rules, each with the budget of .ballast.yaml that measures the same thing (or its nearest: the wasted
// budgets count the copies the final filesystem hides, dive every copy of a duplicated path).
const DIVE_TO_BUDGET: Record<string, string> = {
  lowestEfficiency: "minEfficiency is ballast's budget for the same score (minEfficiency: 90%)",
  highestWastedBytes: "maxWastedBytes is ballast's budget for wasted bytes (the copies the final filesystem hides)",
  highestUserWastedPercent: "maxWastedPercent is ballast's budget for the wasted share of your layers",
};

/**
 * A `.dive-ci` rule written into .ballast.yaml (`ci: {lowestEfficiency: 0.9}`, or a `.dive-ci` pasted whole, whose
 * `rules:` are lint rules here): refused, as any unknown key, but saying whose key it is, the budget to write instead
 * and how to keep dive's own check. The key list alone left a team moving from dive guessing.
 */
export function refuseDiveRule(file: string, path: string, key: string): void {
  const plain = (k: string) => k.replace(/[-_\s]/g, '').toLowerCase();
  const rule = Object.keys(DIVE_TO_BUDGET).find((k) => plain(k) === plain(key));
  if (rule)
    fail(
      file,
      path,
      "is dive's rule, not a .ballast.yaml key",
      `${DIVE_TO_BUDGET[rule]}; for dive's check, keep it in a .dive-ci and pass --ci-config FILE`,
    );
}

/**
 * The classes a name people use is a word of the title of (`pycache`, `__pycache__` and `pyc` in "Python bytecode
 * (__pycache__, .pyc)", `npm`, `apt`): spelling distance would take `pycache` for aptCache.
 */
function byTitle(id: string): string | undefined {
  const word = id.replace(/^[_.]+|[_.]+$/g, '').toLowerCase();
  const hits = JUNK_CLASSES.filter((c) =>
    c.title
      .toLowerCase()
      .split(/[^a-z0-9_]+/)
      .some((w) => w.replace(/^_+|_+$/g, '') === word),
  ).map((c) => c.id);
  return hits.length ? hits.join(' or ') : undefined;
}

/**
 * The junk class (or one of `others`) an id that is none probably meant: by a word of its title, else by spelling.
 * The config and `--ignore-junk` both ask it, so the same typo gets the same hint.
 */
export function junkClassMeant(id: string, others: readonly string[] = []): string | undefined {
  return byTitle(id) ?? meant(id, [...others, ...JUNK_CLASS_IDS.split(', ')]);
}

/** A junk class id that is none, with the one probably meant (`aptList` for aptLists) or the list of them. */
function notJunkClass(message: string, id: string, others: readonly string[] = []): never {
  const guess = junkClassMeant(id, others);
  throw new ConfigError(message, {
    code: 'config-invalid',
    hint: guess
      ? `did you mean ${guess}?`
      : others.length
        ? `give ${others.join(', ')} or a junk class: ${JUNK_CLASS_IDS}`
        : `junk classes are ${JUNK_CLASS_IDS}`,
  });
}

/**
 * A budget given as an empty mapping (`maxImageBytes: {}`, a template whose values were left blank) sets no limit,
 * so the gate passed on a budget the user meant to set: refused, naming what it takes.
 */
function notEmpty(value: Record<string, unknown>, file: string, path: string, takes: string): void {
  if (Object.keys(value).length === 0) fail(file, path, `is empty: give ${takes}, or leave it out`);
}

// What a size or a ratio looks like, for an error in a value, in the file as in a flag or variable: the key is right,
// so the schema (the config errors' usual hint, about keys) would send the reader to the wrong place.
const SIZE_HINT =
  'a size is a number of bytes (1000000, 1e9) or a number with a unit: 500MB, 1.5GiB, 20Mi, 1PB (SI or binary)';
const RATIO_HINT = 'a ratio is a percentage (10%) or a fraction (0.1)';

function bytes(value: unknown, file: string, path: string): number {
  if (bytesOutOfRange(value))
    fail(
      file,
      path,
      // YAML reads 1e400 and .inf as Infinity, which JSON.stringify would print as null.
      `is out of range (got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}; at most 9PB)`,
      SIZE_HINT,
    );
  const parsed = parseBytes(value);
  if (parsed === undefined)
    fail(
      file,
      path,
      `must be a size such as 500MB, 1.5GiB or a number of bytes (got ${JSON.stringify(value)})`,
      SIZE_HINT,
    );
  // Rounded, `maxLayerBytes: 0.4` would be a limit of 0 bytes and 0.5 one of 1: not what anyone meant by it.
  if (fractionOfAByte(value))
    fail(
      file,
      path,
      `must be a whole number of bytes (got ${typeof value === 'number' ? String(value) : JSON.stringify(value)})`,
      'give whole bytes, or a size with a unit such as 1.5MB or 20MiB',
    );
  return parsed;
}

function ratio(value: unknown, file: string, path: string, max?: number): number {
  const parsed = parseRatio(value);
  // A bare number is a fraction, so `maxGrowthPercent: 10` would be 1000%: a gate that never fails for the user who
  // meant 10%. Above 1 that is almost surely the mistake, and more than 100% is still `150%`.
  const bare = typeof value === 'number' || (typeof value === 'string' && !value.includes('%'));
  if (parsed !== undefined && bare && parsed > 1)
    fail(
      file,
      path,
      `is ${String(value).trim()}, a fraction (${+(parsed * 100).toFixed(6)}%)`,
      `write ${String(value).trim()}% (a bare number is a fraction: 0.1 is 10%)`,
    );
  if (parsed === undefined || (max !== undefined && parsed > max))
    fail(
      file,
      path,
      `must be a ratio such as 10% or 0.1${max !== undefined ? ` (at most ${max * 100}%)` : ''} (got ${JSON.stringify(value)})`,
      RATIO_HINT,
    );
  return parsed;
}

/** `off` or `null` in config: the budget (or sub-budget) is switched off. */
const isOff = (value: unknown): boolean => value === null || value === 'off';

const OFF_AT_TOP_LEVEL = 'is off: leave it out (off switches a top-level budget off in an images: block)';

/**
 * One budget key from config, an env variable or a flag (all strings there). `source` names where it came from in
 * errors: `.ballast.yaml: ci.maxImageBytes ...` or `--max-image-bytes ...`. `off`, given for config mappings, collects
 * the sub-keys set to `off` (`maxImageBytes.compressed`), which switch that one limit off in a per-image block;
 * `topLevel` (the ci: section itself) refuses them with the advice a whole budget set to `off` there gets, rather than
 * "must be a size", which reads as if `off` were no value at all.
 */
export function parseBudget(
  budgets: CiBudgets,
  key: BudgetKey,
  value: unknown,
  file: string,
  path: string,
  off?: string[],
  topLevel = false,
): void {
  const offHere = (k: string, v: unknown): boolean => {
    if (topLevel && isOff(v)) fail(file, sub(path, k), OFF_AT_TOP_LEVEL);
    return off !== undefined && isOff(v);
  };
  switch (key) {
    case 'maxImageBytes':
      if (isObject(value)) {
        const out: { compressed?: number; uncompressed?: number } = {};
        notEmpty(value, file, path, 'compressed and/or uncompressed');
        for (const [k, v] of Object.entries(value)) {
          if (k !== 'compressed' && k !== 'uncompressed')
            unknownKey(file, path, k, ['compressed', 'uncompressed'], 'compressed=SIZE,uncompressed=SIZE');
          if (offHere(k, v)) off!.push(`${key}.${k}`);
          else out[k] = bytes(v, file, sub(path, k));
        }
        budgets.maxImageBytes = out;
      } else budgets.maxImageBytes = { ...budgets.maxImageBytes, uncompressed: bytes(value, file, path) };
      return;
    case 'maxJunkBytes':
      if (isObject(value)) {
        const out: { total?: number; classes: Record<string, number> } = { classes: {} };
        notEmpty(value, file, path, 'total and/or junk classes');
        for (const [k, v] of Object.entries(value)) {
          // An unknown class (a typo) is found here, before the image is read, naming the file.
          if (k !== 'total' && !isJunkClass(k))
            notJunkClass(`${file}: ${sub(path, k)} is not a junk class`, k, ['total']);
          if (offHere(k, v)) off!.push(`${key}.${k}`);
          else if (k === 'total') out.total = bytes(v, file, sub(path, 'total'));
          else out.classes[k] = bytes(v, file, sub(path, k));
        }
        budgets.maxJunkBytes = out;
      } else budgets.maxJunkBytes = { classes: budgets.maxJunkBytes?.classes ?? {}, total: bytes(value, file, path) };
      return;
    case 'maxLayerBytes':
    case 'maxWastedBytes':
    case 'maxGrowthBytes':
      budgets[key] = bytes(value, file, path);
      return;
    case 'minEfficiency':
    case 'maxWastedPercent':
      budgets[key] = ratio(value, file, path, 1);
      return;
    case 'maxGrowthPercent':
      budgets[key] = ratio(value, file, path);
      return;
    case 'failOn':
      if (typeof value !== 'string' || !FAIL_ON.includes(value))
        fail(file, path, `must be one of ${FAIL_ON.join(', ')}`, failOnHint(value));
      budgets.failOn = value as CiBudgets['failOn'];
      return;
  }
}

function parseIgnore(value: unknown, file: string, path: string): CiIgnore {
  const out: CiIgnore = { rules: [], paths: [], junk: [] };
  if (value === undefined || value === null) return out;
  if (!isObject(value)) fail(file, path, 'must be a mapping with rules, paths and/or junk');
  for (const [k, v] of Object.entries(value)) {
    if (k !== 'rules' && k !== 'paths' && k !== 'junk') unknownKey(file, path, k, ['rules', 'paths', 'junk']);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      fail(file, `${path}.${k}`, 'must be a list of strings');
    // An empty path glob matches no path: an ignore that silently ignores nothing.
    if (k === 'paths' && (v as string[]).some(isEmptyPathGlob))
      fail(file, `${path}.${k}`, 'must not hold an empty path');
    // An unknown class id (a typo, `testSuites` for `tests`) would leave that junk counted, silently.
    const unknown = k === 'junk' ? (v as string[]).find((id) => !isJunkClass(id)) : undefined;
    if (unknown !== undefined) notJunkClass(`${file}: ${path}.junk ${unknown} is not a junk class`, unknown);
    out[k] = v as string[];
  }
  return out;
}

function parseBudgetMapping(
  value: Record<string, unknown>,
  file: string,
  path: string,
  allowImages: boolean,
): { budgets: CiBudgets; ignore: CiIgnore; images: unknown; off: string[] } {
  const budgets: CiBudgets = {};
  let ignore: CiIgnore = { rules: [], paths: [], junk: [] };
  let images: unknown;
  const off: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if ((BUDGET_KEYS as readonly string[]).includes(key)) {
      // At the top level there is nothing to switch off: a budget that is not wanted is left out (the schema agrees).
      // failOn left out is `error`, so "leave it out" would be the wrong advice: the value that fails on nothing is.
      if (allowImages && key === 'failOn' && isOff(item))
        fail(
          file,
          `${path}.${key}`,
          'is off: write failOn: none (left out, it is error)',
          'none lets no finding fail the gate; off is none only in an images: block, switching the top-level failOn off',
        );
      if (allowImages && isOff(item)) fail(file, `${path}.${key}`, OFF_AT_TOP_LEVEL);
      // `failOn: off` is the gate's `none`: no finding fails it (dropping the key would bring back the default).
      if (key === 'failOn' && isOff(item)) budgets.failOn = 'none';
      // `null`/`off` in a per-image block switches a top-level budget off for those images (budgetsFor drops it).
      else if (isOff(item)) off.push(key);
      else
        parseBudget(
          budgets,
          key as BudgetKey,
          item,
          file,
          `${path}.${key}`,
          allowImages ? undefined : off,
          allowImages,
        );
    } else if (key === 'ignore') ignore = parseIgnore(item, file, `${path}.ignore`);
    else if (key === 'images' && allowImages) images = item;
    else {
      refuseDiveRule(file, `${path}.${key}`, key);
      unknownKey(file, path, key, [...BUDGET_KEYS, 'ignore', ...(allowImages ? ['images'] : [])]);
    }
  }
  return { budgets, ignore, images, off };
}

/** Validates the `ci:` section. */
export function parseCiSettings(value: unknown, file: string): CiSettings {
  if (value === undefined || value === null)
    return { budgets: {}, ignore: { rules: [], paths: [], junk: [] }, images: [] };
  if (!isObject(value)) fail(file, 'ci', 'must be a mapping');
  const top = parseBudgetMapping(value, file, 'ci', true);
  const images: CiSettings['images'] = [];
  if (top.images !== undefined) {
    if (!isObject(top.images))
      fail(file, 'ci.images', 'must map image patterns (registry.example.com/app/*) to budgets');
    for (const [pattern, item] of Object.entries(top.images)) {
      if (!isObject(item)) fail(file, `ci.images.${pattern}`, 'must be a mapping of budgets');
      const parsed = parseBudgetMapping(item, file, `ci.images.${pattern}`, false);
      images.push({ pattern, budgets: parsed.budgets, ignore: parsed.ignore, off: parsed.off });
    }
  }
  return { budgets: top.budgets, ignore: top.ignore, images };
}

/**
 * Whether the section sets no budget at all, at the top level or in any `images:` block (an `ignore:` list alone sets
 * none): the gate then checks only failOn's default and the flags, which the user who wrote `ci:` must be told.
 */
export function setsNoBudget(settings: CiSettings): boolean {
  const none = (budgets: CiBudgets) => Object.keys(budgets).length === 0;
  return none(settings.budgets) && settings.images.every((e) => none(e.budgets) && e.off.length === 0);
}

/**
 * `over` on top of `budgets`, sub-key by sub-key for the two object-valued budgets: `maxImageBytes: 1GB` (or
 * `--max-image-bytes 1GB`) sets the uncompressed limit and keeps a compressed one, `maxJunkBytes: 2GB` sets the total
 * and keeps the per-class limits, as a block or flag that names one limit should not drop the others.
 */
export function mergeBudgets(budgets: CiBudgets, over: CiBudgets): CiBudgets {
  const out: CiBudgets = { ...budgets, ...over };
  if (budgets.maxImageBytes && over.maxImageBytes)
    out.maxImageBytes = { ...budgets.maxImageBytes, ...over.maxImageBytes };
  if (budgets.maxJunkBytes && over.maxJunkBytes) {
    const total = over.maxJunkBytes.total ?? budgets.maxJunkBytes.total;
    out.maxJunkBytes = {
      ...(total !== undefined ? { total } : {}),
      classes: { ...budgets.maxJunkBytes.classes, ...over.maxJunkBytes.classes },
    };
  }
  return out;
}

/** Drops a budget (`maxLayerBytes`) or one limit of an object-valued one (`maxImageBytes.compressed`). */
function switchOff(budgets: CiBudgets, key: string): void {
  const [name, sub] = key.split('.') as [BudgetKey, string | undefined];
  if (sub === undefined) delete budgets[name];
  else if (name === 'maxImageBytes' && budgets.maxImageBytes) {
    // A copy: the object may be the top-level settings' own.
    budgets.maxImageBytes = { ...budgets.maxImageBytes };
    delete budgets.maxImageBytes[sub as 'compressed' | 'uncompressed'];
  } else if (name === 'maxJunkBytes' && budgets.maxJunkBytes) {
    const junk = { ...budgets.maxJunkBytes, classes: { ...budgets.maxJunkBytes.classes } };
    if (sub === 'total') delete junk.total;
    else delete junk.classes[sub];
    budgets.maxJunkBytes = junk;
  }
}

/**
 * The budgets for one image: the top-level ones, then every matching `images:` pattern's keys over them (in file
 * order, so a later, more specific pattern wins), merged per sub-key (mergeBudgets); `off` keys are dropped. A pattern
 * is tried against every name in `references` (the caller lists the argument, the path, the image's own tag ...).
 */
export function budgetsFor(
  settings: CiSettings,
  references: string[],
): { budgets: CiBudgets; ignore: CiIgnore; matched: string[] } {
  let budgets: CiBudgets = { ...settings.budgets };
  const ignore: CiIgnore = {
    rules: [...settings.ignore.rules],
    paths: [...settings.ignore.paths],
    junk: [...settings.ignore.junk],
  };
  const matched: string[] = [];
  for (const entry of settings.images) {
    const re = globToRegExp(entry.pattern);
    if (!references.some((r) => re.test(r))) continue;
    matched.push(entry.pattern);
    budgets = mergeBudgets(budgets, entry.budgets);
    for (const key of entry.off) switchOff(budgets, key);
    // One by one, not push(...): a config's lists may be longer than a call's arguments can be.
    for (const rule of entry.ignore.rules) ignore.rules.push(rule);
    for (const path of entry.ignore.paths) ignore.paths.push(path);
    for (const junk of entry.ignore.junk) ignore.junk.push(junk);
  }
  return { budgets, ignore, matched };
}

const DIVE_DISABLED = ['', 'disabled', 'off', 'false'];

/**
 * A fraction as dive reads one (docs: dive parses with Go's strconv.ParseFloat): an optional sign, digits with an
 * optional point and exponent (`0.9`, `.9`, `9e-1`), Go's hexadecimal form (`0x1p-1`), or inf/nan, which the range
 * check refuses. NaN for anything else.
 */
function goFloat(text: string): number {
  const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
  if (decimal.test(text)) return Number(text);
  const hex = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(text);
  if (hex && (hex[2] || hex[3])) {
    const [, sign, whole, frac = ''] = hex;
    const mantissa = parseInt(`${whole}${frac}` || '0', 16) / 16 ** frac.length;
    return (sign === '-' ? -1 : 1) * mantissa * 2 ** Number(hex[4]);
  }
  if (/^[+-]?(?:inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

const DIVE_KEYS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;

// What dive takes, for an error in a .dive-ci value (ballast's schema does not describe dive's file).
export const DIVE_FRACTION_HINT = 'dive takes a fraction from 0 to 1 (0.9 is 90%), or disabled';
const DIVE_SIZE_HINT = 'dive takes a size such as 20MB, 20MiB, 20Mi or a number of bytes (1,000), or disabled';

/**
 * dive's `.dive-ci` (docs: dive's CI mode): `rules: {lowestEfficiency, highestWastedBytes, highestUserWastedPercent}`,
 * camelCase only, missing keys take dive's defaults (0.9, disabled, 0.1), `disabled`/`off`/`false`/"" switch a rule
 * off, other keys are ignored, and a value out of range is an error (dive refuses to run too). A key that is one of
 * the three misspelt (`lowestEfficency`, dive's app-config spelling `lowest-efficiency`) is an error too: dive would
 * silently keep its default, a gate that never checks the threshold the team wrote. Plugin rules (`plugin1/rule1`)
 * and unrelated keys are still ignored, as dive ignores them.
 */
/** `95%`, the usual slip in a dive rule (dive has no percent form), as the fraction meant: `0.95`. */
export function percentAsFraction(value: unknown): string | undefined {
  const percent = typeof value === 'string' ? /^\s*(\d*\.?\d+)\s*%\s*$/.exec(value) : null;
  return percent ? String(+(Number(percent[1]) / 100).toFixed(6)) : undefined;
}

// A value as the file gave it: YAML reads `.inf` (and 1e400) as Infinity and `.nan` as NaN, which JSON.stringify
// would print as null, a value nobody wrote.
const asWritten = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

export function parseDiveCi(value: unknown, file: string): DiveRules {
  const rules: DiveRules = { lowestEfficiency: 0.9, highestWastedBytes: null, highestUserWastedPercent: 0.1 };
  if (value === null || value === undefined) return rules;
  if (!isObject(value))
    fail(file, '(top level)', 'must be a mapping with a rules key', 'write rules: {lowestEfficiency: 0.9, ...}');
  if (!('rules' in value))
    for (const key of Object.keys(value))
      if (meant(key, ['rules']))
        fail(file, key, "is not a key dive reads, so dive's defaults would apply", 'did you mean rules?');
  // A rule written at the top level, outside rules: (the section forgotten, or the rule outdented under it): dive
  // reads rules only under rules:, so it would keep its default, a gate weaker than the one the team wrote. Scalar
  // values only: a mapping or list under a top-level key is some other tool's section, which dive ignores.
  for (const [key, v] of Object.entries(value)) {
    const rule = v === null || typeof v !== 'object' ? meant(key, DIVE_KEYS) : undefined;
    if (rule)
      fail(
        file,
        key,
        `is not read at the top level: dive reads its rules under rules:, so its default would apply`,
        `move it under rules: (rules: {${rule}: ${v === null || v === '' ? '...' : JSON.stringify(v)}})`,
      );
  }
  const section = value.rules;
  if (section === undefined || section === null) return rules;
  // Its hint is dive's shape: ballast's schema, the default hint, does not describe a .dive-ci.
  if (!isObject(section))
    fail(file, 'rules', 'must be a mapping of rule names to values', 'write rules: {lowestEfficiency: 0.9, ...}');
  for (const key of Object.keys(section)) {
    if ((DIVE_KEYS as readonly string[]).includes(key) || key.includes('/')) continue;
    const guess = meant(key, DIVE_KEYS);
    if (guess)
      fail(
        file,
        `rules.${key}`,
        `is not a rule dive reads, so its default would apply`,
        `did you mean ${guess}? dive's keys are ${DIVE_KEYS.join(', ')}, camelCase`,
      );
  }
  const off = (v: unknown) => v === false || (typeof v === 'string' && DIVE_DISABLED.includes(v.trim().toLowerCase()));
  const fraction = (key: string, v: unknown): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? goFloat(v.trim()) : NaN;
    if (!(n >= 0 && n <= 1)) {
      const fraction = percentAsFraction(v);
      fail(
        file,
        `rules.${key}`,
        `must be a number between 0 and 1, or disabled (got ${asWritten(v)})`,
        fraction ? `write ${fraction}: ${DIVE_FRACTION_HINT}` : DIVE_FRACTION_HINT,
      );
    }
    return n;
  };
  // A key with no value (`lowestEfficiency:`, YAML null) is a key left unset, as dive reads it: dive looks a rule up
  // with its default underneath the file, and a null value is no value, so the default shows through (0.9, disabled,
  // 0.1). Only the text "" (or disabled, off, false) switches a rule off.
  const given = (key: (typeof DIVE_KEYS)[number]) => key in section && section[key] !== null;
  if (given('lowestEfficiency'))
    rules.lowestEfficiency = off(section.lowestEfficiency)
      ? null
      : fraction('lowestEfficiency', section.lowestEfficiency);
  if (given('highestUserWastedPercent')) {
    rules.highestUserWastedPercent = off(section.highestUserWastedPercent)
      ? null
      : fraction('highestUserWastedPercent', section.highestUserWastedPercent);
  }
  if (given('highestWastedBytes')) {
    const v = section.highestWastedBytes;
    const parsed = off(v) ? null : sizeBytes(v, 'dive');
    if (parsed === undefined)
      fail(
        file,
        'rules.highestWastedBytes',
        `must be a size such as 20MB, or disabled (got ${asWritten(v)})`,
        DIVE_SIZE_HINT,
      );
    if (parsed !== null && parsed > MAX_BYTES)
      fail(file, 'rules.highestWastedBytes', `is out of range (got ${asWritten(v)}; at most 9PB)`, DIVE_SIZE_HINT);
    rules.highestWastedBytes = parsed;
  }
  return rules;
}

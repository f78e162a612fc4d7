// Finding and reading configuration: .ballast.yaml searched upward from each Dockerfile's directory (or --config);
// when there is none, .hadolint.yaml (upward, then hadolint's XDG/home locations) is translated so a team moving from
// hadolint keeps its settings. The result is a resolved settings object keyed by rule code, one per config file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { bytesOutOfRange, fractionOfAByte, parseBytes } from '../analysis/growth.js';
import { DEFAULT_LIMITS, type LayerLimits } from '../analysis/limits.js';

export type { LayerLimits };
import { ConfigError, UsageError } from '../errors.js';
import { climbsOut, isDevNull, specialFileKind } from '../host-path.js';
import type { RuleMeta, Severity, SeveritySetting } from '../report/types.js';
import {
  LABEL_SCHEMA_IDS,
  validateBallastConfig,
  validateHadolintConfig,
  HADOLINT_OWN_KEYS,
  SCHEMA_HINT,
  type BallastConfig,
  type HadolintConfig,
  type LabelSchema,
} from './schema.js';

export const BALLAST_CONFIG_NAMES = ['.ballast.yaml', '.ballast.yml', 'ballast.yaml'];
const HADOLINT_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/**
 * The config files a command run in `cwd` may read, without reading them: `named` (--config), else the first
 * .ballast.yaml and the first .hadolint.yaml found upward. For the check that no report overwrites one.
 */
export function configCandidates(cwd: string, named?: string): string[] {
  if (named) return [resolve(cwd, named)];
  return [findUpward(cwd, BALLAST_CONFIG_NAMES), findUpward(cwd, HADOLINT_NAMES)].filter((f) => f !== undefined);
}

/**
 * How errors name a config file: as it was given (`--config ci/ballast.yaml`, $BALLAST_CONFIG), else, for one found by
 * its name, relative to the working directory when it is under it. The file is read by its absolute path, which the
 * user never typed.
 */
export function shownConfigPath(file: string, cwd: string, given?: string): string {
  if (given !== undefined) return given;
  const rel = relative(cwd, file);
  return climbsOut(rel) || rel === '' ? file : rel;
}

/**
 * `load`'s errors about the config `file`, naming it as `shown` (shownConfigPath): the reading and every check of its
 * keys name the absolute path they were handed, in the message and the hint.
 */
export async function namingConfigAs<T>(file: string, shown: string, load: () => T | Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof ConfigError) || shown === file) throw error;
    const named = (text: string) => text.split(file).join(shown);
    throw new ConfigError(named(error.message), {
      code: error.code,
      hint: error.hint === undefined ? undefined : named(error.hint),
      cause: error.cause,
      exitCode: error.exitCode,
    });
  }
}

export interface LintSettings {
  /** The file the settings came from, if any. */
  source?: string;
  kind: 'ballast' | 'hadolint' | 'defaults';
  severities: Record<string, SeveritySetting>;
  ruleOptions: Record<string, Record<string, unknown>>;
  failOn: Severity | 'none';
  /**
   * The config file set failOn (a .hadolint.yaml: its failure-threshold; else it is the default): hadolint's environment
   * applies only where the file is silent.
   */
  failOnFromFile?: boolean;
  /** hadolint's no-fail (a .hadolint.yaml's, or laid over it): when on, failOn is none whatever `threshold` says. */
  noFail?: boolean;
  /** failOn without hadolint's no-fail, which `--no-fail=false` brings back; unset, it is failOn. */
  threshold?: Severity | 'none';
  /**
   * The config file said whether inline pragmas are obeyed (a .hadolint.yaml's disable-ignore-pragma, a .ballast.yaml's
   * inlinePragmas), either way: hadolint's variable, below the file, then does not change it.
   */
  pragmasFromFile?: boolean;
  ignorePaths: string[];
  /** Directory ignorePaths are relative to. */
  baseDir: string;
  pragmas: boolean;
  hadolintPragmas: boolean;
  /** The raw config, for other commands' sections (ci). */
  raw?: BallastConfig;
  /**
   * A .hadolint.yaml's `format`, `no-color` and `verbose`: settings of the whole run, not of this config's Dockerfiles,
   * so `lint` applies them only when every Dockerfile it lints has them alike. (.ballast.yaml has no such keys.)
   */
  output?: ConfigOutput;
}

/** The output settings a config file gives (hadolint's `format`, `no-color`, `verbose`); unset keys are absent. */
export interface ConfigOutput {
  format?: string;
  noColor?: boolean;
  verbose?: boolean;
}

/** Walks up from `start` looking for the first of `names`. */
export function findUpward(start: string, names: string[]): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Largest config file read. Real ones are a few KB; YAML's parser holds over 100 bytes of memory per byte of text: an
 * 8 MB file of comments took 1.1 GB.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A config file's YAML (merge keys on); `flag` is the option that named it, for the hint when it cannot be read, and
 * none when the file was found by its name from a directory up.
 */
export async function readYaml(file: string, flag?: string): Promise<unknown> {
  let text: string;
  try {
    const info = statSync(file);
    // Read whole, so it must be a regular file (or /dev/null, an empty config): a FIFO, found by the upward search as
    // well as named, hung the run deaf to SIGINT, and /dev/zero ran the heap out.
    const kind = isDevNull(info) ? undefined : specialFileKind(info);
    if (kind)
      throw new ConfigError(`the config ${file} is ${kind}, not a config file`, {
        code: 'config-read',
        hint: flag
          ? `a config is a YAML file: give ${flag} a file`
          : 'a config is a YAML file: replace or remove that one, or give --config a file',
      });
    if (info.isFile() && info.size > MAX_CONFIG_BYTES)
      throw new ConfigError(`${file} is ${info.size} bytes, too large for a config file (limit ${MAX_CONFIG_BYTES})`, {
        code: 'config-read',
        hint: flag ? `give ${flag} the config file itself; real ones are a few KB` : 'real config files are a few KB',
      });
    text = utf8Text(file, readFileSync(file));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A directory under a config's name is found by the search as a file is, and must stop the run rather than be
    // passed over (a gate would run without its budgets); its own message, since EISDIR says nothing to most users.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new ConfigError(`the config ${file} is a directory, not a file`, {
        code: 'config-read',
        cause: error,
        hint: flag
          ? `a config is a YAML file: give ${flag} a file`
          : 'a config is a YAML file: rename or remove that directory, or give --config a file',
      });
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`, {
      code: 'config-read',
      cause: error,
      hint: flag ? `check the ${flag} path` : 'check that file, or give --config another one',
    });
  }
  // yaml is imported only when there is a file to read: most lint runs have none, and start-up time matters (pre-commit).
  const yaml = await import('yaml');
  try {
    // YAML 1.1 merge keys (`<<: *defaults`), which GitLab CI files use everywhere and its users write here too; YAML 1.2
    // dropped them, so the parser needs asking. The parser's own duplicate-key check compares each key with every
    // earlier one of its map: a 1 MiB file of one 90,000-key map took 53 s. firstDuplicateKey checks in one pass.
    const lineCounter = new yaml.LineCounter();
    const doc = yaml.parseDocument(text, { merge: true, uniqueKeys: false, lineCounter });
    const duplicate = firstDuplicateKey(yaml, doc);
    // The first problem in the file is named first, as the parser did with its own check among its errors.
    if (doc.errors.length && (duplicate === undefined || doc.errors[0].pos[0] < duplicate)) throw doc.errors[0];
    if (duplicate !== undefined) {
      const { line, col } = lineCounter.linePos(duplicate);
      throw new ConfigError(`${file} is not valid YAML: Map keys must be unique at line ${line}, column ${col}`, {
        code: 'config-yaml',
        hint: 'fix the YAML syntax at the position shown',
      });
    }
    // A tag turns a value into something no key takes: `!!binary` made a byte array, named by the schema as keys
    // "0", "1"...; a tag the parser does not know left the value as text, or dropped it. Only the core ones pass.
    const tagged = firstUnsupportedTag(yaml, doc);
    if (tagged) {
      const { line, col } = lineCounter.linePos(tagged.at);
      throw new ConfigError(
        `${file}: the YAML tag ${tagged.tag} on the value at line ${line}, column ${col} is not supported`,
        {
          code: 'config-yaml',
          hint: 'write the value without a tag: a number, a string, a list or a mapping',
        },
      );
    }
    // toJS bounds alias expansion (maxAliasCount, 100 by default), as parse() does: no alias bombs.
    return doc.toJS();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // The parser recurses once per level of nesting: `[[[[...` thousands deep runs its stack out, and its own words
    // ("Maximum call stack size exceeded at line 1, column 806:") read like a syntax error. Only the place is kept.
    const { code, linePos } = error as { code?: string; linePos?: { line: number; col: number }[] };
    // The parser's words ("please use YAML.parseAllDocuments()") are advice to a programmer.
    if (code === 'MULTIPLE_DOCS') {
      const at = linePos?.[0] ? ` (the second starts at line ${linePos[0].line}, column ${linePos[0].col})` : '';
      throw new ConfigError(`${file} holds more than one YAML document${at}`, {
        code: 'config-yaml',
        cause: error,
        hint: 'a config is one YAML document: remove the `---` or `...` line and merge what follows into the rest',
      });
    }
    if (code === 'RESOURCE_EXHAUSTION' && /call stack/i.test((error as Error).message)) {
      const at = linePos?.[0] ? ` (at line ${linePos[0].line}, column ${linePos[0].col})` : '';
      throw new ConfigError(`${file} is nested too deeply to read${at}`, {
        code: 'config-yaml',
        cause: error,
        hint: 'real configs are a few levels deep: look there for runaway brackets or indentation',
      });
    }
    // Aliases that would expand past the parser's cap (maxAliasCount: a "billion laughs" file), refused by the
    // parser with a ReferenceError: not a syntax error, and there is no position to fix.
    if (error instanceof ReferenceError && /excessive alias count/i.test(error.message))
      throw new ConfigError(`${file} expands its YAML aliases too many times to read`, {
        code: 'config-yaml',
        cause: error,
        hint: 'real configs use a few anchors (&name) and aliases (*name): write the values out, or use fewer aliases',
      });
    // The parser's message is its first line (the code frame below it is left out: the error is one line), without
    // the colon that led into that frame.
    const first = (error as Error).message.split('\n')[0].replace(/:\s*$/, '');
    throw new ConfigError(`${file} is not valid YAML: ${first}`, {
      code: 'config-yaml',
      cause: error,
      hint: 'fix the YAML syntax at the position shown',
    });
  }
}

/**
 * A config's text: UTF-8 (a byte order mark allowed), refused otherwise. Read as UTF-8 regardless, a UTF-16 file or
 * binary data parsed as one string of replacement characters and NULs, and was named "(top level) must be a mapping".
 */
function utf8Text(file: string, bytes: Buffer): string {
  const utf16 =
    bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  let text: string | undefined;
  if (!utf16) {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (!utf16 && text === undefined) {
    // Text in a legacy encoding (a Latin-1 `café` in a comment) is not binary data: said where its first bad byte is.
    const invalid = invalidUtf8(bytes);
    if (invalid) {
      const which = invalid.count === 1 ? 'an invalid byte' : `${invalid.count} invalid bytes, the first`;
      throw new ConfigError(`${file} is not UTF-8 (${which} on line ${invalid.line})`, {
        code: 'config-read',
        hint: 'a config is a YAML text file: save it as UTF-8 (`iconv -f latin1 -t utf-8` converts a Latin-1 file)',
      });
    }
  }
  if (text === undefined || text.includes('\0')) {
    throw new ConfigError(`${file} is not UTF-8 text (${utf16 ? 'it is UTF-16' : 'it holds binary data'})`, {
      code: 'config-read',
      hint: 'a config is a YAML text file: save it as UTF-8',
    });
  }
  return text;
}

/**
 * Where bytes that are not UTF-8 go wrong, when they read as text otherwise: no NUL or control byte but tab, line
 * feed and carriage return, and at most one byte in ten invalid. Undefined for anything else (binary data).
 */
function invalidUtf8(bytes: Buffer): { line: number; count: number } | undefined {
  if (bytes.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f)) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  let first: number | undefined;
  let count = 0;
  let start = 0;
  // A line feed is never part of a multi-byte sequence: each line is valid UTF-8 or not on its own.
  for (let line = 1; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const bytesOfLine = bytes.subarray(start, end < 0 ? bytes.length : end);
    try {
      decoder.decode(bytesOfLine);
    } catch {
      first ??= line;
      count += (lenient.decode(bytesOfLine).match(/\uFFFD/g) ?? []).length;
    }
    if (end < 0) break;
    start = end + 1;
  }
  if (first === undefined || count * 10 > bytes.length) return undefined;
  return { line: first, count };
}

/** Tags of the YAML core schema, the only ones a config may write (`!!str 1.0` is fine, `!!binary` is not). */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** The first node with an explicit tag other than a core one, with the tag as written (`!!binary`) and its offset. */
function firstUnsupportedTag(
  yaml: typeof import('yaml'),
  doc: import('yaml').Document,
): { tag: string; at: number } | undefined {
  let found: { tag: string; at: number } | undefined;
  yaml.visit(doc, {
    Node(_, node) {
      if (node.tag === undefined || node.tag === '!' || CORE_TAGS.has(node.tag)) return undefined;
      found = { tag: node.tag.replace(/^tag:yaml\.org,2002:/, '!!'), at: node.range?.[0] ?? 0 };
      return yaml.visit.BREAK;
    },
  });
  return found;
}

/**
 * The offset of the first key that repeats an earlier scalar key of its map, or undefined: what the parser's
 * `uniqueKeys` refuses (`===` on the keys' values), with a Set per map instead of a comparison with every earlier key.
 * Merge keys (`<<`) may repeat: with merge on each one's value is a Symbol of its own, so none is seen twice, while a
 * quoted "<<" is a plain key and is refused as the parser refuses it. NaN is not `===` NaN, so the parser let
 * `.nan:` repeat; a Set would not.
 */
function firstDuplicateKey(yaml: typeof import('yaml'), doc: import('yaml').Document): number | undefined {
  let found: number | undefined;
  yaml.visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!yaml.isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (Number.isNaN(key)) continue;
        if (seen.has(key)) {
          found = pair.key.range?.[0] ?? 0;
          return yaml.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** The ids another tool gives a rule that checks the same thing (its `same` sources): the keys config takes for it. */
function sameIds(rule: RuleMeta | undefined, tool: 'hadolint' | 'buildkit'): string[] {
  return rule?.sources.filter((s) => s.tool === tool && s.relation === 'same').map((s) => s.id) ?? [];
}

/** Whether `key` is, in any case, one of the ids `tool` gives the rule (sameIds). */
function knownAs(rule: RuleMeta, tool: 'hadolint' | 'buildkit', key: string): boolean {
  return sameIds(rule, tool).some((id) => id.toUpperCase() === key.toUpperCase());
}

/** Maps a code, rule name or hadolint id to the rule codes it means. */
export function ruleCodesFor(key: string, rules: RuleMeta[]): string[] {
  return rules
    .filter((r) => r.code === key.toUpperCase() || r.name === key || knownAs(r, 'hadolint', key))
    .map((r) => r.code);
}

/** Like ruleCodesFor, and a ShellCheck code (`SC2086`) means itself: its findings are configured like a rule's. */
export function codesFor(key: string, rules: RuleMeta[]): string[] {
  return /^SC\d{4}$/i.test(key) ? [key.toUpperCase()] : ruleCodesFor(key, rules);
}

/**
 * Like codesFor, and a BuildKit check name (`JSONArgsRecommended`) means its rule too: the names `lint --ignore` and
 * `ballast rules` take. For ballast's own config; a .hadolint.yaml keeps to the ids hadolint knows.
 */
export function ballastCodesFor(key: string, rules: RuleMeta[]): string[] {
  const codes = codesFor(key, rules);
  return codes.length > 0 ? codes : rules.filter((r) => knownAs(r, 'buildkit', key)).map((r) => r.code);
}

export interface LoadOptions {
  /** Directory to start the upward search (a Dockerfile's directory, or the cwd for stdin). */
  cwd: string;
  /** --config FILE: a .ballast.yaml or a .hadolint.yaml (told apart by its name, else by its keys). */
  configPath?: string;
  rules: RuleMeta[];
  /** Where hadolint's per-user config lives (tests point this at a temp dir). */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Told, once per file, of a `.hadolint.yaml` left unread because a `.ballast.yaml` no farther up is read instead. */
  onNote?: (message: string) => void;
}

export async function loadLintSettings(options: LoadOptions): Promise<LintSettings> {
  return lintSettingsResolver(options)(options.cwd);
}

/** The keys of a .ballast.yaml that configure lint. */
const LINT_KEYS = [
  'failOn',
  'rules',
  'ignorePaths',
  'trustedRegistries',
  'labelSchema',
  'strictLabels',
  'inlinePragmas',
  'hadolintPragmas',
] as const;

/**
 * The settings for each Dockerfile's directory: `--config` for all of them, else the `.ballast.yaml` found upward from
 * the directory, else the `.hadolint.yaml` found upward, else the working directory's config (`.ballast.yaml`, then
 * `.hadolint.yaml`), else hadolint's per-user files, else the defaults.
 * Upward searches are remembered per directory and each config file is read once, so linting a thousand Dockerfiles
 * costs one lookup per directory, not one walk to the root per file.
 */
export function lintSettingsResolver(options: LoadOptions): (dir: string) => Promise<LintSettings> {
  const { rules } = options;
  if (options.configPath) {
    const configPath = options.configPath;
    let loaded: Promise<LintSettings> | undefined;
    const file = resolve(options.cwd, configPath);
    return () => (loaded ??= namingConfigAs(file, configPath, () => fromConfigFlag(file, configPath, rules)));
  }
  const ours = upwardSearch(BALLAST_CONFIG_NAMES);
  const theirs = upwardSearch(HADOLINT_NAMES);
  const byFile = new Map<string, Promise<LintSettings>>();
  const read = (file: string, kind: 'ballast' | 'hadolint') => {
    let settings = byFile.get(file);
    if (!settings) {
      settings = namingConfigAs(file, shownConfigPath(file, options.cwd), () =>
        kind === 'ballast' ? fromBallast(file, rules) : fromHadolint(file, rules),
      );
      byFile.set(file, settings);
    }
    return settings;
  };
  let personal: string | null | undefined;
  const defaults: LintSettings = {
    kind: 'defaults',
    severities: {},
    ruleOptions: {},
    failOn: 'info',
    ignorePaths: [],
    baseDir: resolve(options.cwd),
    pragmas: true,
    hadolintPragmas: true,
  };
  const home = resolve(options.home ?? homedir());
  const userConfig = () => (personal === undefined ? (personal = hadolintUserConfig(options)) : personal);
  // hadolint reads the working directory's .hadolint.yaml whatever Dockerfile it lints, so `cd proj && ballast lint
  // /elsewhere/Dockerfile` (a Dockerfile generated in a temp dir, or checked out beside the project) gets proj's
  // config when nothing is found upward from the Dockerfile: ballast's file first there too, then hadolint's.
  const cwd = resolve(options.cwd);
  const inCwd = (names: string[]) => names.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
  let working: { file: string; kind: 'ballast' | 'hadolint' } | null | undefined;
  const workingConfig = () => {
    if (working === undefined) {
      const ballast = inCwd(BALLAST_CONFIG_NAMES);
      const hadolint = ballast ? undefined : inCwd(HADOLINT_NAMES);
      working = ballast ? { file: ballast, kind: 'ballast' } : hadolint ? { file: hadolint, kind: 'hadolint' } : null;
    }
    return working;
  };
  const unread = new Set<string>();
  return async (dir) => {
    const file = ours(dir);
    if (file) {
      const settings = await read(file, 'ballast');
      // A team moving from hadolint that adds a .ballast.yaml for ci's budgets beside its .hadolint.yaml would lose the
      // hadolint file's ignored rules and overrides without a word: say so, when the .ballast.yaml sets nothing of
      // lint's (one that does was written for lint) and the .hadolint.yaml is as near the Dockerfile (one farther up, a
      // monorepo's, is expected to give way to a project's own).
      const shadowed = theirs(dir);
      if (
        shadowed &&
        !unread.has(shadowed) &&
        !climbsOut(relative(dirname(file), shadowed)) &&
        !LINT_KEYS.some((key) => settings.raw?.[key] !== undefined)
      ) {
        unread.add(shadowed);
        options.onNote?.(
          `${shownConfigPath(shadowed, cwd)} is not read: ${shownConfigPath(file, cwd)} is, and a .ballast.yaml takes the place of a .hadolint.yaml (move its settings there: ignored: [ID] is rules: {ID: off}, override: {error: [ID]} is rules: {ID: error}, failure-threshold is failOn)`,
        );
      }
      return settings;
    }
    let hadolint: string | null | undefined = theirs(dir);
    // The upward search from a project in home reaches ~/.hadolint.yaml, which hadolint ranks last of its per-user
    // files, after the working directory's and $XDG_CONFIG_HOME's and ~/.config's; it is the working directory's file
    // only for a Dockerfile in home.
    const homeFile = hadolint !== undefined && dirname(hadolint) === home && resolve(dir) !== home;
    if (!hadolint || homeFile) {
      const fallback = workingConfig();
      if (fallback) return read(fallback.file, fallback.kind);
    }
    if (homeFile) hadolint = userConfig() ?? hadolint;
    hadolint ??= userConfig();
    return hadolint ? read(hadolint, 'hadolint') : defaults;
  };
}

/**
 * hadolint's per-user config, in hadolint's search order after the working directory's `.hadolint.yaml`:
 * $XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml, ~/.hadolint/hadolint.yaml or ~/hadolint/config.yaml, then
 * ~/.hadolint.yaml; `.yml` works in each place too. null when there is none.
 */
function hadolintUserConfig(options: LoadOptions): string | null {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const xdg = env.XDG_CONFIG_HOME;
  const places = [
    xdg ? join(xdg, 'hadolint') : undefined,
    join(home, '.config', 'hadolint'),
    join(home, '.hadolint', 'hadolint'),
    join(home, 'hadolint', 'config'),
    join(home, '.hadolint'),
  ];
  for (const place of places) {
    if (place === undefined) continue;
    for (const ext of ['.yaml', '.yml']) if (existsSync(place + ext)) return place + ext;
  }
  return null;
}

/** findUpward for many starting directories: each directory's answer is remembered, for it and every parent asked. */
function upwardSearch(names: string[]): (start: string) => string | undefined {
  const found = new Map<string, string | undefined>();
  const search = (dir: string): string | undefined => {
    if (found.has(dir)) return found.get(dir);
    let result = names.map((name) => join(dir, name)).find((candidate) => existsSync(candidate));
    if (!result) {
      const parent = dirname(dir);
      result = parent === dir ? undefined : search(parent);
    }
    found.set(dir, result);
    return result;
  };
  return (start) => search(resolve(start));
}

/** --config FILE: a `.ballast.yaml` or `.hadolint.yaml` by its name; any other name by its keys. */
async function fromConfigFlag(file: string, given: string, rules: RuleMeta[]): Promise<LintSettings> {
  if (!existsSync(file))
    throw new ConfigError(`config file ${given} does not exist`, {
      code: 'config-missing',
      hint: 'check the path given with --config or in BALLAST_CONFIG',
    });
  const name = basename(file);
  if (/hadolint/.test(name)) return fromHadolint(file, rules, '--config');
  if (/ballast/.test(name)) return fromBallast(file, rules, '--config');
  // Neither name: told apart by its keys, and an error in it says which format was assumed and why.
  const data = await readYaml(file, '--config');
  const theirs = hadolintKeysIn(data);
  if (theirs.length > 0)
    return hadolintSettings(
      data,
      file,
      rules,
      `read as a .hadolint.yaml because it has hadolint's ${theirs.join(', ')}`,
    );
  try {
    return await ballastSettings(validateBallastConfig(data, file), file, rules);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const keys = HADOLINT_OWN_KEYS.join(', ');
    throw new ConfigError(`${error.message} (read as a .ballast.yaml because it has none of hadolint's keys)`, {
      code: error.code,
      cause: error,
      hint: joinHints(
        error.hint ?? 'see schema/ballast.schema.json',
        `a hadolint config is told by its keys (${keys})`,
      ),
    });
  }
}

function hadolintKeysIn(data: unknown): string[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.keys(data).filter((key) => HADOLINT_OWN_KEYS.includes(key));
}

async function fromBallast(file: string, rules: RuleMeta[], flag?: string): Promise<LintSettings> {
  return ballastSettings(validateBallastConfig(await readYaml(file, flag), file), file, rules);
}

/**
 * settingsFromBallastConfig for a run of `rules` only (lint's Dockerfile rules). One .ballast.yaml serves every
 * command, so a key naming an image rule (`IM001: error`, set for `ci`) is known, and set nothing here. The image
 * rules' metadata is loaded only when some key is none of `rules`': lint's start-up does not pay for it otherwise.
 */
async function ballastSettings(config: BallastConfig, file: string, rules: RuleMeta[]): Promise<LintSettings> {
  const strangers = Object.keys(config.rules ?? {}).some((key) => ballastCodesFor(key, rules).length === 0);
  if (!strangers) return settingsFromBallastConfig(config, file, rules);
  const { loadImageRules } = await import('../../rules/index.js');
  const elsewhere = (await loadImageRules()).map((rule) => rule.meta);
  return settingsFromBallastConfig(config, file, rules, elsewhere);
}

/**
 * Turns a validated .ballast.yaml into settings (also used by the rule-doc checks, whose Options blocks are configs).
 * `elsewhere`: rules the config may name that this run does not apply (their settings are left out, not refused).
 */
export function settingsFromBallastConfig(
  config: BallastConfig,
  file: string,
  rules: RuleMeta[],
  elsewhere: RuleMeta[] = [],
): LintSettings {
  const severities: Record<string, SeveritySetting> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  // Code -> the key that set it. A rule's code, name, hadolint id and BuildKit check name are four keys to YAML: set
  // under two of them, the last one silently won (`DF006: error` then `pip-cache: {severity: info}` read as info).
  const setBy = new Map<string, string>();
  const codesOf = (key: string) => {
    const codes = ballastCodesFor(key, rules);
    return codes.length > 0 ? codes : ballastCodesFor(key, elsewhere);
  };
  for (const [key, setting] of Object.entries(config.rules ?? {})) {
    const codes = ballastCodesFor(key, rules);
    for (const code of codesOf(key)) {
      const earlier = setBy.get(code);
      if (earlier === undefined) {
        setBy.set(code, key);
        continue;
      }
      const meta = [...rules, ...elsewhere].find((r) => r.code === code);
      const aka = meta
        ? [
            meta.name,
            ...sameIds(meta, 'hadolint').map((id) => `hadolint ${id}`),
            ...sameIds(meta, 'buildkit').map((id) => `BuildKit ${id}`),
          ]
        : [];
      // Every later key that sets it, so that a third one is not found only after the second is removed.
      const later = Object.keys(config.rules ?? {})
        .filter((k) => k !== earlier && codesOf(k).includes(code))
        .map((k) => `rules.${k}`);
      const named =
        later.length === 1 ? `${later[0]} sets` : `${later.slice(0, -1).join(', ')} and ${later.at(-1)} set`;
      throw new ConfigError(
        `${file}: ${named} ${code}${meta ? ` (${meta.name})` : ''}, which rules.${earlier} sets already`,
        {
          code: 'config-rule',
          hint: `${code}${aka.length > 0 ? ` (${aka.join(', ')})` : ''} is one rule: keep one of ${later.length === 1 ? 'the two keys' : 'these keys'}`,
        },
      );
    }
    if (codes.length === 0 && codesOf(key).length > 0) continue;
    if (codes.length === 0) {
      throw new ConfigError(`${file}: rules.${key} is not a known rule`, {
        code: 'config-rule',
        hint: 'run `ballast rules` to list codes and names',
      });
    }
    for (const code of codes) {
      if (typeof setting === 'string') severities[code] = setting;
      else {
        if (setting.severity) severities[code] = setting.severity;
        if (setting.options) ruleOptions[code] = { ...(ruleOptions[code] ?? {}), ...setting.options };
      }
    }
  }
  if (config.trustedRegistries) {
    for (const code of ruleCodesFor('DL3026', rules))
      ruleOptions[code] = { ...(ruleOptions[code] ?? {}), trustedRegistries: config.trustedRegistries };
  }
  addLabelSchema(ruleOptions, rules, config.labelSchema, config.strictLabels);
  return {
    source: file,
    kind: 'ballast',
    severities,
    ruleOptions,
    failOn: config.failOn ?? 'info',
    failOnFromFile: config.failOn !== undefined,
    // ballast's failOn is its whole say on what fails (`none` is its no-fail): hadolint's no-fail, below the file, does
    // not override it.
    ...(config.failOn !== undefined ? { noFail: false } : {}),
    ignorePaths: config.ignorePaths ?? [],
    baseDir: dirname(file),
    pragmas: config.inlinePragmas ?? true,
    hadolintPragmas: config.hadolintPragmas ?? true,
    pragmasFromFile: config.inlinePragmas !== undefined,
    raw: config,
  };
}

async function fromHadolint(file: string, rules: RuleMeta[], flag?: string): Promise<LintSettings> {
  return hadolintSettings(await readYaml(file, flag), file, rules);
}

/**
 * Two hints as one. After a question (`did you mean failure-threshold?`) the next follows with a space, as ballast's
 * other hints do: `?;` reads as a typo.
 */
function joinHints(first: string, next: string): string {
  return `${first}${first.endsWith('?') ? ' ' : '; '}${next}`;
}

/** A parsed .hadolint.yaml as settings; its errors point at hadolint's keys, not ballast's schema. */
function hadolintSettings(data: unknown, file: string, rules: RuleMeta[], assumed?: string): LintSettings {
  try {
    return settingsFromHadolintConfig(validateHadolintConfig(data, file), file, rules);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.code !== 'config-invalid') throw error;
    const keys = [...HADOLINT_OWN_KEYS, 'trustedRegistries'].join(', ');
    // fromConfigFlag reads a name with ballast in it as ballast's before looking at the keys, so either way works.
    const rename = assumed
      ? `; to have it read as ballast's, give it a name with ballast in it (.ballast.yaml) or take out hadolint's ${hadolintKeysIn(data).join(', ')}`
      : '';
    // The error's own hint (the key it was probably meant to be, hadolint's name for a ballast key) is kept; the pointer
    // at ballast's schema is not, as it is the wrong format.
    const hint = `this is read as hadolint's format, whose keys ballast accepts are ${keys}${rename}`;
    throw new ConfigError(assumed ? `${error.message} (${assumed})` : error.message, {
      code: error.code,
      cause: error,
      hint: error.hint && error.hint !== SCHEMA_HINT ? joinHints(error.hint, hint) : hint,
    });
  }
}

function settingsFromHadolintConfig(config: HadolintConfig, file: string, rules: RuleMeta[]): LintSettings {
  const severities: Record<string, SeveritySetting> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  // ShellCheck's SCxxxx apply to `lint`'s ShellCheck findings; ids of rules ballast does not have are skipped, as hadolint
  // accepts them too.
  const levels: [keyof NonNullable<HadolintConfig['override']>, Severity][] = [
    ['error', 'error'],
    ['warning', 'warning'],
    ['info', 'info'],
    ['style', 'style'],
  ];
  for (const [level, severity] of levels)
    for (const id of config.override?.[level] ?? [])
      for (const code of codesFor(id, rules)) severities[code] = severity;
  for (const id of config.ignored ?? []) for (const code of codesFor(id, rules)) severities[code] = 'off';
  if (config.trustedRegistries) {
    const list = Array.isArray(config.trustedRegistries) ? config.trustedRegistries : [config.trustedRegistries];
    for (const code of ruleCodesFor('DL3026', rules)) ruleOptions[code] = { trustedRegistries: list };
  }
  addLabelSchema(ruleOptions, rules, config['label-schema'], config['strict-labels']);
  const threshold = config['failure-threshold'];
  const thresholdFailOn: Severity | 'none' =
    threshold === 'none'
      ? 'none'
      : threshold === 'error'
        ? 'error'
        : threshold === 'warning'
          ? 'warning'
          : // hadolint's lowest level is `ignore`, below style: everything reported fails.
            threshold === 'style' || threshold === 'ignore'
            ? 'style'
            : 'info';
  return {
    source: file,
    kind: 'hadolint',
    severities,
    ruleOptions,
    failOn: config['no-fail'] ? 'none' : thresholdFailOn,
    failOnFromFile: threshold !== undefined,
    noFail: config['no-fail'],
    threshold: thresholdFailOn,
    ignorePaths: [],
    baseDir: dirname(file),
    pragmas: !config['disable-ignore-pragma'],
    hadolintPragmas: !config['disable-ignore-pragma'],
    pragmasFromFile: config['disable-ignore-pragma'] !== undefined,
    output: { format: config.format, noColor: config['no-color'], verbose: config.verbose },
  };
}

// hadolint's label-schema turns DL3049-DL3056 and DL3058 on and strict-labels turns DL3050 on; every label rule gets both
// settings (a top-level setting is the default, options given on one rule win for that rule).
function addLabelSchema(
  ruleOptions: Record<string, Record<string, unknown>>,
  rules: RuleMeta[],
  schema: LabelSchema | null | undefined,
  strict: boolean | undefined,
): void {
  if (!schema && strict === undefined) return;
  for (const id of LABEL_SCHEMA_IDS) {
    for (const code of ruleCodesFor(id, rules)) {
      const own = ruleOptions[code] ?? {};
      ruleOptions[code] = {
        ...(schema ? { labelSchema: schema } : {}),
        ...(strict !== undefined ? { strictLabels: strict } : {}),
        ...own,
      };
    }
  }
}

/**
 * The `.ballast.yaml` for an image command: `--config FILE`, else the first found upward from `cwd`; undefined when
 * there is none. (A `.hadolint.yaml` holds no image settings, so it is not read here.)
 */
export async function loadBallastConfig(options: {
  cwd: string;
  configPath?: string;
}): Promise<{ file: string; shown: string; config: BallastConfig } | undefined> {
  let file: string | undefined;
  if (options.configPath) {
    file = resolve(options.cwd, options.configPath);
    if (!existsSync(file))
      throw new ConfigError(`config file ${options.configPath} does not exist`, {
        code: 'config-missing',
        hint: 'check the path given with --config or in BALLAST_CONFIG',
      });
  } else file = findUpward(options.cwd, BALLAST_CONFIG_NAMES);
  if (!file) return undefined;
  const at = file;
  const shown = shownConfigPath(file, options.cwd, options.configPath);
  const config = await namingConfigAs(at, shown, async () =>
    validateBallastConfig(await readYaml(at, options.configPath && '--config'), at),
  );
  return { file, shown, config };
}

/**
 * The per-layer budgets: each flag value wins (the byte budget as text, `4GB`), then `limits:` of `configPath` (a
 * command's --config) or else of the .ballast.yaml found upward from `cwd`, then the defaults. The config file is read
 * only when a flag is left unset.
 */
export async function loadLimits(
  cwd: string,
  flags: { maxDecompressedBytes?: string; maxEntries?: number },
  configPath?: string,
  /** How errors name the byte budget: its flag, or the variable that set it. */
  source = '--max-decompressed-bytes',
): Promise<LayerLimits> {
  const text = flags.maxDecompressedBytes;
  const bytes = text === undefined ? undefined : parseBytes(text);
  if (text !== undefined && fractionOfAByte(text))
    throw new UsageError(`${source} ${text} is not a whole number of bytes`, {
      code: 'usage',
      hint: 'give whole bytes or a size such as 4GB or 500MiB',
    });
  if (text !== undefined && (bytes === undefined || bytes < 1)) {
    const tooBig = bytesOutOfRange(text);
    throw new UsageError(`${source} ${text} ${tooBig ? 'is out of range (at most 9PB)' : 'is not a size'}`, {
      code: 'usage',
      hint: 'give bytes or a size such as 4GB or 500MiB',
    });
  }
  let fromFile: BallastConfig['limits'];
  let fileName: string | undefined;
  if (bytes === undefined || flags.maxEntries === undefined) {
    // `--config FILE` is the one config, for its limits: too (the team's hostile-image budget must not be dropped for
    // a .ballast.yaml found upward). A .dive-ci or hadolint config has no limits:, and a missing file is left to the
    // command's own reading of it, which says so.
    let file: string | undefined;
    if (configPath === undefined) file = findUpward(cwd, BALLAST_CONFIG_NAMES);
    else if (!/dive-ci|hadolint/.test(basename(configPath)) && existsSync(resolve(cwd, configPath)))
      file = resolve(cwd, configPath);
    if (file) {
      const at = file;
      const shown = shownConfigPath(file, cwd, configPath);
      const data = await namingConfigAs(at, shown, () =>
        readYaml(at, configPath === undefined ? undefined : '--config'),
      );
      if (configPath === undefined || hadolintKeysIn(data).length === 0) {
        fromFile = (await namingConfigAs(at, shown, () => validateBallastConfig(data, at))).limits;
        fileName = shown;
      }
    }
  }
  // Set by the config, a budget is named in its errors as written there (see LayerLimits.setBy).
  const setBy = {
    ...(bytes !== undefined && source.startsWith('$') ? { bytes: `${source}=${text}` } : {}),
    ...(bytes === undefined && fromFile?.maxDecompressedBytes !== undefined
      ? { bytes: `limits.maxDecompressedBytes: ${fromFile.maxDecompressedBytes} in ${fileName}` }
      : {}),
    ...(flags.maxEntries === undefined && fromFile?.maxEntries !== undefined
      ? { entries: `limits.maxEntries: ${fromFile.maxEntries} in ${fileName}` }
      : {}),
  };
  return {
    maxDecompressedBytes: bytes ?? parseBytes(fromFile?.maxDecompressedBytes) ?? DEFAULT_LIMITS.maxDecompressedBytes,
    maxEntries: flags.maxEntries ?? fromFile?.maxEntries ?? DEFAULT_LIMITS.maxEntries,
    ...(Object.keys(setBy).length > 0 ? { setBy } : {}),
  };
}

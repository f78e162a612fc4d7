// Flag sets shared by commands, each with its BALLAST_* environment variable.
import { Flags } from '@oclif/core';
import {
  loadBallastConfig,
  loadLimits,
  namingConfigAs,
  settingsFromBallastConfig,
  type LayerLimits,
} from '../config/load.js';
import type { SeveritySetting } from '../report/types.js';
import { UsageError } from '../errors.js';
import { readBounded } from '../read-bounded.js';
import { schemePrefix } from '../image/reference.js';
import { parsePlatform } from '../image/platform.js';
import type { SourceOf } from '../flag-sources.js';

/** What --platform takes; `diff` adds how it takes two. */
export const PLATFORM_DESCRIPTION =
  "platform to pick from a multi-platform image, os/arch[/variant], an architecture alone for linux, or an OS alone for this machine's architecture (default: linux on this machine's architecture, on macOS and Windows too, as Docker Desktop pulls)";

/**
 * The longest --timeout: Node's timers hold at most 2^31-1 ms (almost 25 days). A longer one was set to 1 ms with a
 * TimeoutOverflowWarning, so every request failed at once as "did not answer within 9999999s"; refused rather than
 * capped, since a value that large is a typo (or a wish for no timeout, which a timer cannot give either).
 */
export const MAX_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);

export const sourceFlags = {
  platform: Flags.string({
    description: PLATFORM_DESCRIPTION,
    env: 'BALLAST_PLATFORM',
    helpGroup: 'SOURCE',
  }),
  source: Flags.string({
    // `docker` is dive's name for the daemon (`dive --source docker IMAGE`), accepted so its command line carries over.
    description: "where to look up a bare reference (docker is daemon, as dive's --source names it)",
    options: ['auto', 'daemon', 'docker', 'podman', 'registry'],
    default: 'auto',
    env: 'BALLAST_SOURCE',
    helpGroup: 'SOURCE',
  }),
  'no-verify': Flags.boolean({
    description: 'skip checking blob digests and diff_ids while reading',
    env: 'BALLAST_NO_VERIFY',
    helpGroup: 'SOURCE',
  }),
  username: Flags.string({
    description:
      'registry user name (the password comes from --password-stdin); default: docker/podman login credentials',
    env: 'BALLAST_USERNAME',
    helpGroup: 'SOURCE',
  }),
  'password-stdin': Flags.boolean({
    description: 'read the registry password or token from standard input',
    env: 'BALLAST_PASSWORD_STDIN',
    helpGroup: 'SOURCE',
  }),
  'insecure-registry': Flags.string({
    description: 'a registry host[:port] to reach over plain HTTP or unverified TLS (loopback needs none); repeatable',
    multiple: true,
    multipleNonGreedy: true,
    env: 'BALLAST_INSECURE_REGISTRY',
    helpGroup: 'SOURCE',
  }),
  'no-cache': Flags.boolean({
    description: 'do not read or write the caches ($XDG_CACHE_HOME/ballast): registry blobs and per-layer results',
    env: 'BALLAST_NO_CACHE',
    helpGroup: 'SOURCE',
  }),
  timeout: Flags.integer({
    description: `seconds to wait for a registry or daemon to answer, at most ${MAX_TIMEOUT_SECONDS} (per request; a failing registry request gives up within about twice this, retries included)`,
    min: 1,
    default: 30,
    env: 'BALLAST_TIMEOUT',
    helpGroup: 'SOURCE',
  }),
};

/** The parsed values of `sourceFlags`. */
export interface SourceFlagValues {
  platform?: string;
  source?: string;
  'no-verify'?: boolean;
  username?: string;
  'password-stdin'?: boolean;
  'insecure-registry'?: string[];
  'no-cache'?: boolean;
  timeout?: number;
}

/** Options for opening an image, shaped like the services' ResolveOptions (commands may not import sources). */
export interface SourceFlagOptions {
  platform?: string;
  source?: 'daemon' | 'podman' | 'registry';
  /** How `source` was set (`--source`, `$BALLAST_SOURCE`), for hints that name it. */
  sourceFlag?: string;
  verify: boolean;
  username?: string;
  password?: string;
  insecureRegistries?: string[];
  noCache?: boolean;
  timeoutMs?: number;
  /** The command running (`inspect`), for hints that show a command line to type. */
  command?: string;
}

/** Most --password-stdin reads: passwords and registry tokens are at most a few KB. */
export const MAX_PASSWORD_BYTES = 1024 * 1024;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError('--password-stdin expects the password on standard input', {
      code: 'usage',
      hint: 'pipe it in: `echo "$TOKEN" | ballast inspect --username me --password-stdin docker://REF`',
    });
  }
  // Read whole, so bounded: `< /dev/zero` or a file piped in by mistake ran the heap out.
  const input = await readBounded(process.stdin, MAX_PASSWORD_BYTES);
  if (!input)
    throw new UsageError(
      `--password-stdin read over ${MAX_PASSWORD_BYTES} bytes from standard input, too many for a password`,
      {
        code: 'usage',
        hint: 'pipe in the password or token alone, e.g. `echo "$TOKEN" | ballast ...`',
      },
    );
  // Like `docker login --password-stdin`: one trailing newline is not part of the password.
  const password = input.toString('utf8').replace(/\r?\n$/, '');
  // `echo "$TOKEN" |` with TOKEN unset pipes in only a newline: sent as is, the registry would answer "rejected the
  // credentials", which points at the wrong thing. Docker refuses an empty password too.
  if (password === '') {
    throw new UsageError('--password-stdin read an empty password from standard input', {
      code: 'usage',
      hint: 'check that the variable or file piped in holds the password, e.g. `echo "$TOKEN" | ballast ...` with TOKEN set',
    });
  }
  return password;
}

/**
 * A --insecure-registry value as the host[:port] the registry client compares: `http://host:5000/` (a URL, as the
 * registry's address is often written) names the same host. Anything else that is not a host[:port] is refused,
 * since it could never match and the user would be told to pass the very flag they passed.
 */
export function insecureRegistryHost(value: string, source = '--insecure-registry'): string {
  const trimmed = value.trim();
  const host = trimmed.slice(schemePrefix(trimmed).length).replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(`http://${host}`);
  } catch {
    parsed = undefined;
  }
  if (host.includes('@')) {
    // What comes before the '@' is a user name and maybe a password: never repeated.
    throw new UsageError(`${source} takes a registry host[:port], not a user name or password`, {
      code: 'usage',
      hint: 'name the registry as in the image reference, e.g. --insecure-registry registry.local:5000; log in with `docker login` or pass --username and --password-stdin',
    });
  }
  if (!parsed || host === '' || parsed.host !== host.toLowerCase() || parsed.username || parsed.password) {
    throw new UsageError(`${source} ${JSON.stringify(value)} is not a registry host[:port]`, {
      code: 'usage',
      hint: 'name the registry as in the image reference, e.g. --insecure-registry registry.local:5000',
    });
  }
  return host;
}

/** The engine --source names; undefined for `auto` (or none): the image argument decides. */
export function sourceChoice(flags: Pick<SourceFlagValues, 'source'>): 'daemon' | 'podman' | 'registry' | undefined {
  if (flags.source === 'docker') return 'daemon';
  return flags.source && flags.source !== 'auto' ? (flags.source as 'daemon' | 'podman' | 'registry') : undefined;
}

/**
 * A --platform value, checked before any image is opened. An empty one (`--platform ""`, a CI variable left unset)
 * read as none given in some places and as invalid in others: a single-platform archive was read without a word,
 * and a layout without the host's platform printed "using its only one" before failing as invalid.
 */
export function checkedPlatform(value: string | undefined): string | undefined {
  if (value !== undefined) parsePlatform(value);
  return value;
}

/**
 * Turns every `sourceFlags` value into service options; reads the password when --password-stdin is set. Errors name
 * a value by `sourceOf` (the command's): its flag, or the variable that set it; hints that show a command line name
 * `command` (the command's id).
 */
export async function sourceOptions(
  flags: SourceFlagValues,
  sourceOf: SourceOf,
  command?: string,
): Promise<SourceFlagOptions> {
  if (flags.timeout !== undefined && flags.timeout > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `${sourceOf('timeout')} ${flags.timeout} is longer than ${MAX_TIMEOUT_SECONDS} seconds (about 25 days), the longest a timer can wait`,
      { code: 'usage', hint: `give at most ${MAX_TIMEOUT_SECONDS}; the default is 30` },
    );
  }
  if (flags['password-stdin'] && !flags.username) {
    throw new UsageError(`${sourceOf('password-stdin')} needs --username`, {
      code: 'usage',
      hint: 'pass --username NAME (or set BALLAST_USERNAME) as well',
    });
  }
  return {
    platform: checkedPlatform(flags.platform),
    source: sourceChoice(flags),
    sourceFlag: sourceOf('source'),
    verify: !flags['no-verify'],
    username: flags.username,
    password: flags['password-stdin'] ? await readStdin() : undefined,
    insecureRegistries: flags['insecure-registry']?.map((v) => insecureRegistryHost(v, sourceOf('insecure-registry'))),
    noCache: flags['no-cache'],
    timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    command,
  };
}

/** What leaving --workers out does (src/analysis/walk.ts), told by every command's help that has the flag. */
const WORKERS_DEFAULT =
  '0 walks in-process (default: on 2 or more cores, one per core for 2 or more layers, 16 MiB or more to read and 4 MiB a layer, else 0)';

/**
 * `--workers`, one definition for every command that walks layers, so its bounds and variable are the same in each;
 * `walk` names the walk it sets (`the --deep walk` for bases).
 */
export function workersFlag(walk = 'the layer walk') {
  return Flags.integer({
    description: `worker threads for ${walk}, at most one per core; ${WORKERS_DEFAULT}`,
    min: 0,
    env: 'BALLAST_WORKERS',
  });
}

/** How `analyze` and `diff` walk layers: the extra diff_id pass and the worker threads. */
export const walkFlags = {
  'verify-diff-ids': Flags.boolean({
    description: "also check each layer's uncompressed sha256 against the config's diff_ids",
    env: 'BALLAST_VERIFY_DIFF_IDS',
    helpGroup: 'SOURCE',
  }),
  workers: workersFlag(),
};

/** Per-layer budgets of the commands that read layers (src/analysis/limits.ts has the defaults and why). */
export const budgetFlags = {
  'max-decompressed-bytes': Flags.string({
    description:
      'stop (exit 2) when one layer decompresses to more than this, or the sparse files of all layers have more holes, e.g. 4GB (default 16GiB; .ballast.yaml limits.maxDecompressedBytes)',
    env: 'BALLAST_MAX_DECOMPRESSED_BYTES',
    helpGroup: 'SOURCE',
  }),
  'max-entries': Flags.integer({
    description:
      'stop (exit 2) when one layer holds more tar entries than this (default 2000000; .ballast.yaml limits.maxEntries)',
    min: 1,
    env: 'BALLAST_MAX_ENTRIES',
    helpGroup: 'SOURCE',
  }),
};

/**
 * The budgets from `budgetFlags`, the .ballast.yaml found upward from the working directory, or the defaults. Errors
 * name a value by `sourceOf` (the command's).
 */
export async function budgetOptions(
  flags: {
    'max-decompressed-bytes'?: string;
    'max-entries'?: number;
    config?: string;
  },
  sourceOf: SourceOf,
): Promise<{ limits: LayerLimits }> {
  return {
    limits: await loadLimits(
      process.cwd(),
      { maxDecompressedBytes: flags['max-decompressed-bytes'], maxEntries: flags['max-entries'] },
      flags.config,
      sourceOf('max-decompressed-bytes'),
    ),
  };
}

/**
 * The image rules' severities and options from `rules:` of the .ballast.yaml found upward from the working directory,
 * as `ci` applies them (`IM001: off`, `IM003: error`). The rule list loads only when there is such a section.
 */
export async function ruleSettingOptions(): Promise<{
  severities?: Record<string, SeveritySetting>;
  ruleOptions?: Record<string, Record<string, unknown>>;
}> {
  const loaded = await loadBallastConfig({ cwd: process.cwd() });
  if (!loaded?.config.rules) return {};
  const { loadAllRuleMeta } = await import('../../rules/index.js');
  const rules = await loadAllRuleMeta();
  const settings = await namingConfigAs(loaded.file, loaded.shown, () =>
    settingsFromBallastConfig(loaded.config, loaded.file, rules),
  );
  return { severities: settings.severities, ruleOptions: settings.ruleOptions };
}

/** What --format says of `json` where it is --json (BaseCommand.formatIsJson). */
export const FORMAT_JSON_DESCRIPTION = 'report format; json is the same as --json';

/**
 * `--format text|markdown|json`: the comparison reports (diff, bases), whose markdown is a pull-request comment; json
 * is --json (their commands set BaseCommand.formatIsJson).
 */
export const textReportFlags = {
  format: Flags.string({
    description: FORMAT_JSON_DESCRIPTION,
    options: ['text', 'markdown', 'json'],
    default: 'text',
    env: 'BALLAST_FORMAT',
    helpGroup: 'OUTPUT',
  }),
};

/** Rows in each top list when --top is not given: a terminal has room for fewer than a file or a page. */
const TOP_ROWS = { text: 10, markdown: 20, json: 20, html: 50 } as const;

/**
 * `--top`, with no default of its own: each format has its own (TOP_ROWS), and a default here would hide whether the
 * user asked (a --top 30 that the text capped at 10 once printed no more than without it).
 */
export function topFlag(lists: string, formats: readonly (keyof typeof TOP_ROWS)[]) {
  // "10 in text, 20 in markdown and --json": formats sharing a default are named together.
  const byRows = new Map<number, string[]>();
  for (const format of formats)
    byRows.set(TOP_ROWS[format], [...(byRows.get(TOP_ROWS[format]) ?? []), format === 'json' ? '--json' : format]);
  const defaults = [...byRows].map(([rows, names]) => `${rows} in ${names.join(' and ')}`).join(', ');
  return Flags.integer({
    description: `rows in each ${lists} (default: ${defaults})`,
    min: 1,
    env: 'BALLAST_TOP',
    helpGroup: 'OUTPUT',
  });
}

/**
 * The rows a report shows: what --top asked, else the format's default. The services keep their top-N lists this
 * long, so a list in the report is never cut shorter by the service than the report's own limit.
 */
export function topRows(top: number | undefined, format: string, json: boolean): number {
  return top ?? (json ? TOP_ROWS.json : (TOP_ROWS[format as keyof typeof TOP_ROWS] ?? TOP_ROWS.text));
}

export const outputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'write the report to this file instead of stdout (`-` is stdout; its missing folders are made)',
    env: 'BALLAST_OUTPUT',
    helpGroup: 'OUTPUT',
  }),
};

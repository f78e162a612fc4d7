// Small facts many Dockerfile rules share: which command is which package manager step, where a word sits in the file
// (for fixes), image reference parts, and path arithmetic against WORKDIR.
import {
  INSTRUCTION_KEYWORDS,
  sourceLines,
  splitWords,
  stripTrailingEscape,
  unquote,
  type Instruction,
  type ParsedDockerfile,
} from '../dockerfile/parse.js';
import { mountsOf } from '../dockerfile/mount.js';
import {
  flagNames,
  hasFlag,
  positionalIndexes,
  positionals,
  readArgs,
  readOptions,
  runsAfter,
  type OptionValues,
  type ReadOption,
  type ShellCommand,
  type ShellFrame,
} from '../dockerfile/shell.js';
import { rootStage, substitute } from '../dockerfile/stages.js';
import { normalizePath } from '../image/tar-header.js';
import { readPipArgs, type PipArgs } from './pip.js';
import type { DockerfileContext, DockerfileRule } from '../report/rule.js';
import type { RuleMeta, TextRange } from '../report/types.js';

type MetaInput = Omit<RuleMeta, 'target' | 'status' | 'since' | 'recommended'> &
  Partial<Pick<RuleMeta, 'status' | 'since' | 'recommended'>>;

/** Fills the fields most Dockerfile rules share. */
export function dockerfileMeta(meta: MetaInput): RuleMeta {
  return { target: 'dockerfile', status: 'stable', since: '0.1.0', recommended: true, ...meta };
}

export function defineRule(rule: DockerfileRule): DockerfileRule {
  return rule;
}

// apt-get options that take a value: `-t stable`, `-o Opt=1`, `-c file`.
/**
 * Names of archives ADD unpacks: hadolint's list plus zstd (`.tar.zst`, `.tzst`), which BuildKit's ADD unpacks as it
 * does gzip, bzip2 and xz. ADD goes by content, not by name, so an upper-case `.TAR.GZ` is unpacked too.
 */
export const ADD_UNPACKS = /\.(tar|Z|bz2|gz|lz|lzma|tZ|tb2|tbz|tbz2|tgz|tlz|tpz|txz|xz|zst|zstd|tzst)$/i;

export const APT_VALUE_FLAGS = ['t', 'target-release', 'o', 'option', 'c', 'config-file', 'default-release'];

export const APK_VALUE_FLAGS = [
  't',
  'virtual',
  'X',
  'repository',
  'root',
  'p',
  'arch',
  'keys-dir',
  'repositories-file',
  'cache-dir',
];

// Flags of yum/dnf/microdnf that take a value in the next word.
export const RPM_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-c',
  '--config',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--installroot',
  '--enablerepo',
  '--disablerepo',
  '-x',
  '--exclude',
  '--releasever',
  '--setopt',
  '--repo',
  '--repoid',
  '--nogpgcheck-foo',
  '--downloaddir',
  '--destdir',
  '--forcearch',
]);

// zypper flags that take a value in the next word.
export const ZYPPER_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-t',
  '--type',
  '-r',
  '--repo',
  '--from',
  '-R',
  '--root',
  '--releasever',
  '--download',
  '-c',
  '--config',
]);

// gem install flags that take a value in the next word.
export const GEM_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-i',
  '--install-dir',
  '-n',
  '--bindir',
  '-s',
  '--source',
  '-p',
  '--http-proxy',
  '--platform',
  '-g',
  '--file',
  '--build-root',
  '--document',
  '--format-executable-suffix',
]);

// Options of npm whose value may be the next word: `--omit dev` and `--loglevel warn` name no package.
export const NPM_VALUE_FLAGS = [
  'registry',
  'prefix',
  'w',
  'workspace',
  'tag',
  'cache',
  'userconfig',
  'loglevel',
  'omit',
  'include',
  'only',
  'also',
  'install-strategy',
];

/** The package managers of PACKAGE_SUBCOMMANDS (`rpm`: yum, dnf and microdnf; `apt`: apt-get, apt and aptitude). */
export type PackageManager =
  | 'apt'
  | 'apt-mark'
  | 'apk'
  | 'rpm'
  | 'rpm-module'
  | 'zypper'
  | 'pip'
  | 'npm'
  | 'gem'
  | 'yarn'
  | 'yarn-global'
  | 'pnpm';

/**
 * The subcommands of each package manager that take a list of packages, as its manual has them. `installs` are those the
 * unpinned rules check for versions (as hadolint's DL3008 and kin do); `others` take a package list too but install no
 * version to pin (remove, mark, fetch). SC2086's package-list exception (word-splitting.ts) reads both, so a subcommand
 * added here is known to the rules and to it alike.
 */
export const PACKAGE_SUBCOMMANDS: Record<PackageManager, { installs: readonly string[]; others: readonly string[] }> = {
  apt: {
    installs: ['install'],
    others: ['reinstall', 'remove', 'purge', 'autoremove', 'build-dep', 'source', 'download'],
  },
  'apt-mark': { installs: [], others: ['auto', 'manual', 'hold', 'unhold'] },
  apk: { installs: ['add'], others: ['del'] },
  rpm: { installs: ['install', 'localinstall'], others: ['reinstall', 'remove', 'erase', 'upgrade'] },
  zypper: { installs: ['install', 'in'], others: ['rm', 'remove'] },
  pip: { installs: ['install'], others: ['uninstall', 'download', 'wheel'] },
  npm: { installs: ['install', 'i', 'add'], others: ['uninstall', 'un', 'remove', 'rm'] },
  gem: { installs: ['install', 'i'], others: ['uninstall'] },
  // `dnf module install` (enable, disable, remove) takes module specs (`nodejs:20/common`), a list as a package list
  // is. The rules below read none of these four: no unpinned rule covers modules, yarn or pnpm; SC2086's exception does.
  'rpm-module': { installs: ['install'], others: ['enable', 'disable', 'remove'] },
  // Also in a workspace of a monorepo: `yarn workspace web add ...`.
  yarn: { installs: ['add'], others: ['remove'] },
  // yarn v1's global packages.
  'yarn-global': { installs: ['add'], others: [] },
  pnpm: { installs: ['add'], others: ['remove', 'rm', 'uninstall', 'un'] },
};

/**
 * The programs that read dnf's command line: dnf, dnf5 (Fedora 41 and later's dnf, also run by that name) and
 * microdnf. The rules that read dnf take them from here, so a new one is known to all of them.
 */
export const DNF_PROGRAMS: readonly string[] = ['dnf', 'dnf5', 'microdnf'];

/** yum and the dnf-like programs: their install and remove read alike (on a dnf system yum is dnf). */
export const RPM_PROGRAMS: readonly string[] = ['yum', ...DNF_PROGRAMS];

/** apt-get's simulation flags: with one of them `install` only prints what it would do, without asking or installing. */
export const APT_SIMULATE_FLAGS = ['s', 'simulate', 'just-print', 'dry-run', 'recon', 'no-act'];

/**
 * `hasFlag` for apt-get and apt, whose `-o`, `-t` and `-c` values are no flags: the `s` of `-oAcquire::Retries=3` is no
 * `-s`.
 */
export function hasAptFlag(command: ShellCommand, ...names: string[]): boolean {
  return flagNames(command.args, APT_VALUE_FLAGS).some((flag) => names.includes(flag));
}

export function isProgram(command: ShellCommand, ...programs: string[]): boolean {
  return programs.includes(command.program);
}

/** `apt-get install ...` (also `apt install` / `aptitude install` when `programs` says so). */
export function isSubcommand(
  command: ShellCommand,
  programs: readonly string[],
  subcommands: string[],
  valueFlags: string[] = [],
): boolean {
  if (!programs.includes(command.program)) return false;
  const sub = positionals(command.args, valueFlags)[0];
  return sub !== undefined && subcommands.includes(sub);
}

/** Package arguments of an install command (positionals after the subcommand). */
export function packagesOf(command: ShellCommand, valueFlags: string[] = []): string[] {
  return positionals(command.args, valueFlags).slice(1);
}

// Python's flags that take no value and leave it running a module (`-h`, `-V` print and exit; `-c` runs a program).
const PYTHON_FLAGS = 'bBdEiIOPqsSuvx';

/**
 * Where pip's own arguments start in `command.args`: 0 for `pip`, past the module for `python -m pip`, as Python reads
 * its options: its flags before `-m`, clustered too (`-u -m pip`, `-Iu -m pip`, `-um pip`), `-W` and `-X` with their
 * value in the word or the next, and the module in `-m`'s word or the next (`-mpip`). Undefined when it runs no pip.
 */
function pipArgsAt(command: ShellCommand): number | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(command.program)) return 0;
  if (!/^python(\d+(\.\d+)?)?$/.test(command.program)) return undefined;
  const args = command.args;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    // Python's one long option with a value; it takes no `--name=value`.
    if (arg === '--check-hash-based-pycs') {
      i += 1;
      continue;
    }
    if (!/^-[^-]/.test(arg)) return undefined;
    for (let at = 1; at < arg.length; at += 1) {
      const letter = arg[at];
      if (PYTHON_FLAGS.includes(letter)) continue;
      if (letter === 'm') {
        const attached = at + 1 < arg.length;
        const module = attached ? arg.slice(at + 1) : args[i + 1];
        // Python's module is `pip`: `pip3` is a script's name, and `-m pip3` fails (No module named pip3).
        return module === 'pip' ? i + (attached ? 1 : 2) : undefined;
      }
      if (letter !== 'W' && letter !== 'X') return undefined;
      if (at + 1 === arg.length) i += 1;
      break;
    }
  }
  return undefined;
}

export const isPipProgram = (command: ShellCommand): boolean => pipArgsAt(command) !== undefined;

/** readPip's result: shared by every caller that asks about the same command, so no caller may change it. */
export interface PipRead {
  readonly subcommand?: Readonly<NonNullable<PipArgs['subcommand']>>;
  readonly options: readonly Readonly<ReadOption>[];
  readonly positionals: readonly number[];
}

// Several rules and their fixes ask about each pip command of a RUN (DF006, DF013, DF029...): it is read once. A
// command's arguments do not change once parsed; an edited RUN is parsed again into new commands.
const PIP_READS = new WeakMap<ShellCommand, PipRead | null>();

/**
 * A pip command's arguments read as pip reads them (see readPipArgs: abbreviated long options by their full name),
 * with every index one into `command.args` (past `-m pip` for `python -m pip`); undefined for no pip command. The
 * result is frozen: it is read once per command and shared.
 */
export function readPip(command: ShellCommand): PipRead | undefined {
  let read = PIP_READS.get(command);
  if (read === undefined) {
    read = readPipUncached(command) ?? null;
    PIP_READS.set(command, read);
  }
  return read ?? undefined;
}

function readPipUncached(command: ShellCommand): PipRead | undefined {
  const skip = pipArgsAt(command);
  if (skip === undefined) return undefined;
  const read = readPipArgs(command.args.slice(skip));
  const subcommand = read.subcommand && Object.freeze({ ...read.subcommand, at: read.subcommand.at + skip });
  return Object.freeze({
    subcommand,
    options: Object.freeze(read.options.map((o) => Object.freeze({ ...o, from: o.from + skip }))),
    positionals: Object.freeze(read.positionals.map((i) => i + skip)),
  });
}

/** `pip install` / `python -m pip install`: the arguments after `install`. */
export function pipInstallArgs(command: ShellCommand): string[] | undefined {
  const pip = readPip(command);
  return pip?.subcommand?.name === 'install' ? command.args.slice(pip.subcommand.at + 1) : undefined;
}

/**
 * Whether a pip install reads no package index: `--no-index`, or PIP_NO_INDEX true (pip reads its boolean variables
 * as strtobool does) on the command or in `variables` (ARG/ENV), with every `--find-links` local (a directory or
 * `file:` URL; an `https://` page is downloaded from). Such an install downloads nothing and resolves no new version
 * from a registry: what it installs is what the local directory holds.
 */
export function pipReadsNoIndex(
  command: ShellCommand,
  variables: Readonly<Record<string, string | undefined>> = {},
): boolean {
  const pip = readPip(command);
  if (pip?.subcommand?.name !== 'install') return false;
  const off =
    pip.options.some((o) => o.name === 'no-index') ||
    /^(y|yes|t|true|on|1)$/i.test(command.env.PIP_NO_INDEX ?? variables.PIP_NO_INDEX ?? '');
  return (
    off && pip.options.every((o) => o.name !== 'find-links' || !/^(?!file:)[a-z][\w+.-]*:\/\//i.test(o.value ?? ''))
  );
}

/**
 * Whether a pip install names only local wheel files (`/wheels/app-1.0-py3-none-any.whl`, `dist/*.whl`, `/wheels/*`)
 * with `--no-deps` and no requirement file: installing a wheel builds nothing, and without `--no-deps` its
 * dependencies are fetched from the index (`pip install dist/*.whl` after `poetry build`), so that one still downloads.
 */
export function pipInstallsLocalWheelsOnly(command: ShellCommand): boolean {
  const pip = readPip(command);
  if (pip?.subcommand?.name !== 'install' || pip.positionals.length === 0) return false;
  if (!pip.options.some((o) => o.name === 'no-deps')) return false;
  if (pip.options.some((o) => o.name === 'requirement' || o.name === 'editable')) return false;
  return pip.positionals.every((i) => {
    const arg = command.args[i];
    return /\//.test(arg) && !/:\/\//.test(arg) && /(\.whl|\/\*)$/.test(arg);
  });
}

/**
 * The indexes into `args` of the paths an `rm` removes: its operands, but for a word whose glob is quoted or escaped
 * (`rm -f "/tmp/*.tgz"`, see ShellCommand `quotedGlob`). That one gives rm the name `*.tgz`, so it removes no file the
 * glob would match (none, and quietly with -f).
 */
export function removedIndexes(command: ShellCommand): number[] {
  return positionalIndexes(command.args).filter((i) => !command.quotedGlob?.has(i));
}

/** True when `rm` removes a path matching `test` (see removedIndexes). */
export function removes(command: ShellCommand, test: (path: string) => boolean): boolean {
  return command.program === 'rm' && removedIndexes(command).some((i) => test(command.args[i]));
}

export type CleanupStatus = 'always' | 'never' | 'maybe';

// An instruction keyword as written at the start of a line (upper case: a command in a script is lower case).
const KEYWORD_LINE = new RegExp(`^\\s*(?:${[...INSTRUCTION_KEYWORDS].join('|')})(?:\\s|$)`);

// A shell reads these in shell form: there a `#` that starts a word comments out the rest of the joined lines, and a
// quote inside that comment opens nothing.
const SHELL_FORM_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/**
 * The first line a continuation took in that was meant as the next instruction: a `\` left on its last line makes the
 * builder read `USER 1000` below it (after a comment or a blank line too) as more of the script or of the
 * instruction's words. DF264 reports it, and the fixes that append to a script refuse such a RUN (their edit would go
 * after that line, and read as if the mistake were intended). Not such a line: one that starts inside an open quote
 * (`FROM users` in a quoted SQL statement), a heredoc's body, ONBUILD's trigger and HEALTHCHECK's `CMD` (with only
 * options before them, they are the instruction's own argument: Docker documents `HEALTHCHECK --interval=5m \` above
 * `  CMD curl ...`).
 */
export function swallowedInstruction(
  parsed: ParsedDockerfile,
  instruction: Instruction,
): { line: number; text: string } | undefined {
  if (instruction.heredocs.length > 0 || instruction.endLine === instruction.line) return undefined;
  const lines = sourceLines(parsed);
  const escape = parsed.escapeChar;
  const target = instruction.trigger ?? instruction;
  const shell = SHELL_FORM_KEYWORDS.has(target.keyword) && target.form === 'shell';
  // MAINTAINER takes its text as written: the quote in `O'Brien` opens nothing.
  const quotes = target.keyword !== 'MAINTAINER';
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let comment = false;
  for (let line = instruction.line; line <= instruction.endLine; line += 1) {
    let text = (lines[line - 1] ?? '').replace(/\r$/, '');
    if (line === instruction.line) {
      text = text.slice(Math.max(instruction.column - 1, 0)).replace(/^\s*\S+/, '');
    } else {
      // The builder drops comment and blank lines inside a continuation, open quote or not.
      if (/^\s*(?:#|$)/.test(text)) continue;
      if (quote === undefined && KEYWORD_LINE.test(text) && !ownArgument(instruction.keyword, words, text)) {
        return { line, text: text.trim() };
      }
    }
    if (comment) continue;
    text = stripTrailingEscape(text, escape).text;
    for (let i = 0; i < text.length && !comment; i += 1) {
      const ch = text[i] as string;
      if (quote === "'") {
        if (ch === "'") quote = undefined;
        word += ch;
      } else if (ch === escape) {
        word += text.slice(i, i + 2);
        i += 1;
      } else if (quote === '"') {
        if (ch === '"') quote = undefined;
        word += ch;
      } else if (/\s/.test(ch)) {
        if (word) words.push(word);
        word = '';
      } else if (ch === '#' && shell && !word) {
        comment = true;
      } else {
        if (quotes && (ch === '"' || ch === "'")) quote = ch;
        word += ch;
      }
    }
    // The builder joins the lines with nothing between them, but a `\` that ends a line ends a word in practice.
    if (quote === undefined && word) {
      words.push(word);
      word = '';
    }
  }
  return undefined;
}

/**
 * Whether a keyword line after `words` (the instruction's words before it, keyword aside) is the instruction's own
 * argument: ONBUILD's trigger, or HEALTHCHECK's `CMD` after nothing but its options (under ONBUILD too).
 */
function ownArgument(keyword: string, words: readonly string[], text: string): boolean {
  let rest = words;
  let key = keyword;
  if (key === 'ONBUILD') {
    if (rest.length === 0) return true;
    key = (rest[0] as string).toUpperCase();
    rest = rest.slice(1);
  }
  return key === 'HEALTHCHECK' && rest.every((w) => w.startsWith('--')) && /^\s*CMD(?:\s|$)/.test(text);
}

/**
 * Whether every one of `installs` is followed, on every path through the script, by a command matching `isCleanup`
 * (runsAfter): 'always' when each install has such a cleanup; 'never' when some install certainly has none on its
 * path (no cleanup, one before it, behind `||` or in another arm); 'maybe' when the best a cleanup does is run
 * conditionally (inside an `if` the install is not in, a loop, a function).
 */
export function cleanupAfter(
  commands: ShellCommand[],
  installs: ShellCommand[],
  isCleanup: (command: ShellCommand) => boolean,
): CleanupStatus {
  const cleanups = commands.filter(isCleanup);
  let worst: CleanupStatus = 'always';
  for (const install of installs) {
    let best: CleanupStatus = 'never';
    for (const cleanup of cleanups) {
      const relation = runsAfter(commands, install, cleanup);
      if (relation === 'always') {
        best = 'always';
        break;
      }
      if (relation === 'maybe') best = 'maybe';
    }
    if (best === 'never') return 'never';
    if (best === 'maybe') worst = 'maybe';
  }
  return worst;
}

/** The `unsure` reason of a finding whose cleanup runs only on some paths; undefined when the rule is sure. */
export function unsureCleanup(status: CleanupStatus): string | undefined {
  return status === 'maybe'
    ? 'this RUN does clean up, but only inside a condition, loop or function, so not on every path'
    : undefined;
}

/**
 * `cd`, `pushd` or `popd`: after it, a relative path in the same script is no longer the WORKDIR's, and lint does not
 * follow where it went.
 */
export function changesDirectory(command: ShellCommand): boolean {
  return command.program === 'cd' || command.program === 'pushd' || command.program === 'popd';
}

/**
 * A script's commands (`list`) by place, with what is in effect at each place (and at `list.length`, its end): the
 * place of the last `cd` (`pushd`, `popd`) before it, -1 for none (a relative path is then the WORKDIR's), and the last
 * command `exports` picks (an `export` of the cache's variable) before it. One in a `( ... )` subshell holds for the
 * later commands in that subshell only (see ShellCommand `subshells`). Here, not in caches.ts (whose cache rules read
 * it most), since changesToEarlierPaths reads the `cd`s too and caches.ts builds on this file.
 */
export interface Script {
  list: ShellCommand[];
  at: Map<ShellCommand, number>;
  cdBefore: number[];
  exporterBefore: (ShellCommand | undefined)[];
}

export function scriptOf(list: ShellCommand[], exports: (command: ShellCommand) => boolean): Script {
  const cdBefore: number[] = [];
  const exporterBefore: (ShellCommand | undefined)[] = [];
  // What is in effect in each subshell the script is in, outermost (the script itself) first. A subshell starts with
  // what is in effect where it opens; leaving it drops what it set. At most as deep as the parse nests subshells.
  const frames: { id?: number; cd: number; exporter?: ShellCommand }[] = [{ cd: -1 }];
  const enter = (subshells: readonly number[] = []) => {
    let same = 1;
    while (same < frames.length && frames[same].id === subshells[same - 1]) same += 1;
    frames.length = same;
    for (const id of subshells.slice(same - 1)) frames.push({ ...frames[frames.length - 1], id });
    const now = frames[frames.length - 1];
    cdBefore.push(now.cd);
    exporterBefore.push(now.exporter);
    return now;
  };
  list.forEach((c, i) => {
    const now = enter(c.subshells);
    if (changesDirectory(c)) now.cd = i;
    if (exports(c)) now.exporter = c;
  });
  enter();
  return { list, at: new Map(list.map((c, i) => [c, i])), cdBefore, exporterBefore };
}

/**
 * For the commands of one RUN (`list`): whether `path` (its variables resolved) at `command` is relative with a `cd`
 * in effect there. Lint does not follow where a `cd` went, so such a path is not the WORKDIR's, and a rule that places
 * it there reports or drops the wrong path. The script's `cd`s are read only once a relative path asks.
 */
export function relativeAfterCd(list: ShellCommand[]): (command: ShellCommand, path: string) => boolean {
  let script: Script | undefined;
  return (command, path) =>
    !path.startsWith('/') && (script ??= scriptOf(list, () => false)).cdBefore[script.at.get(command) ?? -1] >= 0;
}

/**
 * For the commands of one RUN (`list`) run in `workdir`: the directory `command` runs in, following the script's
 * `cd DIR` and `pushd DIR` (a subshell's for the rest of that subshell only, see scriptOf), each DIR read by `resolve`
 * (the ARG/ENV values) from the directory in effect where it runs. Undefined once a `cd` goes somewhere the script does
 * not spell out (`cd`, `cd -`, `cd ~`, `cd "$dir"`, `popd`): a rule that places paths there should not guess.
 */
export function directoryAt(
  list: ShellCommand[],
  workdir: string,
  resolve: (text: string) => string = (text) => text,
): (command: ShellCommand) => string | undefined {
  let dirs: (string | undefined)[] | undefined;
  let script: Script | undefined;
  return (command) => {
    if (!script || !dirs) {
      script = scriptOf(list, () => false);
      // Where each `cd` went, in script order: the directory in effect at a `cd` is an earlier one's (or the WORKDIR).
      const found: (string | undefined)[] = [];
      const before = (place: number) => (place < 0 ? workdir : found[place]);
      list.forEach((cd, place) => {
        const from = before(script!.cdBefore[place]);
        const args = changesDirectory(cd) && cd.program !== 'popd' ? positionals(cd.args) : [];
        const arg = args.length === 1 ? resolve(args[0]) : undefined;
        found.push(
          arg === undefined ||
            from === undefined ||
            arg === '' ||
            arg === '-' ||
            arg.startsWith('~') ||
            /[$`*?[]/.test(arg)
            ? undefined
            : resolvePath(arg, from),
        );
      });
      dirs = found;
    }
    const place = script.cdBefore[script.at.get(command) ?? list.length];
    return place < 0 ? workdir : dirs[place];
  };
}

/**
 * `rm -rf` of one of `paths` itself, a parent of it (not `/`), or `path/*`. `~` and `$HOME` are `home`, the RUN's
 * (homeAt): a per-user cache and the `rm` that removes it run as the same user, so `~` is the same home for both, and
 * under `USER app` `rm -rf /root/.cache/pip` is not app's cache. An unknown home (a numeric UID, or no home asked for)
 * leaves them as `~`, which matches paths written from `~` (`~/.npm`) only. A parent's `/*` misses a path under a
 * dot-entry of it (see starSkips). A sub-directory of a path, or its contents (`rm -rf /root/.cache/pip/http/*`), is
 * not the path: the rest of it (pip's wheels/) stays.
 */
export function removesPath(command: ShellCommand, paths: string[], home?: string): boolean {
  return removes(command, (p) => {
    const target = fromHome(p, home).replace(/\/\*$/, '').replace(/\/+$/, '');
    return (
      target !== '' &&
      paths.some(
        (path) => path === target || (path.startsWith(`${target}/`) && !(p.endsWith('/*') && starSkips(path, target))),
      )
    );
  });
}

/**
 * `path` with a leading `~`, `$HOME` or `${HOME}` read as `home` (left `~` when the home is unknown). `literal` when the
 * shell leaves its `$` as written (see ShellCommand `literalDollar`): then only a `~` is the home, as the tools read it.
 */
export function fromHome(path: string, home: string | undefined, literal = false): string {
  return path.replace(literal ? /^~(?=\/|$)/ : /^(~|\$HOME|\$\{HOME\})(?=\/|$)/, home ?? '~');
}

/**
 * Whether `rm DIR/*` (or a relative `*` run in `dir`) leaves `path`, which is under `dir`: the shell's `*` matches no
 * name starting with `.` (bash's `dotglob` aside), so `rm -rf /root/*` leaves /root/.npm and /root/.cache, while
 * `rm -rf /root/.cache/*` empties .cache/pip.
 */
export function starSkips(path: string, dir: string): boolean {
  const key = dir.replace(/\/+$/, '');
  return path.startsWith(`${key}/`) && path[key.length + 1] === '.';
}

export function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Splits an image reference into registry, repository path, tag and digest. */
export function parseImageRef(ref: string): { registry?: string; repository: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

/** Docker Hub's registry names. */
export const DOCKER_HUB: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * The name of the Docker official image `registry`/`repository` is (`python`, `library/python`,
 * `docker.io/library/python`) or mirrors, keeping Docker Hub's `library/` path (`public.ecr.aws/docker/library/python`,
 * `mirror.gcr.io/library/python`, a proxy cache's `HOST/PROJECT/library/python`); undefined for another vendor's image
 * of the same name (`bitnami/python`, `cgr.dev/chainguard/python`).
 */
export function officialImageName(registry: string | undefined, repository: string): string | undefined {
  const path = repository.split('/');
  const hub = registry === undefined || DOCKER_HUB.has(registry);
  const official = (hub && path.length === 1) || (path.length >= 2 && path[path.length - 2] === 'library');
  return official ? path[path.length - 1] : undefined;
}

/** The final path component of an image repository (`library/python` -> `python`). */
export function imageName(repository: string): string {
  return repository.split('/').pop() ?? repository;
}

/**
 * The image a stage is built on, global ARGs substituted: its FROM image, or for `FROM <earlier stage>` that stage's.
 * Undefined for the implicit stage before any FROM.
 */
export function baseImageOf(ctx: DockerfileContext, stageIndex: number): string | undefined {
  if (stageIndex < 0) return undefined;
  return substitute(ctx.parsed.stages[rootStage(ctx.stages, stageIndex)]?.baseImage ?? '', ctx.stages.globalArgs);
}

/**
 * Which yum/dnf a stage's base image ships, where its name and tag tell: yum 3 (RHEL, UBI, CentOS and Oracle Linux 7,
 * Amazon Linux 1 and 2), dnf 4 (those of 8 and later, Rocky, Alma and CentOS Stream, Amazon Linux 2023, Fedora before
 * 41), dnf5 (Fedora 41 and later, and its `latest` and `rawhide`). On a dnf system `yum` is dnf. Undefined for any
 * other image (a private base, say).
 */
export function rpmFamilyOf(ctx: DockerfileContext, stageIndex: number): 'yum3' | 'dnf4' | 'dnf5' | undefined {
  // Asked for every command of every RUN by several rules (DF069, DF093, the yum/dnf cache rules), and the answer is
  // the stage's: worked out once per stage of a file's stage model.
  let families = RPM_FAMILIES.get(ctx.stages);
  if (!families) RPM_FAMILIES.set(ctx.stages, (families = new Map()));
  let family = families.get(stageIndex);
  if (family === undefined) families.set(stageIndex, (family = rpmFamilyUncached(ctx, stageIndex) ?? null));
  return family ?? undefined;
}

const RPM_FAMILIES = new WeakMap<object, Map<number, 'yum3' | 'dnf4' | 'dnf5' | null>>();

function rpmFamilyUncached(ctx: DockerfileContext, stageIndex: number): 'yum3' | 'dnf4' | 'dnf5' | undefined {
  const ref = parseImageRef((baseImageOf(ctx, stageIndex) ?? '').toLowerCase());
  const name = imageName(ref.repository);
  const tag = ref.tag ?? 'latest';
  const major = Number(/\d+/.exec(tag)?.[0] ?? NaN);
  const el = (version: number): 'yum3' | 'dnf4' => (version <= 7 ? 'yum3' : 'dnf4');
  // Red Hat's images carry the major version in the repository: ubi8/ubi, ubi9-minimal, rhel7/rhel, ubi8/python-39.
  const redHat = /(?:^|\/)(?:ubi|rhel)(\d+)(?:[/-]|$)/.exec(ref.repository);
  if (redHat) return el(Number(redHat[1]));
  if (name === 'fedora') return Number.isNaN(major) ? 'dnf5' : major >= 41 ? 'dnf5' : 'dnf4';
  // `latest` of these is EL 8 or later; centos:latest was CentOS 8.
  if (['centos', 'rockylinux', 'almalinux', 'oraclelinux'].includes(name))
    return Number.isNaN(major) ? 'dnf4' : el(major);
  // amazonlinux:2 (2.0.2024...) and :1 (2018.03) run yum 3; :2023 and `latest` dnf.
  if (name === 'amazonlinux') return Number.isNaN(major) || major >= 2022 ? 'dnf4' : 'yum3';
  return undefined;
}

/** The directory `yum`/`dnf` of each family (see rpmFamilyOf) caches in. */
export const RPM_CACHES = { yum3: '/var/cache/yum', dnf4: '/var/cache/dnf', dnf5: '/var/cache/libdnf5' } as const;

/** A family of rpmFamilyOf, or undefined where the base image does not tell. */
export type RpmFamily = ReturnType<typeof rpmFamilyOf>;

/**
 * Where an rpm package manager program caches on a base of `family` (see rpmFamilyOf): dnf5 (the program, or any of
 * them on Fedora 41 and later) in /var/cache/libdnf5; microdnf of UBI and RHEL in /var/cache/yum; yum 3 there too;
 * yum where it is dnf, and dnf 4, in /var/cache/dnf. On a base that does not tell, where the program caches on any of
 * them: yum in all three; dnf in dnf 4's and dnf5's (dnf never uses /var/cache/yum, so removing that does not clean
 * dnf's cache, nor is it what a dnf install wrote); microdnf in /var/cache/yum and dnf5's.
 */
export function rpmCachesOf(program: string, family: RpmFamily): string[] {
  if (program === 'dnf5' || family === 'dnf5') return [RPM_CACHES.dnf5];
  if (family === undefined)
    return [...new Set((['yum3', 'dnf4', 'dnf5'] as const).flatMap((f) => rpmCachesOf(program, f)))];
  if (program === 'microdnf' || (program === 'yum' && family === 'yum3')) return [RPM_CACHES.yum3];
  return [RPM_CACHES.dnf4];
}

/**
 * The directories and files a RUN mounts (`--mount=type=cache|tmpfs|bind|secret,target=...`), resolved against the
 * working directory: what the RUN writes under one stays in the mount or is dropped with it, never in the RUN's layer.
 * Targets with a variable lint cannot resolve are left out.
 */
export function mountTargets(ctx: DockerfileContext, instruction: Instruction, workdir: string): string[] {
  return mountsOf(instruction)
    .map((m) => ctx.resolve(m.target, instruction))
    .filter((target) => target !== '' && !target.includes('$'))
    .map((target) => resolvePath(target, workdir));
}

/** Joins `path` to the working directory (`/` when none), normalising `.` and `..`. */
export function resolvePath(path: string, workdir: string): string {
  const joined = path.startsWith('/') ? path : workdir.endsWith('/') ? workdir + path : `${workdir}/${path}`;
  // Most paths are already clean and absolute (`/app/src`): they come back as they are, without splitting and joining
  // them again (the path rules resolve every COPY, ADD, WORKDIR and RUN path of every file).
  if (joined.startsWith('/') && !UNCLEAN_PATH.test(joined)) return joined;
  return `/${normalizePath(joined)}`;
}

// What `normalizePath` would change in an absolute path: a doubled slash, a `.` or `..` segment, a trailing slash.
const UNCLEAN_PATH = /\/\/|\/\.\.?(?:\/|$)|\/$/;

/**
 * The literal directory part of an absolute path that `pathsOverlap` and `pathWithin` compare: cut at its first glob
 * star, without trailing slashes (`/opt/*.tgz` -> `/opt`, `/*` -> `/`).
 */
export function overlapKey(path: string): string {
  // Most paths have no star: their trailing slashes are trimmed without the regular expressions (every path compare of
  // DF015 and the other path rules comes here, twice).
  if (!path.includes('*')) {
    let end = path.length;
    while (end > 0 && path.charCodeAt(end - 1) === 47) end -= 1;
    return (end === path.length ? path : path.slice(0, end)) || '/';
  }
  return path.replace(/\*.*$/, '').replace(/\/+$/, '') || '/';
}

/** Whether two absolute paths overlap (one is the other or inside it). Glob stars match within their prefix. */
export function pathsOverlap(a: string, b: string): boolean {
  const x = overlapKey(a);
  const y = overlapKey(b);
  // `/` holds every absolute path (`COPY . /` may bring `/build`); the test below would look for `//`.
  if (x === '/') return y.startsWith('/');
  if (y === '/') return x.startsWith('/');
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** Tracks WORKDIR per stage (carried into stages built FROM an earlier stage). */
export function workdirTracker(ctx: DockerfileContext): {
  current(instruction: Instruction): string;
  hasWorkdir(instruction: Instruction): boolean;
} {
  const byStage: (string | undefined)[] = [];
  let lastIndex = -1;
  const advance = (upTo: Instruction): void => {
    for (let i = lastIndex + 1; i <= upTo.index; i += 1) {
      const instruction = ctx.parsed.instructions[i];
      if (instruction.keyword === 'FROM') {
        const base = ctx.stages.baseStage[instruction.stageIndex];
        byStage[instruction.stageIndex] = base !== undefined ? byStage[base] : undefined;
      } else if (instruction.keyword === 'WORKDIR' && instruction.stageIndex >= 0) {
        const dir = ctx.resolve(unquote(instruction.shellText.trim()), instruction);
        byStage[instruction.stageIndex] = resolvePath(dir, byStage[instruction.stageIndex] ?? '/');
      }
    }
    lastIndex = Math.max(lastIndex, upTo.index);
  };
  return {
    // The WORKDIR in effect when `instruction` runs (WORKDIR instructions before it).
    current(instruction) {
      advance(instruction);
      return byStage[instruction.stageIndex] ?? '/';
    },
    hasWorkdir(instruction) {
      advance(instruction);
      return byStage[instruction.stageIndex] !== undefined;
    },
  };
}

/**
 * Each match of `pattern` (global) on the instruction's own source lines: text before the instruction on its first line
 * (a previous instruction's end) is not its. With `joined`, lines joined by a line continuation are matched as one text,
 * the escape character and the line break read as the spaces they are to the builder, so `apt-get \` + `install` is
 * found (a comment line between them ends the text); without it, each line alone. `endLine`/`endIndex` are where the
 * match ends (past its last character).
 */
function* matchesOnLines(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  pattern: RegExp,
  joined = false,
): Generator<{
  line: number;
  index: number;
  length: number;
  endLine: number;
  endIndex: number;
  /** The matched text as matched: in joined text a line's escape and line break read as blanks. */
  matched: string;
  cut?: TextRange;
}> {
  const lines = sourceLines(parsed);
  for (let line = instruction.line; line <= instruction.endLine;) {
    const first = line;
    // Where each line starts in `text`, and where each continued line's tail (escape, blanks, line break) starts.
    const starts: number[] = [];
    const tails: number[] = [];
    let text = '';
    for (;;) {
      const source = lines[line - 1] ?? '';
      starts.push(text.length);
      const escape = joined ? stripTrailingEscape(source, parsed.escapeChar) : undefined;
      line += 1;
      if (!escape?.continued || line > instruction.endLine) {
        // An escape that ends the file continues onto nothing: the builder drops it, so it reads as a blank here too.
        text += escape?.continued ? escape.text.padEnd(source.length) : source;
        break;
      }
      tails.push(text.length + escape.text.length);
      text += `${escape.text}${' '.repeat(source.length - escape.text.length)}\n`;
    }
    // The line and index of an offset in `text` (a binary search: a RUN may continue over thousands of lines).
    const at = (offset: number): [number, number] => {
      let [low, high] = [0, starts.length - 1];
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (starts[mid] <= offset) low = mid;
        else high = mid - 1;
      }
      return [first + low, offset - starts[low]];
    };
    // What deleting `text[from, to)` removes from the file: a line's tail goes whole or not at all. Deleting the escape
    // but not its line break would end the instruction there, and the line break but not the escape would escape the
    // next line's first character. A cut that ends inside a tail stops before it; one that starts inside a tail and
    // goes on past its line break takes the escape with it (`curl\` + `  --update` loses `\`, break and flag).
    // Undefined when nothing is left to cut.
    const contentEnd = text.trimEnd().length;
    const cutRange = (from: number, to: number): TextRange | undefined => {
      let [start, end] = [from, to];
      // Only the tails the cut reaches (from the first whose line break is at or past it): matches times lines would
      // be quadratic on a RUN continued over thousands of lines.
      let k = at(start)[0] - first;
      for (; k < tails.length && tails[k] < end; k += 1) {
        const [tail, lineBreak] = [tails[k], starts[k + 1] - 1];
        if (start > tail && start <= lineBreak && end > lineBreak) start = tail;
        if (end > tail && end <= lineBreak && start < tail) end = tail;
        if (start >= tail && start <= lineBreak && end <= lineBreak) return undefined;
      }
      if (start >= end) return undefined;
      // A cut that leaves a continued-onto line blank would have the builder read the next instruction as part of this.
      const [startLine, startIndex] = at(start);
      const before = text.slice(starts[startLine - first], start);
      if (startLine > instruction.line && before.trim() === '' && end >= contentEnd) return undefined;
      const [stopLine, stopIndex] = at(end);
      return { line: startLine, column: startIndex + 1, endLine: stopLine, endColumn: stopIndex + 1 };
    };
    const startColumn = first === instruction.line ? instruction.column - 1 : 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const [matchLine, index] = at(m.index);
      // The last character's line: a match never ends on the line break it spans.
      const [endLine, last] = at(m.index + Math.max(m[0].length - 1, 0));
      const endIndex = m[0].length === 0 ? index : last + 1;
      if (matchLine > instruction.line || index >= startColumn) {
        const cut = joined ? cutRange(m.index, m.index + m[0].length) : undefined;
        yield {
          line: matchLine,
          index,
          length: m[0].length,
          endLine,
          endIndex,
          matched: m[0],
          ...(cut ? { cut } : {}),
        };
      }
      if (!pattern.global) break;
      // An empty match must not stop the scan where it is.
      if (m[0].length === 0) pattern.lastIndex += 1;
    }
  }
}

/**
 * Edits that insert `text` right after each match of `pattern` inside the instruction's source lines. `pattern` must be
 * global; the insertion point is the end of the match. Used for flag-adding fixes that keep the rest of the line intact.
 * A match may span a line continuation (`apt-get \` + `install`): its end, where the text goes, is on one line.
 */
export function insertAfterMatches(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  pattern: RegExp,
  text: string,
): { range: TextRange; text: string }[] {
  return [...matchesOnLines(parsed, instruction, pattern, true)].map(({ endLine, endIndex }) => {
    const column = endIndex + 1;
    return { range: { line: endLine, column, endLine, endColumn: column }, text };
  });
}

/**
 * Edits that delete every match of `pattern` (global) on the instruction's lines. Without `joined`, one line at a time;
 * with it, a command split by a line continuation is matched as one text (see `matchesOnLines`: the escape and line
 * break read as blanks, so `\s` crosses them), and a cut takes a line's escape and line break together or neither.
 */
export function deleteMatches(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  pattern: RegExp,
  joined = false,
): { range: TextRange; text: string }[] {
  return [...matchesOnLines(parsed, instruction, pattern, joined)].flatMap(({ line, index, length, cut }) => {
    if (joined) return cut ? [{ range: cut, text: '' }] : [];
    return [{ range: { line, column: index + 1, endLine: line, endColumn: index + length + 1 }, text: '' }];
  });
}

/**
 * Edits that replace every match of `pattern` (global, not spanning lines) on the instruction's lines by
 * `replace(matchedText)`. For fixes that change one word in place (a keyword's casing, a stage name) and keep the rest.
 * With `joined`, lines joined by a continuation are matched as one text (see `matchesOnLines`), so a word right before
 * the escape character (`80/TCP\`) reads as ending there; a match that reaches into a line's escape is left alone.
 */
export function replaceMatches(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  pattern: RegExp,
  replace: (text: string) => string,
  joined = false,
): { range: TextRange; text: string }[] {
  const lines = sourceLines(parsed);
  return [...matchesOnLines(parsed, instruction, pattern, joined)].flatMap(({ line, index, length, matched }) => {
    const range = { line, column: index + 1, endLine: line, endColumn: index + length + 1 };
    const written = (lines[line - 1] ?? '').slice(index, index + length);
    // Written otherwise than matched: the match held (part of) a line's escape, which reads as a blank, or its line
    // break. (Not the cut a deletion would make: a word alone on a continued-onto line is replaced, never deleted.)
    if (joined && written !== matched) return [];
    return [{ range, text: replace(written) }];
  });
}

/** Replaces the whole instruction text (all its lines). */
export function replaceInstruction(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  text: string,
): { range: TextRange; text: string } {
  const lines = sourceLines(parsed);
  const last = (lines[instruction.endLine - 1] ?? '').replace(/\r$/, '');
  return {
    range: {
      line: instruction.line,
      column: instruction.column,
      endLine: instruction.endLine,
      endColumn: last.length + 1,
    },
    text,
  };
}

/**
 * Source files of COPY/ADD (all but the last argument), exec or shell form, flags already removed. Shell-form words are
 * read as the builder reads them (parse.ts splitWords): `COPY "my file" /x` has one source, without its quotes.
 */
/**
 * What a word of `EXPOSE` holding variables expands to, as the builder expands it before it reads the ports: its value
 * and the ports that value splits into. Undefined for a word with no variable, or one whose value the file does not
 * give (an ARG with no default, a base image's ENV), which may be anything at build time. Shared by the EXPOSE rules
 * that judge a port by its value (DF100, DF255, DF256).
 */
export function expandedPorts(
  ctx: DockerfileContext,
  instruction: Instruction,
  word: string,
): { value: string; ports: string[] } | undefined {
  if (!word.includes('$')) return undefined;
  const value = ctx.resolve(word, instruction);
  if (value.includes('$')) return undefined;
  return { value, ports: value.split(/\s+/).filter((port) => port !== '') };
}

export function copySources(instruction: Instruction): { sources: string[]; destination: string } {
  const words = instruction.execArgs ?? splitWords(instruction.shellText);
  if (instruction.heredocs.length > 0) return { sources: [], destination: words[words.length - 1] ?? '' };
  return { sources: words.slice(0, -1), destination: words[words.length - 1] ?? '' };
}

/** An ADD source the builder clones with git: the repository, and what follows its `#` (`<ref>[:<subdir>]`), if any. */
export interface GitSource {
  repository: string;
  fragment?: string;
}

// What BuildKit clones rather than downloads or copies: a URL of the ssh or git scheme whatever its path, an http(s) URL
// only when its path ends in `.git` (as written: `.GIT` is a file), and git's scp-like `user@host:path` (a user is
// required, or `host:path` would be a local file name). Schemes are read in any case, as a URL parser does.
const GIT_SCHEME = /^([A-Za-z0-9]+):\/\/([^/?#]*)([^?#]*)/;
const GIT_SCP = /^[\w-]+@[A-Za-z0-9.-]+:/;

/** The git source an ADD source names, or nothing for a download or a local file. */
export function gitSource(source: string): GitSource | undefined {
  const url = GIT_SCHEME.exec(source);
  if (url !== null) {
    const scheme = url[1].toLowerCase();
    if (scheme !== 'ssh' && scheme !== 'git' && !(/^https?$/.test(scheme) && url[3].endsWith('.git'))) return undefined;
  } else if (!GIT_SCP.test(source)) return undefined;
  const hash = source.indexOf('#');
  if (hash < 0) return { repository: source };
  return { repository: source.slice(0, hash), fragment: source.slice(hash + 1) };
}

export { hasFlag, positionalIndexes, positionals };

/** Stages whose filesystem is the final image's: the last stage and the stages it is built FROM (not COPY --from). */
export function finalChain(ctx: DockerfileContext): Set<number> {
  // -1, the implicit stage before any FROM, is linted as part of the final image.
  const chain = new Set<number>(ctx.stages.implicitStage ? [-1] : []);
  let stage: number | undefined = ctx.parsed.stages.length - 1;
  while (stage !== undefined && stage >= 0 && !chain.has(stage)) {
    chain.add(stage);
    stage = ctx.stages.baseStage[stage];
  }
  return chain;
}

/**
 * The words of a command that are not flags, skipping the value after each flag in `valueFlags` (written with its
 * dashes, e.g. `-o`, `--root`; `--flag=value` keeps its value). With `stopAtDashes`, nothing after `--` counts.
 */
export function wordsOf(
  args: string[],
  valueFlags: ReadonlySet<string>,
  options: { stopAtDashes?: boolean } = {},
): string[] {
  return wordIndexes(args, valueFlags, options).map((i) => args[i]);
}

/** Where in `args` the `wordsOf` are (to tell one word from another with the same text). */
export function wordIndexes(
  args: string[],
  valueFlags: ReadonlySet<string>,
  options: { stopAtDashes?: boolean } = {},
): number[] {
  const at: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (options.stopAtDashes && arg === '--') break;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && valueFlags.has(arg)) i += 1;
      continue;
    }
    at.push(i);
  }
  return at;
}

/** A path a writer writes, with the index of the argument it is in (or comes from: a clone's URL for its name). */
interface WriterTarget {
  path: string;
  from: number;
}

/** An option's value as a target, unless it is none or `-` (standard input or output). */
const valueTarget = (option: ReadOption): WriterTarget[] =>
  option.value === undefined || option.value === '-' ? [] : [{ path: option.value, from: option.from }];

// Their value options, from their `--help` here (GNU coreutils 9.1, GNU tar 1.34, UnZip 6.00, git 2.39; rsync is not
// installed here: its options are rsync 3.2.7's manual's). A value is no path they write (`touch -r /etc/passwd x`,
// `install --strip-program /usr/bin/strip ...`, `tar -f ARCHIVE` when extracting).
const COPIER = ['S', 'suffix', 't', 'target-directory'];
const TOUCH = 'd date r reference t time'.split(' ');
const MKDIR = ['m', 'mode', 'context'];
const INSTALL = [...COPIER, ...'g group m mode o owner strip-program context'.split(' ')];
const RSYNC = [
  ...'@ B e f M T'.split(' '),
  ...'modify-window block-size rsh filter remote-option temp-dir exclude include exclude-from include-from files-from'.split(
    ' ',
  ),
  ...'compare-dest copy-dest link-dest partial-dir backup-dir suffix chmod chown usermap groupmap max-size min-size'.split(
    ' ',
  ),
  ...'max-delete bwlimit timeout contimeout log-file log-file-format out-format password-file port sockopts'.split(' '),
  ...'rsync-path compress-choice compress-level checksum-choice skip-compress iconv protocol info debug'.split(' '),
  ...'write-batch read-batch only-write-batch outbuf stop-after stop-at address'.split(' '),
];
const TAR = [
  ...'b C f F g H I K L N T V X'.split(' '),
  ...'add-file after-date blocking-factor checkpoint-action directory exclude exclude-from exclude-ignore'.split(' '),
  ...'exclude-ignore-recursive exclude-tag exclude-tag-all exclude-tag-under file files-from format group'.split(' '),
  ...'group-map hole-detection index-file info-script label level listed-incremental mode mtime'.split(' '),
  ...'new-volume-script newer newer-mtime no-quote-chars owner owner-map quote-chars quoting-style record-size'.split(
    ' ',
  ),
  ...'rmt-command rsh-command sort sparse-version starting-file strip-components suffix tape-length to-command'.split(
    ' ',
  ),
  ...'transform use-compress-program volno-file warning xattrs-exclude xattrs-include xform'.split(' '),
];
// unzip's options before the zip that take a value (the rest of the word or the next one); `-x` there is a flag.
const UNZIP = ['d', 'P'];
const GIT = ['C', 'c', 'git-dir', 'work-tree', 'namespace', 'super-prefix', 'config-env'];
const GIT_CLONE = [
  ...'j jobs template reference reference-if-able o origin b branch u upload-pack depth shallow-since'.split(' '),
  ...'shallow-exclude separate-git-dir c config server-option filter bundle-uri'.split(' '),
];

/** Every positional of a command read with `values`: what mkdir, touch and tee create or fill. */
const allPositionals =
  (values: string[]) =>
  (args: string[]): WriterTarget[] =>
    readArgs(args, values).positionals.map((i) => ({ path: args[i], from: i }));

/**
 * cp, mv, ln, install and rsync write their destination, the last positional (a file, or the directory the sources go
 * into), or the `-t DIR` they are given instead, not their sources or a link's target. `install -d` creates all its
 * positionals; an rsync destination on another host (`host:/dir`) is not here. Which writer reads which is said, not
 * told from the value list given: `directories`, `-d`/`--directory` makes every positional a directory it creates
 * (install); `remote`, a destination `host:...` is on another host (rsync).
 */
const copyTargets =
  (values: string[], reading: { directories?: true; remote?: true } = {}) =>
  (args: string[]): WriterTarget[] => {
    const { options, positionals } = readArgs(args, values);
    const into = options.filter((o) => o.name === 't' || o.name === 'target-directory');
    if (into.length > 0) return into.flatMap((o) => withNames(valueTarget(o), positionals));
    if (reading.directories && options.some((o) => o.name === 'd' || o.name === 'directory'))
      return positionals.map((i) => ({ path: args[i], from: i }));
    const last = positionals[positionals.length - 1];
    if (positionals.length < 2 || (reading.remote && /^[^/]*:/.test(args[last]))) return [];
    return withNames([{ path: args[last], from: last }], positionals.slice(0, -1));

    /**
     * Into `/` or a directory base images have (`cp -r /src/build /usr/local/`), each source's name there as well: the
     * directory alone is no sign of the file (see copyMayHold), and `rm -rf /usr/local/build` after it was missed.
     */
    function withNames(targets: WriterTarget[], sources: number[]): WriterTarget[] {
      return targets.flatMap((target) => {
        const dir = target.path.replace(/(.)\/+$/, '$1');
        if (dir !== '/' && !WELL_KNOWN_DIRS.has(dir)) return [target];
        const named = sources.flatMap((i) => {
          const name = args[i].replace(/\/+$/, '').split('/').pop() ?? '';
          return /[*?[$]/.test(args[i]) || name === '' || name === '.' || name === '..'
            ? []
            : [{ path: `${dir === '/' ? '' : dir}/${name}`, from: i }];
        });
        return [target, ...named];
      });
    }
  };

/**
 * What tar writes: the archive it creates or adds to (`-cf ARCHIVE`), or the `-C DIR` it extracts into (its members
 * land there; without `-C` in the working directory, under names only the archive knows: nothing, as the working
 * directory would stand for every path under it, `rm -rf /opt/old` after `tar xzf a.tgz` in /opt). Not the archive it reads,
 * nor anything when it lists, compares or extracts to standard output. A first word without a dash is tar's old
 * style (`tar xzf A -C /opt`): letters, each that takes a value taking the next word in turn.
 */
function tarTargets(args: string[]): WriterTarget[] {
  const words: string[] = [];
  const origin: number[] = [];
  let next = 0;
  if (args.length > 0 && !args[0].startsWith('-')) {
    next = 1;
    for (const letter of args[0]) {
      words.push(`-${letter}`);
      origin.push(0);
      if (TAR.includes(letter) && next < args.length) {
        words.push(args[next]);
        origin.push(next);
        next += 1;
      }
    }
  }
  for (; next < args.length; next += 1) {
    words.push(args[next]);
    origin.push(next);
  }
  const { options } = readArgs(words, TAR);
  const given = (...names: string[]) => options.some((o) => names.includes(o.name));
  const values = (...names: string[]) =>
    options
      .filter((o) => names.includes(o.name))
      .flatMap(valueTarget)
      .map((t) => ({ path: t.path, from: origin[t.from] }));
  if (given('c', 'create', 'r', 'append', 'u', 'update', 'A', 'catenate', 'concatenate')) return values('f', 'file');
  if (!given('x', 'extract', 'get') || given('O', 'to-stdout', 'to-command')) return [];
  return values('C', 'directory');
}

/**
 * What unzip writes: the `-d DIR` it extracts into; not the zip, nor anything when it lists, tests or pipes. As UnZip
 * 6.00 reads its command line (its man page's `unzip [-opts] file[.zip] [list] [-x xlist] [-d exdir]`, tried here):
 * its options come before the zip, where `-x` is a flag (extract, the default) and a second `-d` is an error. After the zip
 * every word is a member name, but for the first word starting with `-d` (`-dDIR` or `-d DIR`) when no `-d` came before,
 * and for `-x`, which makes the words after it up to that `-d` excluded names (`-q` or `-l` there too): so `unzip a.zip
 * -x '*.txt' '*.md' -d out` extracts into out, and a `-d` after one before the zip is a name.
 */
function unzipTargets(args: string[]): WriterTarget[] {
  const { options, positionals } = readOptions(args, {
    short: (c) => UNZIP.includes(c),
    long: () => false,
    stopAtPositional: true,
  });
  if (options.some((o) => 'cltvzpZ'.includes(o.name) && o.name.length === 1)) return [];
  const before = options.filter((o) => o.name === 'd');
  if (before.length > 0) return before.length === 1 ? valueTarget(before[0]) : [];
  if (positionals.length === 0) return [];
  for (let i = positionals[0] + 1; i < args.length; i += 1) {
    if (!args[i].startsWith('-d')) continue;
    return valueTarget(
      args[i].length > 2
        ? { name: 'd', value: args[i].slice(2), from: i }
        : { name: 'd', value: args[i + 1], from: i + 1 },
    );
  }
  return [];
}

/**
 * The directory `git clone` creates: its last positional after the URL, or the name git derives from the URL (`y` for
 * `https://example.com/x/y.git`, `y.git` with `--bare`), under git's `-C DIR`. No other git subcommand writes anything
 * modelled here.
 */
function gitTargets(args: string[]): WriterTarget[] {
  const global = readOptions(args, {
    short: (c) => GIT.includes(c),
    long: (n) => GIT.includes(n),
    stopAtPositional: true,
  });
  const at = global.positionals[0];
  if (at === undefined || args[at] !== 'clone') return [];
  const rest = args.slice(at + 1);
  const clone = readArgs(rest, GIT_CLONE);
  const [url, dir] = clone.positionals.map((i) => i + at + 1);
  if (url === undefined) return [];
  const derived = () => {
    const name = args[url]
      .replace(/\/+$/, '')
      .replace(/(\/\.git|\.git)$/, '')
      .split(/[/:]/)
      .pop();
    const bare = clone.options.some((o) => o.name === 'bare' || o.name === 'mirror');
    return name ? `${name}${bare ? '.git' : ''}` : undefined;
  };
  const path = dir !== undefined ? args[dir] : derived();
  if (!path) return [];
  const cd = global.options.filter((o) => o.name === 'C' && o.value !== undefined).pop()?.value;
  return [{ path: cd && !path.startsWith('/') ? `${cd.replace(/\/+$/, '')}/${path}` : path, from: dir ?? url }];
}

/** `dd of=FILE`: its output file, not `if=`'s input. */
function ddTargets(args: string[]): WriterTarget[] {
  return args.flatMap((arg, i) => (arg.startsWith('of=') && arg.length > 3 ? [{ path: arg.slice(3), from: i }] : []));
}

/** Where each writer (besides curl and wget, read by their own specs) puts what it writes. */
const WRITER_TARGETS = new Map<string, (args: string[]) => WriterTarget[]>([
  ['mkdir', allPositionals(MKDIR)],
  ['touch', allPositionals(TOUCH)],
  ['tee', allPositionals([])],
  ['cp', copyTargets([...COPIER, 'sparse', 'no-preserve', 'context'])],
  ['mv', copyTargets(COPIER)],
  ['ln', copyTargets(COPIER)],
  ['install', copyTargets(INSTALL, { directories: true })],
  ['rsync', copyTargets(RSYNC, { remote: true })],
  ['tar', tarTargets],
  ['unzip', unzipTargets],
  ['git', gitTargets],
  ['dd', ddTargets],
]);

// Commands that create or fill files their arguments name.
export const WRITERS: ReadonlySet<string> = new Set([...WRITER_TARGETS.keys(), 'curl', 'wget']);

// The curl and wget options whose value is a file or directory they write (also when piped): output file, output
// directory, headers, cookies, logs and traces.
const DOWNLOADER_WRITES = new Map<string, string[]>([
  [
    'curl',
    'o output output-dir D dump-header c cookie-jar etag-save libcurl stderr trace trace-ascii alt-svc hsts'.split(' '),
  ],
  [
    'wget',
    'O output-document P directory-prefix o output-file a append-output rejected-log save-cookies hsts-file'.split(' '),
  ],
]);

/**
 * Whether a writer's target names what it writes. Relative names count (`mkdir build`, `cp a b`, a clone named after
 * its URL): each writer's targets are read from its own grammar, so a word without a `/` is a path, not a subcommand,
 * tar cluster or mode (which a filter on `/` kept out when every positional of a writer was taken). The working
 * directory itself or one above (`cp x .`, `tar -C ..`) is where a writer puts things, not what it adds: recorded, it
 * would claim every later delete there. tar without `-C` is alike (see tarTargets).
 */
const namesWritten = (path: string): boolean => path !== '' && !/^\.\.?(\/+\.\.?)*\/*$/.test(path);

/**
 * Paths a command writes (unresolved, as written, relative ones too): redirect targets, what each writer writes (see
 * WRITER_TARGETS and namesWritten), for curl and wget their download and the files their options name (not the URL),
 * and the cache directories of package managers (yum's and dnf's where the base image's `family` says they cache, see
 * rpmCachesOf; where the program may cache on any base when it is not given).
 */
export function writtenPaths(command: ShellCommand, family?: RpmFamily): string[] {
  const paths = [...command.writes];
  const targets = WRITER_TARGETS.get(command.program);
  if (targets)
    paths.push(
      ...targets(command.args)
        .map((t) => t.path)
        .filter(namesWritten),
    );
  // A downloader's command line is read once here, for its option files and its download alike.
  const read = readDownload(command);
  if (read) {
    const writes = DOWNLOADER_WRITES.get(command.program)!;
    for (const option of read.options)
      if (writes.includes(option.name)) paths.push(...valueTarget(option).map((t) => t.path));
  }
  return [
    ...new Set([...paths, ...downloadTarget(command, read).map((d) => d.path), ...packageCaches(command, family)]),
  ];
}

/**
 * Where a package manager or build tool puts what it installs or builds, as written (relative ones in the directory it
 * runs in), when its command line says so for sure: `npm ci`/`npm install` and `pnpm install` fill `node_modules` (not
 * with `-g` or `--prefix`, which put it elsewhere), `pip install --target DIR`/`--prefix DIR` fills DIR, `bundle install
 * --path DIR` fills DIR, `go build -o PATH` writes PATH. Not yarn (Yarn 2+ may keep no node_modules at all), nor
 * installs into the system's own directories, whose place the image decides.
 */
export function installedPaths(command: ShellCommand): string[] {
  const { program, args } = command;
  if (program === 'npm' || program === 'pnpm') {
    const subcommands = program === 'npm' ? ['ci', 'install', 'i', 'clean-install'] : ['install', 'i'];
    if (!isSubcommand(command, [program], subcommands, NPM_VALUE_FLAGS)) return [];
    return hasFlag(args, 'g', 'global', 'prefix', 'C', 'dir', 'w', 'workspace') ? [] : ['node_modules'];
  }
  const pip = readPip(command);
  if (pip) {
    if (pip.subcommand?.name !== 'install') return [];
    return pip.options.flatMap((o) =>
      (o.name === 'target' || o.name === 'prefix') && o.value !== undefined ? [o.value] : [],
    );
  }
  if (
    program === 'bundle' &&
    positionals(args, ['path', 'gemfile', 'jobs', 'j', 'retry', 'without', 'with'])[0] === 'install'
  )
    return readArgs(args, ['path', 'gemfile', 'jobs', 'j', 'retry', 'without', 'with']).options.flatMap((o) =>
      o.name === 'path' && o.value !== undefined ? [o.value] : [],
    );
  if (program === 'go' && args[0] === 'build') return goBuildOutput(args.slice(1));
  return [];
}

// `go build`'s flags that take a value (go 1.22's `go help build`); the others are booleans.
const GO_BUILD_VALUES = new Set(
  'o C p asmflags buildmode compiler gccgoflags gcflags installsuffix ldflags mod modfile overlay pgo pkgdir tags toolexec covermode coverpkg'.split(
    ' ',
  ),
);

/**
 * The `-o PATH` of `go build`'s arguments, read as Go's flag package reads them: one flag a word, with one dash or two,
 * its value after `=` or in the next word, up to the first word that is no flag. None under `-C DIR`, which moves the
 * working directory the path is relative to.
 */
function goBuildOutput(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length && args[i].startsWith('-') && args[i] !== '--'; i += 1) {
    const [name, value] = args[i].replace(/^--?/, '').split(/=(.*)/s);
    if (!GO_BUILD_VALUES.has(name)) continue;
    const given = value ?? args[(i += 1)];
    if (name === 'C') return [];
    if (name === 'o' && given) out.push(given);
  }
  return out;
}

/**
 * The paths a command fills with content, for a later change of them: what `writtenPaths` has but the empty
 * directories and files of `mkdir` and `touch`, the links of `ln` and the package managers' caches (which their own
 * rules report), and what `installedPaths` has.
 */
export function contentWrites(command: ShellCommand): string[] {
  if (command.program === 'mkdir' || command.program === 'touch' || command.program === 'ln')
    return command.writes.filter((w) => !w.startsWith('/dev/'));
  const caches = new Set(packageCaches(command));
  return [...writtenPaths(command).filter((w) => !caches.has(w) && !w.startsWith('/dev/')), ...installedPaths(command)];
}

/**
 * The file `curl -o FILE` / `wget -O FILE` downloads to, if named, else the URL's file name that `curl -O URL` and
 * `wget URL` write in the working directory (not under `wget -P DIR` or `curl --output-dir DIR`, which this does not
 * follow).
 */
function downloadTarget(command: ShellCommand, given?: DownloadRead): CreatedPath[] {
  // A download piped on writes no file: that is seen before the command line is read (`curl ... | sh` is common).
  if (command.pipesToNext) return [];
  const read = given ?? readDownload(command);
  const file = read && downloaded(command, read);
  if (!file) return [];
  const args = command.args;
  // wget's `-P` prefixes only the names it makes from URLs (`-O FILE` stays in the working directory); curl's
  // `--output-dir` prefixes both. `-P` is read as wget reads a cluster (`-qP DIR`, `-qPDIR`): in `-UPython` the `P` is
  // in `-U`'s value. The file is named below the directory, not left out: the directory alone (a writer's target) is
  // one base images have often (`wget -P /tmp URL`), where copyMayHold takes it as no sign of the file.
  const literal = command.literalDollar?.args.has(file.from) ?? false;
  const prefix =
    command.program === 'curl'
      ? outputOption(read, 'output-dir', 'output-dir')
      : file.url
        ? outputOption(read, 'P', 'directory-prefix')
        : undefined;
  if (prefix)
    return /^[^/]/.test(file.file) ? [{ path: `${prefix.value.replace(/\/+$/, '')}/${file.file}`, literal }] : [];
  if (command.program === 'curl' && args.some((a) => a === '--output-dir' || a.startsWith('--output-dir='))) return [];
  return [{ path: file.file, literal }];
}

/** The file a curl or wget command writes, when it writes one. */
export function downloadedFile(command: ShellCommand): string | undefined {
  const read = command.pipesToNext ? undefined : readDownload(command);
  return read && downloaded(command, read)?.file;
}

/**
 * The value of output option `short` (a file, or wget's `-P` directory: alone or ending a cluster of valueless flags
 * before the next word, `-fsSLo FILE`, or joined to it, `-qOFILE`) or `--long` (`--long FILE`, `--long=FILE`), with
 * the index of the argument it is in; none after `--`. In `-uroot:pw` the `o` is in `-u`'s value.
 */
function outputOption(read: DownloadRead, short: string, long: string): { value: string; from: number } | undefined {
  const option = read.options.find((o) => o.name === short || o.name === long);
  return option?.value === undefined ? undefined : { value: option.value, from: option.from };
}

/** How a downloader's command line is read: its valueless short options, and its long options that take a value. */
type DownloaderOptions = OptionValues;

/**
 * The reading of a downloader with valueless short options `flags` (a regex character class's inside) and long options
 * `longValued` that take a value: built once, not per command (lint reads every curl and wget of every RUN).
 */
function downloader(flags: string, longValued: string[]): DownloaderOptions {
  const valueless = new RegExp(`^[${flags}]$`);
  const valued = new Set(longValued);
  return { short: (c) => !valueless.test(c), long: (name) => valued.has(name) };
}

// The short options that take no value and the long options that take one, from the `--help` of curl 7.88.1
// (`curl --help all`: a value is shown as `<...>` or `[...]`) and of GNU Wget 1.21.3 (`--long=VALUE`, and
// `--hsts-file` and `--max-redirect`, which its help shows bare but which require a value). Every other short
// option takes a value (wget's `-n` too: `-nv` is `-n` with value `v`). A long option missing from `longValued` would
// leave its value a positional, read as the URL when it looks like one (`--doh-url https://...`).
const CURL = downloader('#0-4:6aBfGgIijJkLlMNnOpqRSsVvZ', [
  'abstract-unix-socket',
  'alt-svc',
  'aws-sigv4',
  'cacert',
  'capath',
  'cert',
  'cert-type',
  'ciphers',
  'config',
  'connect-timeout',
  'connect-to',
  'continue-at',
  'cookie',
  'cookie-jar',
  'create-file-mode',
  'crlfile',
  'curves',
  'data',
  'data-ascii',
  'data-binary',
  'data-raw',
  'data-urlencode',
  'delegation',
  'dns-interface',
  'dns-ipv4-addr',
  'dns-ipv6-addr',
  'dns-servers',
  'doh-url',
  'dump-header',
  'egd-file',
  'engine',
  'etag-compare',
  'etag-save',
  'expect100-timeout',
  'form',
  'form-string',
  'ftp-account',
  'ftp-alternative-to-user',
  'ftp-method',
  'ftp-port',
  'ftp-ssl-ccc-mode',
  'happy-eyeballs-timeout-ms',
  'header',
  'help',
  'hostpubmd5',
  'hostpubsha256',
  'hsts',
  'interface',
  'json',
  'keepalive-time',
  'key',
  'key-type',
  'krb',
  'libcurl',
  'limit-rate',
  'local-port',
  'login-options',
  'mail-auth',
  'mail-from',
  'mail-rcpt',
  'max-filesize',
  'max-redirs',
  'max-time',
  'netrc-file',
  'noproxy',
  'oauth2-bearer',
  'output',
  'output-dir',
  'parallel-max',
  'pass',
  'pinnedpubkey',
  'preproxy',
  'proto',
  'proto-default',
  'proto-redir',
  'proxy',
  'proxy-cacert',
  'proxy-capath',
  'proxy-cert',
  'proxy-cert-type',
  'proxy-ciphers',
  'proxy-crlfile',
  'proxy-header',
  'proxy-key',
  'proxy-key-type',
  'proxy-pass',
  'proxy-pinnedpubkey',
  'proxy-service-name',
  'proxy-tls13-ciphers',
  'proxy-tlsauthtype',
  'proxy-tlspassword',
  'proxy-tlsuser',
  'proxy-user',
  'proxy1.0',
  'pubkey',
  'quote',
  'random-file',
  'range',
  'rate',
  'referer',
  'request',
  'request-target',
  'resolve',
  'retry',
  'retry-delay',
  'retry-max-time',
  'sasl-authzid',
  'service-name',
  'socks4',
  'socks4a',
  'socks5',
  'socks5-gssapi-service',
  'socks5-hostname',
  'speed-limit',
  'speed-time',
  'stderr',
  'telnet-option',
  'tftp-blksize',
  'time-cond',
  'tls-max',
  'tls13-ciphers',
  'tlsauthtype',
  'tlspassword',
  'tlsuser',
  'trace',
  'trace-ascii',
  'unix-socket',
  'upload-file',
  'url',
  'url-query',
  'user',
  'user-agent',
  'write-out',
]);
const WGET = downloader('46bcdEFHhkKLmNpqrSVvx', [
  'execute',
  'output-file',
  'append-output',
  'report-speed',
  'input-file',
  'base',
  'config',
  'rejected-log',
  'tries',
  'retry-on-http-error',
  'output-document',
  'start-pos',
  'progress',
  'timeout',
  'dns-timeout',
  'connect-timeout',
  'read-timeout',
  'wait',
  'waitretry',
  'quota',
  'bind-address',
  'limit-rate',
  'restrict-file-names',
  'prefer-family',
  'user',
  'password',
  'use-askpass',
  'local-encoding',
  'remote-encoding',
  'directory-prefix',
  'cut-dirs',
  'http-user',
  'http-password',
  'default-page',
  'header',
  'compression',
  'proxy-user',
  'proxy-password',
  'referer',
  'user-agent',
  'load-cookies',
  'save-cookies',
  'post-data',
  'post-file',
  'method',
  'body-data',
  'body-file',
  'secure-protocol',
  'certificate',
  'certificate-type',
  'private-key',
  'private-key-type',
  'ca-certificate',
  'ca-directory',
  'crl-file',
  'pinnedpubkey',
  'ciphers',
  'ftp-user',
  'ftp-password',
  'warc-file',
  'warc-header',
  'warc-max-size',
  'warc-dedup',
  'warc-tempdir',
  'level',
  'backups',
  'accept',
  'reject',
  'accept-regex',
  'reject-regex',
  'regex-type',
  'domains',
  'exclude-domains',
  'follow-tags',
  'ignore-tags',
  'include-directories',
  'exclude-directories',
  'hsts-file',
  'max-redirect',
]);

/**
 * A curl or wget command line read as they read it, by the one cluster reader `readOptions` (`-qOFILE`, `-UmyT` for user
 * agent "myT", `-qO FILE`); of the long options only the `longValued` take the next word.
 */
function readDownloader(args: string[], program: DownloaderOptions): ReturnType<typeof readOptions> {
  return readOptions(args, program);
}

/** A curl or wget command line read once (`readDownloader`), with which of the two it is. */
interface DownloadRead extends ReturnType<typeof readOptions> {
  program: DownloaderOptions;
}

/** `command` read as curl or wget reads it; undefined for any other program. */
function readDownload(command: ShellCommand): DownloadRead | undefined {
  const program = command.program === 'curl' ? CURL : command.program === 'wget' ? WGET : undefined;
  return program && { program, ...readDownloader(command.args, program) };
}

/**
 * wget's options as wget reads them (`-UMozilla` is a user agent, not `-o` and `-a`). Its `-n` takes letters that each
 * turn something off: `-nv` and `-nvc` are `-n` with `v` (no-verbose) in its value.
 */
export function wgetOptions(args: string[]): ReadOption[] {
  return readDownloader(args, WGET).options;
}

/**
 * `downloadedFile`, with the index of the argument it comes from (the file's own, or the URL's) and whether it is the
 * URL's name. For a command that pipes nothing on (its callers see to that), read as `read`.
 */
function downloaded(
  command: ShellCommand,
  read: DownloadRead,
): { file: string; from: number; url: boolean } | undefined {
  const args = command.args;
  const { program, options, positionals } = read;
  // curl's `--url URL` gives a URL as an option's value: the first URL, given either way, is the one `-O` names.
  const url = [
    ...positionals.map((i) => ({ text: args[i], from: i })),
    ...options.flatMap((o) =>
      program === CURL && o.name === 'url' && o.value !== undefined ? [{ text: o.value, from: o.from }] : [],
    ),
  ]
    .sort((a, b) => a.from - b.from)
    .find((u) => /^(https?|ftp):/.test(u.text));
  const fromUrl = () =>
    url === undefined
      ? undefined
      : {
          file: url.text
            .replace(/[?#].*$/, '')
            .split('/')
            .pop()!,
          from: url.from,
          url: true,
        };
  // `-` is standard output: no file.
  const named = (output: { value: string; from: number }) =>
    output.value === '-' ? undefined : { file: output.value, from: output.from, url: false };
  if (program === CURL) {
    const o = outputOption(read, 'o', 'output');
    if (o) return named(o);
    return options.some((option) => option.name === 'O' || option.name === 'remote-name') ? fromUrl() : undefined;
  }
  const o = outputOption(read, 'O', 'output-document');
  if (o) return named(o);
  return fromUrl();
}

/**
 * The cache directories a package manager step fills (not `apk --no-cache`, which keeps no index there; yum's and dnf's
 * by the base image's `family`, see rpmCachesOf).
 */
function packageCaches(command: ShellCommand, family?: RpmFamily): string[] {
  if (isSubcommand(command, ['apt-get', 'apt'], ['update'], APT_VALUE_FLAGS)) return ['/var/lib/apt/lists'];
  if (isSubcommand(command, ['apt-get', 'apt'], ['install'], APT_VALUE_FLAGS)) return ['/var/cache/apt'];
  if (isSubcommand(command, ['apk'], ['add', 'update']) && !hasFlag(command.args, 'no-cache'))
    return ['/var/cache/apk'];
  if (isSubcommand(command, RPM_PROGRAMS, ['install'])) return rpmCachesOf(command.program, family);
  return [];
}

/**
 * The cache directories a package manager's own clean command empties (`dnf clean all`, `apt-get clean`; yum's and
 * dnf's by the base image's `family`, see rpmCachesOf).
 */
export function cleanedCaches(command: ShellCommand, family?: RpmFamily): string[] {
  const words = positionals(command.args, APT_VALUE_FLAGS);
  if (RPM_PROGRAMS.includes(command.program) && words[0] === 'clean' && words[1] === 'all')
    return rpmCachesOf(command.program, family);
  if ((command.program === 'apt-get' || command.program === 'apt') && words[0] === 'clean') return ['/var/cache/apt'];
  if (command.program === 'apk' && words[0] === 'cache' && words[1] === 'clean') return ['/var/cache/apk'];
  return [];
}

/** Whether absolute `path` is `dir` or inside it (globs in `path` cut at their first star). */
export function pathWithin(path: string, dir: string): boolean {
  const [p, d] = [overlapKey(path), overlapKey(dir)];
  return d === '/' || p === d || p.startsWith(`${d}/`);
}

/**
 * The absolute paths a COPY/ADD writes, for overlap with later paths (`pathsOverlap`). A COPY into a directory (a
 * destination ending in `/`, `.`, or with several sources) puts a file source at `dest/<name>`, so it writes that, not
 * the whole directory; a directory source (`.`, or one the build context shows is a directory), a glob, a source from
 * another stage or image (`--from`), an unknown one (no context to look in) and anything ADD brings count as the whole
 * destination (a `--from` or unknown one not ending in `/`, and ADD's download, with `dest/<name>` too). A source the
 * context does not have (and that does not end in `/`) is taken as a file, and so is one named like a file
 * (`fileLikeName`) when there is no context to look in.
 */
export function copiedPaths(ctx: DockerfileContext, instruction: Instruction, workdir: string): string[] {
  return copiedEntries(ctx, instruction, workdir).map((entry) => entry.path);
}

/**
 * `copiedPaths`, each with the build-context directory whose contents it receives when that is known: `.` for
 * `COPY . /app/`, `src` for `COPY src/ /app/`. A path under such a destination came from that directory of the context
 * or not at all, so the context tells what the COPY brought (`rm -rf /app/build` after `COPY . /app/` deletes copied
 * bytes only if the context has a `build`). None for ADD, `--from`, globs and heredocs.
 */
export function copiedEntries(
  ctx: DockerfileContext,
  instruction: Instruction,
  workdir: string,
): { path: string; contextDir?: string }[] {
  const { sources, destination } = copySources(instruction);
  if (!destination) return [];
  const dest = resolvePath(ctx.resolve(destination, instruction), workdir);
  const intoDirectory = destination.endsWith('/') || /(^|\/)\.\.?$/.test(destination) || sources.length > 1;
  const fromContext = instruction.keyword === 'COPY' && instruction.flags.from === undefined;
  /** The context directory `source` names, when it certainly is one. */
  const directory = (source: string): string | undefined => {
    if (/[*?[$]/.test(source)) return undefined;
    const name = source.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (name === '' || name === '.') return '.';
    if (name.split('/').includes('..')) return undefined;
    return source.endsWith('/') || ctx.contextEntry(name) === 'directory' ? name : undefined;
  };
  if (!fromContext || !intoDirectory || sources.length === 0) {
    const only = fromContext && sources.length === 1 ? directory(ctx.resolve(sources[0], instruction)) : undefined;
    const whole = [{ path: dest, contextDir: only }];
    if (fromContext || !intoDirectory) return whole;
    // `COPY --from=build /out/app /usr/local/bin/`: a file source lands at dest/<name>, named apart since copyMayHold
    // takes another stage's content in a directory base images have as the base image's (`rm /usr/local/bin/app` was
    // missed); a directory source (`/out/`, or one not known as such) puts its files below the destination, which the
    // whole destination stands for. So does ADD's download (`ADD https://x/app.tar.gz /tmp/` writes /tmp/app.tar.gz),
    // not its clone of a repository nor a local archive it may unpack.
    const named = sources
      .map((raw) => ctx.resolve(raw, instruction))
      .flatMap((source) => {
        if (instruction.keyword === 'COPY') return /[*?[$]|\/$/.test(source) ? [] : [source];
        if (!/^(https?|ftp):\/\//i.test(source) || source.includes('$') || gitSource(source)) return [];
        return [source.replace(/[?#].*$/, '')];
      })
      .map((source) => source.split('/').pop() ?? '')
      .filter((name) => name !== '' && name !== '.' && name !== '..');
    return [...whole, ...named.map((name) => ({ path: resolvePath(name, dest) }))];
  }
  return sources.flatMap((raw) => {
    const source = ctx.resolve(raw, instruction);
    if (/[*?[$]/.test(source) || /^\.?\/?$/.test(source)) return [{ path: dest, contextDir: directory(source) }];
    const entry = source.endsWith('/') ? 'directory' : ctx.contextEntry(source);
    const name = source.replace(/\/+$/, '').split('/').pop() ?? '';
    if (name === '' || name === '.' || name === '..' || entry === 'directory')
      return [{ path: dest, contextDir: entry === 'directory' ? directory(source) : undefined }];
    if (entry === null) {
      // No context to look in. `COPY vendor/x.deb /tmp/` adds one file, /tmp/x.deb, not all of /tmp. A source not
      // named like a file may be a directory (its files go below the destination) or a file at `dest/<name>`; the
      // latter is named apart, as copyMayHold takes content it cannot see into /tmp/ as the base image's (`COPY app
      // /tmp/` then `rm /tmp/app`).
      if (!fileLikeName(name)) return [{ path: dest }, { path: resolvePath(name, dest) }];
    }
    return [{ path: resolvePath(name, dest) }];
  });
}

/**
 * Whether a source's last name reads as a file's when no build context can tell: a name with an extension that starts
 * with a letter (`x.deb`, `app.tar.gz`, `run.sh`), not a dot-file (`.config`), not a `.d` directory (`conf.d`) nor a
 * version (`jdk-17.0.2`). A directory named so is then read as a file: a delete elsewhere in the destination its
 * contents went to is missed rather than one in an unrelated path reported.
 */
export function fileLikeName(name: string): boolean {
  return /^[^.].*\.(?!d$)[A-Za-z][A-Za-z0-9]*$/.test(name);
}

/**
 * Whether the COPY/ADD `source` (variables already resolved) brings the build-context file `contextName`, matched as
 * the builder matches sources: Go's filepath.Match per path name (`*`, `?`, `[a-c]`, `[^a]`, `\` taking the next
 * character as written); no `{a,b}`, which is a name as written, and no `**` across directories: that is `.dockerignore`'s
 * and `COPY --parents`' reading, while a plain source's `**` is two `*` within one name. A source that
 * is a directory (`.`, `src/`, `src*` naming a directory) brings everything under it. A bad pattern (an unclosed `[`)
 * fails the build, so it brings nothing.
 */
export function copySourceMatches(source: string, contextName: string): boolean {
  let pattern = COPY_PATTERNS.get(source);
  if (pattern === undefined && !COPY_PATTERNS.has(source)) {
    pattern = copySourcePattern(source);
    if (COPY_PATTERNS.size >= COPY_PATTERNS_MAX) COPY_PATTERNS.delete(COPY_PATTERNS.keys().next().value!);
    COPY_PATTERNS.set(source, pattern);
  }
  return pattern?.test(contextName) ?? false;
}

// Each source is matched against every context file: compiled once (a rejected one kept as undefined). Bounded, oldest
// out first, for a process that lints many Dockerfiles. The expressions have no `g` or `y` flag, so test() keeps no
// state between calls.
const COPY_PATTERNS = new Map<string, RegExp | undefined>();
const COPY_PATTERNS_MAX = 1000;

/** `copySourceMatches`' expression for `source`; undefined for a pattern the builder rejects. */
function copySourcePattern(source: string): RegExp | undefined {
  // The builder resolves sources from the context root as a cleaned path: `./a`, `/a` and `a/` are `a`.
  const names = source.split('/').filter((name) => name !== '' && name !== '.');
  if (names.length === 0) return /^/;
  let out = '';
  for (const [i, name] of names.entries()) {
    const part = namePattern(name);
    if (part === undefined) return undefined;
    out += i === names.length - 1 ? part : `${part}/`;
  }
  // dotAll: a name may hold a newline, and what is under a copied directory is any name.
  return new RegExp(`^${out}(?:/.*)?$`, 'su');
}

/** One path name of a source as Go's filepath.Match reads it, as a regular expression; undefined when it is bad. */
function namePattern(name: string): string | undefined {
  const literal = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;
  const chars = [...name];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (++i === chars.length) return undefined;
      out += literal(chars[i]);
    } else if (c === '[') {
      const negated = chars[i + 1] === '^';
      i += negated ? 2 : 1;
      const ranges: string[] = [];
      /** A class character (escaped or not); undefined where Go reports a bad pattern. */
      const classChar = (): string | undefined => {
        if (i >= chars.length || chars[i] === '-' || chars[i] === ']') return undefined;
        if (chars[i] === '\\' && ++i >= chars.length) return undefined;
        return chars[i++];
      };
      for (let count = 0; !(chars[i] === ']' && count > 0); count++) {
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const end = classChar();
          if (end === undefined) return undefined;
          hi = end;
        }
        // Go takes a reversed range (`[z-a]`) as matching nothing; a regular expression would not compile.
        if (lo.codePointAt(0)! <= hi.codePointAt(0)!) ranges.push(`${literal(lo)}-${literal(hi)}`);
      }
      // The builder matches one name at a time: a class never matches a `/`.
      out += negated ? `[^/${ranges.join('')}]` : `(?!/)[${ranges.join('')}]`;
    } else out += literal(c);
  }
  return out;
}

/** Top-level directories that base images have: a COPY to them writes into them rather than creating them. */
export const BASE_IMAGE_DIRS = new Set([
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
  'go',
  'nix',
  'docker-entrypoint-initdb.d',
]);

/** Directories that exist in the usual base images (a single-file COPY into them creates no parent). */
export const WELL_KNOWN_DIRS = new Set([
  ...[...BASE_IMAGE_DIRS].map((d) => `/${d}`),
  '/usr/bin',
  '/usr/sbin',
  '/usr/lib',
  '/usr/share',
  '/usr/src',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/usr/local/lib',
  '/usr/local/share',
  '/usr/local/etc',
  '/etc/ssl',
  '/etc/ssl/certs',
  '/var/lib',
  '/var/log',
  '/var/cache',
  '/var/www',
]);

/**
 * Whether `copied` (an entry of `copiedEntries`, or a path a RUN wrote) may hold `path`, a path of stage `stageIndex`.
 * At or above `path` it does. Below a directory a COPY filled from the build context, `path` came from the same place in
 * the context: when the context shows nothing there (`rm -rf build` after `COPY . .` where the build made `build`
 * itself), the COPY did not bring it; a glob right below (`rm -f *.md`) may match what it brought. Content lint cannot
 * look in (another image or stage, an archive, a RUN's download, no context) may hold it, except in `/` or a directory
 * the usual base images have (WELL_KNOWN_DIRS): there the path was most likely the base image's already (`rm -rf
 * /usr/share/doc` after `COPY --from=busybox /bin/ /` or `tar -xz -C /`), unless the stage is built FROM scratch, where
 * everything came from this file (`ADD rootfs.tar.gz /`).
 */
export function copyMayHold(
  ctx: DockerfileContext,
  copied: { path: string; contextDir?: string },
  path: string,
  stageIndex: number,
): boolean {
  if (!pathsOverlap(copied.path, path)) return false;
  if (!pathWithin(path, copied.path) || path === copied.path) return true;
  if (copied.contextDir !== undefined) {
    const below = path.slice(copied.path === '/' ? 1 : copied.path.length + 1).split('/');
    const glob = below.findIndex((part) => /[*?[]/.test(part));
    const literal = glob < 0 ? below : below.slice(0, glob);
    const dir = copied.contextDir;
    const entry = ctx.contextEntry(
      literal.length === 0 ? dir : dir === '.' ? literal.join('/') : `${dir}/${literal.join('/')}`,
    );
    // null: no context to look in.
    if (entry !== null) return literal.length === 0 || entry !== undefined;
  }
  const into = copied.path.replace(/(.)\/+$/, '$1');
  return (into !== '/' && !WELL_KNOWN_DIRS.has(into)) || baseImageOf(ctx, stageIndex)?.toLowerCase() === 'scratch';
}

/**
 * Paths a command certainly creates or fills itself, stricter than `writtenPaths` (whose writer targets include
 * existing directories, `cp /app/x /usr/bin/`): redirect targets, `mkdir`/`touch` arguments, `curl -o` / `wget -O`
 * files, a `git clone` directory (named, or named after the URL), and package manager caches. A later command of the same
 * RUN that deletes or changes these works on its own output.
 */
export function createdPaths(command: ShellCommand): CreatedPath[] {
  const paths = command.writes.map((path, i) => ({ path, literal: command.literalDollar?.writes.has(i) ?? false }));
  if (command.program === 'mkdir' || command.program === 'touch' || command.program === 'git')
    for (const { path, from } of WRITER_TARGETS.get(command.program)!(command.args))
      paths.push({ path, literal: command.literalDollar?.args.has(from) ?? false });
  paths.push(...downloadTarget(command));
  return [...paths, ...packageCaches(command).map((path) => ({ path, literal: false }))];
}

/** A path a command creates, and whether the shell leaves its `$` as written (see ShellCommand `literalDollar`). */
export interface CreatedPath {
  path: string;
  literal: boolean;
}

/** Argument `i` of `command` as a path, with whether the shell leaves its `$` as written. */
function pathArg(command: ShellCommand, i: number): CreatedPath {
  return { path: command.args[i], literal: command.literalDollar?.args.has(i) ?? false };
}

/** `$NAME` and `${NAME}` in a word. */
export const variableReference = (name: string): RegExp => new RegExp(`\\$(?:${name}(?!\\w)|\\{${name}\\})`, 'g');

/**
 * The `for NAME in WORDS` loop around `command` whose variable `word` holds (ShellFrame `forEach`: plain words only),
 * the outermost one: the command runs once per word, with the variable set to it (`rm /tmp/$f` in `for f in a b` is
 * `rm /tmp/a`, then `rm /tmp/b`). Undefined when there is none.
 */
export function forEachLoopOf(command: ShellCommand, word: string): ShellFrame | undefined {
  return command.scope.find((frame) => frame.forEach && variableReference(frame.forEach.name).test(word));
}

/** A word of `command` as each pass of the `for` loop around it gives it (see forEachLoopOf), else as written. */
export function forEachWords(command: ShellCommand, word: string): string[] {
  const loop = forEachLoopOf(command, word)?.forEach;
  return loop ? loop.words.map((value) => word.replace(variableReference(loop.name), value)) : [word];
}

/**
 * The paths a RUN's changing commands (`rm`, `chmod`, ...) name that the RUN did not create itself before them: those
 * came from an earlier layer, so changing them there copies or keeps bytes (`mkdir -p /app/data && chown -R app
 * /app/data` works on its own output). `targetsOf` gives where a changing command's targets are in its arguments, and
 * `undefined` for any other command, whose created paths count as the RUN's own from there on. One entry per changing
 * command, in order, each target with its word and its absolute path. A relative path after a `cd` in the RUN is
 * neither a target nor the RUN's own (see `relativeAfterCd`): `cd /tmp && chmod +x run.sh` changes no WORKDIR file, and
 * `cd /tmp && mkdir conf` makes no WORKDIR `conf`. With `forEach`, a path in a `for NAME in WORDS` loop naming its
 * variable is each word's (see forEachLoopOf), as a target and as the RUN's own, the word then given as expanded.
 */
export function changesToEarlierPaths(
  ctx: DockerfileContext,
  instruction: Instruction,
  cwd: string,
  targetsOf: (command: ShellCommand) => number[] | undefined,
  forEach = false,
): { command: ShellCommand; targets: { target: string; path: string }[] }[] {
  const own: string[] = [];
  const changes: { command: ShellCommand; targets: { target: string; path: string }[] }[] = [];
  const commands = ctx.commands(instruction);
  const afterCd = relativeAfterCd(commands);
  // (a word whose `$` the shell leaves as written names no variable)
  const expand = (command: ShellCommand, { path, literal }: CreatedPath): CreatedPath[] =>
    forEach && !literal ? forEachWords(command, path).map((word) => ({ path: word, literal })) : [{ path, literal }];
  for (const command of commands) {
    const words = targetsOf(command);
    // (a word whose `$` the shell leaves as written is taken as written: see ShellCommand `literalDollar`)
    const resolve = (word: string, literal: boolean) => (literal ? word : ctx.resolve(word, instruction));
    if (!words) {
      for (const { path, literal } of createdPaths(command).flatMap((p) => expand(command, p))) {
        const word = resolve(path, literal);
        if (!afterCd(command, word)) own.push(resolvePath(word, cwd));
      }
      continue;
    }
    const targets = words
      .flatMap((i) => expand(command, pathArg(command, i)))
      .map(({ path: target, literal }) => ({ target, word: resolve(target, literal) }))
      .filter(({ word }) => !afterCd(command, word))
      .map(({ target, word }) => ({ target, path: resolvePath(word, cwd) }))
      .filter(({ path }) => !own.some((o) => pathWithin(path, o)));
    changes.push({ command, targets });
  }
  return changes;
}

/**
 * A shell glob as `rm` and the like get it (`*`, `?`, `[...]`, `[!...]` or `[^...]`; an unclosed `[` is itself), as
 * the source of a regular expression. `*` and `?` match a `/` as well: a caller matching one path name at a time
 * splits the path itself.
 */
export function shellGlobSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    const close = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      // A bracket expression: a set of characters, `!` or `^` first negating it.
      const set = pattern.slice(i + 1, close);
      const negated = /^[!^]/.test(set);
      source += `[${negated ? '^' : ''}${set.slice(negated ? 1 : 0).replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

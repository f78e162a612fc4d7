// RUN shell text -> simple commands with arguments, so rules see `apt-get install -y --no-install-recommends curl` as a
// command with flags rather than a string. A careful POSIX-ish tokenizer: quotes, backslash escapes, `&&`, `||`, `;`, `&`,
// pipes, newlines, redirections, subshell/group braces, compound keywords, `$(...)` and backticks kept inside one word, and
// `sh -c '...'` parsed recursively. It is not a full shell: it never expands variables or globs.

import type { Instruction } from './parse.js';

export interface ShellCommand {
  /** The program as written (`apt-get`, `/usr/bin/pip3`); '' when the command had only assignments. */
  name: string;
  /** The program's base name (`pip3` for `/usr/bin/pip3`). */
  program: string;
  /** Arguments after the program, quotes removed, redirections dropped. */
  args: string[];
  /** `VAR=value` assignments written before the program. */
  env: Record<string, string>;
  /**
   * The assignment words of `env` as written (quotes kept), in order, one per word even where a name is assigned twice:
   * what the shell runs in their command substitutions is read from them (see `substitutionScripts`), as their values
   * have lost the quotes that tell a literal backquote from one that starts a substitution. Unset when there is none.
   */
  assignments?: string[];
  /** Targets of output redirections (`> /etc/motd`, `>> file`), which the command writes. */
  writes: string[];
  /** This command's stdout goes to the next command (`a | b`). */
  pipesToNext: boolean;
  /** This command reads the previous command's stdout. */
  pipedFromPrevious: boolean;
  /** Index of the `&&`/`||`/`;` list this command belongs to, for "same RUN, later command" checks. */
  index: number;
  /** The control-flow frames around the command, outermost first ([] at the top level); see `runsAfter`. */
  scope: ShellFrame[];
  /**
   * The `( ... )` subshells around the command, outermost first, by ids unique within one parse; unset at the top
   * level. A `cd` or `export` in a subshell holds for the later commands in it only: after it the shell is where it
   * was. Not control flow (a subshell runs on the paths it is on), so not a `scope` frame; a `{ ...; }` group is no
   * subshell. A `sh -c` script's commands have one of their own inside the `sh -c`'s (a child shell), and so has each
   * part of a pipeline of two or more commands (`cd x | cat`): bash and dash run every part in a subshell (bash's
   * `lastpipe`, which would keep the last part in the shell, is off in a non-interactive shell unless the script sets it).
   * So has an and-or list left in the background (`cd x & rm y`, `set -o pipefail &`), which runs in a subshell too.
   */
  subshells?: number[];
  /**
   * The and-or lists (`a && b || c`) around the command, outermost first, each with which of its pipelines the command
   * is in; unset when it is in the first pipeline of each. A pipeline past the first runs only when the one before it
   * succeeded (after `&&`) or failed (after `||`), so what it does may not have happened after the list.
   */
  andOr?: AndOrStep[];
  /** Set inside another command's `sh -c '...'`: an `exit` there ends that shell, not the script. */
  inner?: true;
  /**
   * The command lists around the command (a script, a `{ ...; }` group's or `( ... )` subshell's body, an arm, a loop
   * body, a condition), outermost first, by ids unique within one parse; see `hiddenIn`.
   */
  sequences?: number[];
  /**
   * Those of `sequences` whose exit status cannot be the command's failure: the command is in a condition (of an `if`,
   * `elif`, `while` or `until`, which picks the way: an `if` whose arms did not run exits 0, a loop with its last body's
   * status), before a `||`, in a `!` pipeline, or in an and-or list left in the background. Unset when there is none.
   */
  hiddenIn?: number[];
  /**
   * Those of `sequences` in which another and-or list follows the command's (`a; b`): the list's status is a later
   * command's, unless errexit (`set -e`) ends the shell at the command's failure, with its status. Unset when none.
   */
  followedIn?: number[];
  /**
   * errexit (`set -e`) does not act on the command: it runs, in the shell that reads it or a subshell of that shell, in
   * an `if`/`elif`/`while`/`until` condition, in a pipeline before `&&` or `||`, or in a `!` pipeline. The shells ignore
   * `-e` there and in every command those run, even after a `set -e` among them (dash 0.5.12 and bash 5.2 both print
   * `x` for `set -e; { set -e; false; echo x; } | cat && echo ok`); a `sh -c` script is a new shell, which reads its own.
   */
  errexitIgnored?: true;
  /**
   * The arguments, write targets and assignment values (as `args`, `writes` and `env` hold them) in which the shell
   * does not expand a `$` as `substitute` expands RUN text: single-quoted (`'$PKG'`) or escaped (`\\$PKG`), which the
   * shell leaves as written, or in a `${VAR:-word}` word holding quotes (`${V:-'x}y'}`), which group there. Their quotes
   * are gone from the words, so a rule resolving one with the ARG/ENV values takes it as written instead (unresolved, as
   * `$` in it says). Held by place, not text: in `install '$P' $P` only the first `$P` is as written.
   */
  literalDollar?: LiteralWords;
  /**
   * Indexes into `args` of the words written with a quote or a backslash in them (`"$PKGS"`): the shell splits what
   * a bare `$PKGS` expands to into words, not what a quoted one does. (A word quoted in part, `$A"b"`, is one of them:
   * taken as one word.) Unset when there is none.
   */
  quoted?: ReadonlySet<number>;
  /**
   * Indexes into `args` of the words holding a glob character (`*`, `?`, `[`) the shell does not expand: quoted or after
   * a backslash (`"/x/*"`, `/x/\\*`, `/x/"*"`), or in env's -S string. `rm -rf "/x/*"` is given the name `*` and
   * removes nothing; `"/x"/*` is expanded. Unset when there is none.
   */
  quotedGlob?: ReadonlySet<number>;
  /**
   * The wrapper programs written before the program, outermost first (`sudo` in `sudo apt-get install`): the command
   * is the program they run, so every rule sees it; a rule about the wrapper itself looks here.
   */
  wrappers?: string[];
  /**
   * The replace strings of the xargs it runs under (`-I R`, `-iR`, `--replace=R`, `{}` for a bare `-i` or `--replace`,
   * BSD's `-J R`): where one stands in `args`, xargs puts words it reads, which are not known here. A command in the
   * script of a `sh -c` that xargs runs has the replace strings of that xargs too.
   */
  xargsReplace?: string[];
}

/** A command's place in one and-or list; see ShellCommand `andOr`. */
export interface AndOrStep {
  /** Unique per and-or list within one parse. */
  list: number;
  /** Which of the list's pipelines the command is in, 0 for the first. */
  element: number;
  /** The last pipeline up to this one that follows a `||`, -1 for none. */
  lastOr: number;
}

/** Where a command's words whose `$` the shell leaves as written are; see ShellCommand `literalDollar`. */
export interface LiteralWords {
  /** Indexes into `args`. */
  args: ReadonlySet<number>;
  /** Indexes into `writes`. */
  writes: ReadonlySet<number>;
  /** Names in `env` whose value is. */
  env: ReadonlySet<string>;
}

/** How a wrapper program reads its options; see `WRAPPERS`. */
interface WrapperOptions {
  /** Options that take a value: the next word (`-u app`, `--user app`) or the rest of a short cluster (`-uapp`). */
  valued: Set<string>;
  /**
   * The short options that take no value, those that run no command included: with `valued` and `optional`, every
   * short option the program has. One not among them is rejected, or (a newer version's) may take the next word.
   */
  flags: string;
  /** Options that make it run no command (`sudo -l make` only lists whether make is allowed). */
  noCommand?: Set<string>;
  /**
   * Short options whose value is optional: the next word when that is not an option, else the option runs no command
   * (sudo's `-h host` is `--host host`, a bare `-h` is `--help`).
   */
  optional?: Set<string>;
  /**
   * Every long option the program knows, so that a prefix is read as getopt_long reads it (`longOption`); those that
   * take a value are in `valued` too. An option that takes one only after `=` (`--preserve-env[=list]`) is here alone.
   */
  long: readonly string[];
  /** Words after the options that come before the command (timeout's DURATION). */
  before?: number;
  /**
   * Short options whose value is optional and so only ever the rest of their word (getopt's `x::`): xargs's `-l1`
   * takes 1, a bare `-l` takes nothing and the next word is the command.
   */
  attachedOnly?: Set<string>;
}

/**
 * Programs that run the rest of their arguments as a command, with their options (sudo's from its man page and
 * parse_args.c, env's, nice's, nohup's and timeout's from coreutils 9, the shell's `command`, xargs): `sudo -u app pip
 * install x` installs with pip, and a rule blind to the wrapper would miss it.
 */
const WRAPPERS: Record<string, WrapperOptions> = {
  sudo: {
    valued: new Set([
      'a',
      'c',
      'u',
      'g',
      'C',
      'D',
      'p',
      'r',
      't',
      'T',
      'U',
      'R',
      'auth-type',
      'login-class',
      'user',
      'group',
      'close-from',
      'chdir',
      'host',
      'prompt',
      'role',
      'type',
      'command-timeout',
      'other-user',
      'chroot',
    ]),
    optional: new Set(['h']),
    flags: 'ABbEeHiKklNnPSsVv',
    noCommand: new Set(['e', 'l', 'v', 'V', 'K', 'help', 'edit', 'list', 'validate', 'version', 'remove-timestamp']),
    long: [
      'askpass',
      'auth-type',
      'background',
      'bell',
      'close-from',
      'login-class',
      'chdir',
      'preserve-env',
      'edit',
      'group',
      'set-home',
      'help',
      'host',
      'login',
      'remove-timestamp',
      'reset-timestamp',
      'list',
      'no-update',
      'non-interactive',
      'preserve-groups',
      'prompt',
      'chroot',
      'role',
      'stdin',
      'shell',
      'type',
      'command-timeout',
      'other-user',
      'user',
      'version',
      'validate',
    ],
  },
  env: {
    valued: new Set(['a', 'u', 'C', 'argv0', 'unset', 'chdir']),
    // (-S is read before these, by splitStringOption)
    flags: 'i0v',
    noCommand: new Set(['help', 'version']),
    long: [
      'argv0',
      'ignore-environment',
      'null',
      'unset',
      'chdir',
      'default-signal',
      'ignore-signal',
      'block-signal',
      'list-signal-handling',
      'debug',
      'split-string',
      'help',
      'version',
    ],
  },
  nice: {
    valued: new Set(['n', 'adjustment']),
    flags: '',
    noCommand: new Set(['help', 'version']),
    long: ['adjustment', 'help', 'version'],
  },
  timeout: {
    valued: new Set(['k', 's', 'kill-after', 'signal']),
    flags: 'v',
    noCommand: new Set(['help', 'version']),
    long: ['preserve-status', 'foreground', 'kill-after', 'signal', 'verbose', 'help', 'version'],
    before: 1,
  },
  nohup: { valued: new Set(), flags: '', noCommand: new Set(['help', 'version']), long: ['help', 'version'] },
  // The shell's builtin (POSIX, bash, dash): `command -p make` runs make with the default PATH; -v and -V only say
  // what a name is, so `command -v apt-get` installs nothing. bash's `--help` prints help.
  command: { valued: new Set(), flags: 'pvV', noCommand: new Set(['v', 'V', 'help']), long: ['help'] },
  // GNU findutils 4.9 (xargs.c's option string `+0a:E:e::i::I:l::L:n:oprs:txP:d:` and long options) and BSD's -J -R -S.
  // The command runs with words read from the input appended, so the words written are still its own.
  xargs: {
    valued: new Set([
      'a',
      'd',
      'E',
      'I',
      'L',
      'n',
      'P',
      's',
      'J',
      'R',
      'S',
      'arg-file',
      'delimiter',
      'max-args',
      'max-procs',
      'max-chars',
      'process-slot-var',
    ]),
    attachedOnly: new Set(['e', 'i', 'l']),
    flags: '0oprtx',
    noCommand: new Set(['help', 'version']),
    long: [
      'null',
      'arg-file',
      'delimiter',
      'eof',
      'replace',
      'max-lines',
      'max-args',
      'open-tty',
      'interactive',
      'no-run-if-empty',
      'max-chars',
      'verbose',
      'show-limits',
      'exit',
      'max-procs',
      'process-slot-var',
      'version',
      'help',
    ],
  },
};

/**
 * The long option `written` (`us` in `--us=root`) names, as getopt_long reads it: the option so named, else the one it
 * is a prefix of (`user`); null when it is a prefix of several (`--h`: help or host), which the program rejects, and
 * null for one it does not know: the program rejects that too, or (a newer version's) it may take a value, and then
 * whether the next word is that value or the command cannot be told. Either way the wrapper stays the command, so no
 * rule lints a word that may not be the command as if it were.
 */
function longOption(written: string, known: readonly string[]): string | null {
  if (written === '' || known.includes(written)) return written;
  const matches = known.filter((option) => option.startsWith(written));
  return matches.length === 1 ? matches[0] : null;
}

interface Token {
  kind: 'word' | 'op';
  value: string;
  /** The word as written, quotes kept (to tell `'a b'` from `a b` when it matters). */
  raw: string;
  /** The word holds a `$` the shell does not expand as `substitute` would; see ShellCommand `literalDollar`. */
  literal?: true;
  /** The word holds a glob character the shell does not expand; see ShellCommand `quotedGlob`. */
  quotedGlob?: true;
}

// (bash's `;;&` and `;&` end a `case` arm as `;;` does; see ShellFrame `runsOn`.)
const OPERATORS = ['&&', '||', ';;&', ';;', ';&', '|&', ';', '|', '&', '(', ')', '\n'];
const ARM_ENDS = new Set([';;', ';&', ';;&']);
const REDIRECT = /^(\d*)(>>|>&|<&|<<<|<<-?|&>>|&>|>\||<>|>|<)(.*)$/;
// The shells whose `-c` script is read as commands (see innerScript, and commandsOf for exec-form RUNs).
export const SHELLS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'dash',
  'ash',
  'zsh',
  'ksh',
  'ksh93',
  'mksh',
  'lksh',
]);
// ksh93 and mksh (`lksh` is mksh's legacy build) read `$'...'` and `$"..."` as bash does (see dialectOf), and have
// extended globs.
const KSH = new Set(['ksh', 'ksh93', 'mksh', 'lksh']);
const GLOB_CHARS = ['*', '?', '['];

/**
 * Which shell reads the text: 'bash' reads `$'...'` (ANSI-C quoting: `$'a\tb'` is `a<tab>b`) and `$"..."` (as
 * `"..."`); 'sh' (dash 0.5.12, Debian's `/bin/sh`) reads neither, and `$'a\tb'` is `$` followed by the quoted `a\tb`.
 * 'ash' (BusyBox ash, Alpine's `/bin/sh`) reads `$'...'` with fewer escapes (see ansiC) and `$"a"` as sh does, `$`
 * then `"a"`; 'zsh' reads `$'...'` as bash does, `$"a"` as sh does, and a `(` inside a word as part of its glob
 * (`*(N)`, `(doc|man)`: see globGroupEnd). Checked with BusyBox 1.35.0 and zsh 5.9 (Debian 12's):
 * `printf "[%s]" $'a\tb' $"x y"` prints `[a<tab>b][$x y]` in both. 'ksh' (ksh93, mksh) reads both as bash does, and
 * its extended globs (`@(doc|man)`, `!(x)`, `+(a)`, `*(a)`, `?(a)`) as words; 'bash' reads those as words where its
 * extglob may be on (see extglobAt).
 */
export type ShellDialect = 'sh' | 'ash' | 'bash' | 'ksh' | 'zsh';

/**
 * Which shell an image's `/bin/sh` is (see StageModel.binSh): 'ash' (BusyBox ash: Alpine's, busybox's), 'bash'
 * (Fedora's, Red Hat's and its rebuilds', Amazon Linux's: bash run as `sh`, in POSIX mode) or 'dash' (Debian's and
 * Ubuntu's, and any image whose name does not tell).
 */
export type BinSh = 'dash' | 'ash' | 'bash';

/**
 * The dialect of a shell program (a path or a name): bash's for bash, ksh's for ksh93 and mksh (`ksh`, `ksh93`, `mksh`,
 * `lksh`), zsh's for zsh, ash's for ash, and for sh that of the image's `/bin/sh` (`binSh`, see StageModel.binSh:
 * ash's where it is BusyBox ash, bash's where it is bash, sh's where it is dash); sh's for any other (not checked
 * elsewhere). ksh93 (93u+m/1.0.4) and mksh (R59) end `$'...'` and `$"..."` where bash does and read `\'`, `\n`, `\t`,
 * `\e`, `\cX`, `\NNN`, `\xHH` and `\uHHHH` in it as bash does: `printf "[%s]" $'don\'t' $"x y"` prints `[don't][x y]` in
 * all three. They differ from bash in a few escapes' values only (`\x4142` is one character to them, an unknown `\q` is
 * `q`), which no rule reads. bash run as `sh` (POSIX mode) reads both as bash does too (bash 5.2.15 through a `sh`
 * link prints `[a<tab>b][x y]` for `printf "[%s]" $'a\tb' $"x y"`).
 */
export function dialectOf(program: string | undefined, binSh: BinSh = 'dash'): ShellDialect {
  const name = program === undefined ? 'sh' : program.split(/[\\/]/).pop();
  if (name === 'bash' || name === 'zsh' || name === 'ash') return name;
  if (name !== undefined && KSH.has(name)) return 'ksh';
  if (name !== 'sh') return 'sh';
  return binSh === 'ash' ? 'ash' : binSh === 'bash' ? 'bash' : 'sh';
}

/**
 * The shell that reads a RUN's script (a path or a name; undefined for the default `/bin/sh`): an exec form's program
 * (`["bash", "-c", "..."]`), the shell a heredoc is fed to (`RUN <<EOF bash`), the interpreter line of a heredoc that
 * is the whole command (`#!/usr/bin/env bash`: the builder runs such a script as a file of its own, when `#!` starts
 * it), or else the stage's SHELL program (`shell`, from StageModel.shellAt). Every reader of a RUN's commands asks this
 * (through runDialect), so that they all read the script as one shell.
 */
export function scriptShell(instruction: Instruction, shell: string | undefined): string | undefined {
  if (instruction.form === 'exec') return instruction.execArgs?.[0];
  if (instruction.heredocShell !== undefined) return instruction.heredocShell;
  return heredocInterpreter(instruction) ?? shell;
}

/**
 * The interpreter a heredoc that is the whole RUN names on its `#!` line (`env`'s program for `#!/usr/bin/env
 * python3`), which runs it as a file of its own instead of the SHELL; undefined when there is none. The `#!` must be
 * the body's first bytes, as for any executable file: after a blank line it is a comment, and the SHELL reads the
 * script. A heredoc fed to a shell (`RUN <<EOF bash`) is read by that shell, to which the `#!` line is a comment.
 */
export function heredocInterpreter(instruction: Instruction): string | undefined {
  const [heredoc] = instruction.heredocs;
  if (!heredoc || instruction.shellText !== heredoc.body || instruction.heredocShell !== undefined) return undefined;
  const shebang = /^#![ \t]*(\S+)(?:[ \t]+(\S+))?/.exec(heredoc.body);
  if (!shebang) return undefined;
  return shebang[1].endsWith('/env') && shebang[2] ? shebang[2] : shebang[1];
}

/**
 * The dialect a RUN's script is read in (see scriptShell; `shell` is the stage's SHELL program, `binSh` the shell the
 * stage's `/bin/sh` is, as StageModel.binSh says).
 */
export function runDialect(instruction: Instruction, shell: string | undefined, binSh: BinSh = 'dash'): ShellDialect {
  return dialectOf(scriptShell(instruction, shell), binSh);
}

// bash's `$'...'` escapes (bash 5.2 manual, QUOTING): those with one letter, then \nnn octal, \xHH, \uHHHH,
// \UHHHHHHHH and \cX, read in ansiC.
const ANSI_C: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

// The escapes BusyBox ash (1.35.0) reads in `$'...'`: bash's but `\e`, `\E`, `\?`, `\u`, `\U` and `\cX`, which it keeps
// as written (`printf %s $'\e|\cA'` prints `\e|\cA`).
const ASH_UNREAD = new Set(['e', 'E', '?', 'u', 'U', 'c']);

/**
 * The text of the `$'...'` whose `$` is at `start`, its escapes read as `dialect`'s shell reads them (bash's, or ash's
 * fewer: ASH_UNREAD), and the index after its closing quote (the end of `text` when it is not closed). An unknown escape
 * keeps its backslash (`$'\s'` is `\s`). Where the string ends is the same in each.
 */
function ansiC(text: string, start: number, dialect: ShellDialect = 'bash'): { value: string; end: number } {
  let value = '';
  let i = start + 2;
  while (i < text.length && text[i] !== "'") {
    if (text[i] !== '\\' || i + 1 >= text.length) {
      value += text[i];
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (dialect === 'ash' && ASH_UNREAD.has(next)) {
      value += `\\${next}`;
      i += 2;
      continue;
    }
    const code = /^(?:[0-7]{1,3}|x[\da-fA-F]{1,2}|u[\da-fA-F]{1,4}|U[\da-fA-F]{1,8})/.exec(text.slice(i + 1, i + 10));
    if (Object.hasOwn(ANSI_C, next)) {
      value += ANSI_C[next];
      i += 2;
    } else if (code) {
      // (an octal value is one byte: `\777` is `\377`)
      const octal = /^[0-7]/.test(code[0]);
      const point = octal ? parseInt(code[0], 8) & 0xff : parseInt(code[0].slice(1), 16);
      value += String.fromCodePoint(point > 0x10ffff ? 0xfffd : point);
      i += 1 + code[0].length;
    } else if (next === 'c' && i + 2 < text.length && text[i + 2] !== "'") {
      value += String.fromCharCode(text.charCodeAt(i + 2) & 0x1f);
      i += 3;
    } else {
      value += `\\${next}`;
      i += 2;
    }
  }
  return { value, end: i + 1 };
}

/** Splits shell text into tokens: words (unquoted) and control operators, as `dialect`'s shell reads them. */
export function tokenizeShell(text: string, dialect: ShellDialect = 'sh'): Token[] {
  const tokens: Token[] = [];
  const extglob = extglobAt(text, dialect);
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line.
      while (i < n && text[i] !== '\n') i += 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, raw: op });
      i += op.length;
      continue;
    }
    // A word: read until unquoted whitespace or operator.
    let value = '';
    const start = i;
    let literal = false;
    let quotedGlob = false;
    // Whether a `${` of the word so far is open, read on from `scanned` (once over the word, however many quotes).
    let scanned = 0;
    let inBraces = false;
    const quoteInBraces = (): boolean => {
      for (; scanned < value.length; scanned += 1) {
        if (value[scanned] === '$' && value[scanned + 1] === '{') inBraces = true;
        else if (value[scanned] === '}') inBraces = false;
      }
      return inBraces;
    };
    while (i < n) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') break;
      // zsh reads a `(` inside a word as part of it: glob qualifiers (`rm -rf /var/cache/*(N)`), a glob group
      // (`/usr/share/(doc|man)`), an array (`a=(x y)`) or a parameter flag (`${(U)x}`); `f()` still defines a
      // function, and `<(...)` and `>(...)` are process substitutions, read as before. Qualifiers that only let the
      // glob match nothing (`N`) or dot files too (`D`) leave out none of the files the glob names: the word's value is
      // the glob without them (`/var/cache/*`), so rules read the path. Any other (`(.)`: plain files only) is kept,
      // and the word names no path a rule knows.
      if (dialect === 'zsh' && ch === '(' && i > start && text[i + 1] !== ')' && !'<>'.includes(text[i - 1])) {
        const end = globGroupEnd(text, i);
        if (end > i) {
          const group = text.slice(i, end + 1);
          const last = end + 1 >= n || /[\s;&|()]/.test(text[end + 1]);
          if (!(last && /^\([ND]+\)$/.test(group))) value += group;
          i = end + 1;
          continue;
        }
      }
      // An extended glob (`/usr/share/@(doc|man)`, `!(*.txt)`) is part of its word where the shell reads it (ksh
      // always, bash where extglob may be on: see extglobAt); not `$@(`, `$*(`, `$?(`, whose `$` makes a parameter.
      if (
        ch === '(' &&
        i > start &&
        '@!+*?'.includes(text[i - 1]) &&
        text[i - 2] !== '$' &&
        text[i + 1] !== ')' &&
        extglob(i, i - 1 === start && commandStart(tokens))
      ) {
        const end = globGroupEnd(text, i);
        if (end > i) {
          value += text.slice(i, end + 1);
          i = end + 1;
          continue;
        }
      }
      if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
        // `>&2` and `2>&1` are redirections, not operators; so is `>|` (write even under `set -C`), not a pipe.
        if (
          (ch === '&' && (text[i - 1] === '>' || text[i - 1] === '<')) ||
          (ch === '|' && text[i - 1] === '>' && i > start)
        ) {
          value += ch;
          i += 1;
          continue;
        }
        break;
      }
      if (ch === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (text[i + 1] === '$') literal = true;
        if (GLOB_CHARS.includes(text[i + 1])) quotedGlob = true;
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end < 0 ? n : end;
        const quoted = text.slice(i + 1, stop);
        if (!literal && (quoted.includes('$') || quoteInBraces())) literal = true;
        if (/[*?[]/.test(quoted)) quotedGlob = true;
        value += quoted;
        i = stop + 1;
        continue;
      }
      if (ch === '"') {
        if (!literal && quoteInBraces()) literal = true;
        i += 1;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) {
            if (text[i + 1] === '$') literal = true;
            if (text[i + 1] !== '\n') value += text[i + 1];
            i += 2;
            continue;
          }
          if (text[i] === '$' && text[i + 1] === '(') {
            const end = matchParen(text, i + 1, dialect);
            value += text.slice(i, end + 1);
            i = end + 1;
            continue;
          }
          // A backquote one too, to its first unescaped backquote: a `"` in it does not end the quotes around it
          // (dash 0.5.12 and bash 5.2.15 set `a;b` for `V="`echo "a;b"`"`).
          if (text[i] === '`') {
            const end = backquoteEnd(text, i);
            value += text.slice(i, end + 1);
            i = end + 1;
            continue;
          }
          if (GLOB_CHARS.includes(text[i])) quotedGlob = true;
          value += text[i];
          i += 1;
        }
        i += 1;
        continue;
      }
      if (dialect !== 'sh' && ch === '$' && text[i + 1] === "'") {
        const quoted = ansiC(text, i, dialect);
        if (!literal && (quoted.value.includes('$') || quoteInBraces())) literal = true;
        if (/[*?[]/.test(quoted.value)) quotedGlob = true;
        value += quoted.value;
        i = quoted.end;
        continue;
      }
      // bash's `$"..."` is `"..."` translated for the locale, which the C locale of a build leaves as written.
      if ((dialect === 'bash' || dialect === 'ksh') && ch === '$' && text[i + 1] === '"') {
        i += 1;
        continue;
      }
      if (ch === '$' && text[i + 1] === '(') {
        const end = matchParen(text, i + 1, dialect);
        value += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      if (ch === '`') {
        // To the first unescaped backquote: `\`` nests one in it (`V=`echo \`date\``).
        const end = backquoteEnd(text, i);
        value += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      value += ch;
      i += 1;
    }
    tokens.push({
      kind: 'word',
      value,
      raw: text.slice(start, i),
      ...(literal ? { literal: true as const } : {}),
      ...(quotedGlob ? { quotedGlob: true as const } : {}),
    });
  }
  return tokens;
}

// The words after which a word starts a command (where `!(x)` may be `!` and a subshell), besides an operator.
const COMMAND_WORDS = new Set(['!', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', '{', 'time']);

/** Whether a word after `tokens` starts a command (see COMMAND_WORDS). */
function commandStart(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last === undefined || last.kind === 'op' || COMMAND_WORDS.has(last.value);
}

/**
 * For `text` read as `dialect`'s shell reads it: whether the `(` at an index, after `@`, `!`, `+`, `*` or `?`, opens an
 * extended glob (`@(doc|man)`), given whether that character starts a command (`!(false)`). ksh93 and mksh always read
 * one (ksh 93u+m/1.0.4 and mksh R59 print `usr/share/doc usr/share/man` for `echo usr/share/@(doc|man)`, and run
 * `!(false)` as a command named by the glob). bash reads one only with extglob on, which the parser approximates: bash
 * 5.2.15 without it refuses `@(`, `+(`, `*(` and `?(` in a word and `!(` after a command's first word ("syntax error
 * near unexpected token `('"), so a script with them runs only where extglob is on (`-O extglob`, `shopt -s extglob`,
 * or in `[[ ]]`) and they are read as globs; a `!(` starting a command is `!` and a subshell (`!(false); echo $?`
 * prints 0) unless `shopt -s extglob` came on an earlier line: bash reads a whole line before running it, so on the same
 * line (`shopt -s extglob; echo @(a|b)`) it is still a syntax error. Other shells read none.
 */
function extglobAt(text: string, dialect: ShellDialect): (at: number, startsCommand: boolean) => boolean {
  if (dialect === 'ksh') return () => true;
  if (dialect !== 'bash') return () => false;
  const shopt = /(?:^|[\s;&|(])shopt\s+(?:-[a-z]+\s+)*-s\s+(?:[\w-]+\s+)*extglob\b/.exec(text);
  const line = shopt === null ? -1 : text.indexOf('\n', shopt.index + shopt[0].length);
  const from = line < 0 ? Infinity : line;
  return (at, startsCommand) => !startsCommand || at > from;
}

/**
 * The index of the `)` that closes the `(` at `open` inside a zsh word (see tokenizeShell), or -1 when none does. A
 * quoted or escaped `)` in it does not (`*(e:'[[ -d $REPLY ]]':)`), and a `$(...)` in it is read as one.
 */
function globGroupEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * The index of the `)` that closes the `(` at `open` (of `$(`), or the last index when none does. Quotes in it are read
 * as `dialect`'s shell reads them: under bash, `$(echo $'it\'s')` ends after `'s'`, where sh's `'it\'` ends after the
 * backslash and the `'` after `s` opens another quote. A `'` or `)` in double quotes is as written
 * (`$(echo "it's")`), and a `$(...)` in them is read as one. So is a backquote substitution, in quotes or not, to its
 * first unescaped backquote: bash 5.2.15 and dash 0.5.12 expand ``$(echo `case a in a) echo in;; esac` y)`` to
 * `in y`, and ``$(echo `echo \)` y)`` to `) y`.
 */
function matchParen(text: string, open: number, dialect: ShellDialect): number {
  // What the scan is in, innermost last: a substitution (its open parentheses counted) or double quotes inside one. A
  // stack, not recursion: `"$("$(` nested thousands deep must not overflow the call stack.
  const stack: { parens: number; quoted: boolean }[] = [{ parens: 0, quoted: false }];
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '`') {
      i = backquoteEnd(text, i);
    } else if (top.quoted) {
      if (ch === '"') stack.pop();
      else if (ch === '$' && text[i + 1] === '(') stack.push({ parens: 0, quoted: false });
    } else if (dialect !== 'sh' && ch === '$' && text[i + 1] === "'") {
      i = ansiC(text, i).end - 1;
    } else if (ch === '"') {
      stack.push({ parens: 0, quoted: true });
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return text.length - 1;
      i = end;
    } else if (ch === '(') {
      top.parens += 1;
    } else if (ch === ')') {
      top.parens -= 1;
      if (top.parens === 0) stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return text.length - 1;
}

/**
 * The scripts of the command substitutions a word as written (quotes kept) runs, in the order the shell runs them:
 * each `$(...)` and backquote one outside single quotes and not escaped, in double quotes or not, but not those nested
 * in another (part of its script) nor `$((arithmetic))`. The word is read as `dialect`'s shell reads it (see
 * matchParen). A backquote script is as the shell runs it, with `\``, `\$` and `\\` in it unescaped (`\"` too when it
 * is in double quotes): ``V=`echo \`date\``` runs ``echo `date` ``.
 */
export function substitutionScripts(word: string, dialect: ShellDialect): string[] {
  const scripts: string[] = [];
  let quoted = false;
  for (let i = 0; i < word.length; i += 1) {
    const ch = word[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '`') {
      const end = backquoteEnd(word, i);
      const closed = word[end] === '`' && end > i;
      // In double quotes a `\"` in it is unescaped too: bash 5.2.15 and dash 0.5.12 print `a b` for
      // ``echo "`echo \"a b\"`"``, and `"a b"` for ``echo `echo \"a b\"` ``.
      const escaped = quoted ? /\\([`$\\"])/g : /\\([`$\\])/g;
      scripts.push(word.slice(i + 1, closed ? end : word.length).replace(escaped, '$1'));
      i = end;
    } else if (ch === '$' && word[i + 1] === '(') {
      // `$((`: arithmetic, whose text may hold substitutions of its own (`$(( $(nproc) + 1 ))`), read on.
      if (word[i + 2] === '(') {
        i += 2;
        continue;
      }
      const end = matchParen(word, i + 1, dialect);
      scripts.push(word.slice(i + 2, word[end] === ')' ? end : word.length));
      i = end;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === "'") {
      const end = word.indexOf("'", i + 1);
      i = end < 0 ? word.length : end;
    } else if (!quoted && dialect !== 'sh' && ch === '$' && word[i + 1] === "'") {
      i = ansiC(word, i).end - 1;
    }
  }
  return scripts;
}

/** The index of the backquote that closes the one at `open` (a `\` escapes the next character), or the last index. */
function backquoteEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '`') return i;
  }
  return text.length - 1;
}

/**
 * Where a command sits in the script's control flow, outermost first. A command runs on every path through its
 * enclosing scope unless one of its frames says otherwise: `branch` (one arm of an `if`/`case`; arms of one group
 * exclude each other, but for `runsOn`), `or` (the right side of `||`: runs only when the left side failed), `loop` (a loop body, which
 * may run zero times) or `func` (a function body, which runs only when called).
 */
export interface ShellFrame {
  kind: 'branch' | 'or' | 'loop' | 'func';
  /** Unique per compound command (per `||`, per loop...) within one parse. */
  group: number;
  /** Which arm of an `if`/`case` (0 for `then`, counting `elif`/`else` and case arms in order). */
  branch: number;
  /** The `else` arm of an `if`, or a `*)` arm of a `case`: with one, some arm always runs. */
  otherwise?: true;
  /**
   * A `then` arm of an `if`/`elif`, or a `while` body: it runs only when its condition's last and-or list succeeded,
   * as a pipeline after that list through `&&` would; this is the step such a pipeline takes in it (see ShellCommand
   * `andOr`). Unset when that list is left in the background (`a && b & then`), which always goes on.
   */
  onSuccess?: AndOrStep;
  /**
   * A `case` arm after which later arms of the same `case` may run too: bash's `;&` ending an arm runs the next arm's
   * commands as well, and `;;&` goes on testing the later arms' patterns. `through` is the last arm a run of this one
   * goes on into through `;&`, and `thenTests` whether the arm there ends with `;;&`, after which any later arm may
   * run. (Kept on the earlier arm, not as a list of earlier arms on each later one: with `;;&` arms that list grew
   * with every arm, and the `case` of a few thousand arms took minutes to read.) Unset when the arm runs alone.
   */
  runsOn?: { through: number; thenTests: boolean };
  /** A `case` arm that may run after an earlier arm of the same `case` (one's `runsOn` reaches it). */
  afterAnother?: true;
  /**
   * A `for NAME in WORDS` loop whose words are all plain (no quote, `$`, glob or backslash): the variable and the values
   * it takes, in order (after the loop it keeps the last). Unset for any other loop.
   */
  forEach?: { name: string; words: string[] };
}

/**
 * Parses shell text into its simple commands, in order, descending into `sh -c '...'`; read as `dialect`'s shell reads
 * it (a `bash -c` script as bash reads it, a `sh -c` one as the image's `/bin/sh` (`binSh`) reads it: as ash where it
 * is BusyBox ash, which the ash reading a script says, and a bash on Alpine runs `sh -c` with ash too; as bash where it
 * is bash).
 */
export function parseShell(
  text: string,
  depth = 0,
  dialect: ShellDialect = 'sh',
  binSh: BinSh = dialect === 'ash' ? 'ash' : 'dash',
): ShellCommand[] {
  const counter = { groups: 0, lists: 0, sequences: 0 };
  return new ShellParser(tokenizeShell(text, dialect), depth, counter, [], binSh).parse();
}

const STARTERS = new Set(['if', 'for', 'while', 'until', 'case', '{']);

/**
 * How deep compound commands (subshells, groups, if/case/loops, function bodies) are followed. Each level is a few
 * frames of this recursive parser: 20,000 nested `(` overflowed the call stack. Real scripts nest a handful deep;
 * past the bound the opening token is skipped and what it held is read at the bound's level.
 */
export const MAX_SHELL_NESTING = 200;

// A recursive-descent reader of the POSIX grammar's shape (lists, and-or lists, pipelines, compound commands), enough
// to know which commands run on which paths. It never throws: on input it does not understand it skips a token.
class ShellParser {
  private pos = 0;
  private listIndex = 0;
  private nesting = 0;
  private readonly commands: ShellCommand[] = [];
  /** The subshells the parse is in (see ShellCommand `subshells`). */
  private subshells: number[] = [];
  /** The and-or lists the parse is in (see ShellCommand `andOr`), shared by the commands read there. */
  private andOrs: AndOrStep[] = [];
  /** The command lists the parse is in (see ShellCommand `sequences`), shared by the commands read there. */
  private sequences: number[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly depth: number,
    private readonly counter: { groups: number; lists: number; sequences: number },
    private readonly outer: ShellFrame[],
    /** The shell the system's `/bin/sh` is: a `sh -c` script is read as it reads it (see parseShell). */
    private readonly binSh: BinSh = 'dash',
  ) {}

  parse(): ShellCommand[] {
    while (this.pos < this.tokens.length) {
      const before = this.pos;
      this.list(this.outer, new Set(), new Set());
      // A stray closing word or operator at the top level: skip it and go on.
      if (this.pos === before) this.pos += 1;
    }
    return this.commands;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(token: Token | undefined, ...values: string[]): boolean {
    return token !== undefined && token.kind === 'op' && values.includes(token.value);
  }

  /** An unquoted reserved word in command position. */
  private isWord(token: Token | undefined, ...values: string[]): boolean {
    return token !== undefined && token.kind === 'word' && token.raw === token.value && values.includes(token.value);
  }

  private skipNewlines(): void {
    while (this.isOp(this.peek(), '\n')) this.pos += 1;
  }

  private newGroup(): number {
    this.counter.groups += 1;
    return this.counter.groups;
  }

  /**
   * Commands separated by `;`, `&` and newlines, until a stop word (in command position), stop operator or the end.
   * Returns the step a pipeline after its last and-or list through `&&` would take in that list (see ShellFrame
   * `onSuccess`); undefined when there is none or `&` left it in the background.
   */
  private list(
    frames: ShellFrame[],
    stopWords: Set<string>,
    stopOps: Set<string>,
    condition = false,
  ): AndOrStep | undefined {
    const outside = this.sequences;
    this.counter.sequences += 1;
    const sequence = this.counter.sequences;
    const start = this.commands.length;
    this.sequences = [...outside, sequence];
    const last = this.listBody(frames, stopWords, stopOps, sequence);
    this.sequences = outside;
    if (condition) this.mark('hiddenIn', start, sequence);
    if (condition) this.ignoreErrexit(start);
    return last;
  }

  /** Marks the commands read since `first` (up to `end`) as run where errexit is ignored (their `sh -c` scripts not). */
  private ignoreErrexit(first: number, end = this.commands.length): void {
    for (const command of this.commands.slice(first, end)) if (!command.inner) command.errexitIgnored = true;
  }

  /** Marks the commands read since `first` (up to `end`) as hiding their status from `sequence`, or followed in it. */
  private mark(field: 'hiddenIn' | 'followedIn', first: number, sequence: number, end = this.commands.length): void {
    for (const command of this.commands.slice(first, end)) (command[field] ??= []).push(sequence);
  }

  private listBody(
    frames: ShellFrame[],
    stopWords: Set<string>,
    stopOps: Set<string>,
    sequence: number,
  ): AndOrStep | undefined {
    let last: AndOrStep | undefined;
    let previous: number | undefined;
    for (;;) {
      this.skipSeparators(stopOps);
      const token = this.peek();
      if (token === undefined) return last;
      if (token.kind === 'op' && (stopOps.has(token.value) || token.value === ')' || ARM_ENDS.has(token.value)))
        return last;
      if (token.kind === 'word' && token.raw === token.value && stopWords.has(token.value)) return last;
      if (this.isWord(token, 'then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}', 'in')) return last;
      const before = this.pos;
      const first = this.commands.length;
      const step = this.andOr(frames);
      if (this.pos === before) return last;
      if (previous !== undefined) this.mark('followedIn', previous, sequence, first);
      const background = this.isOp(this.peek(), '&');
      // The shell runs a list left in the background in a subshell: a `cd`, `export` or `set` in it does not reach
      // the commands after the `&`.
      if (background) this.ownSubshell(first);
      if (background) this.mark('hiddenIn', first, sequence);
      previous = background ? undefined : first;
      last = background ? undefined : step;
    }
  }

  private skipSeparators(stopOps: Set<string>): void {
    while (this.isOp(this.peek(), ';', '\n', '&') && !stopOps.has(this.peek()!.value)) {
      this.pos += 1;
      this.listIndex += 1;
    }
  }

  /** Reads an and-or list; returns the step a pipeline after it through `&&` would take in it. */
  private andOr(frames: ShellFrame[]): AndOrStep {
    const outside = this.andOrs;
    this.counter.lists += 1;
    const list = this.counter.lists;
    let element = 0;
    let lastOr = -1;
    // The commands before the last `||` read so far are marked.
    let unmarked = this.commands.length;
    // Where the last pipeline read starts: errexit is ignored in those before it.
    const start = this.commands.length;
    let lastPipeline = start;
    this.andOrs = [...outside, { list, element, lastOr }];
    this.pipeline(frames);
    while (this.isOp(this.peek(), '&&', '||')) {
      lastPipeline = this.commands.length;
      const op = this.peek()!.value;
      // `a && b || c`: when a or b failed, c runs, and the list's status is c's.
      if (op === '||') {
        this.mark('hiddenIn', unmarked, this.sequences[this.sequences.length - 1]);
        unmarked = this.commands.length;
      }
      this.pos += 1;
      this.listIndex += 1;
      this.skipNewlines();
      element += 1;
      if (op === '||') lastOr = element;
      this.andOrs = [...outside, { list, element, lastOr }];
      // `a || b`: b runs only when a failed. `a || b && c`: c runs when `a || b` succeeded, the ordinary path.
      this.pipeline(op === '||' ? [...frames, { kind: 'or', group: this.newGroup(), branch: 0 }] : frames);
    }
    this.andOrs = outside;
    this.ignoreErrexit(start, lastPipeline);
    return { list, element: element + 1, lastOr };
  }

  private pipeline(frames: ShellFrame[]): void {
    let negated = false;
    for (; this.isWord(this.peek(), '!', 'time'); this.pos += 1) negated ||= this.peek()!.value === '!';
    const start = this.commands.length;
    let piped = false;
    for (;;) {
      const first = this.commands.length;
      this.command(frames);
      if (piped && this.commands[first]) this.commands[first].pipedFromPrevious = true;
      const pipes = this.isOp(this.peek(), '|', '|&');
      // Only a `|` after the first part says it is a pipeline, so each part's subshell is added once it is read.
      if (piped || pipes) this.ownSubshell(first);
      if (!pipes) {
        // `! a`: a failure of a is the pipeline's success.
        if (negated) this.mark('hiddenIn', start, this.sequences[this.sequences.length - 1]);
        if (negated) this.ignoreErrexit(start);
        return;
      }
      // The last simple command written before the `|` sends its output to the next one.
      const last = this.commands[this.commands.length - 1];
      if (last && this.commands.length > first) last.pipesToNext = true;
      this.pos += 1;
      this.skipNewlines();
      piped = true;
    }
  }

  /**
   * Puts the commands read since `first` (a pipeline part, or a list left in the background) in a subshell of their
   * own, at the depth they are at: inside the subshells around them, around those they opened themselves (and their
   * `sh -c` scripts' ones).
   */
  private ownSubshell(first: number): void {
    const id = this.newGroup();
    const depth = this.subshells.length;
    // Commands in one subshell share its list: each list is copied once, not once per command (a part nesting deep
    // pipelines holds many commands and many levels, and copying per command made 60 kB of those take a minute).
    const moved = new Map<number[] | undefined, number[]>();
    for (let i = first; i < this.commands.length; i += 1) {
      const command = this.commands[i];
      let ids = moved.get(command.subshells);
      if (ids === undefined) {
        const around = command.subshells ?? [];
        ids = [...around.slice(0, depth), id, ...around.slice(depth)];
        moved.set(command.subshells, ids);
      }
      command.subshells = ids;
    }
  }

  private command(frames: ShellFrame[]): void {
    if (this.nesting >= MAX_SHELL_NESTING) {
      const token = this.peek();
      if (token === undefined || (token.kind === 'op' && token.value !== '(')) return;
      // Past the bound an opening `(`, `{`, `if`... is skipped; the commands it held are read at this level.
      if (token.kind === 'op' || (token.raw === token.value && STARTERS.has(token.value))) this.pos += 1;
      else this.simple(frames);
      return;
    }
    this.nesting += 1;
    try {
      this.commandAt(frames);
    } finally {
      this.nesting -= 1;
    }
  }

  private commandAt(frames: ShellFrame[]): void {
    const token = this.peek();
    if (token === undefined) return;
    if (this.isOp(token, '(')) {
      this.pos += 1;
      const outside = this.subshells;
      this.subshells = [...outside, this.newGroup()];
      this.list(frames, new Set(), new Set([')']));
      this.subshells = outside;
      if (this.isOp(this.peek(), ')')) this.pos += 1;
      this.redirections();
      return;
    }
    if (token.kind === 'word' && token.raw === token.value && STARTERS.has(token.value)) {
      this.pos += 1;
      if (token.value === 'if') this.ifClause(frames);
      else if (token.value === 'case') this.caseClause(frames);
      else if (token.value === '{') {
        this.list(frames, new Set(['}']), new Set());
        if (this.isWord(this.peek(), '}')) this.pos += 1;
      } else this.loop(token.value, frames);
      this.redirections();
      return;
    }
    if (token.kind === 'op') return;
    this.simple(frames);
  }

  private ifClause(frames: ShellFrame[]): void {
    const group = this.newGroup();
    let branch = 0;
    // The first condition always runs; each later arm runs only when the arms before it did not.
    let scope = frames;
    let condition = this.list(scope, new Set(['then']), new Set(), true);
    for (;;) {
      if (this.isWord(this.peek(), 'then')) {
        this.pos += 1;
        const arm: ShellFrame = { kind: 'branch', group, branch, ...(condition ? { onSuccess: condition } : {}) };
        this.list([...scope, arm], new Set(['elif', 'else', 'fi']), new Set());
        branch += 1;
      }
      const token = this.peek();
      if (this.isWord(token, 'elif')) {
        this.pos += 1;
        scope = [...frames, { kind: 'branch', group, branch }];
        condition = this.list(scope, new Set(['then']), new Set(), true);
        continue;
      }
      if (this.isWord(token, 'else')) {
        this.pos += 1;
        this.list([...frames, { kind: 'branch', group, branch, otherwise: true }], new Set(['fi']), new Set());
      }
      if (this.isWord(this.peek(), 'fi')) this.pos += 1;
      return;
    }
  }

  private caseClause(frames: ShellFrame[]): void {
    const group = this.newGroup();
    // `case WORD in`
    if (this.peek()?.kind === 'word') this.pos += 1;
    this.skipNewlines();
    if (this.isWord(this.peek(), 'in')) this.pos += 1;
    let branch = 0;
    // The arms whose run goes on into the next one through `;&` (this arm among them once it ends so): when an arm
    // ends otherwise, each of them learns where its run stops, and whether `;;&` goes on from there.
    let chain: ShellFrame[] = [];
    // Whether an earlier arm's run went on testing the later arms (`;;&`): then every arm from here may run after one.
    let testing = false;
    const endChain = (how: string | undefined) => {
      const thenTests = how === ';;&';
      testing ||= thenTests;
      for (const arm of chain)
        if (branch - 1 > arm.branch || thenTests) arm.runsOn = { through: branch - 1, thenTests };
      chain = [];
    };
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (token === undefined) return endChain(undefined);
      if (this.isWord(token, 'esac')) {
        this.pos += 1;
        return endChain(undefined);
      }
      // Patterns: `(a|b)` or `a|b)`. An unquoted `*` among them matches any word: the arm is the catch-all.
      if (this.isOp(token, '(')) this.pos += 1;
      let any = false;
      while (this.peek() !== undefined && !this.isOp(this.peek(), ')')) {
        if (this.peek()!.kind === 'word' && this.peek()!.raw === '*') any = true;
        this.pos += 1;
      }
      if (this.isOp(this.peek(), ')')) this.pos += 1;
      const arm: ShellFrame = {
        kind: 'branch',
        group,
        branch,
        ...(any ? { otherwise: true as const } : {}),
        ...(chain.length > 0 || testing ? { afterAnother: true as const } : {}),
      };
      chain.push(arm);
      this.list([...frames, arm], new Set(['esac']), ARM_ENDS);
      const end = this.peek();
      branch += 1;
      if (!this.isOp(end, ';&')) endChain(end?.kind === 'op' ? end.value : undefined);
      if (end !== undefined && end.kind === 'op' && ARM_ENDS.has(end.value)) this.pos += 1;
      else if (!this.isWord(this.peek(), 'esac')) return endChain(undefined);
    }
  }

  private loop(keyword: string, frames: ShellFrame[]): void {
    const loop: ShellFrame = { kind: 'loop', group: this.newGroup(), branch: 0 };
    if (keyword === 'for') {
      // `for NAME [in WORDS]` up to `;` or newline, then `do`.
      const header: Token[] = [];
      while (this.peek() !== undefined && !this.isOp(this.peek(), ';', '\n') && !this.isWord(this.peek(), 'do'))
        header.push(this.tokens[this.pos++]);
      const [name, inWord, ...words] = header;
      if (
        name !== undefined &&
        /^[A-Za-z_]\w*$/.test(name.raw) &&
        this.isWord(inWord, 'in') &&
        words.length > 0 &&
        words.every((w) => w.kind === 'word' && /^[\w./:+@%,=-]+$/.test(w.raw))
      )
        loop.forEach = { name: name.raw, words: words.map((w) => w.value) };
    } else {
      // The condition of `while`/`until` runs at least once; a `while` body only after it succeeded (an `until`
      // body after it failed).
      const condition = this.list(frames, new Set(['do']), new Set(), true);
      if (keyword === 'while' && condition) loop.onSuccess = condition;
    }
    const body: ShellFrame[] = [...frames, loop];
    this.skipSeparators(new Set());
    if (this.isWord(this.peek(), 'do')) this.pos += 1;
    this.list(body, new Set(['done']), new Set());
    if (this.isWord(this.peek(), 'done')) this.pos += 1;
  }

  /** Redirections after a compound command (`done < file`, `} > log`). */
  private redirections(): void {
    for (let token = this.peek(); token?.kind === 'word' && REDIRECT.test(token.raw); token = this.peek()) {
      const redirect = REDIRECT.exec(token.raw)!;
      this.pos += redirect[3] === '' ? 2 : 1;
    }
  }

  private simple(frames: ShellFrame[]): void {
    const words: Token[] = [];
    while (this.peek()?.kind === 'word') {
      words.push(this.peek()!);
      this.pos += 1;
    }
    // `name() { ...; }`: a function definition; its body runs only when called.
    if (
      words.length === 1 &&
      this.isOp(this.peek(), '(') &&
      this.isOp(this.tokens[this.pos + 1], ')') &&
      // Past the nesting bound the body is left to the caller's list, read as if it were not a body.
      this.nesting < MAX_SHELL_NESTING
    ) {
      this.pos += 2;
      this.skipNewlines();
      this.command([...frames, { kind: 'func', group: this.newGroup(), branch: 0 }]);
      return;
    }
    const command = buildCommand(words, this.listIndex, false, false);
    if (!command) return;
    command.scope = frames;
    if (this.subshells.length > 0) command.subshells = this.subshells;
    if (this.andOrs.some((step) => step.element > 0)) command.andOr = this.andOrs;
    command.sequences = this.sequences;
    this.commands.push(command);
    const inner = this.depth < 3 ? innerScript(command) : undefined;
    if (inner !== undefined) {
      // The inner script's commands run where the `sh -c` runs, in a child shell: a `cd`, `export` or `set` there ends
      // with it, as in a `( ... )` subshell.
      const parser = new ShellParser(
        tokenizeShell(inner, dialectOf(command.program, this.binSh)),
        this.depth + 1,
        this.counter,
        frames,
        this.binSh,
      );
      parser.subshells = [...this.subshells, this.newGroup()];
      parser.sequences = this.sequences;
      const nested = parser.parse();
      // `xargs -I{} sh -c 'apt-get install -y {}'`: xargs puts what it reads into the script text, so the replace
      // string stands for unknown words in the inner commands as much as in the `sh -c` itself.
      const replace = command.xargsReplace;
      for (const sub of nested)
        this.commands.push({
          ...sub,
          index: this.listIndex,
          inner: true,
          ...(replace ? { xargsReplace: [...new Set([...replace, ...(sub.xargsReplace ?? [])])] } : {}),
        });
    }
  }
}

/**
 * Whether `later` runs after `earlier` on every path on which `earlier` ran: 'always' (after it, in the same scope or an
 * enclosing one, reached through `;`, `&&`, newlines or the end of an `if`/`case`/loop), 'never' (before it, in another
 * arm of the same `if`/`case`, or only when something failed: behind `||`), or 'maybe' (inside a condition or loop
 * that `earlier` is not in, or a function body: the script alone does not say).
 */
export function runsAfter(
  commands: ShellCommand[],
  earlier: ShellCommand,
  later: ShellCommand,
): 'always' | 'never' | 'maybe' {
  const a = earlier.scope;
  const b = later.scope;
  let common = 0;
  while (common < a.length && common < b.length && sameFrame(a[common], b[common])) common += 1;
  // A function body written before the install may well be called after it: ballast does not follow calls.
  if (b.slice(common).some((f) => f.kind === 'func')) return 'maybe';
  const from = commands.indexOf(earlier);
  const to = commands.indexOf(later);
  if (to <= from) return 'never';
  // An `exit` between them that runs whenever `earlier` did (its scope encloses `earlier`'s), or on every way to
  // `later` (its scope encloses `later`'s), ends the script first: `npm ci; exit 0; npm cache clean` never cleans.
  for (let k = from + 1; k < to; k += 1) {
    const c = commands[k];
    if (c.program === 'exit' && !c.inner && (encloses(c.scope, a) || encloses(c.scope, b))) return 'never';
  }
  if (common === b.length) return 'always';
  const mine = a[common];
  const theirs = b[common];
  // Another arm of the same `if`/`case`, unless a `;&` or `;;&` may take the script from `earlier`'s arm into it.
  if (
    mine &&
    mine.kind === 'branch' &&
    theirs.kind === 'branch' &&
    mine.group === theirs.group &&
    !(mine.runsOn && (theirs.branch <= mine.runsOn.through || mine.runsOn.thenTests))
  )
    return 'never';
  if (b.slice(common).some((f) => f.kind === 'or')) return 'never';
  return 'maybe';
}

function encloses(outer: ShellFrame[], inner: ShellFrame[]): boolean {
  return outer.length <= inner.length && outer.every((f, i) => sameFrame(f, inner[i]));
}

function sameFrame(a: ShellFrame, b: ShellFrame): boolean {
  return a.kind === b.kind && a.group === b.group && a.branch === b.branch;
}

function buildCommand(
  words: Token[],
  index: number,
  pipedFromPrevious: boolean,
  pipesToNext: boolean,
): ShellCommand | undefined {
  const env: Record<string, string> = {};
  const assignments: string[] = [];
  const args: string[] = [];
  const writes: string[] = [];
  // Parallel to `args`: whether each is a word whose `$` the shell leaves as written, and whether it was quoted.
  let literalArgs: boolean[] = [];
  let quotedArgs: boolean[] = [];
  let quotedGlobArgs: boolean[] = [];
  const literalWrites = new Set<number>();
  const literalEnv = new Set<string>();
  let name = '';
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    const redirect = REDIRECT.exec(word.raw);
    const assignment =
      name === '' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.raw);
    if (redirect) {
      // `> file` takes the next word; `>file`, `2>&1` carry their target. On the operator's word the target is read
      // from the word with its quotes removed (`>'/a b'` writes `/a b`): the operator before it is never quoted.
      const attached = redirect[3] === '' ? undefined : word.value.slice(redirect[1].length + redirect[2].length);
      const literal = attached === undefined ? words[i + 1]?.literal : word.literal;
      const target = attached ?? words[i + 1]?.value;
      if (attached === undefined) i += 1;
      if (target && redirect[2].includes('>') && !target.startsWith('&') && !/^\d$/.test(target)) {
        if (literal) literalWrites.add(writes.length);
        writes.push(target);
      }
      continue;
    }
    if (assignment) {
      const eq = word.value.indexOf('=');
      env[word.value.slice(0, eq)] = word.value.slice(eq + 1);
      assignments.push(word.raw);
      // The name holds no `$`: a literal one is in the value, which is what a rule resolves (`X='$A' cmd`).
      if (word.literal) literalEnv.add(word.value.slice(0, eq));
      else literalEnv.delete(word.value.slice(0, eq));
      continue;
    }
    if (name === '') name = word.value;
    else {
      args.push(word.value);
      literalArgs.push(word.literal === true);
      quotedArgs.push(word.raw !== word.value);
      quotedGlobArgs.push(word.quotedGlob === true);
    }
  }
  if (name === '' && Object.keys(env).length === 0) return undefined;
  const wrappers: string[] = [];
  const xargsReplace: string[] = [];
  let program = name.split('/').pop() ?? name;
  while (Object.hasOwn(WRAPPERS, program)) {
    const rest = unwrap(
      program,
      args,
      { literal: literalArgs, quoted: quotedArgs, glob: quotedGlobArgs },
      env,
      literalEnv,
    );
    if (!rest) break;
    wrappers.push(program);
    xargsReplace.push(...rest.replace);
    name = rest.args.shift()!;
    program = name.split('/').pop() ?? name;
    args.splice(0, args.length, ...rest.args);
    literalArgs = rest.literal.slice(1);
    quotedArgs = rest.quoted.slice(1);
    quotedGlobArgs = rest.glob.slice(1);
  }
  const literalIndexes = new Set(literalArgs.flatMap((literal, i) => (literal ? [i] : [])));
  const quotedIndexes = new Set(quotedArgs.flatMap((quoted, i) => (quoted ? [i] : [])));
  const quotedGlobIndexes = new Set(quotedGlobArgs.flatMap((glob, i) => (glob ? [i] : [])));
  return {
    name,
    program,
    args,
    env,
    writes,
    pipesToNext,
    pipedFromPrevious,
    index,
    scope: [],
    ...(assignments.length > 0 ? { assignments } : {}),
    ...(wrappers.length > 0 ? { wrappers } : {}),
    ...(xargsReplace.length > 0 ? { xargsReplace } : {}),
    ...(quotedIndexes.size > 0 ? { quoted: quotedIndexes } : {}),
    ...(quotedGlobIndexes.size > 0 ? { quotedGlob: quotedGlobIndexes } : {}),
    ...(literalIndexes.size > 0 || literalWrites.size > 0 || literalEnv.size > 0
      ? { literalDollar: { args: literalIndexes, writes: literalWrites, env: literalEnv } }
      : {}),
  };
}

/** Per word of a command, parallel to its words: see ShellCommand `literalDollar`, `quoted` and `quotedGlob`. */
interface WordMarks {
  literal: boolean[];
  quoted: boolean[];
  glob: boolean[];
}

/**
 * The command a wrapper runs (its program first), past the wrapper's options (and `env`'s assignments, added to
 * `env`); undefined when it runs none (`sudo -v`, a bare `env` printing the environment). `marks` are parallel to
 * `given`, and come back parallel to the command's words; `literalEnv` takes the assignments' names as `env` does.
 */
function unwrap(
  wrapper: string,
  given: string[],
  marks: WordMarks,
  env: Record<string, string>,
  literalEnv: Set<string>,
): ({ args: string[]; replace: string[] } & WordMarks) | undefined {
  const { valued, flags: valueless, noCommand, optional, long, attachedOnly } = WRAPPERS[wrapper];
  const replace: string[] = [];
  let args = given;
  let { literal, quoted, glob } = marks;
  let splits = 0;
  let dashed = false;
  let i = 0;
  for (; i < args.length; i += 1) {
    const arg = args[i];
    // (past env's lone `-` a word starting with `-` is the command, `--` and `-S` too)
    if (dashed && arg.startsWith('-')) break;
    if (arg === '--') {
      i += 1;
      break;
    }
    const split = wrapper === 'env' ? splitStringOption(args, i) : undefined;
    if (split) {
      // Its words take the option's place, and env reads on from the first of them (options, assignments, command).
      const words = split.value === undefined ? undefined : splitEnvString(split.value);
      if (!words || ++splits > MAX_ENV_SPLITS) return undefined;
      args = [...args.slice(0, i), ...words, ...args.slice(i + split.length)];
      // env expands no `$VAR` there (splitEnvString rejects one): a `$` left in its words was written `\$` or quoted.
      literal = [...literal.slice(0, i), ...words.map((w) => w.includes('$')), ...literal.slice(i + split.length)];
      // Nor does the shell split them again: each is one word, as a quoted one is.
      quoted = [...quoted.slice(0, i), ...words.map(() => true), ...quoted.slice(i + split.length)];
      // Nor does env expand a glob in them.
      glob = [...glob.slice(0, i), ...words.map((w) => /[*?[]/.test(w)), ...glob.slice(i + split.length)];
      i -= 1;
      continue;
    }
    if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
      const eq = arg.indexOf('=');
      env[arg.slice(0, eq)] = arg.slice(eq + 1);
      // `env X='$A' cmd`: the value of a literal word is literal too, as for `X='$A' cmd`.
      if (literal[i]) literalEnv.add(arg.slice(0, eq));
      else literalEnv.delete(arg.slice(0, eq));
      continue;
    }
    // `nice -5 cmd`: the old form of `-n 5`.
    if (wrapper === 'nice' && /^-\d+$/.test(arg)) continue;
    // env's lone `-` after its options is -i (coreutils env.c), read once; its options end there, not its assignments.
    if (wrapper === 'env' && arg === '-' && !dashed) {
      dashed = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const name = longOption(arg.slice(2).split('=')[0], long);
      // (an ambiguous or unknown option stops the program, or leaves what it runs unknown: see longOption)
      if (name === null || noCommand?.has(name)) return undefined;
      if (wrapper === 'xargs' && name === 'replace')
        replace.push(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : '{}');
      if (!arg.includes('=') && valued.has(name)) i += 1;
      continue;
    }
    // `-u app`, `-Eu app`: the first letter that takes a value takes the rest of the cluster (`-uapp`), or the next
    // word when it is last.
    const flags = [...arg.slice(1)];
    const at = flags.findIndex((f) => valued.has(f) || optional?.has(f) || attachedOnly?.has(f));
    const before = flags.slice(0, at < 0 ? undefined : at);
    // (an option it does not have: as an unknown long one, see longOption)
    if (before.some((f) => noCommand?.has(f) || !valueless.includes(f))) return undefined;
    if (wrapper === 'xargs' && /^[IJi]$/.test(flags[at] ?? '')) {
      const value = at < flags.length - 1 ? arg.slice(at + 2) : valued.has(flags[at]) ? args[i + 1] : undefined;
      replace.push(value ?? '{}');
    }
    if (at !== flags.length - 1 || attachedOnly?.has(flags[at])) continue;
    if (valued.has(flags[at])) i += 1;
    else if (i + 1 < args.length && !args[i + 1].startsWith('-')) i += 1;
    else return undefined;
  }
  i += WRAPPERS[wrapper].before ?? 0;
  return i < args.length
    ? {
        args: args.slice(i),
        literal: literal.slice(i),
        quoted: quoted.slice(i),
        glob: glob.slice(i),
        // (an empty one is found in every word, and marks no place)
        replace: replace.filter((r) => r !== ''),
      }
    : undefined;
}

/** `env -S '-S "…"'` nests; past this many splits env is left as the command (a hostile file could nest deep). */
const MAX_ENV_SPLITS = 8;

/**
 * When `args[i]` is env's `-S`/`--split-string` (`-S v`, `-Sv`, `-iS v`, `--split-string=v`, `--split v`): its value
 * (undefined when it has none, which env rejects) and how many words option and value take.
 */
function splitStringOption(args: string[], i: number): { value: string | undefined; length: number } | undefined {
  const arg = args[i];
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    // getopt takes any unambiguous prefix of a long option; no other env option starts with `s`.
    if (name === '' || !'split-string'.startsWith(name)) return undefined;
    return eq >= 0 ? { value: arg.slice(eq + 1), length: 1 } : { value: args[i + 1], length: 2 };
  }
  if (!arg.startsWith('-') || arg === '-') return undefined;
  // In a cluster the first letter that takes a value takes the rest: `-uS` unsets S, `-iSpip` splits `pip`.
  const at = [...arg.slice(1)].findIndex((f) => f === 'S' || WRAPPERS.env.valued.has(f));
  if (at < 0 || arg[at + 1] !== 'S') return undefined;
  return at + 2 < arg.length ? { value: arg.slice(at + 2), length: 1 } : { value: args[i + 1], length: 2 };
}

/**
 * The words of env's `-S` string, split as GNU env splits it (coreutils env.c, build_argv): on blanks outside quotes;
 * `'…'` keeps all but `\\` and `\'`; `"…"` and bare text read `\_` (a blank: a separator outside quotes), `\t`, `\n`,
 * `\f`, `\r`, `\v`, `\c` (the end, outside `"…"`) and `\"`, `\'`, `\\`, `\#`, `\$`; a word starting with `#` ends the
 * string. Undefined for what env rejects (another escape, an open quote) and for `${VAR}`, which env expands from an
 * environment ballast does not know.
 */
function splitEnvString(text: string): string[] | undefined {
  const words: string[] = [];
  const ESCAPES: Record<string, string> = { f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  let single = false;
  let double = false;
  // A separator was read (or nothing yet): the next character starts a word.
  let separated = true;
  const add = (text: string): void => {
    if (separated) words.push('');
    separated = false;
    words[words.length - 1] += text;
  };
  let i = 0;
  for (; i < text.length; i += 1) {
    const ch = text[i];
    if ((ch === "'" && !double) || (ch === '"' && !single)) {
      // A quote starts a word even when empty (`''` is an empty argument).
      add('');
      if (ch === "'") single = !single;
      else double = !double;
    } else if (' \t\n\v\f\r'.includes(ch) && !single && !double) separated = true;
    else if (ch === '#' && separated && !single && !double) break;
    else if (ch === '$' && !single) return undefined;
    else if (ch === '\\' && (!single || text[i + 1] === '\\' || text[i + 1] === "'")) {
      i += 1;
      const next = text[i] ?? '';
      if (next !== '' && '"#$\'\\'.includes(next)) add(next);
      else if (next === '_' && !double) separated = true;
      else if (next === '_') add(' ');
      else if (next === 'c' && !double) return words;
      else if (Object.hasOwn(ESCAPES, next)) add(ESCAPES[next]);
      else return undefined;
    } else add(ch);
  }
  return single || double ? undefined : words;
}

/**
 * How the shells read their own options (bash's and dash's): `-o NAME` and `-O NAME` (also with `+`) take the next word,
 * also from inside a cluster (`-eo pipefail`, `-oe pipefail`); bash's `--rcfile FILE` and `--init-file FILE` too.
 */
const SHELL_OPTIONS: OptionValues = {
  short: (letter) => letter === 'o' || letter === 'O',
  long: (name) => name === 'rcfile' || name === 'init-file',
  shell: true,
};

/**
 * A shell's (or `set`'s) options as the shells read them (see `SHELL_OPTIONS`): `set -euo pipefail` gives e, u and o
 * with value pipefail; an option given with `+` (`+o pipefail`, turned off) is marked `plus`.
 */
export function shellOptions(args: string[]): ReadOption[] {
  return readOptions(args, SHELL_OPTIONS).options;
}

/**
 * What a shell's or `set`'s options do to errexit: on where they give `-e` (`-eux`) or `-o errexit`, off where `+e`
 * or `+o errexit`, the last one winning; undefined when they do not name it.
 */
export function errexitSetting(args: string[]): boolean | undefined {
  let on: boolean | undefined;
  for (const o of shellOptions(args)) if (o.name === 'e' || (o.name === 'o' && o.value === 'errexit')) on = !o.plus;
  return on;
}

/**
 * The script of `sh -c 'script'` / `bash -o pipefail -c "script"`, when this command is one: with `-c` anywhere among
 * the options, the first word after them is the script (the words after it are `$0`, `$1`...). Undefined when the RUN's
 * shell puts the script there from an expansion (`sh -c "$SCRIPT"`, `sh -c "$(curl -fsSL URL)"`): what runs is not in
 * the text, and `$SCRIPT` is no command of it (it may be a whole list, `curl x; echo done`). A `$` the RUN's shell
 * leaves as written (`sh -c '$CMD'`) is expanded by the inner shell as a command word, which the script then is.
 */
export function innerScript(command: ShellCommand): string | undefined {
  if (!SHELLS.has(command.program)) return undefined;
  const { options, positionals } = readOptions(command.args, SHELL_OPTIONS);
  if (!options.some((o) => o.name === 'c') || positionals.length === 0) return undefined;
  const at = positionals[0];
  const script = command.args[at];
  if (/^(\$[\w{(@*#?!$-]|`)/.test(script) && !command.literalDollar?.args.has(at)) return undefined;
  return script;
}

/**
 * Every flag name a command was given: `-qy` gives q and y, `--no-cache=true` gives no-cache. Stops at `--`. The value
 * of an option in `valueFlags` is no flags (`apt-get -oAcquire::http::Proxy=URL` gives o, not the y in Proxy).
 */
export function flagNames(args: string[], valueFlags: string[] = NO_VALUE_FLAGS): readonly string[] {
  // Kept per argument list (a command's args are never changed once read): rules ask once per package of a command
  // (DF105's `install -s` test), and reading all the words again for each made a RUN of N packages quadratic.
  let byFlags = flagNamesOf.get(args);
  if (!byFlags) flagNamesOf.set(args, (byFlags = new Map()));
  let names = byFlags.get(valueFlags);
  if (!names) byFlags.set(valueFlags, (names = Object.freeze(readArgs(args, valueFlags).options.map((o) => o.name))));
  return names;
}

const NO_VALUE_FLAGS: string[] = [];
const flagNamesOf = new WeakMap<string[], Map<string[], readonly string[]>>();

/** A word as a fix writes it into a script (the rules import it from here, beside the words they read). */
export { shellQuote } from '../shell-quote.js';

/** True when any of the given flag names (without dashes; one letter means a short flag) was passed. */
export function hasFlag(args: string[], ...names: string[]): boolean {
  const given = flagNames(args);
  return names.some((name) => given.includes(name));
}

/**
 * Positional arguments, skipping flags and the values of the flags listed in `valueFlags` (e.g. `-t stable`).
 * `--flag=value` never consumes the next word; a short cluster is read as getopt reads it (see `readOptions`).
 */
export function positionals(args: string[], valueFlags: string[] = []): string[] {
  return positionalIndexes(args, valueFlags).map((i) => args[i]);
}

/** Where in `args` the `positionals` are (to tell one word from another with the same text). */
export function positionalIndexes(args: string[], valueFlags: string[] = []): number[] {
  return readArgs(args, valueFlags).positionals;
}

/** `args` read by `readOptions` with the options named in `valueFlags` (letters and long names) taking a value. */
export function readArgs(args: string[], valueFlags: readonly string[]): ReturnType<typeof readOptions> {
  const takesValue = (name: string) => valueFlags.includes(name);
  return readOptions(args, { short: takesValue, long: takesValue });
}

/** Which of a command's options take a value: a short one by its letter, a long one by its name. */
export interface OptionValues {
  short: (letter: string) => boolean;
  long: (name: string) => boolean;
  /**
   * Short options whose value can only be the rest of their word, getopt's optional argument (`x::`): GNU xargs's
   * `-l1` takes 1, `-l` alone takes nothing, never the next word.
   */
  attachedOnly?: (letter: string) => boolean;
  /**
   * The first positional ends the options, as POSIX getopt and GNU's `+` option strings (xargs) read them: it and every
   * word after it are positionals.
   */
  stopAtPositional?: boolean;
  /**
   * Read as the shells read their own options: `+x` is an option as `-x` is, a lone `-` ends the options as `--` does,
   * the first positional ends them too, and a value-taking letter takes the next word even inside a cluster, which
   * reads on (`-oe pipefail`: `o` is pipefail, `e` a flag).
   */
  shell?: boolean;
  /**
   * The name an option is read as when not the one written (`long` for a `--name` option, else a letter): a command
   * that takes a long option's unique prefix (pip's optparse: `--no-cache` for --no-cache-dir) or reads an alias as
   * another name. Undefined keeps the name written. `short`, `long` and `attachedOnly` are asked with the name read.
   * Not for the shells' reading.
   */
  name?: (written: string, long: boolean) => string | undefined;
}

/** An option as a command reads it, with the index of the argument its value is in (its own when it has none). */
export interface ReadOption {
  name: string;
  value?: string;
  from: number;
  /** Given with `+` (the shells' reading, where `+o NAME` turns off what `-o NAME` turns on). */
  plus?: boolean;
}

/**
 * A command line read as getopt reads it. A short cluster is read letter by letter up to the first option that takes a
 * value, whose value is the rest of the word (`-tstable`, `-qtstable`; in `-ot` the `t` is `-o`'s value) or else the
 * next word (`-qt stable`). A long option takes `--long=value`, or the next word when it takes a value. A lone `-` is a
 * positional; every word after `--` is one. `takes` may ask for an optional argument's reading, for options that end
 * at the first positional, or for the shells' reading (see `OptionValues`).
 */
export function readOptions(args: string[], takes: OptionValues): { options: ReadOption[]; positionals: number[] } {
  const options: ReadOption[] = [];
  const positionals: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--' || (takes.shell && arg === '-')) {
      for (let j = i + 1; j < args.length; j += 1) positionals.push(j);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const written = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const name = takes.name?.(written, true) ?? written;
      if (eq >= 0) options.push({ name, value: arg.slice(eq + 1), from: i });
      else if (takes.long(name)) {
        options.push({ name, value: args[i + 1], from: i + 1 });
        i += 1;
      } else options.push({ name, from: i });
      continue;
    }
    const option = (arg.startsWith('-') || (takes.shell === true && arg.startsWith('+'))) && arg.length > 1;
    if (!option) {
      if (!takes.stopAtPositional && !takes.shell) {
        positionals.push(i);
        continue;
      }
      for (let j = i; j < args.length; j += 1) positionals.push(j);
      break;
    }
    if (takes.shell) {
      // Each value letter takes the next word not yet taken; the cluster reads on.
      let next = i + 1;
      const sign = arg.startsWith('+') ? { plus: true } : {};
      for (let j = 1; j < arg.length; j += 1) {
        if (!takes.short(arg[j])) options.push({ name: arg[j], from: i, ...sign });
        else {
          options.push({ name: arg[j], value: args[next], from: next, ...sign });
          next += 1;
        }
      }
      i = next - 1;
      continue;
    }
    for (let j = 1; j < arg.length; j += 1) {
      const name = takes.name?.(arg[j], false) ?? arg[j];
      if (takes.attachedOnly?.(name)) {
        options.push({ name, value: j + 1 < arg.length ? arg.slice(j + 1) : undefined, from: i });
        break;
      }
      if (!takes.short(name)) {
        options.push({ name, from: i });
        continue;
      }
      if (j + 1 < arg.length) options.push({ name, value: arg.slice(j + 1), from: i });
      else {
        options.push({ name, value: args[i + 1], from: i + 1 });
        i += 1;
      }
      break;
    }
  }
  return { options, positionals };
}

/** The first positional argument (the subcommand of `apt-get install`, `pip install`, `npm ci`...). */
export function subcommand(command: ShellCommand, valueFlags: string[] = []): string | undefined {
  return positionals(command.args, valueFlags)[0];
}

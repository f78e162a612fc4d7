// DF236: a RUN pipeline whose failure the shell ignores, because pipefail is off (hadolint DL4006).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import {
  errexitSetting,
  heredocInterpreter,
  innerScript,
  parseShell,
  runDialect,
  scriptShell,
  SHELLS,
  shellOptions,
  substitutionScripts,
  type BinSh,
  type ShellCommand,
  type ShellDialect,
  type ShellFrame,
} from '../../src/dockerfile/shell.js';
import { baseImageOf, defineRule, dockerfileMeta, parseImageRef } from '../../src/lint/helpers.js';
import { pragmaShell } from '../../src/lint/pragmas.js';

// Shells that take `-o pipefail` (BusyBox ash, ksh93 and mksh too: `ksh -o pipefail -c 'false | cat'` exits 1, as
// with `ksh93`, `mksh` and `lksh`).
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'ksh93', 'mksh', 'lksh']);
// Those of them whose SHELL the advice keeps, adding `-o pipefail` (see ownAdvice): a script written for zsh or ksh
// may not run in bash. bash is advised as a whole SHELL.
const OWN_ADVICE_SHELLS = new Set(['zsh', 'ash', 'ksh', 'ksh93', 'mksh', 'lksh']);
const NON_POSIX = /^(pwsh|powershell|cmd)(\.exe)?$/i;
// Alpine images have BusyBox ash and, unless it is installed, no bash: a pasted `/bin/bash` SHELL would fail every
// later RUN there (`/bin/bash: not found`), so the advice names ash alone.
const ALPINE_IMAGE = /alpine/i;
const ADVICE = 'add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it';
const ALPINE_ADVICE =
  'add `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` before it (Alpine has no bash unless installed), or start the RUN with `set -o pipefail`';
/** For a stage whose SHELL is zsh, ksh, mksh or ash (`shell`, its exec words): the same SHELL with `-o pipefail`. */
const ownAdvice = (shell: string[]): string =>
  `add \`-o pipefail\` to its SHELL (\`SHELL [${[shell[0], '-o', 'pipefail', ...shell.slice(1)].map((w) => JSON.stringify(w)).join(', ')}]\`) or start the RUN with \`set -o pipefail\``;
// For a pipe in a command substitution that errexit ends only because the RUN's shell passes errexit into it (dash
// does): bash clears it there unless inherit_errexit is on, so under the bare advice the pipe's failure is still lost
// (see substitutionPipe).
const INHERIT_ADVICE =
  'add `SHELL ["/bin/bash", "-O", "inherit_errexit", "-o", "pipefail", "-c"]` before it (without inherit_errexit bash clears errexit in the `$(...)`)';
// For such a pipe in the substitution of an assignment errexit does not act on (before `&&` or `||`, in a condition):
// bash ignores errexit in all of it, inherit_errexit or not (`bash -O inherit_errexit -o pipefail -c 'set -e; V=$({
// false; echo x; } | cat) && echo "[$V]"'` prints `[x]`), so no SHELL alone catches it; pipefail does once the failed
// command ends what it runs in (`{ false || exit 1; echo x; }` exits 1 there).
const testedAdvice = (left: string): string =>
  `make a failed \`${left}\` end what it runs in (\`|| exit 1\`) and add \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` (bash ignores errexit in a \`$(...)\` tested by \`&&\`, \`||\` or a condition, so no SHELL alone does)`;

type ShellState = 'pipefail' | 'plain' | 'non-posix';

// Images whose `/bin/sh` is a dash that refuses pipefail. Debian's dash took the option in 0.5.12-7 (May 2024: Debian
// 13 "trixie" and later, and Ubuntu after 24.04), so only images known to be of an earlier release are read so: Debian
// 12 or older and Ubuntu 24.04 or older by their tags (`debian:12-slim`, `ubuntu:22.04`), and any image whose tag names
// such a release (`python:3.12-slim-bookworm`, `node:20-bullseye`, `buildpack-deps:jammy`). `debian:latest`,
// `python:3.12` and the like are trixie now, where `set -o pipefail` works, as anywhere `/bin/sh` is bash (Fedora).
const OLD_DASH_RELEASE =
  /(?:^|[-_.])(bookworm|bullseye|buster|stretch|jessie|noble|mantic|lunar|kinetic|jammy|focal|bionic|xenial)(?:$|[-_.])/;
// Debian releases whose dash (0.5.12-12 in trixie and sid) has pipefail, named in a tag (`debian:trixie-slim`,
// `python:3.13-slim-trixie`, `node:22-trixie`).
const NEW_DASH_RELEASE = /(?:^|[-_.])(trixie|forky|duke|sid)(?:$|[-_.])/;

/** Whether `image` (a FROM reference) is one whose `/bin/sh` is a dash without pipefail, as OLD_DASH_RELEASE says. */
function dashImage(image: string): boolean {
  const { repository: path, tag = '' } = parseImageRef(image);
  if (OLD_DASH_RELEASE.test(tag)) return true;
  const repository = path.split('/').pop() ?? '';
  if (repository === 'debian') {
    const major = /^(\d+)(?:[.-]|$)/.exec(tag);
    return major !== null && Number(major[1]) <= 12;
  }
  if (repository === 'ubuntu') {
    const version = /^(\d+)\.(\d+)(?:[.-]|$)/.exec(tag);
    return version !== null && Number(version[1]) * 100 + Number(version[2]) <= 2404;
  }
  return false;
}

/**
 * Whether `image` (a FROM reference) is known to be one whose `/bin/sh` is a dash with pipefail: Debian 13 ("trixie")
 * or later by its tag (`debian:13`, `debian:trixie-slim`, `debian:sid`, `debian:testing`, `debian:unstable`), or any
 * image whose tag names such a release (NEW_DASH_RELEASE). Ubuntu's releases after 24.04 are not read so: their dash
 * was not checked. An image whose tag names no release (`debian:latest`, `debian:stable`, `python:3.12`) is not either:
 * which dash it has moves with the tag, and so a `/bin/sh -o pipefail` there is still read as a dash's.
 */
function pipefailDashImage(image: string): boolean {
  const { repository: path, tag = '' } = parseImageRef(image);
  if (NEW_DASH_RELEASE.test(tag)) return true;
  if ((path.split('/').pop() ?? '') !== 'debian') return false;
  if (/^(testing|unstable)(?:$|[-_.])/.test(tag)) return true;
  const major = /^(\d+)(?:[.-]|$)/.exec(tag);
  return major !== null && Number(major[1]) >= 13;
}

/**
 * Whether the shell `program` (a name) takes `-o pipefail` on a stage whose `/bin/sh` is `binSh` (StageModel.binSh) and
 * whose image has a dash with pipefail or not (`newDash`, see pipefailDashImage): bash, zsh, ash, ksh93 and mksh do;
 * `sh` does where it is BusyBox ash (Alpine), bash (Fedora) or such a dash; `dash` named only there (a dash named
 * elsewhere is taken as released dash 0.5.12, Fedora's and Debian's before trixie, which refuses it).
 */
function takesPipefail(program: string, binSh: BinSh, newDash: boolean): boolean {
  if (PIPEFAIL_SHELLS.has(program)) return true;
  if (program === 'dash') return newDash;
  return program === 'sh' && (binSh !== 'dash' || newDash);
}

// Such a dash (0.5.12 before -7, Debian 12's) has no pipefail: `dash -o pipefail -c true` and `dash -c 'set -o pipefail'` print
// "Illegal option -o pipefail" and exit 2 before anything runs (`set` is a special builtin: its error ends the shell).
const DASH_ADVICE = 'use `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it instead';
const DASH_CHILD_ADVICE = 'run the script with `bash -o pipefail -c` instead';

// Producers whose failure pipefail has nothing to catch: echo and printf of their words (a command substitution in them
// ran before, and its status is lost with or without pipefail), as in the official images' `echo "$SHA256 *go.tgz" |
// sha256sum -c -`; yes, which only ends when its reader exits, by SIGPIPE: there pipefail would fail the step
// (`yes | apt-get install` returns 141); and true and `:`, which do nothing.
const CANNOT_FAIL = new Set(['echo', 'printf', 'yes', 'true', ':']);

/**
 * The command whose failure pipefail would catch where command `i` pipes into the next one, to name it; undefined when
 * there is none. The writer is a simple command (CANNOT_FAIL ones have no failure to catch) or a compound command
 * (`{ ...; }`, `( ... )`, an `if`, a loop), whose status is that of the last command it ran: one whose status it cannot
 * take (see ShellCommand `hiddenIn`: a condition, as in `while true; do echo y; done | head -1`, which like `yes | head`
 * only ends by SIGPIPE; before `||`) cannot fail it, nor one another and-or list follows in it (`{ curl x; echo; } |
 * sh` exits 0 with pipefail), unless `errexit` ends it there. An `exit` in it ends it with its own status: the command
 * named then is the first in it that may fail (`{ curl x || exit 1; echo; } | sh` names curl).
 */
function failingWriter(
  commands: ShellCommand[],
  i: number,
  errexit: (c: ShellCommand) => boolean,
): ShellCommand | undefined {
  const [here, next] = [commands[i], commands[i + 1]];
  const part = next === undefined ? undefined : pipelinePart(commands, i);
  if (part === undefined) return here;
  // The lists the pipeline is in are the reader's too; those in the writer are not.
  return statusWriter(commands, part, new Set(next.sequences), errexit);
}

/**
 * The command of `part` (of `commands`) whose failure would be `part`'s status, as failingWriter says; `outside` holds
 * the lists `part` is in, whose other commands do not run in it (none for a whole script).
 */
function statusWriter(
  commands: ShellCommand[],
  part: ShellCommand[],
  outside: Set<number>,
  errexit: (c: ShellCommand) => boolean,
): ShellCommand | undefined {
  const within = (ids: number[] | undefined) => (ids ?? []).some((id) => !outside.has(id));
  const exits = (c: ShellCommand) => c.program === 'exit' && c.args[0] !== '0';
  // A `sh -c` whose script was read exits with its script's status: the script's commands stand for it, so
  // `sh -c "curl x; echo done" | tar xz` cannot fail, and `sh -c "echo; curl x" | tar xz` names curl.
  // `exit 0` cannot fail either: `sh -c "curl x; exit 0" | tar xz` exits 0 with pipefail.
  const fails = (c: ShellCommand) =>
    !CANNOT_FAIL.has(c.program) && !(c.program === 'exit' && c.args[0] === '0') && !runsScript(commands, c);
  const status = part.filter((c) => exits(c) || (!within(c.hiddenIn) && (errexit(c) || !within(c.followedIn))));
  // The last one is the status when all went well: `(cd /tmp && curl x) | tar xz` names curl.
  const failing = status.findLast(fails);
  if (failing === undefined || !exits(failing)) return failing;
  return part.find((c) => fails(c) && !exits(c)) ?? failing;
}

/**
 * The command to name for `writer`, the writer failingWriter found: itself, unless it has nothing but assignments. Those
 * exit with the status of their last command substitution (bash 5.2.15 `-o pipefail` exits 1 for `V=$(false) | cat`;
 * dash 0.5.12, without pipefail, 0): the command whose status its script takes (read in `dialect`, with errexit from a
 * `set -e` in it, as finalPipe reads it) is named. Undefined when there is none, as for `V=x` or ``V=\`date\` ``
 * (literal backquotes), which cannot fail: nothing to name, and no pipefail to advise. A loop, not recursion, for
 * substitutions of assignments nested deep.
 *
 * `errexit` is whether errexit is on as the substitution starts, as the RUN's `shell` passes it on (see
 * substitutionErrexit): `set -e; V=$(false; echo x) | cat` exits 0 in dash 0.5.12, zsh 5.9 and ksh93, which keep
 * errexit in the substitution (so the assignment fails, and only the pipe hides it: with `-o pipefail` zsh and ksh
 * exit 1), and in bash and BusyBox ash, which clear it there (the assignment takes `echo`'s 0).
 */
function namedWriter(
  writer: ShellCommand,
  dialect: ShellDialect,
  errexit = false,
  shell: SubstitutionShell = CLEARING,
): ShellCommand | undefined {
  let named: ShellCommand | undefined = writer;
  let on = errexit;
  while (named !== undefined && named.program === '') {
    const scripts = (named.assignments ?? []).flatMap((word) => substitutionScripts(word, dialect));
    if (scripts.length === 0) return undefined;
    const inner = parseShell(scripts[scripts.length - 1], 0, dialect);
    // bash, zsh and ksh93 ignore errexit in the whole substitution of an assignment errexit does not act on.
    const ignored = shell.testedIgnored && named.errexitIgnored === true;
    const start = on;
    const errexitIn = (c: ShellCommand) => !ignored && errexitAt(inner, inner.indexOf(c), start);
    named = statusWriter(inner, inner, new Set(), (c) => actsOn(c, () => errexitIn(c)));
    // A substitution in the one named gets errexit as the shell passes it on (not a bash `shopt` in the script).
    on = named !== undefined && passesErrexit(shell) && errexitIn(named);
  }
  return named;
}

/** Whether `command` is a `sh -c` whose script's commands follow it (marked inner, in a child shell of its own). */
function runsScript(commands: ShellCommand[], command: ShellCommand): boolean {
  const next = commands[commands.indexOf(command) + 1];
  const outer = command.subshells ?? [];
  return (
    innerScript(command) !== undefined &&
    next?.inner === true &&
    (next.subshells?.length ?? 0) > outer.length &&
    outer.every((id, k) => next.subshells?.[k] === id)
  );
}

function setsErrexit(args: string[]): boolean {
  return errexitSetting(args) === true;
}

/**
 * The commands of the pipeline part that command `i` ends, which pipes into the next one. Each part of a pipeline runs
 * in a subshell of its own (see ShellCommand `subshells`): the reader's innermost subshell is its part's, and the
 * writer's part holds every command with the writer's subshell at that depth, in the same outer subshells. Undefined
 * when the parse gives no such subshell.
 */
function pipelinePart(commands: ShellCommand[], i: number): ShellCommand[] | undefined {
  const outer = commands[i + 1].subshells ?? [];
  const depth = outer.length - 1;
  const id = commands[i].subshells?.[depth];
  if (depth < 0 || id === undefined || id === outer[depth]) return undefined;
  const inPart = (c: ShellCommand) =>
    c.subshells?.[depth] === id && outer.slice(0, depth).every((outerId, k) => c.subshells?.[k] === outerId);
  return commands.slice(0, i + 1).filter(inPart);
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF236',
    name: 'pipe-without-pipefail',
    type: 'problem',
    summary: 'Set -o pipefail (through SHELL) before RUN with a pipe',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      pipefail:
        'This RUN pipes `{{left}}` into `{{right}}` without pipefail: if `{{left}}` fails the step still succeeds; {{advice}}.',
      dashRefuses:
        'This RUN fails at once: {{what}} asks dash{{where}} for pipefail, which dash does not have ("Illegal option -o pipefail", exit 2); {{advice}}.',
    },
    sources: [{ tool: 'hadolint', id: 'DL4006', relation: 'same' }],
  }),
  create(ctx) {
    // `# hadolint shell=powershell`: the base image's shell is not POSIX, so pipes mean something else.
    const pragma = pragmaShell(ctx.parsed.text);
    const byStage: ShellState[] = [];
    let state: ShellState = pragma && NON_POSIX.test(pragma.replace(/^.*\//, '')) ? 'non-posix' : 'plain';
    const initial = state;
    // Whether the stage's SHELL has errexit (`-e`), by stage as `state` (see failingWriter).
    const errexitByStage: boolean[] = [];
    let shellErrexit = false;
    // The stage's SHELL exec words, undefined for the default `/bin/sh -c`, by stage as `state` (see substitutionPipe).
    const shellByStage: (string[] | undefined)[] = [];
    let shell: string[] | undefined;
    // What the stage's image tells (its name and tag parsed), worked out once per stage rather than for every RUN and
    // SHELL in it: by stage index, the implicit stage's (-1) apart.
    const imageByStage = new Map<number, StageImage>();
    const stageImage = (stageIndex: number): StageImage => {
      let known = imageByStage.get(stageIndex);
      if (!known) {
        const image = baseImageOf(ctx, stageIndex) ?? '';
        known = {
          binSh: binShAt(ctx.stages, stageIndex),
          newDash: pipefailDashImage(image),
          dashSh: dashImage(image),
          alpine: ALPINE_IMAGE.test(image),
        };
        imageByStage.set(stageIndex, known);
      }
      return known;
    };
    const visitRun = (instruction: Instruction): void => {
      if (state !== 'plain' || instruction.form === 'exec') return;
      // A heredoc script with its own interpreter line is not run by the SHELL.
      if (heredocInterpreter(instruction) !== undefined) return;
      const commands = ctx.commands(instruction);
      // The shell `/bin/sh` is (StageModel.binSh): BusyBox ash and bash take `-o pipefail`; dash from trixie on.
      const { binSh, newDash, dashSh, alpine } = stageImage(instruction.stageIndex);
      const takes = (p: string) => takesPipefail(p, binSh, newDash);
      const program = (shell?.[0] ?? '').split(/[\\/]/).pop() ?? '';
      const dialect = runDialect(instruction, ctx.stages.shellAt[instruction.index], binSh);
      const refused = dashRefusal(instruction, commands, shell, takes, dashSh, dialect);
      if (refused !== undefined) return ctx.report({ messageId: 'dashRefuses', data: refused, at: instruction });
      const advice =
        shell !== undefined && OWN_ADVICE_SHELLS.has(program) ? ownAdvice(shell) : alpine ? ALPINE_ADVICE : ADVICE;
      // errexit where each command runs (see optionAt): from the SHELL, a `set -e` before it in its shell, or the `-e`
      // of the `bash -ec "..."` whose script it is in.
      // Kept per command: a long group piped into another command asks for each command in it.
      const errexitOf = new Map<ShellCommand, boolean>();
      const errexit = (c: ShellCommand): boolean => {
        let on = errexitOf.get(c);
        if (on === undefined) errexitOf.set(c, (on = errexitAt(commands, commands.indexOf(c), shellErrexit)));
        return on;
      };
      const substitution = substitutionShell(shell, binSh);
      for (const [i, command] of commands.entries()) {
        if (!command.pipesToNext) continue;
        const found = failingWriter(commands, i, (c) => actsOn(c, () => errexit(c)));
        // An assignment's substitution gets errexit as the RUN's shell passes it on (see namedWriter).
        const passed = (to: SubstitutionShell) =>
          found?.program === '' && substitutionErrexit(commands, commands.indexOf(found), errexit(found), to);
        const writer = found && namedWriter(found, dialect, passed(substitution), substitution);
        if (found === undefined || writer === undefined || protectedAt(commands, i, takes)) continue;
        // Found only because the shell passes errexit into the substitution (dash): under the advised bash, which
        // clears it there, pipefail catches nothing without inherit_errexit, or at all where bash ignores errexit in
        // the substitution (`V=$(...) | sh && ...`), as in substitutionPipe.
        const underBash =
          advice !== ADVICE || namedWriter(found, dialect, passed(PLAIN_BASH), PLAIN_BASH) !== undefined;
        const named = {
          left: writer.program,
          right: commands[i + 1]?.program ?? '',
          advice: underBash ? advice : found.errexitIgnored ? testedAdvice(writer.program) : INHERIT_ADVICE,
        };
        return ctx.report({ messageId: 'pipefail', data: named, at: instruction });
      }
      const hidden = substitutionPipe(commands, errexit, substitution, dialect, takes);
      if (hidden === undefined) return;
      const { needs, ...names } = hidden;
      // `needs` is what the advised bash needs. Under ash, zsh, ksh or mksh with pipefail, the shell advised on Alpine
      // or kept, the pipe found is caught as it is: each keeps errexit in the substitution, or clears it (ash) so the
      // pipe was found without it, and where zsh and ksh ignore it (tested) it was not found either.
      const bashAdvised = advice === ADVICE || substitution.kind === 'bash';
      const data = {
        ...names,
        advice: !bashAdvised
          ? advice
          : needs === 'inherit'
            ? INHERIT_ADVICE
            : needs === 'script'
              ? testedAdvice(names.left)
              : advice,
      };
      ctx.report({ messageId: 'pipefail', data, at: instruction });
    };
    return {
      FROM(instruction) {
        // A stage built FROM an earlier stage keeps that stage's SHELL.
        const base = ctx.stages.baseStage[instruction.stageIndex];
        state = base !== undefined ? (byStage[base] ?? initial) : initial;
        shellErrexit = base !== undefined && (errexitByStage[base] ?? false);
        shell = base !== undefined ? shellByStage[base] : undefined;
        byStage[instruction.stageIndex] = state;
        errexitByStage[instruction.stageIndex] = shellErrexit;
        shellByStage[instruction.stageIndex] = shell;
      },
      SHELL(instruction) {
        const args = instruction.execArgs ?? [];
        const program = (args[0] ?? '').split(/[\\/]/).pop() ?? '';
        // `/bin/sh` takes `-o pipefail` where it is BusyBox ash (Alpine), bash (Fedora) or trixie's dash (see
        // takesPipefail); Debian's dash before trixie refuses it.
        const { binSh, newDash } = stageImage(instruction.stageIndex);
        if (NON_POSIX.test(program)) state = 'non-posix';
        else if (takesPipefail(program, binSh, newDash) && hasPipefailOption(args.slice(1))) state = 'pipefail';
        else state = 'plain';
        shellErrexit = setsErrexit(args.slice(1));
        shell = args;
        if (instruction.stageIndex >= 0) byStage[instruction.stageIndex] = state;
        if (instruction.stageIndex >= 0) errexitByStage[instruction.stageIndex] = shellErrexit;
        if (instruction.stageIndex >= 0) shellByStage[instruction.stageIndex] = shell;
      },
      RUN: visitRun,
    };
  },
});

/**
 * What a stage's image (global ARGs substituted) tells this rule: its `/bin/sh` (StageModel.binSh), whether its dash
 * takes pipefail (pipefailDashImage) or refuses it (dashImage), and whether it is an Alpine image.
 */
interface StageImage {
  binSh: BinSh;
  newDash: boolean;
  dashSh: boolean;
  alpine: boolean;
}

/** The words of the dashRefuses message. */
type DashRefusal = { what: string; where: string; advice: string };

/**
 * Where a RUN with a pipe asks dash for pipefail, which dash refuses, failing the RUN before its pipe runs (so the
 * usual message, that a failure of the pipe goes unseen, would be wrong): its SHELL is dash (or `/bin/sh` on an image
 * whose `/bin/sh` is such a dash, `dashSh`; not where the shell `takes` the option, see takesPipefail) with `-o pipefail`, its shell is dash and runs `set -o pipefail` (in the RUN's own
 * shell: `bash -c "set -o pipefail; ..."` is bash's), or it runs `dash -o pipefail -c` (`sh` where `/bin/sh` is dash).
 * The words of the message; undefined when there is none, or no pipe (one in the script of an assignment's command
 * substitution, read in `dialect`, counts: `set -o pipefail; V=$(a | b)` fails at the `set` as well).
 */
function dashRefusal(
  instruction: Instruction,
  commands: ShellCommand[],
  shell: string[] | undefined,
  takes: (program: string) => boolean,
  dashSh: boolean,
  dialect: ShellDialect,
): DashRefusal | undefined {
  // Read last, and only for a RUN that asks dash for pipefail: it parses the substitutions of every assignment.
  const substitutionPipes = (c: ShellCommand) =>
    (c.assignments ?? []).some((word) =>
      substitutionScripts(word, dialect).some((script) => parseShell(script, 0, dialect).some((s) => s.pipesToNext)),
    );
  const piped = (refusal: DashRefusal): DashRefusal | undefined =>
    commands.some((c) => c.pipesToNext || substitutionPipes(c)) ? refusal : undefined;
  // A dash named is taken as released dash 0.5.12 (Fedora's, and Debian's before trixie), which refuses the option,
  // unless the image is known to have trixie's.
  const isDash = (program: string) => !takes(program) && (program === 'dash' || (program === 'sh' && dashSh));
  const where = (program: string) => (program === 'dash' ? '' : " (the image's `/bin/sh`)");
  const shellProgram = (shell?.[0] ?? '').split(/[\\/]/).pop() ?? '';
  if (shell !== undefined && isDash(shellProgram) && hasPipefailOption(shell.slice(1)))
    return piped({
      what: `its SHELL \`[${shell.map((w) => JSON.stringify(w)).join(', ')}]\``,
      where: where(shellProgram),
      advice: DASH_ADVICE,
    });
  const runProgram = (scriptShell(instruction, shell?.[0]) ?? 'sh').split(/[\\/]/).pop() ?? '';
  for (const command of commands) {
    if (command.program === 'set' && !command.inner && isDash(runProgram) && hasPipefailOption(command.args))
      return piped({ what: '`set -o pipefail`', where: where(runProgram), advice: DASH_ADVICE });
    if (isDash(command.program) && hasPipefailOption(command.args))
      return piped({
        what: `\`${command.program} -o pipefail -c\``,
        where: where(command.program),
        advice: DASH_CHILD_ADVICE,
      });
  }
  return undefined;
}

/**
 * What a shell's or `set`'s options do to pipefail, read as the shells read them: on where `-o`'s value is pipefail,
 * off where `+o`'s is, the last one winning; undefined when they do not name it (`-o errexit pipefail` gives `$1`).
 */
function pipefailSetting(args: string[]): boolean | undefined {
  let on: boolean | undefined;
  for (const option of shellOptions(args)) if (option.name === 'o' && option.value === 'pipefail') on = !option.plus;
  return on;
}

function hasPipefailOption(args: string[]): boolean {
  return pipefailSetting(args) === true;
}

/**
 * How the RUN's shell hands errexit to a command substitution (`$(...)`, which runs in a subshell): 'inherit' as dash
 * does (Debian's `/bin/sh`), 'clear' as BusyBox ash does (Alpine's `/bin/sh`), or 'bash', which clears it unless
 * `inherit_errexit` (or POSIX mode, which sets it) is on. Checked with dash 0.5.12, bash 5.2.15 and BusyBox 1.35.0:
 * `set -e; V=$({ false; echo x; } | cat); echo "[$V]"` prints `[]` in dash and `bash -O inherit_errexit`, `[x]` in
 * ash and bash. Other shells (zsh, ksh) were not checked, and are read as dash.
 */
type SubstitutionShell = ({ kind: 'inherit' | 'clear' } | { kind: 'bash'; inherits: boolean }) & {
  /**
   * The shell ignores errexit in the whole substitution of an assignment errexit does not act on (`V=$(set -e; ...) &&
   * ...`): bash, zsh and ksh93 do; dash, BusyBox ash and mksh do not.
   */
  testedIgnored: boolean;
};

/** bash without inherit_errexit, as the advised SHELL runs it. */
const PLAIN_BASH: SubstitutionShell = { kind: 'bash', inherits: false, testedIgnored: true };

/** A shell that clears errexit in a substitution and reads no more (the default of namedWriter). */
const CLEARING: SubstitutionShell = { kind: 'clear', testedIgnored: false };

/** Whether `shell` keeps errexit on in a command substitution, its own options aside (bash's inherit_errexit). */
function passesErrexit(shell: SubstitutionShell): boolean {
  return shell.kind === 'inherit' || (shell.kind === 'bash' && shell.inherits);
}

/**
 * The SubstitutionShell of a stage whose SHELL has the exec words `shell` (undefined for `/bin/sh -c`), where `/bin/sh`
 * is `binSh` (StageModel.binSh). bash run as `sh` (Fedora's `/bin/sh`) is in POSIX mode, which turns inherit_errexit
 * on: bash 5.2.15 through a `sh` link prints `[]` for `set -e; V=$({ false; echo x; } | cat); echo "[$V]"`, and `[x]`
 * for `set -e; V=$(set -e; { false; echo x; } | cat) && echo "[$V]"`.
 */
function substitutionShell(shell: string[] | undefined, binSh: BinSh): SubstitutionShell {
  const named = (shell?.[0] ?? 'sh').split(/[\\/]/).pop() ?? '';
  if (named === 'ash' || (named === 'sh' && binSh === 'ash')) return { kind: 'clear', testedIgnored: false };
  const posix = named === 'sh' && binSh === 'bash';
  const program = posix ? 'bash' : named;
  // zsh 5.9 and ksh93 keep errexit in a substitution, and ignore it in a tested one as bash does (`set -e; V=$(set -e;
  // { false; echo x; } | cat) && echo "[$V]"` prints `[x]`); dash and mksh print `[]`.
  if (program !== 'bash') return { kind: 'inherit', testedIgnored: program === 'zsh' || program === 'ksh' };
  let inherits = posix;
  for (const o of shellOptions(shell?.slice(1) ?? [])) {
    if ((o.name === 'O' && o.value === 'inherit_errexit') || (o.name === 'o' && o.value === 'posix'))
      inherits = !o.plus;
    else if (o.name === 'posix') inherits = true;
  }
  return { kind: 'bash', inherits, testedIgnored: true };
}

/** What `shopt`'s words do to inherit_errexit: on with `-s`, off with `-u`, undefined when they do not name it. */
function inheritErrexitSetting(args: string[]): boolean | undefined {
  if (!args.includes('inherit_errexit') || args.includes('-o') || args.includes('-q') || args.includes('-p'))
    return undefined;
  return args.includes('-s') ? true : args.includes('-u') ? false : undefined;
}

/** What `set`'s words do to bash's POSIX mode (`set -o posix`), which turns inherit_errexit on. */
function posixSetting(args: string[]): boolean | undefined {
  let on: boolean | undefined;
  for (const option of shellOptions(args)) if (option.name === 'o' && option.value === 'posix') on = !option.plus;
  return on;
}

/**
 * Whether errexit is on when a command substitution in command `i` (of the RUN's own shell) starts: the shell's own
 * errexit there, passed on as `shell` says; for bash, when `inherit_errexit` is on there from the SHELL's `-O
 * inherit_errexit` (or `-o posix`, `--posix`), or an earlier `shopt -s inherit_errexit` (`set -o posix`) in that shell.
 */
function substitutionErrexit(commands: ShellCommand[], i: number, errexit: boolean, shell: SubstitutionShell): boolean {
  if (!errexit || shell.kind === 'clear') return false;
  if (shell.kind !== 'bash' || shell.inherits) return true;
  const earlier = commands.slice(0, i).filter((c) => !c.inner);
  return (
    lastSet(earlier, commands[i], false, inheritErrexitSetting, 'shopt') ||
    lastSet(earlier, commands[i], false, posixSetting)
  );
}

/**
 * The pipe of a command substitution whose status the shell takes, run with pipefail off. Only a command of nothing
 * but assignments (`V=$(curl -s URL | jq .v) && ...`) has a substitution's status: that of its last substitution, which
 * is that of the last pipeline in it. Anywhere else the status is another command's, and pipefail changes nothing
 * there: with bash 5.2 `-o pipefail`, `echo "$(false | true)" && echo on`, `export V=$(false | true) && echo on` and
 * `for v in $(false | true); do :; done && echo on` all print `on`, where `V=$(false | true) && echo on` does not.
 * The substitution runs where its command does, with the pipefail that holds there (protectedAt). A `bash -c` script's
 * own commands are left out: with its script in double quotes, the outer shell runs the substitution.
 * The substitution's script is read in the RUN's `dialect` (see runDialect); `takes` says whether a shell's `-o
 * pipefail` there sets pipefail (see setsPipefailForChild). `needs` says what catches the pipe's failure under a
 * bash SHELL: pipefail alone ('pipefail'); where the pipe is found only because the RUN's shell passes its errexit
 * into the substitution, inherit_errexit too ('inherit': `set -e; V=$({ false; echo x; } | cat)` sets `[x]` under
 * `bash -o pipefail`), unless errexit does not act on the assignment (`V=$(...) && ...`), where bash ignores it in
 * the whole substitution: only a change to the script does, with pipefail ('script').
 */
function substitutionPipe(
  commands: ShellCommand[],
  errexit: (c: ShellCommand) => boolean,
  shell: SubstitutionShell,
  dialect: ShellDialect,
  takes: (program: string) => boolean,
): { left: string; right: string; needs: 'pipefail' | 'inherit' | 'script' } | undefined {
  for (const [i, command] of commands.entries()) {
    if (command.inner || command.program !== '') continue;
    const scripts = (command.assignments ?? []).flatMap((word) => substitutionScripts(word, dialect));
    // bash (5.2, inherit_errexit and POSIX mode too) also ignores errexit in the substitution of an assignment where
    // it is ignored, even after a `set -e` there: `set -e; V=$(set -e; { false; echo x; } | cat) && echo "[$V]"` prints
    // `[x]`. dash 0.5.12 does not (`[]`).
    const ignored = shell.testedIgnored && command.errexitIgnored === true;
    if (scripts.length === 0) continue;
    const script = scripts[scripts.length - 1];
    const pipe = finalPipe(script, substitutionErrexit(commands, i, errexit(command), shell), ignored, dialect, shell);
    if (pipe === undefined || protectedAt(commands, i, takes)) continue;
    // Under the advised bash SHELL, without inherit_errexit: errexit reaches the substitution only through a `shopt`
    // or `set -o posix` in the RUN.
    const plainBash = substitutionErrexit(commands, i, errexit(command), {
      kind: 'bash',
      inherits: false,
      testedIgnored: true,
    });
    const tested = command.errexitIgnored === true;
    if (finalPipe(script, false, tested, dialect, shell) !== undefined || (plainBash && !tested))
      return { ...pipe, needs: 'pipefail' };
    return { ...pipe, needs: tested ? 'script' : 'inherit' };
  }
  return undefined;
}

/**
 * The pipeline that ends a script, whose status is the script's (`a | b; c` ends with `c`): its first pipe with a
 * failure pipefail would catch (see failingWriter), by the command that may fail and the one it pipes into. errexit
 * starts as `errexit` and a `set -e` in the script turns it on (see errexitAt), unless the shell ignores it in the
 * whole script (`ignored`). It is read as the RUN's shell (`dialect`) reads it.
 */
function finalPipe(
  script: string,
  errexit: boolean,
  ignored: boolean,
  dialect: ShellDialect,
  shell: SubstitutionShell,
): { left: string; right: string } | undefined {
  const inner = parseShell(script, 0, dialect);
  let first = inner.length - 1;
  if (first < 1 || !inner[first].pipedFromPrevious) return undefined;
  while (first > 0 && inner[first].pipedFromPrevious) first -= 1;
  for (let k = first; k < inner.length - 1; k += 1) {
    const on = (c: ShellCommand) => !ignored && errexitAt(inner, inner.indexOf(c), errexit);
    const found = inner[k].pipesToNext ? failingWriter(inner, k, (c) => actsOn(c, () => on(c))) : undefined;
    const writer = found && namedWriter(found, dialect, passesErrexit(shell) && on(found), shell);
    if (writer) return { left: writer.program, right: inner[k + 1].program };
  }
  return undefined;
}

/**
 * Whether pipefail is on where command `i` runs. In the RUN's own shell (and its subshells): after `set -o pipefail`
 * there, not in a `( ... )` subshell that ended before it (see ShellCommand `subshells`). In a `bash -c '...'` script
 * (its commands follow it, marked inner): when that bash got `-o pipefail` or the script set it first; the RUN shell's
 * option does not reach a new shell process, nor does the script's reach back. `takes`: whether a shell takes `-o
 * pipefail` (a `sh -o pipefail -c` sets it where `/bin/sh` is BusyBox ash, bash or trixie's dash: see takesPipefail).
 */
function protectedAt(commands: ShellCommand[], i: number, takes: (program: string) => boolean): boolean {
  return optionAt(commands, i, pipefailSetting, false, (c) => setsPipefailForChild(c, takes));
}

/**
 * Whether errexit, on where `command` runs as `on` says, acts on it: not in a condition, before `&&` or `||`, or after
 * `!`, where the shell ignores it (ShellCommand `errexitIgnored`). `set -e; { curl x; echo; } | sh && echo ok` runs
 * echo after a failed download, and the group exits 0 with pipefail too. (The option is still on there: a command
 * substitution in such a command gets it as the shell passes it on, see substitutionErrexit.)
 */
function actsOn(command: ShellCommand, on: () => boolean): boolean {
  return command.errexitIgnored !== true && on();
}

/**
 * Whether errexit is on where command `i` runs, read as pipefail is (see protectedAt): from the SHELL (`shell`) or a
 * `set -e` before it in the RUN's own shell, or in a `bash -c '...'` script from that bash's `-e` or a `set -e` in the
 * script before it. A new shell process does not inherit it: `set -e; sh -c "curl x; echo" | tar xz` loses the
 * download's failure at the `;`.
 */
function errexitAt(commands: ShellCommand[], i: number, shell: boolean): boolean {
  return optionAt(commands, i, errexitSetting, shell, (c) => SHELLS.has(c.program) && setsErrexit(c.args));
}

/**
 * Whether the shell option that `setting` reads from `set`'s (or a shell's) words is on where command `i` runs: in the
 * RUN's own shell, starting from `initial`; in a `sh -c` script, from what `child` says of that sh (see lastSet).
 */
function optionAt(
  commands: ShellCommand[],
  i: number,
  setting: (args: string[]) => boolean | undefined,
  initial: boolean,
  child: (shell: ShellCommand) => boolean,
): boolean {
  const here = commands[i];
  if (!here.inner)
    return lastSet(
      commands.slice(0, i).filter((c) => !c.inner),
      here,
      initial,
      setting,
    );
  let parent = i;
  while (parent > 0 && commands[parent].inner) parent -= 1;
  return lastSet(commands.slice(parent + 1, i), here, child(commands[parent]), setting);
}

/**
 * The last `set` (or other `program`, such as `shopt`) of `earlier` that turns pipefail (or the option `setting` reads
 * from its words, such as errexit) on or off (`set +o pipefail`) where `here` runs decides. One in an
 * `if`/`case` arm or behind `||` that `here` is not in may not have run: turning it on there holds after it only when
 * every arm of an `if` with an `else` (a `case` with a `*)` arm) does (see armsSetPipefail), taking effect at the last
 * `set` in it; turning it off there may have left it off. So may one past the first pipeline of an and-or list that
 * `here` does not follow through `&&`s only (see skippable).
 */
function lastSet(
  earlier: ShellCommand[],
  here: Pick<ShellCommand, 'subshells' | 'scope' | 'andOr'>,
  initial: boolean,
  setting: (args: string[]) => boolean | undefined,
  program = 'set',
): boolean {
  const sets = earlier.filter((c) => c.program === program && within(c, here));
  const settings: (boolean | undefined)[] = sets.map((c) => setting(c.args));
  // Asked again per arm below (armsSetPipefail): worked out once per `set`.
  const skipped = new Set(sets.filter((c) => skippable(c, here)));
  // The sets in each `if` here is outside of, by that `if`, each taking effect (if at all) at its last one.
  const ifs = new Map<number, number[]>();
  for (const [k, c] of sets.entries()) {
    const arm = armOutside(c, here);
    if (arm === undefined) continue;
    if (settings[k] === true) settings[k] = undefined;
    if (arm.kind === 'branch') ifs.set(arm.group, [...(ifs.get(arm.group) ?? []), k]);
  }
  for (const [group, inIf] of ifs) {
    const inGroup = inIf.map((k) => sets[k]);
    if (armsSetPipefail(inGroup, group, (c) => skipped.has(c), setting)) settings[inIf[inIf.length - 1]] = true;
  }
  for (const [k, c] of sets.entries()) if (skipped.has(c) && settings[k] === true) settings[k] = undefined;
  return settings.reduce<boolean>((on, setting) => setting ?? on, initial);
}

/**
 * `set` is past the first pipeline of an and-or list (`[ -f x ] && set -o pipefail`), so it runs only when the
 * pipelines before it succeeded or failed, and `here` is not later in that list past `&&`s only (as in `[ -f x ] &&
 * set -o pipefail && curl x | sh`, which runs curl only when `set` ran): `set` may not have run on `here`'s way. A
 * `then` arm or `while` body runs as if so after the last and-or list of its condition (ShellFrame `onSuccess`):
 * `if [ -f x ] && set -o pipefail; then curl x | sh; fi` runs curl only when `set` ran, and not so in an `else` arm or
 * after the `fi`, where the condition may have failed.
 */
function skippable(set: ShellCommand, here: Pick<ShellCommand, 'andOr' | 'scope'>): boolean {
  return (set.andOr ?? []).some((step) => {
    if (step.element === 0) return false;
    const at =
      here.andOr?.find((h) => h.list === step.list) ??
      here.scope.find((f) => f.onSuccess?.list === step.list)?.onSuccess;
    return at === undefined || (at.element > step.element && at.lastOr > step.element);
  });
}

/** The outermost `if`/`case` arm or `||` around `set` that `here` is not in: `set` may not run on `here`'s way. */
function armOutside(set: ShellCommand, here: Pick<ShellCommand, 'scope'>): ShellFrame | undefined {
  return set.scope.find(
    (f) =>
      (f.kind === 'branch' || f.kind === 'or') &&
      !here.scope.some((h) => h.kind === f.kind && h.group === f.group && h.branch === f.branch),
  );
}

/**
 * Whether `sets`, the `set`s inside the `if` (or `case`) numbered `group`, leave pipefail on whichever arm runs: it has
 * an `else` (a `*)` arm), and each arm's last `set` directly in it (not in a further arm, behind `||` or past the start
 * of an and-or list within it: `skip`) turns pipefail on, with no `set` further in turning it off. Arms after a `*)`
 * run only after an earlier arm, through bash's `;&` or `;;&` (ShellFrame `alsoAfter`): no `set` in one may turn it
 * off. An arm such an arm runs after is taken as its own way in (`a) set -o pipefail;& b) ...` with no `set` in `b` is
 * reported): `b` may run without `a`.
 */
function armsSetPipefail(
  sets: ShellCommand[],
  group: number,
  skip: (set: ShellCommand) => boolean,
  setting: (args: string[]) => boolean | undefined,
): boolean {
  const frameOf = (c: ShellCommand) => c.scope.findIndex((f) => f.kind === 'branch' && f.group === group);
  const last = sets.map((c) => c.scope[frameOf(c)]).find((f) => f.otherwise);
  if (last === undefined) return false;
  for (let branch = 0; branch <= last.branch; branch += 1) {
    const inArm = sets.filter((c) => c.scope[frameOf(c)].branch === branch);
    // An `elif` arm's body is inside its condition's frame of the same arm: no further arm.
    const direct = (c: ShellCommand) =>
      !skip(c) &&
      c.scope.slice(frameOf(c) + 1).every((f) => (f.kind !== 'branch' && f.kind !== 'or') || f.group === group);
    const on = inArm
      .filter(direct)
      .map((c) => setting(c.args))
      .reduce<boolean | undefined>((was, s) => s ?? was, undefined);
    if (on !== true || inArm.some((c) => !direct(c) && setting(c.args) === false)) return false;
  }
  const later = sets.filter((c) => {
    const frame = c.scope[frameOf(c)];
    return frame.branch > last.branch && frame.afterAnother;
  });
  return !later.some((c) => setting(c.args) === false);
}

/** `later` runs in the shell `earlier` ran in (or a subshell of it): a setting `earlier` made still holds there. */
function within(earlier: ShellCommand, later: Pick<ShellCommand, 'subshells'>): boolean {
  const outer = earlier.subshells ?? [];
  const inner = later.subshells ?? [];
  return outer.length <= inner.length && outer.every((id, k) => inner[k] === id);
}

/**
 * `bash -o pipefail -c '...'`: the inner script runs with pipefail on; so does `sh -o pipefail -c '...'` where the shell
 * `takes` the option (see takesPipefail: `/bin/sh` is BusyBox ash, bash or trixie's dash), while Debian's dash before
 * trixie refuses the option and fails the RUN before the script runs.
 */
function setsPipefailForChild(command: ShellCommand, takes: (program: string) => boolean): boolean {
  return takes(command.program) && hasPipefailOption(command.args);
}

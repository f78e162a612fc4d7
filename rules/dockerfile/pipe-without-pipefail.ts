// DF236: a RUN pipeline whose failure the shell ignores, because pipefail is off (hadolint DL4006).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { parseShell, parseShellSites, shellOptions, type ShellCommand } from '../../src/dockerfile/shell.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { pragmaShell } from '../../src/lint/pragmas.js';

// Shells whose `-o pipefail` SHELL declaration hadolint accepts (busybox ash included).
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash']);
const NON_POSIX = /^(pwsh|powershell|cmd)(\.exe)?$/i;

type ShellState = 'pipefail' | 'plain' | 'non-posix';

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
        'This RUN pipes `{{left}}` into `{{right}}` without pipefail: if `{{left}}` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
    },
    sources: [{ tool: 'hadolint', id: 'DL4006', relation: 'same' }],
  }),
  create(ctx) {
    // `# hadolint shell=powershell`: the base image's shell is not POSIX, so pipes mean something else.
    const pragma = pragmaShell(ctx.parsed.text);
    const byStage: ShellState[] = [];
    let state: ShellState = pragma && NON_POSIX.test(pragma.replace(/^.*\//, '')) ? 'non-posix' : 'plain';
    const initial = state;
    const visitRun = (instruction: Instruction): void => {
      if (state !== 'plain' || instruction.form === 'exec') return;
      // A heredoc script with its own interpreter line is not run by the SHELL.
      if (
        instruction.heredocs.some((h) => h.body.trimStart().startsWith('#!')) &&
        instruction.shellText === instruction.heredocs[0].body
      )
        return;
      const commands = ctx.commands(instruction);
      const piped = commands.findIndex((c, i) => c.pipesToNext && !protectedAt(commands, i));
      if (piped >= 0) {
        const data = { left: commands[piped].program, right: commands[piped + 1]?.program ?? '' };
        return ctx.report({ messageId: 'pipefail', data, at: instruction });
      }
      const hidden = substitutionPipe(instruction.shellText);
      if (hidden) ctx.report({ messageId: 'pipefail', data: hidden, at: instruction });
    };
    return {
      FROM(instruction) {
        // A stage built FROM an earlier stage keeps that stage's SHELL.
        const base = ctx.stages.baseStage[instruction.stageIndex];
        state = base !== undefined ? (byStage[base] ?? initial) : initial;
        byStage[instruction.stageIndex] = state;
      },
      SHELL(instruction) {
        const args = instruction.execArgs ?? [];
        const program = (args[0] ?? '').split(/[\\/]/).pop() ?? '';
        if (NON_POSIX.test(program)) state = 'non-posix';
        else if (PIPEFAIL_SHELLS.has(program) && hasPipefailOption(args.slice(1))) state = 'pipefail';
        else state = 'plain';
        if (instruction.stageIndex >= 0) byStage[instruction.stageIndex] = state;
      },
      RUN: visitRun,
    };
  },
});

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
 * The first pipe inside a command substitution the RUN's shell runs with pipefail off (`V=$(curl -s URL | jq .v)`
 * hides a failed download just as well as a plain pipe). A substitution runs in a subshell of where it is expanded,
 * which keeps the pipefail that holds there: in a command's words (a word part single-quoted included), where that
 * command runs (protectedAt); in no command's words (`for v in $(a | b)`, `case $(a | b) in`), after the commands
 * written before it, in the subshells it is in. A single-quoted `'$(a | b)'` is only text.
 */
function substitutionPipe(text: string): { left: string; right: string } | undefined {
  // Most RUNs hold no substitution with a pipe: they are not parsed a second time.
  if (!text.includes('|') || !/\$\(|`/.test(text)) return undefined;
  const { commands, sites } = parseShellSites(text);
  for (const site of sites) {
    for (const script of substitutions(site.literal ? expandedPart(site.raw) : site.value)) {
      const pipe = pipeIn(script);
      if (!pipe) continue;
      const on =
        site.command !== undefined
          ? protectedAt(commands, site.command)
          : lastSet(
              commands.slice(0, site.before).filter((c) => !c.inner),
              site,
              false,
            );
      if (!on) return pipe;
    }
  }
  return undefined;
}

/** The first pipe of a script: the commands on either side of it. */
function pipeIn(script: string): { left: string; right: string } | undefined {
  const inner = parseShell(script);
  const at = inner.findIndex((c) => c.pipesToNext);
  return at >= 0 ? { left: inner[at].program, right: inner[at + 1]?.program ?? '' } : undefined;
}

/** A word as written with its single-quoted parts and escaped characters blanked: what the shell expands. */
function expandedPart(raw: string): string {
  let out = '';
  let doubleQuoted = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '\\') {
      i += 1;
      out += ' ';
    } else if (ch === '"') doubleQuoted = !doubleQuoted;
    else if (ch === "'" && !doubleQuoted) {
      const end = raw.indexOf("'", i + 1);
      i = end < 0 ? raw.length : end;
      out += ' ';
    } else out += ch;
  }
  return out;
}

/** The scripts of `$(...)` and backquote substitutions in a word (not `$((arithmetic))`). */
function substitutions(word: string): string[] {
  const scripts: string[] = [];
  for (let start = word.indexOf('$('); start >= 0; start = word.indexOf('$(', start + 2)) {
    if (word[start + 2] === '(') continue;
    let depth = 0;
    let end = start + 1;
    for (; end < word.length; end += 1) {
      if (word[end] === '(') depth += 1;
      else if (word[end] === ')' && --depth === 0) break;
    }
    scripts.push(word.slice(start + 2, end));
  }
  for (const match of word.matchAll(/`([^`]*)`/g)) scripts.push(match[1]);
  return scripts;
}

/**
 * Whether pipefail is on where command `i` runs. In the RUN's own shell (and its subshells): after `set -o pipefail`
 * there, not in a `( ... )` subshell that ended before it (see ShellCommand `subshells`). In a `bash -c '...'` script
 * (its commands follow it, marked inner): when that bash got `-o pipefail` or the script set it first; the RUN shell's
 * option does not reach a new shell process, nor does the script's reach back.
 */
function protectedAt(commands: ShellCommand[], i: number): boolean {
  const here = commands[i];
  if (!here.inner)
    return lastSet(
      commands.slice(0, i).filter((c) => !c.inner),
      here,
      false,
    );
  let parent = i;
  while (parent > 0 && commands[parent].inner) parent -= 1;
  return lastSet(commands.slice(parent + 1, i), here, setsPipefailForChild(commands[parent]));
}

/** The last `set` of `earlier` that turns pipefail on or off (`set +o pipefail`) where `here` runs decides. */
function lastSet(earlier: ShellCommand[], here: Pick<ShellCommand, 'subshells'>, initial: boolean): boolean {
  return earlier
    .filter((c) => c.program === 'set' && within(c, here))
    .map((c) => pipefailSetting(c.args))
    .reduce<boolean>((on, setting) => setting ?? on, initial);
}

/** `later` runs in the shell `earlier` ran in (or a subshell of it): a setting `earlier` made still holds there. */
function within(earlier: ShellCommand, later: Pick<ShellCommand, 'subshells'>): boolean {
  const outer = earlier.subshells ?? [];
  const inner = later.subshells ?? [];
  return outer.length <= inner.length && outer.every((id, k) => inner[k] === id);
}

/** `bash -o pipefail -c '...'`: the inner script runs with pipefail on. */
function setsPipefailForChild(command: ShellCommand): boolean {
  return PIPEFAIL_SHELLS.has(command.program) && hasPipefailOption(command.args);
}

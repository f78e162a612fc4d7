// DF231: the image's final USER is a name rather than a numeric UID (hadolint DL3066).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { readArgs, type ShellCommand } from '../../src/dockerfile/shell.js';
import { earlierInChain, isWindowsImage, rootStage, substitute } from '../../src/dockerfile/stages.js';
import { failureFailsRun } from '../../src/lint/autofix.js';
import {
  copiedPaths,
  defineRule,
  dockerfileMeta,
  pathWithin,
  replaceInstruction,
  workdirTracker,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { USERADD_VALUE_FLAGS } from './useradd-without-no-log-init.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF231',
    name: 'user-not-numeric',
    type: 'suggestion',
    summary: 'Give the final USER as a numeric UID',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      name: 'USER `{{user}}` is a name: runtimes that enforce a non-root user (Kubernetes runAsNonRoot) cannot verify a name; use its numeric UID.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3066', relation: 'same' }],
  }),
  create(ctx) {
    let last: Instruction | undefined;
    return {
      USER(instruction) {
        if (instruction.stageIndex === ctx.parsed.stages.length - 1) last = instruction;
      },
      end() {
        if (!last) return;
        // Windows users are names with no numeric ID (a SID, not a UID), and runAsNonRoot does not apply to Windows.
        const root = ctx.parsed.stages[rootStage(ctx.stages, last.stageIndex)];
        if (root && isWindowsImage(substitute(root.baseImage, ctx.stages.globalArgs))) return;
        const written = last.shellText.trim().split(/\s+/)[0] ?? '';
        const user = written.split(':')[0];
        // root is UID 0 on every Linux image: `USER 0` would not pass runAsNonRoot either, and running as root is
        // DF102's finding, which this one would only repeat as advice to write it as a number.
        if (user === '' || user === 'root' || /^\d+$/.test(user)) return;
        if (user.includes('$')) {
          // A UID supplied by ARG (with or without a default) is decided at build time, as it should be.
          const names = [...user.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
          const argNames = new Set(
            ctx.parsed.instructions
              .filter((i) => i.keyword === 'ARG' && i.index < last!.index)
              .flatMap((i) => i.shellText.split(/\s+/).map((w) => w.split('=')[0])),
          );
          if (names.length > 0 && names.every((n) => argNames.has(n))) return;
          // A variable no ARG or ENV of this file sets comes from the base image's ENV (`USER $APP_UID` on the .NET
          // images): its value is unknown here, so it is not called a name.
          const visible = ctx.stages.variablesAt[last.index] ?? {};
          if (names.some((n) => !argNames.has(n) && !(n in visible))) return;
          const value = ctx.resolve(user, last);
          if (value === 'root' || /^\d+$/.test(value)) return;
        }
        ctx.report({ messageId: 'name', data: { user }, at: last, fix: numericFix(ctx, last, written) });
      },
    };
  },
});

// The options that take a value, by program: useradd's (see DF223), adduser's (Debian's long ones, busybox's short
// ones), groupadd's and addgroup's (Debian's and busybox's).
const VALUE_FLAGS: Record<string, readonly string[]> = {
  useradd: USERADD_VALUE_FLAGS,
  adduser: [...'hgsGuk'].concat(
    'home shell ingroup gid uid gecos comment firstuid lastuid firstgid lastgid conf'.split(' '),
  ),
  groupadd: [...'gKpRP'].concat('gid key password root prefix'.split(' ')),
  addgroup: ['g', 'gid', 'conf', 'firstgid', 'lastgid'],
  usermod: [...'cdefgGlpsuPR'].concat(
    'comment home expiredate inactive gid groups login password shell uid root prefix'.split(' '),
  ),
  groupmod: [...'gnpRP'].concat('gid new-name password root prefix'.split(' ')),
};

// The options of usermod and groupmod that change an account's ID or name (`usermod -aG docker app` changes neither).
const CHANGES_ID = ['u', 'uid', 'l', 'login', 'g', 'gid', 'n', 'new-name'];

/**
 * The account a command creates, with the numeric ID it gives it (`-u`/`--uid` for a user, `-g`/`--gid` for a group;
 * undefined when the system picks one or a variable gives it): `useradd -u 1001 app`, `adduser -u 1001 -D app`,
 * `groupadd -g 1001 app`, `addgroup --gid 1001 app`. A `usermod`/`groupmod` of an account changes what is known of it
 * (its ID, unknown after) when it changes its ID or name (usermod's `-g` changes the user's group, not its UID). Two names (`adduser app staff`) add a user to a group: nothing created.
 */
function accountOf(
  command: ShellCommand,
): { kind: 'user' | 'group'; name: string; id: string | undefined } | undefined {
  const program = command.program;
  const kind = /^(useradd|adduser|usermod)$/.test(program)
    ? 'user'
    : /^(groupadd|addgroup|groupmod)$/.test(program)
      ? 'group'
      : undefined;
  if (kind === undefined) return undefined;
  const read = readArgs(command.args, VALUE_FLAGS[program] ?? USERADD_VALUE_FLAGS);
  const words = read.positionals.map((i) => command.args[i]);
  if (words.length !== 1) return undefined;
  if (program.endsWith('mod')) {
    const changed = read.options.some(
      (o) => CHANGES_ID.includes(o.name) && (program === 'groupmod' || (o.name !== 'g' && o.name !== 'gid')),
    );
    return changed ? { kind, name: words[0], id: undefined } : undefined;
  }
  const flag = kind === 'user' ? ['u', 'uid'] : ['g', 'gid'];
  const id = read.options.findLast((o) => flag.includes(o.name))?.value;
  return { kind, name: words[0], id: id !== undefined && /^\d+$/.test(id) ? id : undefined };
}

/**
 * Safe fix: `USER app` becomes `USER 1001` when the Dockerfile itself created `app` with that UID in this stage or a
 * stage it is built FROM (`RUN useradd -u 1001 app`), and `USER app:app` becomes `USER 1001:1001` when it created the
 * group with its GID too (the group name stays when not). The builder then looks the same account up by its UID:
 * nothing changes but the form. Only a creation whose failure fails the build counts (not one behind `||`, in an `if`
 * or a loop, nor one followed by more commands without `&&` or `set -e`: `id app || useradd -u 1001 app` and
 * `useradd -u 1001 node; exit 0` leave a base image's account, with its own UID, in place), only a literal UID (an
 * ARG's default can be changed at build time), and none a later COPY of /etc/passwd or /etc/group may replace.
 */
function numericFix(ctx: DockerfileContext, last: Instruction, written: string) {
  if (written.includes('$') || last.shellText.trim() !== written) return undefined;
  const [user, group] = written.split(':');
  const ids = new Map<string, string | undefined>();
  const workdir = workdirTracker(ctx);
  for (const instruction of earlierInChain(ctx, last, 'oldest-first')) {
    // A COPY of /etc/passwd or /etc/group (or of a directory holding them) replaces the accounts created before it.
    if (
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      copiedPaths(ctx, instruction, workdir.current(instruction)).some(
        (path) => pathWithin('/etc/passwd', path) || pathWithin('/etc/group', path),
      )
    )
      ids.clear();
    if (instruction.keyword !== 'RUN') continue;
    const commands = ctx.commands(instruction);
    for (const command of commands) {
      const account = accountOf(command);
      if (account === undefined) continue;
      const shell = ctx.stages.shellArgsAt[instruction.index];
      const always = failureFailsRun(ctx.parsed, instruction, commands, command, shell);
      ids.set(`${account.kind}:${account.name}`, always ? account.id : undefined);
    }
  }
  const uid = ids.get(`user:${user}`);
  if (uid === undefined) return undefined;
  const gid = group === undefined || /^\d+$/.test(group) ? group : (ids.get(`group:${group}`) ?? group);
  const text = `${last.keywordText} ${gid === undefined ? uid : `${uid}:${gid}`}`;
  return {
    applicability: 'safe' as const,
    title: `Write USER as ${text.slice(last.keywordText.length + 1)}`,
    edits: [replaceInstruction(ctx.parsed, last, text)],
  };
}

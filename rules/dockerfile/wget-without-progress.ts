// DF224: wget with its default progress bar, which floods build logs (hadolint DL3047).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import {
  APK_VALUE_FLAGS,
  baseImageOf,
  defineRule,
  dockerfileMeta,
  imageName,
  insertAfterMatches,
  isSubcommand,
  packagesOf,
  parseImageRef,
  wgetOptions,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';

// The options that quiet wget's progress bar or send it to a log (`-nv`, no-verbose, is read with `-n`'s value).
const QUIET_OPTIONS = ['progress', 'q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output'];

// Alpine and BusyBox images ship BusyBox's wget, which has no --progress (`wget: unrecognized option`) but takes -q,
// which there silences the progress bar and keeps the error messages.
const BUSYBOX_IMAGE = /alpine|busybox/i;
// Images whose wget is GNU wget 1.x (Debian and Ubuntu, the official language images built on them, the RHEL family),
// by name, or by a Debian or Ubuntu release in the tag (`-slim` is Debian's). Fedora is not here: its wget is wget2.
const GNU_IMAGE =
  /^(debian|ubuntu|buildpack-deps|python|node|golang|ruby|php|perl|rust|openjdk|eclipse-temurin|amazoncorretto|maven|gradle|centos|rockylinux|almalinux|ubi\d*(-\w+)?|oraclelinux|amazonlinux)$/;
const GNU_TAG = /(bookworm|bullseye|buster|trixie|jammy|focal|noble|slim)/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF224',
    name: 'wget-without-progress',
    type: 'suggestion',
    summary: 'Give wget --progress=dot:giga (or -q / -nv) in builds',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      noisy:
        '`wget` without `--progress`, `-q` or `-nv` writes a progress line per chunk: a large download bloats the build log.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3047', relation: 'same' }],
  }),
  create(ctx) {
    // What the RUNs so far installed or ran, by stage, kept as the file is walked: asking all earlier RUNs again at each
    // wget made 8,000 `RUN wget` lines take 22 s.
    const seen = new Map<number, Seen>();
    const seenIn = (stage: number): Seen => {
      let facts = seen.get(stage);
      if (!facts) {
        // A stage starts with what the stage it is built FROM ran (all of it: that stage is over).
        const base = stage >= 0 ? ctx.stages.baseStage[stage] : undefined;
        facts = base !== undefined ? { ...seenIn(base) } : { gnuWget: false, apk: false, apt: false };
        seen.set(stage, facts);
      }
      return facts;
    };
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const facts = seenIn(instruction.stageIndex);
        visit(instruction, commands, facts);
        // An `ONBUILD RUN` runs in the images built on this one, not in this build.
        if (ctx.parsed.instructions[instruction.index] === instruction) note(facts, commands);
      },
    };
    function visit(instruction: Instruction, commands: ShellCommand[], facts: Seen): void {
      const wgets = commands.filter((c) => c.program === 'wget');
      const noisy = wgets.filter(
        (c) =>
          !wgetOptions(c.args).some(
            (o) => QUIET_OPTIONS.includes(o.name) || (o.name === 'n' && o.value?.includes('v') === true),
          ),
      );
      if (noisy.length === 0) return;
      const kind = wgetKind(ctx, instruction, facts, commands.slice(0, commands.indexOf(wgets[0])));
      const flag = kind === 'busybox' ? '-q' : '--progress=dot:giga';
      const edits = insertAfterMatches(ctx.parsed, instruction, /(?<=^|[\s;&|(`])wget(?=\s|$)/g, ` ${flag}`);
      // Only the log output changes: safe, when every wget in the RUN is the noisy kind and each one was found in the
      // text. On a base that shows neither kind of wget, --progress is a guess that BusyBox's wget rejects: unsafe.
      const fix =
        edits.length === noisy.length && noisy.length === wgets.length
          ? {
              applicability: kind === 'unknown' ? ('unsafe' as const) : ('safe' as const),
              title: `Add ${flag} to wget`,
              edits,
            }
          : undefined;
      ctx.report({ messageId: 'noisy', at: instruction, fix });
    }
  },
});

/** What earlier RUNs did that tells which wget a later one runs. */
interface Seen {
  gnuWget: boolean;
  apk: boolean;
  apt: boolean;
}

function note(facts: Seen, commands: ShellCommand[]): void {
  for (const c of commands) {
    if (installsGnuWget(c)) facts.gnuWget = true;
    if (c.program === 'apk') facts.apk = true;
    if (c.program === 'apt-get' || c.program === 'apt') facts.apt = true;
  }
}

function installsGnuWget(c: ShellCommand): boolean {
  return (
    isSubcommand(c, ['apk'], ['add'], APK_VALUE_FLAGS) &&
    packagesOf(c, APK_VALUE_FLAGS).some((p) => p.split(/[=~<>]/)[0] === 'wget')
  );
}

/**
 * Which wget the RUN runs. BusyBox's: the stage is built on an Alpine or BusyBox image (by its name) or runs apk, and
 * no `apk add wget` (GNU wget) ran before it, in the stages it is built on or earlier in the stage or the RUN. GNU
 * wget: that `apk add wget`, apt in those places, or a base image known to ship it (GNU_IMAGE, GNU_TAG). Otherwise
 * unknown (a private base image, say).
 */
function wgetKind(
  ctx: DockerfileContext,
  instruction: Instruction,
  earlier: Seen,
  before: ShellCommand[],
): 'busybox' | 'gnu' | 'unknown' {
  const facts = { ...earlier };
  note(facts, before);
  if (facts.gnuWget) return 'gnu';
  const image = instruction.stageIndex >= 0 ? (baseImageOf(ctx, instruction.stageIndex) ?? '') : '';
  if (BUSYBOX_IMAGE.test(image) || facts.apk) return 'busybox';
  const ref = parseImageRef(image);
  if (GNU_IMAGE.test(imageName(ref.repository)) || GNU_TAG.test(ref.tag ?? '')) return 'gnu';
  return facts.apt ? 'gnu' : 'unknown';
}

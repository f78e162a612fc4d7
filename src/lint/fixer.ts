// Applying text edits from fixes: edits are applied bottom-up, overlapping ones are left for the next pass, and
// passes repeat until nothing changes, so running --fix twice changes nothing the second time (idempotent).
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  linkSync,
  lstatSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SourceError } from '../errors.js';
import type { Finding, TextEdit, TextRange } from '../report/types.js';

/** Applies non-overlapping edits to `text`; returns the new text and how many edits were applied. */
export function applyEdits(text: string, edits: Pick<TextEdit, 'range' | 'text'>[]): { text: string; applied: number } {
  const chosen = chosenEdits(text, edits);
  return { text: spliceEdits(text, chosen, 0, text.length), applied: chosen.length };
}

/** An edit at character offsets of the text it applies to. */
interface LocatedEdit {
  start: number;
  end: number;
  text: string;
}

/** The edits applyEdits applies, bottom-up: sorted by where they start, last first, skipping any that overlaps one below. */
function chosenEdits(text: string, edits: Pick<TextEdit, 'range' | 'text'>[]): LocatedEdit[] {
  const offsets = lineOffsets(text);
  const located = edits
    .map((edit) => ({
      start: offsetOf(offsets, text, edit.range, 'start'),
      end: offsetOf(offsets, text, edit.range, 'end'),
      text: edit.text,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  const chosen: LocatedEdit[] = [];
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of located) {
    if (edit.end > floor) continue;
    chosen.push(edit);
    floor = edit.start;
  }
  return chosen;
}

/**
 * `text` from `from` to `to` with the chosen edits (all inside that span) applied, built in one pass: rebuilding the
 * whole text once per edit made --fix, and the count of fixable problems, quadratic in the number of findings.
 */
function spliceEdits(text: string, chosen: LocatedEdit[], from: number, to: number): string {
  const parts: string[] = [];
  let at = to;
  for (const edit of chosen) {
    parts.push(text.slice(edit.end, at), edit.text);
    at = edit.start;
  }
  parts.push(text.slice(from, at));
  return parts.reverse().join('');
}

/**
 * Whether applying `edits` changes `text`, compared on the span they cover only (the rest of the text is the same):
 * asked for every finding of a file, applying each to the whole text was quadratic. With `dockerfile`, as
 * applyDockerfileEdits does: at the end of a file without a final line break, an edit adding one changes nothing.
 */
function editsChange(text: string, edits: Pick<TextEdit, 'range' | 'text'>[], dockerfile: boolean): boolean {
  const chosen = chosenEdits(text, edits);
  if (chosen.length === 0) return false;
  // A loop, not Math.min(...): one fix may hold an edit per command of a RUN (`-y` after each of 200,000 `apt-get
  // install`s), more than a call's arguments can be.
  let from = Infinity;
  let to = -Infinity;
  for (const e of chosen) {
    from = Math.min(from, e.start);
    to = Math.max(to, e.end);
  }
  if (dockerfile && to === text.length && text !== '' && !text.endsWith('\n'))
    return applyDockerfileEdits(text, edits).text !== text;
  return spliceEdits(text, chosen, from, to) !== text.slice(from, to);
}

/**
 * applyEdits on a Dockerfile, keeping whether it ends in a line break: a fix that deletes the last instruction leaves
 * the line above it last, with its newline (and any blank lines between them), and a file that had no final newline
 * gained one, a change no fix asked for. (A .dockerignore's lines are merged into the file as it is when written.)
 */
function applyDockerfileEdits(
  text: string,
  edits: Pick<TextEdit, 'range' | 'text'>[],
): { text: string; applied: number } {
  const result = applyEdits(text, edits);
  if (text === '' || /\n$/.test(text) || !/\n$/.test(result.text)) return result;
  return { ...result, text: result.text.replace(/(\r?\n)+$/, '') };
}

/** The safe (or, with `unsafe`, also unsafe) fixes of these findings, as edits. */
export function fixableEdits(findings: Finding[], unsafe = false): Pick<TextEdit, 'range' | 'text'>[] {
  return findings.flatMap((f) =>
    f.fix && (f.fix.applicability === 'safe' || (unsafe && f.fix.applicability === 'unsafe'))
      ? f.fix.edits.filter((e) => !e.context)
      : [],
  );
}

/** Whether a finding's fix may be applied (safe, or unsafe when asked for). */
export function applicable(finding: Finding, unsafe: boolean): boolean {
  return !!finding.fix && (finding.fix.applicability === 'safe' || (unsafe && finding.fix.applicability === 'unsafe'));
}

/**
 * Whether a fix, applied alone, would change the Dockerfile `text` or a build-context file (as `read` gives it). One
 * that would not is neither applied nor counted: counted, `fixed N` would name it on every pass it is offered in, and
 * a pass of it alone would change nothing. Without `read` there is no build context (stdin without --context), and a
 * fix that edits a build-context file cannot be applied there, whatever it would do to the Dockerfile.
 */
export function changesSomething(
  text: string,
  finding: Finding,
  read?: (name: string) => string | undefined | null,
): boolean {
  if (!read && finding.fix!.edits.some((e) => e.context)) return false;
  const own = finding.fix!.edits.filter((e) => !e.context);
  if (own.length > 0 && editsChange(text, own, true)) return true;
  if (!read) return false;
  return [...editsByFile([finding])].some(([name, edits]) => editsChange(read(name) ?? '', edits, false));
}

/**
 * The fixes to apply in one pass: whole fixes only (a fix with several edits, such as moving a command from one RUN into
 * another, is applied completely or left for the next pass), skipping a fix any of whose edits overlaps an edit already
 * chosen. Two insertions at the same place overlap too: each was made for the text as it is, so both would append to
 * the same RUN what may be the same command (DF001's `rm -rf /var/lib/apt/lists/*` and DF015 moving a later RUN's
 * removal there); the next pass's lint decides whether the other is still needed. Fixes that take an instruction's
 * command elsewhere (several edits) are chosen first, then finding order: the command they bring may be what another
 * fix would add there, and the other way round the moved command would be left behind, or joined on, a second time.
 * With `mixed`, a fix that edits build-context files as well as the Dockerfile is chosen too (the caller applies its
 * edits to those files), unless a fix already chosen edits one of the same files: the next pass's lint sees the first.
 * The findings are those whose fixes fixPasses found applicable and changing something.
 */
function nonOverlappingFixes(text: string, findings: Finding[], mixed: boolean): Finding[] {
  const offsets = lineOffsets(text);
  const chosen = new SpanSet();
  const contextFiles = new Set<string>();
  const fixes = new Set<Finding>();
  const edits = (f: Finding) => f.fix?.edits.length ?? 0;
  const ordered = findings.filter((f) => edits(f) > 1).concat(findings.filter((f) => edits(f) <= 1));
  for (const f of ordered) {
    // Fixes that edit only build-context files are applied by the caller's passes over those files.
    if (f.fix!.edits.every((e) => e.context)) continue;
    const files = f.fix!.edits.filter((e) => e.context).map((e) => e.file);
    if (files.length > 0 && (!mixed || files.some((name) => contextFiles.has(name)))) continue;
    const spans = f
      .fix!.edits.filter((e) => !e.context)
      .map((e) => ({
        start: offsetOf(offsets, text, e.range, 'start'),
        end: offsetOf(offsets, text, e.range, 'end'),
      }));
    if (spans.some((a) => chosen.overlaps(a))) continue;
    for (const span of spans) chosen.add(span);
    for (const name of files) contextFiles.add(name);
    fixes.add(f);
  }
  return findings.filter((f) => fixes.has(f));
}

interface Span {
  start: number;
  end: number;
}

/**
 * The spans of the edits chosen so far, sorted by start, so a new one is checked against its neighbours only: against
 * all of them, a file of thousands of fixable findings took seconds per pass.
 */
class SpanSet {
  private spans: Span[] = [];
  private longest = 0;

  /** Whether `a` overlaps a span in the set; two insertions at the same place overlap too. */
  overlaps(a: Span): boolean {
    // Spans starting after `a` ends cannot overlap it, nor can those ending before it starts (none longer than `longest`).
    for (let i = this.after(a.end) - 1; i >= 0 && this.spans[i].start >= a.start - this.longest; i -= 1) {
      const b = this.spans[i];
      if ((a.start < b.end && b.start < a.end) || (a.start === a.end && b.start === b.end && a.start === b.start))
        return true;
    }
    return false;
  }

  add(span: Span): void {
    this.spans.splice(this.after(span.start), 0, span);
    this.longest = Math.max(this.longest, span.end - span.start);
  }

  /** The index of the first span starting after `offset`. */
  private after(offset: number): number {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid].start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * One pass of the fixer over a Dockerfile: the text it started from, the fixes it applied, and the text after; with
 * fixes that also edit build-context files, the text each of those files was given.
 */
export interface FixPass {
  before: string;
  fixes: Finding[];
  after: string;
  applied: number;
  contextAfter: Map<string, string>;
}

/** Reads and writes the build-context files (`.dockerignore`) that fixes edit. */
export interface ContextFiles {
  read: (name: string) => string | undefined | null;
  write: (name: string, text: string) => void;
}

/**
 * The fixer's passes: re-lint and re-apply until stable (at most 10 passes). With `context`, a fix that edits
 * build-context files as well as the Dockerfile is applied to both (without, it cannot be, and is left alone).
 */
export function* fixPasses(
  text: string,
  lint: (text: string) => Finding[],
  unsafe = false,
  context?: ContextFiles,
): Generator<FixPass> {
  let current = text;
  for (let pass = 0; pass < 10; pass += 1) {
    const offered = lint(current).filter((f) => applicable(f, unsafe) && changesSomething(current, f, context?.read));
    const fixes = nonOverlappingFixes(current, offered, !!context);
    if (fixes.length === 0) break;
    const next = applyDockerfileEdits(
      current,
      fixes.flatMap((f) => f.fix!.edits.filter((e) => !e.context)),
    );
    const contextAfter = new Map<string, string>();
    if (context)
      for (const [name, edits] of editsByFile(fixes)) {
        const old = context.read(name) ?? '';
        const edited = applyEdits(old, edits).text;
        if (edited !== old) contextAfter.set(name, edited);
      }
    if (next.text === current && contextAfter.size === 0) break;
    for (const [name, edited] of contextAfter) context!.write(name, edited);
    yield { before: current, fixes, after: next.text, applied: next.applied, contextAfter };
    current = next.text;
  }
}

/** Re-lints and re-applies until stable (at most 10 passes); `fixes` are the findings whose fixes were applied. */
export function fixUntilStable(
  text: string,
  lint: (text: string) => Finding[],
  unsafe = false,
  context?: ContextFiles,
): { text: string; fixed: number; fixes: Finding[] } {
  let current = text;
  let fixed = 0;
  const fixes: Finding[] = [];
  for (const pass of fixPasses(text, lint, unsafe, context)) {
    fixed += pass.applied;
    for (const fix of pass.fixes) fixes.push(fix);
    current = pass.after;
  }
  return { text: current, fixed, fixes };
}

// The line offsets of the last text asked about: changesSomething is asked about every finding of the same text, and
// scanning it again for each was quadratic.
let lastOffsets: { text: string; offsets: number[] } | undefined;

function lineOffsets(text: string): number[] {
  if (lastOffsets?.text === text) return lastOffsets.offsets;
  const offsets = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) offsets.push(i + 1);
  lastOffsets = { text, offsets };
  return offsets;
}

function offsetOf(offsets: number[], text: string, range: TextRange, which: 'start' | 'end'): number {
  const line = which === 'start' ? range.line : range.endLine;
  const column = which === 'start' ? range.column : range.endColumn;
  const base = offsets[Math.min(line - 1, offsets.length - 1)] ?? text.length;
  return Math.min(base + column - 1, text.length);
}

/** One pass over the build-context files: the fixes applied, and each edited file's text before and after. */
export interface ContextFixPass {
  fixes: Finding[];
  before: Map<string, string>;
  after: Map<string, string>;
}

/**
 * The passes that apply the fixes editing build-context files (`.dockerignore`) through `read`/`write`, re-linting
 * after each pass until none is left. A file that does not exist reads as empty.
 */
export function* contextFixPasses(
  lint: () => Finding[],
  read: (name: string) => string | undefined | null,
  write: (name: string, text: string) => void,
  unsafe = false,
): Generator<ContextFixPass> {
  for (let pass = 0; pass < 5; pass += 1) {
    const fixes = lint().filter(
      (f) =>
        applicable(f, unsafe) &&
        f.fix!.edits.length > 0 &&
        f.fix!.edits.every((e) => e.context) &&
        changesSomething('', f, read),
    );
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    for (const [name, edits] of editsByFile(fixes)) {
      const old = read(name) ?? '';
      const edited = applyEdits(old, edits).text;
      if (edited === old) continue;
      before.set(name, old);
      after.set(name, edited);
    }
    if (after.size === 0) break;
    for (const [name, text] of after) write(name, text);
    yield { fixes, before, after };
  }
}

/** The build-context edits of these fixes, by file (their Dockerfile edits are left out). */
function editsByFile(fixes: Finding[]): Map<string, Pick<TextEdit, 'range' | 'text'>[]> {
  const byFile = new Map<string, Pick<TextEdit, 'range' | 'text'>[]>();
  for (const f of fixes)
    for (const e of f.fix!.edits) if (e.context) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return byFile;
}

/**
 * Applies the fixes that edit build-context files (`.dockerignore`) through `read`/`write`, re-linting after each pass
 * until none is left; returns the findings whose fixes were applied. A file that does not exist reads as empty.
 */
export function fixContextFiles(
  lint: () => Finding[],
  read: (name: string) => string | undefined | null,
  write: (name: string, text: string) => void,
  unsafe = false,
): Finding[] {
  return [...contextFixPasses(lint, read, write, unsafe)].flatMap((pass) => pass.fixes);
}

/**
 * --fix of one Dockerfile: the fixes that edit only its build-context files first (with `context`), then its own
 * (and, with `context`, those that edit both it and build-context files) until stable. Returns the fixed text, the
 * Dockerfile edits applied, the fixes applied to build-context files only, and the findings whose fixes were applied
 * (the context ones first, in the order applied; their lines are of the text each pass started from).
 * The context passes end with a lint of the text that found nothing more to do there, and the Dockerfile's first pass
 * lints the same text with the same context files: that lint is done once, not twice in a row (a second full lint of
 * every file of a --fix run, for the same findings).
 */
export function fixDockerfile(
  text: string,
  lint: (text: string) => Finding[],
  context:
    { read: (name: string) => string | undefined | null; write: (name: string, text: string) => void } | undefined,
  unsafe = false,
): { text: string; fixed: number; contextFixed: number; fixes: Finding[] } {
  // The last text linted and its findings, until a context file is edited (its findings may then change).
  let last: { text: string; findings: Finding[] } | undefined;
  const lintOnce = (source: string): Finding[] => {
    if (last?.text !== source) last = { text: source, findings: lint(source) };
    return last.findings;
  };
  const files = context && {
    read: context.read,
    write: (name: string, edited: string) => {
      last = undefined;
      context.write(name, edited);
    },
  };
  const contextFixes = files ? fixContextFiles(() => lintOnce(text), files.read, files.write, unsafe) : [];
  const { text: fixedText, fixed, fixes } = fixUntilStable(text, lintOnce, unsafe, files);
  return { text: fixedText, fixed, contextFixed: contextFixes.length, fixes: [...contextFixes, ...fixes] };
}

/**
 * One step of `lint --fix --verify`: a fix applied alone, on top of the steps before it, so that what it saves can be
 * measured by building the files as they read after it.
 */
export interface FixStep {
  /** The fix of this step: one finding, or several whose edits could only be applied together (then measured as one). */
  findings: Finding[];
  /** The fixer's pass (1-based, the .dockerignore passes first); the findings' lines refer to the files as it started. */
  pass: number;
  /** The step after which that pass started (-1: the original files). */
  passStart: number;
  /** The Dockerfile after this step. */
  text: string;
  /** The build-context files edited so far, name -> text. */
  context: Map<string, string>;
}

/**
 * The fixes --fix applies, one at a time, with the files after each: the fixer's own passes (build-context files first,
 * then the Dockerfile), and within a pass its fixes applied bottom-up (the last one in the file first, the order
 * applyEdits applies them), so a step changes the file no higher than the step before it and a build of it reuses
 * the layers of the unchanged beginning. After each pass's last step the files are exactly what that pass of --fix
 * makes, so the last step is the file --fix writes.
 */
export function fixSteps(
  text: string,
  lint: (text: string, read: (name: string) => string | undefined | null) => Finding[],
  read: (name: string) => string | undefined | null,
  unsafe = false,
): FixStep[] {
  const steps: FixStep[] = [];
  const edited = new Map<string, string>();
  const readEdited = (name: string) => edited.get(name) ?? read(name);
  // As in fixDockerfile: the context passes end with a lint of the text that the Dockerfile's first pass would repeat
  // (same text, same context files), so the last lint is kept until a context file is edited.
  let last: { text: string; findings: Finding[] } | undefined;
  const lintOnce = (source: string): Finding[] => {
    if (last?.text !== source) last = { text: source, findings: lint(source, readEdited) };
    return last.findings;
  };
  let pass = 0;
  const passes = contextFixPasses(
    () => lintOnce(text),
    readEdited,
    (name, t) => {
      last = undefined;
      edited.set(name, t);
    },
    unsafe,
  );
  for (const { fixes } of passes) {
    pass += 1;
    const passStart = steps.length - 1;
    const start = new Map(steps.at(-1)?.context ?? []);
    for (let k = 1; k <= fixes.length; k += 1) {
      const context = new Map(start);
      for (const [name, edits] of editsByFile(fixes.slice(0, k)))
        context.set(name, applyEdits(start.get(name) ?? read(name) ?? '', edits).text);
      steps.push({ findings: [fixes[k - 1]!], pass, passStart, text, context });
    }
    // The pass's last step must be what the pass wrote (it is: the same edits); if not, say the pass is one step.
    const last = steps.at(-1)!;
    if ([...edited].some(([name, t]) => last.context.get(name) !== t))
      steps.splice(passStart + 1, fixes.length, { findings: fixes, pass, passStart, text, context: new Map(edited) });
  }
  let context = new Map(edited);
  const files = {
    read: readEdited,
    write: (name: string, t: string) => {
      last = undefined;
      edited.set(name, t);
    },
  };
  for (const { before, fixes, after, contextAfter } of fixPasses(text, lintOnce, unsafe, files)) {
    pass += 1;
    const passStart = steps.length - 1;
    // A pass that also edited build-context files is one step: its fixes are not split between the files.
    if (contextAfter.size > 0) {
      context = new Map(edited);
      steps.push({ findings: fixes, pass, passStart, text: after, context });
      continue;
    }
    const offsets = lineOffsets(before);
    const top = (f: Finding) =>
      f.fix!.edits.reduce((least, e) => Math.min(least, offsetOf(offsets, before, e.range, 'start')), Infinity);
    const order = [...fixes].sort((a, b) => top(b) - top(a));
    for (let k = 1; k <= order.length; k += 1) {
      const stepText = applyDockerfileEdits(
        before,
        order.slice(0, k).flatMap((f) => f.fix!.edits),
      ).text;
      steps.push({ findings: [order[k - 1]!], pass, passStart, text: stepText, context });
    }
    if (steps.at(-1)!.text !== after)
      steps.splice(passStart + 1, order.length, { findings: fixes, pass, passStart, text: after, context });
  }
  return steps;
}

/**
 * Where a write of `file` goes (the target of a symlink) and what it must keep (mode, owner), after checking that it
 * may be written: a SourceError when it may not. `lint --fix` checks every file it will write before writing the
 * first, so that one it may not write leaves all of them as they were.
 */
export function checkWritable(file: string): { target: string; info?: { mode: number; uid: number; gid: number } } {
  let target = file;
  let info: { mode: number; uid: number; gid: number } | undefined;
  try {
    target = realpathSync(file);
    info = statSync(target);
  } catch (error) {
    // A file a fix creates (.dockerignore) does not exist yet: it gets 0644.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new SourceError(`cannot write ${file}: ${(error as Error).message}`, {
        code: 'write',
        cause: error,
        hint: 'check the path, and that this user may read it and write its directory',
      });
  }
  // The rename below needs only the directory to be writable, so it would replace a read-only (0444) file: refuse, as
  // an editor does. Root may write any file (access() says yes), so the mode bits are read too: a file nobody may
  // write was made so on purpose (a generated or vendored Dockerfile), and `sudo ballast lint --fix` must not replace it.
  if (info) {
    try {
      if ((info.mode & 0o222) === 0) throw Object.assign(new Error('no write permission'), { code: 'EACCES' });
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw new SourceError(`cannot write ${file}: it is read-only`, {
        code: 'write',
        cause: error,
        hint: `no file was changed; make it writable (chmod u+w ${file}) for --fix to change it`,
      });
    }
  }
  // The temp file and the rename need the directory: a directory this user may not write fails here, before any write.
  try {
    accessSync(dirname(target), constants.W_OK);
  } catch (error) {
    throw new SourceError(`cannot write ${file}: its directory is not writable`, {
      code: 'write',
      cause: error,
      hint: 'no file was changed; check that its directory is writable',
    });
  }
  return { target, info };
}

/**
 * Replaces a fixed Dockerfile (or a build-context file a fix edits) atomically: the new text goes to a temp file beside it (same directory, so the same
 * file system), takes the original's mode (and owner, where allowed), and is renamed over it, so a crash or Ctrl-C
 * leaves the old file or the new one, never half of one. A symlinked Dockerfile stays a symlink: its target is
 * replaced. A file this user may not write (0444) is refused, not replaced. Nothing else is written.
 */
export function writeFileAtomic(file: string, text: string): void {
  const { target, info } = checkWritable(file);
  // Not registered with temp-files' removeOnExit: from creating the temp file to the rename, everything here is
  // synchronous, so a SIGINT/SIGTERM handler cannot run in between (signals are delivered on the event loop); only a
  // SIGKILL could leave it, and a hidden `.NAME.ballast-*.tmp` is then all that remains, never a half-written file.
  const temp = join(dirname(target), `.${basename(target)}.ballast-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx', mode: 0o600 });
    chmodSync(temp, info ? info.mode & 0o7777 : 0o644); // after creation: the umask would have masked the mode given to open
    if (info && process.getuid?.() === 0) chownSync(temp, info.uid, info.gid); // only root can give a file away
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw notWritten(file, error);
  }
}

/**
 * A text's line ending: CRLF when every line break in it is a CRLF, else LF. The one reading of it for --fix: a file
 * written with CRLF throughout keeps CRLF in every line a fix adds or joins; a file with mixed endings, or none, gets LF.
 */
export function eolOf(text: string): '\n' | '\r\n' {
  return text.includes('\r\n') && !/(^|[^\r])\n/.test(text) ? '\r\n' : '\n';
}

/**
 * Writes into `file` the lines `text` adds to `read` (the file's text when this run read it; undefined: it had none),
 * merged into the file as it is now. Another ballast process (a parallel pre-commit batch fixing a Dockerfile of the
 * same directory) may have created or extended the .dockerignore meanwhile: a plain write would drop its entries, and
 * the changed-since-read check would fail one of the two runs. A new file is created only if it is still missing (a
 * hard link of the written temp file: atomic, and refused when the file exists); otherwise the missing lines are
 * appended, then read back, since the other process's rename may have landed on top of this one.
 */
export function mergeLinesInto(file: string, read: string | undefined, text: string): void {
  const linesOf = (t: string): string[] => t.split('\n').map((l) => l.replace(/\r$/, ''));
  const before = new Set(linesOf(read ?? ''));
  const added = [...new Set(linesOf(text).filter((l) => l.trim() !== '' && !before.has(l)))];
  // Each round reads the file first: the last one only checks that the lines written before are still there.
  for (let round = 0; round <= 5; round += 1) {
    let now: string;
    try {
      now = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw notWritten(file, error);
      // A symlink to nothing: replaced by the file, as writeFileAtomic does (an exclusive create would never succeed).
      if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return writeFileAtomic(file, text);
      if (round < 5 && createExclusive(file, text)) return;
      continue;
    }
    const present = new Set(linesOf(now));
    const missing = added.filter((l) => !present.has(l));
    if (missing.length === 0) return;
    if (round === 5) break;
    const eol = eolOf(now.includes('\n') ? now : text);
    writeFileAtomic(file, `${now}${now === '' || now.endsWith('\n') ? '' : eol}${missing.join(eol)}${eol}`);
  }
  throw notWritten(file, new Error('it kept changing while ballast added its lines'));
}

/** Creates `file` with `text` (mode 0644) unless it exists: false when it does. */
function createExclusive(file: string, text: string): boolean {
  const temp = join(dirname(file), `.${basename(file)}.ballast-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx', mode: 0o600 });
    chmodSync(temp, 0o644);
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw notWritten(file, error);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** A write that failed and left `file` as it was. */
function notWritten(file: string, error: unknown): SourceError {
  return new SourceError(`cannot write ${file}: ${(error as Error).message}`, {
    code: 'write',
    cause: error,
    hint: 'the file was left as it was; check that its directory is writable',
  });
}

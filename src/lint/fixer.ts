// Applying text edits from fixes: edits are applied bottom-up, overlapping ones are left for the next pass, and
// passes repeat until nothing changes, so running --fix twice changes nothing the second time (idempotent).
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SourceError } from '../errors.js';
import type { Finding, TextEdit, TextRange } from '../report/types.js';

/** Applies non-overlapping edits to `text`; returns the new text and how many edits were applied. */
export function applyEdits(text: string, edits: Pick<TextEdit, 'range' | 'text'>[]): { text: string; applied: number } {
  const offsets = lineOffsets(text);
  const located = edits
    .map((edit) => ({
      start: offsetOf(offsets, text, edit.range, 'start'),
      end: offsetOf(offsets, text, edit.range, 'end'),
      text: edit.text,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let applied = 0;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of located) {
    if (edit.end > floor) continue;
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    floor = edit.start;
    applied += 1;
  }
  return { text: result, applied };
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
 * The edits of the fixes to apply in one pass: whole fixes only (a fix with several edits, such as moving a command from
 * one RUN into another, is applied completely or left for the next pass), in finding order, skipping a fix any of whose
 * edits overlaps an edit already chosen.
 */
export function nonOverlappingFixEdits(
  text: string,
  findings: Finding[],
  unsafe = false,
): Pick<TextEdit, 'range' | 'text'>[] {
  const offsets = lineOffsets(text);
  const chosen: { start: number; end: number }[] = [];
  const edits: Pick<TextEdit, 'range' | 'text'>[] = [];
  for (const f of findings) {
    // Fixes that edit a build-context file are applied by the caller, which owns those files.
    if (!applicable(f, unsafe) || f.fix!.edits.some((e) => e.context)) continue;
    const spans = f.fix!.edits.map((e) => ({
      start: offsetOf(offsets, text, e.range, 'start'),
      end: offsetOf(offsets, text, e.range, 'end'),
    }));
    if (spans.some((a) => chosen.some((b) => a.start < b.end && b.start < a.end))) continue;
    chosen.push(...spans);
    edits.push(...f.fix!.edits);
  }
  return edits;
}

/** Re-lints and re-applies until stable (at most 10 passes). */
export function fixUntilStable(
  text: string,
  lint: (text: string) => Finding[],
  unsafe = false,
): { text: string; fixed: number } {
  let current = text;
  let fixed = 0;
  for (let pass = 0; pass < 10; pass += 1) {
    const edits = nonOverlappingFixEdits(current, lint(current), unsafe);
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next.applied === 0 || next.text === current) break;
    fixed += next.applied;
    current = next.text;
  }
  return { text: current, fixed };
}

function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') offsets.push(i + 1);
  return offsets;
}

function offsetOf(offsets: number[], text: string, range: TextRange, which: 'start' | 'end'): number {
  const line = which === 'start' ? range.line : range.endLine;
  const column = which === 'start' ? range.column : range.endColumn;
  const base = offsets[Math.min(line - 1, offsets.length - 1)] ?? text.length;
  return Math.min(base + column - 1, text.length);
}

/** A unified diff of two versions of one file (whole-file hunks are enough for a dry run). */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA -= 1;
    endB -= 1;
  }
  const context = 2;
  const from = Math.max(0, start - context);
  const toA = Math.min(a.length - 1, endA + context);
  const toB = Math.min(b.length - 1, endB + context);
  const lines = [
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -${from + 1},${toA - from + 1} +${from + 1},${toB - from + 1} @@`,
  ];
  for (let i = from; i < start; i += 1) lines.push(` ${a[i]}`);
  for (let i = start; i <= endA; i += 1) lines.push(`-${a[i]}`);
  for (let i = start; i <= endB; i += 1) lines.push(`+${b[i]}`);
  for (let i = endA + 1; i <= toA; i += 1) lines.push(` ${a[i]}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Applies the fixes that edit build-context files (`.dockerignore`) through `read`/`write`, re-linting after each pass
 * until none is left; returns how many fixes were applied. A file that does not exist reads as empty.
 */
export function fixContextFiles(
  lint: () => Finding[],
  read: (name: string) => string | undefined | null,
  write: (name: string, text: string) => void,
  unsafe = false,
): number {
  let fixed = 0;
  for (let pass = 0; pass < 5; pass += 1) {
    const fixes = lint().filter(
      (f) => applicable(f, unsafe) && f.fix!.edits.length > 0 && f.fix!.edits.every((e) => e.context),
    );
    const byFile = new Map<string, Pick<TextEdit, 'range' | 'text'>[]>();
    for (const f of fixes) for (const e of f.fix!.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    let changed = false;
    for (const [name, edits] of byFile) {
      const before = read(name) ?? '';
      const after = applyEdits(before, edits).text;
      if (after === before) continue;
      write(name, after);
      changed = true;
    }
    if (!changed) break;
    fixed += fixes.length;
  }
  return fixed;
}

/**
 * Replaces a fixed Dockerfile (or a build-context file a fix edits) atomically: the new text goes to a temp file beside it (same directory, so the same
 * file system), takes the original's mode (and owner, where allowed), and is renamed over it, so a crash or Ctrl-C
 * leaves the old file or the new one, never half of one. A symlinked Dockerfile stays a symlink: its target is
 * replaced. Nothing else is written.
 */
export function writeFileAtomic(file: string, text: string): void {
  let target = file;
  let info: { mode: number; uid: number; gid: number } | undefined;
  try {
    target = realpathSync(file);
    info = statSync(target);
  } catch (error) {
    // A file a fix creates (.dockerignore) does not exist yet: it gets 0644.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new SourceError(`cannot write ${file}: ${(error as Error).message}`, { code: 'write', cause: error });
  }
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
    throw new SourceError(`cannot write ${file}: ${(error as Error).message}`, {
      code: 'write',
      cause: error,
      hint: 'the file was left as it was; check that its directory is writable',
    });
  }
}

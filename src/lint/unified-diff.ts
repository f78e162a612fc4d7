// The unified diff `lint --fix-dry-run` prints: a patch `git apply` and `patch -p1` accept. Lines are matched with
// Myers' O(ND) difference algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986), so lines between two
// edits are context, not removed and added again; hunks carry 3 lines of context, as `diff -u` does.

/** One line of a file with its line break (none on a last line without one), so that a missing final newline differs. */
type Line = string;

type Op = { kind: ' ' | '-' | '+'; line: Line };

const CONTEXT = 3;

/**
 * A unified diff from `before` to `after` of `file` (the path as shown, `a/` and `b/` prefixed as git does), '' when
 * they are equal. `before` undefined means the file does not exist yet: the diff creates it (`--- /dev/null`).
 */
export function unifiedDiff(file: string, before: string | undefined, after: string): string {
  return unifiedDiffWithin(file, before, after, Infinity)!;
}

/**
 * `unifiedDiff`, or undefined when the two sides differ by more than `maxEdits` removed and added lines: the edit
 * search keeps O(D²) memory, fine for a lint fix but not for two unrelated multi-megabyte files (`diff --filename`).
 * `after` undefined means the file is gone: the diff deletes it (`+++ /dev/null`).
 */
export function unifiedDiffWithin(
  file: string,
  before: string | undefined,
  after: string | undefined,
  maxEdits: number,
): string | undefined {
  if (before === after) return '';
  const ops = diffLines(splitLines(before ?? ''), splitLines(after ?? ''), maxEdits);
  if (!ops) return undefined;
  // An absolute path is prefixed as git prints it (`a/tmp/x`, not `a//tmp/x`).
  const name = file.replace(/^\/+/, '');
  const out = [
    before === undefined ? '--- /dev/null' : `--- a/${name}`,
    after === undefined ? '+++ /dev/null' : `+++ b/${name}`,
  ];
  for (const hunk of hunksOf(ops)) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`);
    for (const op of hunk.ops) {
      out.push(`${op.kind}${op.line.endsWith('\n') ? op.line.slice(0, -1) : op.line}`);
      if (!op.line.endsWith('\n')) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}

/** `start,count`; an empty side starts at the line before it (0 at the top of the file), as diff writes it. */
function range(start: number, count: number): string {
  return `${count === 0 ? start - 1 : start},${count}`;
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => `${l}\n`);
  // The text after the last line break: a last line without one, or nothing.
  const last = lines.pop()!.slice(0, -1);
  if (last !== '') lines.push(last);
  return lines;
}

/** The shortest edit script from `a` to `b` (Myers), as kept, removed and added lines in order. */
function diffLines(a: Line[], b: Line[], maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  // v[k + offset]: the furthest x reached on diagonal k. trace[d] keeps the frontier round d started from, diagonals
  // -d..d only (index k + d), to walk the path back: O(D²) memory, small for the few lines a fix changes.
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d += 1) {
    trace.push(v.slice(offset - d, offset + d + 1));
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[k - 1 + offset] < v[k + 1 + offset]) ? v[k + 1 + offset] : v[k - 1 + offset] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      next[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0) return undefined;
  // Walk back from (n, m) through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d -= 1) {
    const prev = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && prev[k - 1 + d] < prev[k + 1 + d]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[prevK + d];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: ' ', line: a[x] });
    }
    if (down) {
      y -= 1;
      ops.push({ kind: '+', line: b[y] });
    } else {
      x -= 1;
      ops.push({ kind: '-', line: a[x] });
    }
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push({ kind: ' ', line: a[x] });
  }
  return ops.reverse();
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  ops: Op[];
}

/** Groups the edit script into hunks: each change with up to CONTEXT kept lines around it, close changes merged. */
function hunksOf(ops: Op[]): Hunk[] {
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < changed.length) {
    const from = Math.max(0, changed[i] - CONTEXT);
    let last = changed[i];
    // Two changes whose context would touch or overlap share a hunk.
    while (i + 1 < changed.length && changed[i + 1] - last <= 2 * CONTEXT + 1) {
      i += 1;
      last = changed[i];
    }
    const to = Math.min(ops.length - 1, last + CONTEXT);
    let oldLine = 1;
    let newLine = 1;
    for (const op of ops.slice(0, from)) {
      if (op.kind !== '+') oldLine += 1;
      if (op.kind !== '-') newLine += 1;
    }
    const slice = ops.slice(from, to + 1);
    hunks.push({
      oldStart: oldLine,
      oldCount: slice.filter((op) => op.kind !== '+').length,
      newStart: newLine,
      newCount: slice.filter((op) => op.kind !== '-').length,
      ops: slice,
    });
    i += 1;
  }
  return hunks;
}

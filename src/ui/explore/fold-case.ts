// The explore filter's case-insensitivity without the `i` flag. The filter runs the user's regular expression over
// the tree's lower-cased paths; V8 runs an expression on its backtracking engine, where `(a+)+$` against a name with
// a long run of `a` takes for ever, and the view, reading keys in raw mode, cannot even take Ctrl-C. V8 can hand an
// expression that backtracks too much to its linear-time engine, but not one with the `i` flag (nor lookarounds or
// the `u` flag). So the filter is written to match the lower-cased text exactly as the `i` flag would: each literal
// letter becomes the lower-case letter(s) that `i` lets it match, and each character class gains the lower-case
// characters that `i` lets it match.
import { setFlagsFromString } from 'node:v8';

let fallbackAllowed = false;

/**
 * Lets V8 finish an expression that backtracks past its limit (200,000 steps) on its linear-time engine, where the
 * expression allows it. Only ever turned on, and only by the explore filter: other expressions keep their engine
 * unless they run away.
 */
export function allowLinearFallback(): void {
  if (fallbackAllowed) return;
  fallbackAllowed = true;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  // Past 50,000 backtracks (the default), a search such as `(.*a){4}x` over a window of paths (joinedSearch) went to
  // the linear-time engine, many times slower at it; 200,000 (a millisecond or so) keeps it native. More costs an
  // expression that runs away on every path that much per window before the fallback: at a million, `(.*.*)*x`
  // took 8 s over the 54k paths of the corpus big image, 1.5 s at 100,000.
  setFlagsFromString('--regexp-backtracks-before-fallback=200000');
  // The `l` flag (run on the linear-time engine), which `finishes` compiles with to ask whether it can.
  setFlagsFromString('--enable-experimental-regexp-engine');
}

/**
 * Whether V8's linear-time engine can run `source` (without the `i` flag), so that the fallback can finish it when it
 * backtracks too much. It cannot run a lookaround or a backreference, which Go's regexp (dive's) does not take
 * either; nor a count it would unroll past 16 copies (`[0-9a-f]{64}`), which alone does not make an expression
 * backtrack, so counts are made small before asking. Call `allowLinearFallback` first.
 */
export function finishes(source: string): boolean {
  const small = source.replace(/\{\d+(,\d*)?\}/g, (count) => (count.includes(',') ? '{1,}' : '{1}'));
  try {
    // eslint-disable-next-line no-invalid-regexp -- `l` is V8's, recognized once the flag above is set
    new RegExp(small, 'l');
    return true;
  } catch {
    return false;
  }
}

/** What the `i` flag compares a character as (ECMA-262's Canonicalize without `u`). */
function canonical(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const u = upper.charCodeAt(0);
  return code >= 128 && u < 128 ? code : u;
}

/** The characters the lower-cased text can hold: those of one byte that lower-casing leaves as they are. */
const TEXT_CHARS: number[] = [];
for (let t = 0; t < 256; t++) if (String.fromCharCode(t).toLowerCase() === String.fromCharCode(t)) TEXT_CHARS.push(t);

/** The characters `i` would match with `t` (itself, and those it canonicalizes as), as far as they matter here. */
function sameUnderI(t: number): number[] {
  const c = canonical(t);
  const out = [t];
  if (c !== t) out.push(c);
  // The one character of one byte whose canonical form has another lower-case character: µ (U+00B5) and μ (U+03BC).
  if (c === 0x39c && t !== 0x3bc) out.push(0x3bc);
  return out.filter((x) => canonical(x) === c);
}

const hex = (code: number) =>
  code < 256 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;

/** A class item: one character (a range of one) or a range, by code; or an escape such as `\d` (no codes). */
type Item = { from: number; to: number } | { escape: string };

const CONTROL: Record<string, number> = { b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/**
 * Reads one class atom at `i` (inside `[...]`): its code if it stands for one character, and where it ends. An atom
 * whose character is not known here (an octal escape) has no code: such a class is not folded.
 */
function classAtom(source: string, i: number): { code?: number; escape?: string; end: number } {
  if (source[i] !== '\\')
    return { code: source.codePointAt(i)!, end: i + String.fromCodePoint(source.codePointAt(i)!).length };
  const next = source[i + 1];
  // Exactly n digits: `\x4` at the end (a `\x41` half typed) is the letter x and a 4, as V8 reads it.
  const hexDigits = (n: number) => /^[0-9a-fA-F]+$/.test(source.slice(i + 2, i + 2 + n)) && i + 2 + n <= source.length;
  if (next === 'x' && hexDigits(2)) return { code: parseInt(source.slice(i + 2, i + 4), 16), end: i + 4 };
  if (next === 'u' && hexDigits(4)) return { code: parseInt(source.slice(i + 2, i + 6), 16), end: i + 6 };
  if (next === 'c' && /[a-zA-Z]/.test(source[i + 2] ?? '')) return { code: source.charCodeAt(i + 2) % 32, end: i + 3 };
  if (next !== undefined && 'dDsSwW'.includes(next)) return { escape: source.slice(i, i + 2), end: i + 2 };
  if (next !== undefined && next in CONTROL) return { code: CONTROL[next], end: i + 2 };
  if (next === '0' && !/[0-9]/.test(source[i + 2] ?? '')) return { code: 0, end: i + 2 };
  if (next !== undefined && /[0-9]/.test(next)) return { end: i + 2 };
  if (next === undefined) return { end: i + 1 };
  return { code: next.codePointAt(0)!, end: i + 1 + String.fromCodePoint(next.codePointAt(0)!).length };
}

/** The text characters `i` lets these items match that they do not match as written, as class text. */
function classExtras(items: Item[]): string {
  const holds = (code: number) => items.some((it) => 'from' in it && it.from <= code && code <= it.to);
  let out = '';
  for (const t of TEXT_CHARS) if (!holds(t) && sameUnderI(t).some(holds)) out += hex(t);
  return out;
}

/**
 * `source` (an expression meant for the `i` flag) rewritten to match the lower-cased text without it, the same
 * strings as `i` would; undefined where that cannot be told here (a class with an octal escape), so that the caller
 * keeps the `i` flag.
 */
export function foldCase(source: string): string | undefined {
  let out = '';
  for (let i = 0; i < source.length;) {
    const c = source[i];
    if (c === '[') {
      // The class as written, and the characters `i` adds to it.
      let j = i + 1;
      if (source[j] === '^') j++;
      const items: Item[] = [];
      while (j < source.length && source[j] !== ']') {
        const a = classAtom(source, j);
        if (a.escape) {
          items.push({ escape: a.escape });
          j = a.end;
          continue;
        }
        if (a.code === undefined) return undefined;
        if (source[a.end] === '-' && source[a.end + 1] !== ']' && a.end + 1 < source.length) {
          const b = classAtom(source, a.end + 1);
          if (b.escape) {
            items.push({ from: a.code, to: a.code }, { from: 45, to: 45 }, { escape: b.escape });
          } else if (b.code === undefined) {
            return undefined;
          } else {
            items.push({ from: a.code, to: b.code });
          }
          j = b.end;
          continue;
        }
        items.push({ from: a.code, to: a.code });
        j = a.end;
      }
      if (j >= source.length) return undefined;
      out += source.slice(i, j) + classExtras(items) + ']';
      i = j + 1;
      continue;
    }
    // A group's name, and a reference to one, are names, not text to match.
    const name = /^(?:\(\?<(?![=!])|\\k<)[^>]*>/.exec(source.slice(i, i + 512));
    if (name) {
      out += name[0];
      i += name[0].length;
      continue;
    }
    let code: number | undefined;
    let end = i + 1;
    if (c === '\\') {
      const a = classAtom(source, i);
      const next = source[i + 1] ?? '';
      // Outside a class, `\b` is a word boundary and `\B` its opposite; a letter escape that is no escape (`\P`) is the letter.
      if (a.code !== undefined && /[a-zA-Z]/.test(next) && !'bBcfnrtvxu'.includes(next)) code = a.code;
      else if (next === 'x' || next === 'u') code = a.code;
      end = a.end;
      if (code === undefined) {
        out += source.slice(i, end);
        i = end;
        continue;
      }
    } else if (/[a-zA-Z]/.test(c) || c.charCodeAt(0) >= 128) {
      code = c.charCodeAt(0);
    } else {
      out += c;
      i++;
      continue;
    }
    const matches = TEXT_CHARS.filter((t) => canonical(t) === canonical(code));
    if (matches.length === 1)
      out += /[a-z]/.test(String.fromCharCode(matches[0])) ? String.fromCharCode(matches[0]) : hex(matches[0]);
    else if (matches.length > 1) out += `[${matches.map(hex).join('')}]`;
    else out += source.slice(i, end);
    i = end;
  }
  return out;
}

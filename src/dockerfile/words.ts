// One Dockerfile word (an ARG, ENV or LABEL value) as the builder reads it: quotes removed and variables expanded in the
// same pass, because what a quote means decides whether a `$` inside it expands at all.

/**
 * A variable lookup; see stages.ts `Variables`. Unknown names are left as written by `expand`. It gets the reference
 * as written, escapes in a `${A:-word}` word included: reading those is its part (stages.ts `expandValue`).
 */
type Lookup = (reference: string) => string;

/**
 * Splits on whitespace outside quotes and escapes, keeping each word as written (quotes and escapes included):
 * `A="b c" D=e\ f` is two words, `A="b c"` and `D=e\ f`.
 */
export function splitRawWords(text: string, escapeChar = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === escapeChar && quote !== "'" && i + 1 < text.length) {
      word += ch + text[i + 1];
      i += 1;
      continue;
    }
    if (quote === undefined && /\s/.test(ch)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    if ((ch === '"' || ch === "'") && (quote === undefined || quote === ch)) quote = quote ? undefined : ch;
    word += ch;
  }
  if (word) words.push(word);
  return words;
}

const BARE_REFERENCE = /^\$[A-Za-z_][A-Za-z0-9_]*/;
const BRACED_START = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?:\}|:?[-+?])/;

/**
 * For each `${` in `text` (by the index of its `$`), the index of the `}` that closes it; -1 when none does. One pass
 * with a stack: the builder ends a reference's word at the first `}` that no inner `${` opened, and an escaped `}`
 * (`\}`, or `` `} `` under `# escape=``) ends nothing. Nor does a `}` in the word's quotes: `${A:-"x}y"}` is `x}y`
 * (BuildKit reads the word by the word rules, its processStopOn). Each word starts its own quoting, inside double
 * quotes as well (`"${A:-'x}y'}"` is `x}y` to BuildKit). Quotes outside every reference are not followed: in RUN text
 * an apostrophe in a comment or a heredoc would otherwise hide every brace after it.
 *
 * With `shell` (RUN text, read by /bin/sh), only the word's double quotes are followed: every shell nests those, but
 * dash, ash and bash --posix read a `'` in the word of a reference in double quotes as a character (`"${A:-it's}"`),
 * and whether a reference is in double quotes is what is not followed here.
 */
export function matchBraces(text: string, escapeChar = '\\', shell = false): Int32Array {
  const closes = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  // The quote open in each reference's word, innermost last (its own quote is `quote`; outside every reference none).
  const outer: (string | undefined)[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
    } else if (ch === escapeChar) i += 1;
    else if (ch === '$' && text[i + 1] === '{') {
      open.push(i);
      outer.push(quote);
      quote = undefined;
      i += 1;
    } else if (open.length === 0) continue;
    else if (quote === '"') {
      if (ch === '"') quote = undefined;
    } else if (ch === '"' || (ch === "'" && !shell)) quote = ch;
    else if (ch === '}') {
      closes[open.pop()!] = i;
      quote = outer.pop();
    }
  }
  return closes;
}

/**
 * The reference at the start of `text` (`$A`, `${A}`, `${A:-word}`), undefined when there is none. A word may hold
 * references of its own (`${A:-${B}}`): the reference ends at the `}` that closes it (`matchBraces`).
 */
function referenceAt(text: string, escapeChar: string): string | undefined {
  if (text[1] !== '{') return BARE_REFERENCE.exec(text)?.[0];
  if (!BRACED_START.test(text)) return undefined;
  const close = matchBraces(text, escapeChar)[0];
  return close < 0 ? undefined : text.slice(0, close + 1);
}

/** Where a reading of one word stands (`readWordUntil`): the next index to read and the quote open there. */
export interface WordReading {
  at: number;
  quote: string | undefined;
}

/**
 * Reads `text` from `reading.at` up to `end` by the builder's word rules (see `expandWord`), without expanding
 * anything, and returns what it gives. `limit` is where the word ends: an escape character right before it escapes
 * nothing and is dropped. An escape character right before `end` is read with the character it escapes, so the
 * reading ends past `end` when the character there (a `$`) is escaped; a `$` at `end` with `reading.quote` `'` is in
 * single quotes. The one reader of those rules for a whole value (`expandWord`) and for a `${VAR:-word}` word
 * (stages.ts `expandRange`), which read up to each `$` and expand what the reading did not make literal.
 */
export function readWordUntil(
  text: string,
  reading: WordReading,
  end: number,
  limit: number,
  escapeChar: string,
): string {
  let piece = '';
  let { at, quote } = reading;
  for (; at < end; at += 1) {
    const ch = text[at];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else piece += ch;
    } else if (ch === escapeChar) {
      if (at + 1 >= limit) continue;
      const next = text[at + 1];
      if (quote === '"' && next !== '"' && next !== '$' && next !== escapeChar) piece += ch;
      else {
        piece += next;
        at += 1;
      }
    } else if (ch === '"' || (ch === "'" && quote === undefined)) quote = quote === ch ? undefined : ch;
    else piece += ch;
  }
  reading.at = at;
  reading.quote = quote;
  return piece;
}

/**
 * Removes a raw word's quotes and escapes and expands its variables with `lookup`, by the builder's word rules:
 * nothing expands in single quotes (a `\` there is just a character); in double quotes `$` expands and the escape
 * character escapes only `"`, `$` and itself (`"say \"hi\""` is `say "hi"`, `"a\b"` keeps its `\`); outside quotes the
 * escape character makes the next character literal (`\$HOME` is `$HOME`). An unclosed quote runs to the end. Past
 * `maxLength` characters it stops early.
 */
export function expandWord(raw: string, lookup: Lookup, escapeChar = '\\', maxLength = Infinity): string {
  let out = '';
  const reading: WordReading = { at: 0, quote: undefined };
  // (past maxLength the caller cuts the value anyway: stop before many long values build a huge string)
  for (let i = raw.indexOf('$'); i >= 0 && out.length <= maxLength; i = raw.indexOf('$', i + 1)) {
    out += readWordUntil(raw, reading, i, raw.length, escapeChar);
    if (reading.at > i || reading.quote === "'") continue;
    const reference = referenceAt(raw.slice(i, i + 1024), escapeChar);
    if (!reference) continue;
    out += lookup(reference);
    reading.at = i + reference.length;
    i = reading.at - 1;
  }
  if (out.length <= maxLength) out += readWordUntil(raw, reading, raw.length, raw.length, escapeChar);
  return out;
}

/** One `KEY=value` pair of an ENV, LABEL or ARG instruction; see `readPairs`. */
export interface KeyValue {
  key: string;
  /** The value with quotes and escapes removed, its variables left as written. */
  value: string;
  /**
   * The variable references the builder expands in the value, joined by spaces (`${A} $B`): a single-quoted or escaped
   * `$` is not one. Empty when the value expands nothing.
   */
  expandable: string;
  /** The value as written (quotes, escapes and variables in it), for expanding it with the variables in scope. */
  raw: string;
}

/**
 * Reads `KEY=value KEY2="a b"` (quotes may open anywhere in a word) or the legacy one-pair `KEY value with spaces`, as
 * ENV, LABEL and ARG write them, by the same word rules as `expandWord`.
 */
export function readPairs(text: string, escapeChar = '\\'): KeyValue[] {
  const trimmed = text.trim();
  const words = splitRawWords(trimmed, escapeChar);
  if (words.length === 0) return [];
  const unquote = (word: string): string => expandWord(word, asWritten, escapeChar);
  const first = unquote(words[0]);
  if (!first.includes('=')) {
    if (words.length === 1) return [{ key: first, value: '', expandable: '', raw: '' }];
    // Legacy form: the first word is the key, the rest of the line is the value (one word, its spaces kept).
    const rest = trimmed.slice(words[0].length).trim();
    return [{ key: first, value: unquote(rest), expandable: referencesIn(rest, escapeChar), raw: rest }];
  }
  return words.map((word) => {
    const unquoted = word === words[0] ? first : unquote(word);
    const eq = unquoted.indexOf('=');
    if (eq < 0) return { key: unquoted, value: '', expandable: '', raw: '' };
    const raw = word.slice(word.indexOf('=') + 1);
    return {
      key: unquoted.slice(0, eq),
      value: unquoted.slice(eq + 1),
      expandable: referencesIn(raw, escapeChar),
      raw,
    };
  });
}

const asWritten: Lookup = (reference) => reference;

/** The references `expandWord` would expand in `raw`, joined by spaces. */
function referencesIn(raw: string, escapeChar: string): string {
  if (!raw.includes('$')) return '';
  const used: string[] = [];
  expandWord(
    raw,
    (reference) => {
      used.push(reference);
      return reference;
    },
    escapeChar,
  );
  return used.join(' ');
}

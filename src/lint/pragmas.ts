// Inline suppressions. Ours: `# ballast-ignore CODE[,CODE] [reason]` (next instruction) and
// `# ballast-ignore-file CODE[,CODE] [reason]`. hadolint's `# hadolint ignore=DL3009,...` (next instruction),
// `# hadolint global ignore=...` and `# hadolint stage ignore=...` are honoured for rules declared the same as a hadolint rule.
import type { ParsedDockerfile } from '../dockerfile/parse.js';

export interface Suppressions {
  /** Codes (ours, rule names or hadolint ids) ignored in the whole file; 'all' ignores everything. */
  file: Set<string>;
  /** Instruction index -> codes ignored on that instruction. */
  byInstruction: Map<number, Set<string>>;
  /** Stage index -> codes ignored in that stage. */
  byStage: Map<number, Set<string>>;
}

const OURS = /^ballast-ignore(-file)?\s+(.*)$/;
const HADOLINT = /^hadolint\s+(global\s+|stage\s+)?ignore\s*=\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)/;

/**
 * Which kind of suppression a comment is: `next` for the per-instruction forms (`# hadolint ignore=`, `# ballast-ignore`),
 * `file` for `# ballast-ignore-file` and `# hadolint global ignore=`, `stage` for `# hadolint stage ignore=`.
 */
export function ignorePragmaOf(
  text: string,
): { tool: 'ballast' | 'hadolint'; scope: 'next' | 'file' | 'stage' } | undefined {
  const ours = OURS.exec(text);
  if (ours) return { tool: 'ballast', scope: ours[1] ? 'file' : 'next' };
  const theirs = HADOLINT.exec(text);
  if (!theirs) return undefined;
  const scope = theirs[1]?.trim();
  return { tool: 'hadolint', scope: scope === 'global' ? 'file' : scope === 'stage' ? 'stage' : 'next' };
}

/**
 * `# hadolint shell=powershell`: the image's shell is not POSIX. Read from the raw text, anywhere: a first-line comment is
 * taken for a parser directive and is missing from the parsed comments.
 */
export function pragmaShell(text: string): string | undefined {
  return /^\s*#\s*hadolint\s+shell\s*=\s*(\S+)/m.exec(text)?.[1];
}

function splitCodes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * Reads every pragma comment. Ours apply to the first instruction that starts after them; `# hadolint ignore=` only to
 * an instruction that starts on the very next line, and `# hadolint stage ignore=` only to a FROM on the very next line.
 */
export function readSuppressions(parsed: ParsedDockerfile, allowHadolint = true): Suppressions {
  // Read once per parsed file: the engine reads them, and so do the fixes that must not move a silenced instruction.
  const cache = allowHadolint ? withHadolint : oursOnly;
  const known = cache.get(parsed);
  if (known) return known;
  const result = suppressionsOf(parsed, allowHadolint);
  cache.set(parsed, result);
  return result;
}

const withHadolint = new WeakMap<ParsedDockerfile, Suppressions>();
const oursOnly = new WeakMap<ParsedDockerfile, Suppressions>();

function suppressionsOf(parsed: ParsedDockerfile, allowHadolint: boolean): Suppressions {
  const result: Suppressions = { file: new Set(), byInstruction: new Map(), byStage: new Map() };
  if (parsed.comments.length === 0) return result;
  const starts = parsed.instructions.map((i) => i.line);
  const nextInstruction = (line: number): number | undefined => {
    const at = starts.findIndex((start) => start > line);
    return at < 0 ? undefined : at;
  };
  const add = (map: Map<number, Set<string>>, key: number, codes: string[]): void => {
    const set = map.get(key) ?? new Set<string>();
    for (const code of codes) set.add(code.toUpperCase());
    map.set(key, set);
  };
  for (const comment of parsed.comments) {
    const ours = OURS.exec(comment.text);
    if (ours) {
      const codes = codesOfOurPragma(ours[2]);
      if (ours[1]) for (const code of codes) result.file.add(code.toUpperCase());
      else {
        const next = nextInstruction(comment.line);
        if (next !== undefined) add(result.byInstruction, next, codes);
      }
      continue;
    }
    const theirs = allowHadolint ? HADOLINT.exec(comment.text) : null;
    if (!theirs) continue;
    const codes = splitCodes(theirs[2]).map((c) => `HADOLINT:${c.toUpperCase()}`);
    const scope = theirs[1]?.trim();
    if (scope === 'global') for (const code of codes) result.file.add(code);
    else if (scope === 'stage') {
      // Bound like ignore= below: only a FROM on the very next line opens the stage it silences.
      const next = starts.indexOf(comment.line + 1);
      if (next >= 0 && parsed.instructions[next].keyword === 'FROM')
        add(result.byStage, parsed.instructions[next].stageIndex, codes);
    } else {
      // hadolint ties `ignore=` to the line right below the pragma: a blank line or another comment in between, and
      // the pragma silences nothing. Doing the same keeps a file that passes hadolint from passing here on a finding
      // hadolint reports.
      const next = starts.indexOf(comment.line + 1);
      if (next >= 0) add(result.byInstruction, next, codes);
    }
  }
  return result;
}

// `# ballast-ignore DF001,DF002 because reasons`: codes are the leading comma/space separated words that look like codes.
function codesOfOurPragma(text: string): string[] {
  const codes: string[] = [];
  for (const word of splitCodes(text)) {
    if (
      /^(DF|IM)\d{3}$/i.test(word) ||
      /^(DL|SC)\d{4}$/i.test(word) ||
      /^[a-z]+(-[a-z0-9]+)+$/.test(word) ||
      word === 'all'
    )
      codes.push(word);
    else break;
  }
  return codes;
}

/** At most this many pragma notes per file: a file of nothing but mistyped pragmas must not flood stderr. */
const MAX_PRAGMA_NOTES = 20;

/**
 * The comments that look like an ignore pragma but are not read as one (`# ballast ignore=DF001`, `# hadolint ignore
 * DL3008`), or that name a code no rule has: each silences nothing, where its author expects it to, so the finding
 * comes back with no word why. One line each (FILE:LINE: ...), for the caller to print as a note: a note, not a
 * finding, so a file that is otherwise clean still passes. `isKnown` says whether a ballast code (DF/IM) exists.
 */
export function pragmaNotes(
  parsed: ParsedDockerfile,
  isKnown: (code: string) => boolean,
  allowHadolint = true,
): string[] {
  const notes: string[] = [];
  const misread = (line: number, text: string, hint: string) =>
    `${parsed.file}:${line}: \`# ${text}\` is not a pragma ballast reads, so it ignores nothing; ${hint}`;
  for (const { text, line } of parsed.comments) {
    if (notes.length > MAX_PRAGMA_NOTES) break;
    const ours = OURS.exec(text);
    if (ours) {
      const codes = codesOfOurPragma(ours[2]);
      if (codes.length === 0) notes.push(misread(line, text, 'name the rules: `# ballast-ignore DF001,DF002 reason`'));
      for (const code of codes)
        if (/^(DF|IM)\d{3}$/i.test(code) && !isKnown(code.toUpperCase()))
          notes.push(
            `${parsed.file}:${line}: \`# ${text}\`: no rule has the code ${code} (\`ballast rules\` lists them)`,
          );
      continue;
    }
    const theirs = HADOLINT.exec(text);
    if (theirs) {
      if (!allowHadolint) continue;
      for (const id of splitCodes(theirs[2]))
        if (!/^(DL|SC)\d{4}$/i.test(id))
          notes.push(
            `${parsed.file}:${line}: \`# ${text}\`: ${id} is not a hadolint id, so it ignores nothing (\`# hadolint ignore=\` takes hadolint's DL/SC ids; \`# ballast-ignore ${id}\` takes ballast's)`,
          );
      continue;
    }
    // Near misses: the tool's name and `ignore`, but not in a form either tool reads.
    const codes = (/([A-Za-z]{2}\d{3,4}(?:\s*,\s*[A-Za-z]{2}\d{3,4})*)/.exec(text)?.[1] ?? 'DF001').replace(/\s+/g, '');
    if (/^ballast\W*ignore/i.test(text)) {
      const form = /^ballast\W*ignore\W*file/i.test(text) ? 'ballast-ignore-file' : 'ballast-ignore';
      notes.push(misread(line, text, `write \`# ${form} ${codes} reason\``));
    } else if (allowHadolint && /^hadolint\W*((global|stage)\W*)?ignore/i.test(text)) {
      const scope = /^hadolint\W*(global|stage)\b/i.exec(text)?.[1]?.toLowerCase();
      notes.push(misread(line, text, `write \`# hadolint ${scope ? `${scope} ` : ''}ignore=${codes}\``));
    }
  }
  if (notes.length > MAX_PRAGMA_NOTES)
    return [...notes.slice(0, MAX_PRAGMA_NOTES), `${parsed.file}: more pragmas not understood after these`];
  return notes;
}

/** What a `# check=` parser directive asks of the builder's checks in this file. */
export interface BuildCheckDirective {
  /** Check names to skip, exactly as written (the builder matches them case-sensitively); 'all' skips every check. */
  skip: Set<string> | 'all';
  /** `error=true`: the checks' findings fail the build. */
  error: boolean;
}

// The forms of `true` the builder accepts for `error=` (it parses a boolean the way Go does).
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/**
 * Reads the `# check=` parser directive (`skip=A,B`, `skip=all`, `error=true`, `experimental=...`, joined with `;`).
 * A directive is only a directive at the top of the file (see ParsedDockerfile.directives).
 * Options or values the builder would reject are passed over: linting is not building, and the rest still applies.
 *
 * Where the author's word is ambiguous it is read so that no finding the builder might report is hidden:
 * - `# check=` on two lines: the builder refuses the file (DF100 reports it), so neither line is in effect and nothing
 *   is skipped;
 * - `skip=` twice in one directive: a check is skipped only if every `skip=` names it (`skip=all` names them all);
 * - `error=` twice: findings are errors if any of them says `true`.
 */
export function readBuildCheckDirective(parsed: ParsedDockerfile): BuildCheckDirective | undefined {
  const checks = parsed.directives.filter((d) => d.name === 'check');
  if (checks.length !== 1) return undefined;
  const result: BuildCheckDirective = { skip: new Set(), error: false };
  const skips: BuildCheckDirective['skip'][] = [];
  for (const option of checks[0].value.split(';')) {
    const at = option.indexOf('=');
    if (at < 0) continue;
    const key = option.slice(0, at).trim();
    const value = option.slice(at + 1).trim();
    if (key === 'skip') skips.push(value === 'all' ? 'all' : new Set(value.split(',').map((name) => name.trim())));
    else if (key === 'error') result.error ||= TRUE.has(value);
    // `experimental=` turns on the builder's experimental checks; no ballast rule is the same as one of those.
  }
  if (skips.length > 0) result.skip = skips.reduce(bothSkip);
  return result;
}

/** The checks two `skip=` lists both name. */
function bothSkip(a: BuildCheckDirective['skip'], b: BuildCheckDirective['skip']): BuildCheckDirective['skip'] {
  if (a === 'all') return b;
  if (b === 'all') return a;
  return new Set([...a].filter((name) => b.has(name)));
}

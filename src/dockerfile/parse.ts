// Dockerfile parsing: dockerfile-ast does the tokenizing (escape directive, continuations, heredocs, flags); this file turns its
// classes into plain, serializable records that the lint engine and the image analyzer (history <-> file:line) share.
// Keep the exported shapes stable: other modules match image history to these line numbers.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DockerfileParser,
  Instruction as AstInstructionClass,
  type Instruction as AstInstruction,
} from 'dockerfile-ast';
import { Util as AstUtil } from 'dockerfile-ast/lib/util.js';
import { SourceError, UsageError } from '../errors.js';
import { specialFileKind } from '../host-path.js';
import { dockerfileText } from './text.js';
import { splitRawWords } from './words.js';

export interface InstructionFlag {
  name: string;
  /** The text after `=`, or '' for a bare flag such as `--link`. */
  value: string;
  /** `--mount=type=cache,target=/x` gives `{type: 'cache', target: '/x'}`. */
  options: Record<string, string>;
}

export interface Heredoc {
  name: string;
  /** The lines between the opening `<<NAME` and the closing `NAME`, joined with '\n'. */
  body: string;
  /** 1-based line of the first body line. */
  line: number;
  /** False when no line closes it: the body runs to the end of the file, and the builder refuses the file. */
  terminated: boolean;
}

export interface Instruction {
  /** Position in the file, 0-based, over all instructions. */
  index: number;
  /** Upper-case keyword: FROM, RUN, COPY... */
  keyword: string;
  /** The keyword as written (for fixes that keep the author's casing). */
  keywordText: string;
  /** Raw argument text after the flags, exactly as in the file (continuations and heredoc bodies included). */
  args: string;
  /** 1-based first and last line, 1-based columns of the whole instruction (endColumn exclusive). */
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  /** Index of the stage this instruction belongs to; -1 for ARGs before the first FROM. */
  stageIndex: number;
  /** Flags by name (the last one wins when repeated), e.g. `{from: 'build', chmod: '644'}`. */
  flags: Record<string, string>;
  /** Every flag in order, repeated ones included (RUN may have several --mount). */
  flagList: InstructionFlag[];
  /** For RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK/COPY/ADD/VOLUME: exec (JSON array) or shell form. */
  form: 'exec' | 'shell';
  /** The JSON array of an exec-form instruction. */
  execArgs?: string[];
  /**
   * Argument text as the shell sees it: line continuations joined, comment lines inside them dropped. For `RUN <<EOF`
   * with nothing else on the line, or with only a shell to feed it to (`RUN <<EOF bash`, `RUN sh -e <<EOF`), the
   * heredoc body (that is the script that runs).
   */
  shellText: string;
  /** For `RUN <<EOF bash` and the like: the shell the heredoc script is fed to (`bash`). */
  heredocShell?: string;
  /**
   * 1-based lines inside the instruction's `\` continuation that are empty or only blanks (heredoc bodies aside):
   * shellText leaves them out, as the builder does, which also warns about them. Absent when there are none.
   */
  emptyContinuationLines?: number[];
  heredocs: Heredoc[];
  /** For ONBUILD, the wrapped instruction (same lines). */
  trigger?: Instruction;
}

export interface Stage {
  index: number;
  /** The `AS name`, lower-cased as the builder treats it. */
  name?: string;
  /** FROM's image text as written (may hold `${VAR}`). */
  baseImage: string;
  /** 1-based line of the FROM. */
  line: number;
  /** `--platform` value, when given. */
  platform?: string;
  /** Index of the FROM instruction and of the last instruction of this stage. */
  firstInstruction: number;
  lastInstruction: number;
}

export interface Comment {
  line: number;
  /** Text after `#`, trimmed. */
  text: string;
}

/** A parser directive (`# escape=\``, `# syntax=...`, `# check=...`): a `# key=value` line at the very top of the file. */
export interface ParserDirective {
  /** Lower-cased: the builder reads directive names in any case. */
  name: string;
  /** The rest of the line after `=`, trimmed (spaces inside are kept: `skip=A, B`). */
  value: string;
  line: number;
}

export interface ParsedDockerfile {
  file: string;
  text: string;
  instructions: Instruction[];
  /** In file order; the final stage (the image that is built by default) is the last one. */
  stages: Stage[];
  comments: Comment[];
  /** The parser directives, in file order; a comment of that shape below them is only a comment. */
  directives: ParserDirective[];
  escapeChar: string;
}

const linesOf = new WeakMap<ParsedDockerfile, readonly string[]>();

/**
 * The file's lines (split on '\n'; a CRLF line keeps its '\r'), split once per parsed file. Rules and fixes look up
 * lines of one instruction at a time; splitting the whole text for each of them made linting quadratic in the file's
 * length (20,000 RUNs: minutes). Read-only: every caller shares the array.
 */
export function sourceLines(parsed: ParsedDockerfile): readonly string[] {
  let lines = linesOf.get(parsed);
  if (!lines) {
    lines = parsed.text.split('\n');
    linesOf.set(parsed, lines);
  }
  return lines;
}

/** The most a Dockerfile may weigh: real ones are KBs, and the parser holds the whole text (several times) in memory. */
export const MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024;

/**
 * Refuses what cannot be a Dockerfile before it is opened: a device (/dev/zero never ends, a whole read runs the
 * heap out), a FIFO (open() blocks until a writer comes, if ever, and a blocked open ignores SIGTERM) or a socket,
 * and a file too large to be one. `what` names it in the message; `hint` says how to give it anyway. A missing or
 * unreadable path is left to the read, which says why.
 */
export function checkDockerfileFile(path: string, what: string, hint: string): void {
  let info;
  try {
    info = statSync(path);
  } catch {
    return;
  }
  if (info.isDirectory()) return;
  const kind = specialFileKind(info);
  if (kind) throw new SourceError(`${what} is ${kind}, not a Dockerfile`, { code: 'not-a-file', hint });
  if (info.size > MAX_DOCKERFILE_BYTES) {
    throw new SourceError(`${what} is ${info.size} bytes, too large for a Dockerfile (limit ${MAX_DOCKERFILE_BYTES})`, {
      code: 'dockerfile-too-large',
      hint: 'pass the Dockerfile itself; real ones are a few KB',
    });
  }
}

/** What to do when the Dockerfile --dockerfile names cannot be read. */
const DOCKERFILE_FLAG_HINT =
  'pass --dockerfile (or set BALLAST_DOCKERFILE) to the path of the Dockerfile the image was built from';

/** Reads a Dockerfile named by `--dockerfile` (analyze, explore, ci, bases): a missing file is a usage error. */
export async function readDockerfileText(path: string): Promise<string> {
  checkDockerfileFile(path, `the Dockerfile ${path}`, 'save it to a file and pass that file with --dockerfile');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    // Said in the user's words: "EISDIR: illegal operation on a directory, read" was the system's.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR')
      throw new UsageError(`the Dockerfile ${path} is a directory, not a Dockerfile`, {
        code: 'dockerfile-unreadable',
        hint: existsSync(join(path, 'Dockerfile'))
          ? `did you mean --dockerfile ${join(path, 'Dockerfile')}?`
          : DOCKERFILE_FLAG_HINT,
        cause: error,
      });
    if (code === 'ENOENT')
      throw new UsageError(`the Dockerfile ${path}: no such file`, {
        code: 'dockerfile-unreadable',
        hint: DOCKERFILE_FLAG_HINT,
        cause: error,
      });
    throw new UsageError(`cannot read the Dockerfile ${path}: ${(error as Error).message}`, {
      code: 'dockerfile-unreadable',
      hint: DOCKERFILE_FLAG_HINT,
      cause: error,
    });
  }
  // The text the image's history is matched against: a UTF-16 file read as UTF-8 matched no line, and said only that.
  return dockerfileText(
    bytes,
    `the Dockerfile ${path}`,
    'pass the Dockerfile the image was built from with --dockerfile',
  ).text;
}

// dockerfile-ast splits an instruction's arguments into words (an object and a range each) for every question asked
// of them, and it asks nine while building one RUN (its flags, its JSON form, its heredocs...): a RUN of a million
// words took seconds and a GB of garbage to parse. The words of a stretch of text never change (ballast edits text,
// not the tree), so each stretch of each parsed text is split once, even when dockerfile-ast makes two instructions of
// it (the first to look for heredocs); callers get their own array, as before. A 3 MB RUN: half the time and memory.
interface AstPos {
  line: number;
  character: number;
}
interface AstLine {
  document: object;
  escapeChar: string;
  getRange(): { start: AstPos; end: AstPos };
  getInstructionRange(): { end: AstPos };
}
/** One stretch's words, found by the line it starts on and then by the rest of its place (see getRawArguments). */
interface Stretch {
  character: number;
  endLine: number;
  endCharacter: number;
  keywordLine: number;
  keywordCharacter: number;
  escapeChar: string;
  words: unknown[];
}
const wordsOf = new WeakMap<object, Map<number, Stretch[]>>();
const astProto = AstInstructionClass.prototype as unknown as { getRawArguments?: () => unknown[] };
const splitArguments = astProto.getRawArguments;
if (typeof splitArguments === 'function') {
  astProto.getRawArguments = function (this: AstLine): unknown[] {
    const { start, end } = this.getRange();
    const keyword = this.getInstructionRange().end;
    // Looked up by numbers rather than by a string made of them: building and hashing that string for each of the
    // many calls was half of this function's time, 1.5% of a lint.
    let byLine = wordsOf.get(this.document);
    if (!byLine) wordsOf.set(this.document, (byLine = new Map()));
    let stretches = byLine.get(start.line);
    if (!stretches) byLine.set(start.line, (stretches = []));
    let found = stretches.find(
      (s) =>
        s.character === start.character &&
        s.endLine === end.line &&
        s.endCharacter === end.character &&
        s.keywordLine === keyword.line &&
        s.keywordCharacter === keyword.character &&
        s.escapeChar === this.escapeChar,
    );
    if (!found) {
      found = {
        character: start.character,
        endLine: end.line,
        endCharacter: end.character,
        keywordLine: keyword.line,
        keywordCharacter: keyword.character,
        escapeChar: this.escapeChar,
        words: splitArguments.call(this),
      };
      stretches.push(found);
    }
    return found.words.slice();
  };
}

// dockerfile-ast asks twice per parse whether the text starts with a byte order mark by encoding its first character to
// a Buffer and copying that to a Uint8Array (EF BB BF is U+FEFF's UTF-8, and no other first character's): 1% of a lint,
// most of it in the one-instruction parses that check each fix offered. The same answer, read from the character.
const astUtil = AstUtil as unknown as { isUTF8BOM?: (char: string) => boolean };
if (typeof astUtil.isUTF8BOM === 'function')
  astUtil.isUTF8BOM = (char: string): boolean => char.charCodeAt(0) === 0xfeff;

/** Every instruction the builder knows, as the parser names them (upper case). */
export const INSTRUCTION_KEYWORDS: ReadonlySet<string> = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

/** The parser directives the builder knows; any other `# key=value` at the top is a comment. */
export const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

const EXEC_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'COPY', 'ADD', 'VOLUME']);

/** Parses Dockerfile text. Never throws on odd input: the builder's syntax errors are the lint rules' business. */
export function parseDockerfile(text: string, file: string): ParsedDockerfile {
  // dockerfile-ast does not support a bare CR line ending; normalise those (CRLF stays two-character and is handled).
  const normalised = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const lines = normalised.split(/\r?\n/);
  let ast = DockerfileParser.parse(normalised);
  // The builder knows three directives; an unknown one (`# foo=bar`) is a comment and ends the directives, so a
  // `# escape=` below it is a comment too. dockerfile-ast reads on past it: parsed again with those lines blanked to
  // `#` (same line count), so the escape character is the builder's.
  const found = ast.getDirectives();
  const unknown = found.findIndex((d) => !KNOWN_DIRECTIVES.has(d.getName().toLowerCase()));
  const known = unknown < 0 ? found : found.slice(0, unknown);
  if (unknown >= 0 && found.slice(unknown).some((d) => d.getName().toLowerCase() === 'escape')) {
    const blanked = normalised.split('\n');
    for (const d of found.slice(unknown)) {
      const at = d.getRange().start.line;
      blanked[at] = blanked[at].endsWith('\r') ? '#\r' : '#';
    }
    ast = DockerfileParser.parse(blanked.join('\n'));
  }
  const escapeChar = ast.getEscapeCharacter();
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  let stageIndex = -1;
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword();
    if (keyword === 'FROM') stageIndex += 1;
    const instruction = convertInstruction(node, instructions.length, stageIndex, lines, escapeChar);
    instructions.push(instruction);
    if (keyword === 'FROM') {
      // (its lines joined: in `AS \` + `  build` the escaped line break is a blank to the builder, not a word)
      const words = splitWords(instruction.shellText, escapeChar);
      const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
      stages.push({
        index: stageIndex,
        name: asAt >= 0 && words[asAt + 1] ? words[asAt + 1].toLowerCase() : undefined,
        baseImage: words[0] ?? '',
        line: instruction.line,
        platform: instruction.flags.platform,
        firstInstruction: instruction.index,
        lastInstruction: instruction.index,
      });
    } else if (stageIndex >= 0) {
      stages[stageIndex].lastInstruction = instruction.index;
    }
  }
  // Comments are read from the lines outside instructions: dockerfile-ast reports `# key=value` lines at the top of
  // the file as parser directives, not comments, yet `# hadolint global ignore=...` there is a pragma.
  const inside = new Uint8Array(lines.length + 1);
  for (const instruction of instructions)
    for (let l = instruction.line; l <= instruction.endLine; l += 1) inside[l] = 1;
  const comments: Comment[] = [];
  lines.forEach((text, i) => {
    const trimmed = text.trim();
    if (!inside[i + 1] && trimmed.startsWith('#')) comments.push({ line: i + 1, text: trimmed.slice(1).trim() });
  });
  // The directives are those dockerfile-ast found for the escape character (the builder's placement rules: only lines
  // of `# key=value` before any blank line, other comment, unknown directive or instruction), so `# check=` and `# escape=` can never
  // disagree about where the top of the file ends. Its value stops at the first space; the builder's runs to the end
  // of the line, so the value is read from the line.
  const directives: ParserDirective[] = known.map((d) => {
    const line = d.getRange().start.line;
    const text = lines[line] ?? '';
    const value = /^[^=]*=(.*)$/.exec(text)?.[1].trim() ?? d.getValue();
    return { name: d.getName().toLowerCase(), value, line: line + 1 };
  });
  return { file, text, instructions, stages, comments, directives, escapeChar };
}

/**
 * The heredoc markers of a command line (`<<EOF`, `<<-"EOF"`, `<<\EOF`: the builder takes a backslash-quoted delimiter
 * as it takes a quoted one): removed, what is left is the command fed the heredoc.
 */
export const HEREDOC_MARKERS = /<<-?\s*(?:\\|["'])?[A-Za-z0-9_]+["']?/g;
// `bash`, `/bin/sh -e`, `sh -eux`, `bash -o pipefail`: a POSIX shell with options only (no -c, no script file), so it
// runs what it reads on stdin. Also through env, which passes its stdin on (`env -i bash`, `/usr/bin/env FOO=1 sh`,
// `env -u HOME -C /src bash`): env's options that take a value and its assignments, not -S (which splits a string).
const ENV_PREFIX = String.raw`(?:(?:\/(?:usr\/)?bin\/)?env(?:\s+(?:-[i0v]+|--ignore-environment|--null|-[uC]\s*[^\s-]\S*|--(?:unset|chdir)=\S+|[A-Za-z_]\w*=\S*))*(?:\s+--)?\s+)?`;
const HEREDOC_SHELL = new RegExp(
  String.raw`^${ENV_PREFIX}(?:\/(?:usr\/)?bin\/)?(sh|bash|dash|ash|ksh|zsh)(?:(?:\s+[-+][abd-zA-Z]+|\s+[-+]o\s+[a-z]+)*)$`,
);

function convertInstruction(
  node: AstInstruction,
  index: number,
  stageIndex: number,
  lines: string[],
  escapeChar: string,
  nested = false,
): Instruction {
  const keyword = node.getKeyword();
  const range = node.getRange();
  // Arguments and flags are read from the instruction's text directly: dockerfile-ast re-tokenizes the instruction on
  // every getArguments()/getFlags() call, which dominated linting time for many files.
  const keywordEnd = node.getInstructionRange().end;
  const after = sliceLines(lines, keywordEnd.line, keywordEnd.character, range.end.line, range.end.character);
  // The builder reads leading `--name` words as flags on every instruction, even those that take none (and then refuse
  // them, DF100's error), so `WORKDIR --foo /x` has the argument `/x`.
  const { flagList, rest } = readFlags(after, escapeChar);
  const args = rest.replace(/^\s+/, '').replace(/\s+$/, '');
  const flags: Record<string, string> = {};
  for (const flag of flagList) flags[flag.name] = flag.value;
  const heredocs = args.includes('<<') ? readHeredocs(node, lines) : [];
  let form: 'exec' | 'shell' = 'shell';
  let execArgs: string[] | undefined;
  if (EXEC_KEYWORDS.has(keyword)) {
    execArgs = parseExecForm(keyword === 'HEALTHCHECK' ? args.replace(/^\s*CMD\s+/i, '') : args);
    if (execArgs) form = 'exec';
  }
  let shellText = joinContinuations(args, escapeChar);
  let heredocShell: string | undefined;
  if (heredocs.length > 0) {
    // The command is the first line; with nothing but `<<EOF` on it, or only a shell and its options (which then read
    // the script from the heredoc on stdin), the heredoc body is the script itself.
    const firstLine = joinContinuations(args.split('\n')[0], escapeChar);
    const command = firstLine.replace(HEREDOC_MARKERS, '').trim();
    const shell = HEREDOC_SHELL.exec(command);
    shellText = command === '' || shell ? heredocs[0].body : firstLine;
    if (shell) heredocShell = shell[1];
  }
  const instruction: Instruction = {
    index,
    keyword,
    keywordText: node.getInstruction(),
    args,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    column: range.start.character + 1,
    endColumn: range.end.character + 1,
    stageIndex,
    flags,
    flagList,
    form,
    execArgs,
    shellText,
    heredocs,
    ...(heredocShell ? { heredocShell } : {}),
  };
  if (range.end.line > range.start.line) {
    // The continuation ends where the first heredoc body starts: an empty line in a body is the script's.
    // (nor is the nothing after the file's final newline: dockerfile-ast counts it as a line of a dangling `\`)
    let last = heredocs.length > 0 ? Math.min(range.end.line, heredocs[0].line - 2) : range.end.line;
    if (last === lines.length - 1 && lines[last] === '') last -= 1;
    const empty: number[] = [];
    for (let l = range.start.line + 1; l <= last; l += 1) if ((lines[l] ?? '').trim() === '') empty.push(l + 1);
    if (empty.length > 0) instruction.emptyContinuationLines = empty;
  }
  // Only one level: `ONBUILD ONBUILD` is invalid (DF220 reads the trigger's keyword), and each level re-parses the rest
  // of the line, so following a chain of thousands ran out of stack and memory.
  if (keyword === 'ONBUILD' && !nested) {
    const trigger = (
      node as unknown as { getTriggerInstruction?: () => AstInstruction | null }
    ).getTriggerInstruction?.();
    if (trigger) instruction.trigger = convertInstruction(trigger, index, stageIndex, lines, escapeChar, true);
  }
  return instruction;
}

/** Text between two positions (0-based line/character), lines joined with '\n'. */
function sliceLines(lines: string[], startLine: number, startChar: number, endLine: number, endChar: number): string {
  if (startLine === endLine) return (lines[startLine] ?? '').slice(startChar, endChar);
  const parts = [(lines[startLine] ?? '').slice(startChar)];
  for (let l = startLine + 1; l < endLine; l += 1) parts.push(lines[l] ?? '');
  parts.push((lines[endLine] ?? '').slice(0, endChar));
  return parts.join('\n');
}

/**
 * Reads leading `--name[=value]` flags (values may be quoted; escaped newlines and comment lines between flags are
 * skipped, as the builder does) and returns them with the text that follows. A lone `--` ends the flags and is dropped,
 * as the builder drops it: `COPY -- a /b` has one source, `CMD -- --c x` runs `--c x`.
 */
function readFlags(text: string, escapeChar: string): { flagList: InstructionFlag[]; rest: string } {
  const flagList: InstructionFlag[] = [];
  let i = 0;
  const n = text.length;
  let ended = false;
  for (;;) {
    // Skip blanks, escaped newlines and whole comment lines inside the continuation.
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i += 1;
      if (text[i] === escapeChar && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
        i += text[i + 1] === '\n' ? 2 : 3;
        continue;
      }
      if (text[i] === '\n') {
        const lineEnd = text.indexOf('\n', i + 1);
        const line = text.slice(i + 1, lineEnd < 0 ? n : lineEnd);
        if (/^\s*#/.test(line)) {
          i = lineEnd < 0 ? n : lineEnd;
          continue;
        }
        i += 1;
        continue;
      }
      break;
    }
    // After a lone `--` the blanks that follow it are skipped too: `rest` stays the tail of the source text, which
    // ShellCheck's columns are mapped by.
    if (ended || !text.startsWith('--', i)) break;
    let j = i + 2;
    let word = '';
    while (j < n && !/\s/.test(text[j])) {
      const ch = text[j];
      if (ch === '"' || ch === "'") {
        const close = text.indexOf(ch, j + 1);
        const end = close < 0 ? n : close;
        word += text.slice(j + 1, end);
        j = end + 1;
        continue;
      }
      if (ch === escapeChar && text[j + 1] === '\n') break;
      word += ch;
      j += 1;
    }
    if (word === '') {
      ended = true;
      i = j;
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? '' : word.slice(eq + 1);
    const options: Record<string, string> = {};
    if (value.includes('=')) {
      for (const part of value.split(',')) {
        const at = part.indexOf('=');
        if (part !== '') options[at < 0 ? part : part.slice(0, at)] = at < 0 ? '' : part.slice(at + 1);
      }
    }
    flagList.push({ name, value, options });
    i = j;
  }
  return { flagList, rest: text.slice(i) };
}

function readHeredocs(node: AstInstruction, lines: string[]): Heredoc[] {
  const withHeredocs = node as unknown as { getHeredocs?: () => import('dockerfile-ast').Heredoc[] };
  if (typeof withHeredocs.getHeredocs !== 'function') return [];
  const heredocs = withHeredocs.getHeredocs.call(node);
  return heredocs.map((heredoc) => {
    const content = heredoc.getContentRange();
    // dockerfile-ast gives no delimiter range when the file ends before a line closes the heredoc.
    const terminated = heredoc.getDelimiterRange() !== null;
    if (!content) return { name: heredoc.getName(), body: '', line: heredoc.getNameRange().start.line + 2, terminated };
    const body = lines.slice(content.start.line, content.end.line + 1).join('\n');
    return { name: heredoc.getName(), body, line: content.start.line + 1, terminated };
  });
}

/** `["a", "b"]` gives ['a', 'b']; anything that is not a JSON array of strings is shell form. */
export function parseExecForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed.replace(/\\\r?\n/g, ''));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // not JSON: the builder runs it through the shell
  }
  return undefined;
}

/**
 * Joins `\`-continued lines the way the builder does: the escape character and newline go, and comment lines
 * (first non-blank character `#`) inside the continuation are dropped, as are empty continuation lines (which the
 * builder warns about: Instruction.emptyContinuationLines lists them).
 */
export function joinContinuations(args: string, escapeChar = '\\'): string {
  if (!args.includes('\n')) return stripTrailingEscape(args, escapeChar).text;
  let out = '';
  const physical = args.split(/\r?\n/);
  for (let i = 0; i < physical.length; i += 1) {
    const line = physical[i];
    if (i > 0 && (/^\s*#/.test(line) || line.trim() === '')) continue;
    const { text, continued } = stripTrailingEscape(line, escapeChar);
    out += continued || i === physical.length - 1 ? text : `${text}\n`;
  }
  return out.trim();
}

/** A line without its continuation (the escape character at its end, blanks and a CRLF's `\r` after it) if it has one. */
export function stripTrailingEscape(line: string, escapeChar: string): { text: string; continued: boolean } {
  const trimmed = line.replace(/\s+$/, '');
  return trimmed.endsWith(escapeChar)
    ? { text: trimmed.slice(0, -1), continued: true }
    : { text: line, continued: false };
}

/**
 * Whitespace split that keeps quoted and escaped parts together and removes their quotes, as the builder reads FROM,
 * COPY and EXPOSE words: `A="b c"` is one word, `A=b c`, and `TAG="12"` gives 12, not `"12"`. Variables are
 * left for `substitute`; see `unquote` for the dollars it must not expand. (ARG and ENV values go through words.ts
 * `expandWord`, which removes quotes as it expands.)
 */
export function splitWords(text: string, escapeChar = '\\'): string[] {
  return splitRawWords(text, escapeChar).map((word) => unquote(word, escapeChar));
}

/**
 * A word without its quotes, by the builder's word rules (see words.ts `expandWord`): `"a b"` and `'a b'` are `a b`,
 * `A="1"` is `A=1`, `"say \"hi\""` is `say "hi"`, `\"` and `\'` outside quotes are a quote character, `"a\b"` keeps
 * its `\` (an unclosed quote runs to the end); other escapes are kept as written. Variables are not expanded here but
 * by a later `substitute`, so a dollar the builder takes literally (escaped, `\$HOME`, or single-quoted, `'$HOME'`)
 * comes out as `\$`, which `substitute` leaves alone.
 */
export function unquote(word: string, escapeChar = '\\'): string {
  if (!word.includes('"') && !word.includes("'") && !word.includes(escapeChar)) return word;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < word.length; i += 1) {
    const ch = word[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch === '$' ? '\\$' : ch;
      continue;
    }
    if (ch === escapeChar) {
      const next = word[i + 1];
      if (next === undefined) {
        out += ch;
        continue;
      }
      i += 1;
      if (next === '$') out += '\\$';
      else if (next === '"' || (next === "'" && quote === undefined) || (quote === '"' && next === escapeChar))
        out += next;
      // Kept as written (outside quotes too, where the builder drops the escape): Windows paths written with the
      // default escape, `C:\app`, are read as hadolint reads them, not as `C:app`.
      else out += ch + next;
      continue;
    }
    if (ch === '"' || (ch === "'" && quote === undefined)) quote = quote === ch ? undefined : ch;
    else out += ch;
  }
  return out;
}

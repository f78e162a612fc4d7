// Stage facts the rules share: which stages reach the final image (directly, as a FROM base, or through COPY --from /
// RUN --mount from=), which stage a FROM builds on, and the ARG/ENV values in effect at each instruction.
import type { Instruction, ParsedDockerfile } from './parse.js';
import { splitWords, unquote } from './parse.js';
import type { BinSh } from './shell.js';
import { mountsOf } from './mount.js';
import { expandWord, matchBraces, readWordUntil, splitRawWords, type WordReading } from './words.js';

export type Variables = Readonly<Record<string, string | undefined>>;

export interface StageModel {
  /** For each stage: the index of the earlier stage its FROM builds on, if any. */
  baseStage: (number | undefined)[];
  /** For each stage: whether its content ends up in the final image. */
  reachesFinal: boolean[];
  /** For each stage: whether a later stage uses it (FROM it, COPY --from, RUN --mount from=). */
  usedLater: boolean[];
  /**
   * For each stage: which of its files end up in the final image. `'all'` for the final stage, the stages it is built
   * FROM and stages copied whole (`COPY --from=x / /`); otherwise the absolute source paths that shipping stages
   * `COPY --from` it (`[]`: nothing ships, e.g. a stage only bind-mounted with `RUN --mount=from=` or not used at all).
   */
  shipped: ('all' | string[])[];
  /** By instruction index: whether RUN's shell is a POSIX shell (false after `SHELL ["powershell"...]` or on Windows bases). */
  posixShell: boolean[];
  /**
   * For each stage: which shell its `/bin/sh` is (binShOf): BusyBox ash on an image whose name says alpine
   * (`alpine:3.20`, `php:8.3-fpm-alpine3.19`, global ARGs read) or busybox, bash on Fedora, Red Hat's and its
   * rebuilds' and Amazon Linux's, dash elsewhere; a stage built FROM an earlier stage has that one's. The default SHELL
   * (and `sh -c`) then reads scripts as that shell does (see dialectOf).
   */
  binSh: BinSh[];
  /** By instruction index: the program of the SHELL in effect (`/bin/bash`), undefined for the default `/bin/sh -c`. */
  shellAt: (string | undefined)[];
  /**
   * By instruction index: the whole SHELL in effect (`["/bin/bash", "-eo", "pipefail", "-c"]`), whose options hold for
   * every shell-form RUN it runs; undefined for the default `/bin/sh -c`.
   */
  shellArgsAt: (readonly string[] | undefined)[];
  /** Variables visible to each instruction (before it runs), by instruction index. */
  variablesAt: Variables[];
  /**
   * Whether instructions other than ARG come before the first FROM. They form the implicit stage (stage index -1), linted
   * as a stage that reaches the final image, as hadolint lints snippets and partial files.
   */
  implicitStage: boolean;
  /** Global ARGs (before the first FROM) with their defaults. */
  globalArgs: Variables;
  /** Look up a stage by `--from` value: a name or a numeric index. */
  stageByRef(ref: string, beforeStage?: number): number | undefined;
  /**
   * Look up a stage by a FROM's image: by name only. Both builders read `FROM 0` as an image called `0` (the classic
   * builder's stage lookup for FROM is by name; buildah refuses the short name); a number names a stage only in
   * `COPY --from` and `RUN --mount from=`. hadolint's aliases are names too.
   */
  stageByName(name: string, beforeStage?: number): number | undefined;
}

/** Images whose `/bin/sh` is BusyBox ash (see StageModel.binSh): Alpine's, and the busybox image's. */
export const BUSYBOX_SH_IMAGE = /alpine|(^|\/)busybox([:@]|$)/i;
/**
 * Images whose `/bin/sh` is bash (see StageModel.binSh), by a path component of their repository: Fedora's, Red Hat's
 * (`ubi9`, `ubi8/python-39`, `ubi9-minimal`, `rhel8/rhel`), CentOS's, Rocky's, Alma's, Oracle Linux's and Amazon
 * Linux's, where `/bin/sh` is the bash package's link to bash (not checked in an image here: no such image is at hand).
 */
export const BASH_SH_IMAGE =
  /(?:^|\/)(?:fedora(?:-minimal)?|centos|rockylinux|almalinux|oraclelinux|amazonlinux|rhel\d*|ubi\d*(?:-minimal|-init)?)(?:[/:@]|$)/i;

/** The shell an image's `/bin/sh` is, as its name says (see StageModel.binSh). */
export function binShOf(image: string): BinSh {
  if (BUSYBOX_SH_IMAGE.test(image)) return 'ash';
  return BASH_SH_IMAGE.test(image) ? 'bash' : 'dash';
}

/**
 * The shell the `/bin/sh` of stage `stage` is (StageModel.binSh), dash for the implicit stage before any FROM (index
 * -1), which has no image to tell: what every reader of a RUN's script asks of the model.
 */
export function binShAt(stages: Pick<StageModel, 'binSh'>, stage: number): BinSh {
  return stages.binSh[stage] ?? 'dash';
}

/**
 * The stage a chain of `FROM <earlier stage>` links starts from: the one whose FROM names an image. A FROM only ever
 * names an earlier stage, so the walk ends.
 */
export function rootStage(model: Pick<StageModel, 'baseStage'>, stage: number): number {
  let root = stage;
  for (let base = model.baseStage[root]; base !== undefined; base = model.baseStage[root]) root = base;
  return root;
}

/**
 * The instructions before `instruction` in its stage and in the stages that stage is built FROM (a FROM naming an
 * earlier stage; COPY --from does not count), FROM lines included, down to the stage whose FROM names an image: what
 * may already be in the filesystem it runs on. The implicit stage before any FROM counts as a stage. Newest first walks
 * back from `instruction` (the last USER before it, the RUN that removed a file); oldest first is build order (what
 * the build made up to there). A FROM only ever names an earlier stage, never its own (`FROM node AS node` builds on
 * the image node), so the walk ends.
 */
export function* earlierInChain(
  ctx: { parsed: Pick<ParsedDockerfile, 'instructions'>; stages: Pick<StageModel, 'baseStage'> },
  instruction: Instruction,
  order: 'newest-first' | 'oldest-first',
): Generator<Instruction, void, undefined> {
  const { instructions } = ctx.parsed;
  if (order === 'oldest-first') {
    const chain = new Set<number>();
    for (let s: number | undefined = instruction.stageIndex; s !== undefined; s = ctx.stages.baseStage[s]) chain.add(s);
    for (let i = 0; i < instruction.index; i += 1) if (chain.has(instructions[i].stageIndex)) yield instructions[i];
    return;
  }
  // A stage's instructions follow one another in the file: once the walk back passes the stage's FROM, it goes on in
  // the stage that one is built on, which is earlier in the file.
  let stage: number | undefined = instruction.stageIndex;
  for (let i = instruction.index - 1; i >= 0; i -= 1) {
    const earlier = instructions[i];
    while (stage !== undefined && earlier.stageIndex < stage) stage = ctx.stages.baseStage[stage];
    if (stage === undefined) return;
    if (earlier.stageIndex === stage) yield earlier;
  }
}

/**
 * Builds the stage model in one pass over the instructions. `platformArgs` are the values BuildKit gives the automatic
 * platform arguments (TARGETARCH, BUILDPLATFORM...) for the build in question: with them, a FROM naming an earlier
 * stage through one (`FROM build-$TARGETARCH`) links to it; a global ARG's own default still wins. Without them
 * (linting, which builds for no platform in particular) such a FROM names no stage.
 */
export function analyzeStages(parsed: ParsedDockerfile, platformArgs: Variables = {}): StageModel {
  const { stages, instructions } = parsed;
  const escapeChar = parsed.escapeChar ?? '\\';
  const byName = new Map<string, number>();
  const stageByName = (name: string, beforeStage = stages.length): number | undefined => {
    const named = byName.get(name.toLowerCase());
    return named !== undefined && named < beforeStage ? named : undefined;
  };
  const stageByRef = (ref: string, beforeStage = stages.length): number | undefined => {
    const named = stageByName(ref, beforeStage);
    if (named !== undefined) return named;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n < beforeStage && n < stages.length) return n;
    }
    return undefined;
  };
  const baseStage: (number | undefined)[] = [];
  const uses: number[][] = stages.map(() => []);
  // What each later stage takes from an earlier one: its whole filesystem (FROM, COPY of `/`) or some paths.
  const takes: { from: number; paths: string[] | 'all' }[][] = stages.map(() => []);
  const posixShell: boolean[] = [];
  const binSh: BinSh[] = [];
  const stagePosix: boolean[] = [];
  let posix = true;
  const shellArgsAt: (readonly string[] | undefined)[] = [];
  const stageShell: (readonly string[] | undefined)[] = [];
  let shell: readonly string[] | undefined;
  const globalArgs: Record<string, string | undefined> = {};
  const variablesAt: Variables[] = [];
  // Each stage's ARG/ENV history is one branch of assignments, versioned; an instruction sees a (branch, version) view of
  // it. Copying every name at each ARG/ENV (and keeping a copy per instruction) made 5,000 ARGs hold 12.5 million
  // entries (30 s, 720 MB).
  const stageBranch: ScopeBranch[] = [];
  let branch = new ScopeBranch(undefined);
  let current = branch.view();
  let stage = -1;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      stage = instruction.stageIndex;
      const image = substitute(stages[stage].baseImage, withPlatformArgs(globalArgs, platformArgs));
      const base = stageByName(image, stage);
      baseStage[stage] = base;
      binSh[stage] = base !== undefined ? binSh[base] : binShOf(image);
      if (base !== undefined) {
        uses[stage].push(base);
        takes[stage].push({ from: base, paths: 'all' });
      }
      // Windows images run RUN with cmd.exe unless SHELL says otherwise; a stage built on another keeps its shell.
      posix = base !== undefined ? stagePosix[base] : !isWindowsImage(image);
      stagePosix[stage] = posix;
      posixShell.push(posix);
      shell = base !== undefined ? stageShell[base] : undefined;
      stageShell[stage] = shell;
      shellArgsAt.push(shell);
      // ENV (and stage ARGs) carry into a stage built FROM an earlier stage; global ARGs do not until redeclared.
      branch = new ScopeBranch(base !== undefined ? stageBranch[base].view() : undefined);
      current = branch.view();
      if (stages[stage].name) byName.set(stages[stage].name!, stage);
      variablesAt.push(current);
      stageBranch[stage] = branch;
      continue;
    }
    variablesAt.push(current);
    if (instruction.keyword === 'SHELL') {
      const program = (instruction.execArgs?.[0] ?? '').split(/[\\/]/).pop() ?? '';
      posix = !NON_POSIX_SHELL.test(program);
      shell = instruction.execArgs;
      if (stage >= 0) {
        stagePosix[stage] = posix;
        stageShell[stage] = shell;
      }
    }
    posixShell.push(posix);
    shellArgsAt.push(shell);
    if (stage < 0) {
      // Before the first FROM: ARGs are global; everything else (a snippet, an ONBUILD template, a file with no FROM) is
      // the implicit stage, whose ARG/ENV values its own later instructions see.
      if (instruction.keyword === 'ARG')
        for (const [name, value] of readAssignments(instruction, globalArgs, true, escapeChar))
          globalArgs[name] = value;
      if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
        branch.assign(readAssignments(instruction, current, instruction.keyword === 'ARG', escapeChar));
        current = branch.view();
      }
      continue;
    }
    if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
      const values = readAssignments(instruction, current, instruction.keyword === 'ARG', escapeChar);
      if (instruction.keyword === 'ARG') {
        // `ARG NAME` without a default inside a stage takes the global default.
        for (const [name, value] of values)
          if (value === undefined && name in globalArgs) values.set(name, globalArgs[name]);
      }
      branch.assign(values);
      current = branch.view();
    }
    const from = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? instruction.flags.from : undefined;
    if (from !== undefined) {
      const used = stageByRef(substitute(from, current), stage);
      if (used !== undefined) {
        uses[stage].push(used);
        takes[stage].push({ from: used, paths: copiedPaths(instruction, current) });
      }
    }
    for (const mount of mountsOf(instruction)) {
      if (mount.from) {
        const used = stageByRef(substitute(mount.from, current), stage);
        if (used !== undefined) {
          uses[stage].push(used);
          // A bind mount copies nothing into the layer; what the script copies out of it comes from `source`, when given.
          const { source } = mount;
          takes[stage].push({ from: used, paths: source ? [rooted(substitute(source, current))] : [] });
        }
      }
    }
  }
  const reachesFinal = stages.map(() => false);
  const usedLater = stages.map(() => false);
  for (const list of uses) for (const used of list) usedLater[used] = true;
  // A worklist, not recursion: a chain of 20,000 stages each FROM the one before overflowed the call stack.
  const pending = stages.length > 0 ? [stages.length - 1] : [];
  while (pending.length > 0) {
    const index = pending.pop()!;
    if (reachesFinal[index]) continue;
    reachesFinal[index] = true;
    // One by one, not push(...): a stage of 200,000 `COPY --from` lines is more arguments than a call takes.
    for (const used of uses[index]) pending.push(used);
  }
  // Later stages only take from earlier ones, so walking backwards from the final stage settles each stage before it is
  // propagated to the stages it takes from.
  const shipped: ('all' | string[])[] = stages.map(() => []);
  if (stages.length > 0) shipped[stages.length - 1] = 'all';
  for (let index = stages.length - 1; index >= 0; index -= 1) {
    const mine = shipped[index];
    if (mine !== 'all' && mine.length === 0) continue;
    for (const take of takes[index]) {
      const theirs = shipped[take.from];
      if (theirs === 'all') continue;
      // Taking everything gives the source stage this stage's fate; taking some paths ships just those. Appended in
      // place: a copy per take made 40,000 `COPY --from` lines take 5 s, 200,000 minutes.
      if (take.paths === 'all' && mine === 'all') shipped[take.from] = 'all';
      else for (const path of take.paths === 'all' ? (mine as string[]) : take.paths) theirs.push(path);
    }
  }
  const implicitStage = instructions.some((i) => i.stageIndex < 0 && i.keyword !== 'ARG');
  return {
    baseStage,
    reachesFinal,
    usedLater,
    shipped,
    posixShell,
    binSh,
    shellAt: shellArgsAt.map((args) => args?.[0]),
    shellArgsAt,
    variablesAt,
    implicitStage,
    globalArgs,
    stageByRef,
    stageByName,
  };
}

/** Whether the builder takes `name` as a stage name (BuildKit lower-cases it, then checks it against this pattern). */
export function isStageName(name: string): boolean {
  return /^[a-z][a-z0-9\-_.]*$/.test(name.toLowerCase());
}

const WINDOWS_IMAGE =
  /(^|[/:.-])(windows|windowsservercore|servercore|nanoserver)([/:.-]|$)|^mcr\.microsoft\.com\/windows/i;

/** Whether an image reference names a Windows image (servercore, nanoserver, mcr.microsoft.com/windows/...). */
export function isWindowsImage(image: string): boolean {
  return WINDOWS_IMAGE.test(image);
}
const NON_POSIX_SHELL = /^(pwsh|powershell|cmd)(\.exe)?$/i;

/** `COPY --from` sources as absolute paths in the source stage (paths there are relative to its root); `'all'` for `/`. */
function copiedPaths(instruction: Instruction, vars: Variables): string[] | 'all' {
  const words = instruction.execArgs ?? splitWords(instruction.shellText);
  const sources = words.slice(0, -1).map((w) => rooted(substitute(w, vars)));
  // An unresolved variable could name anything: count it as the whole stage.
  if (sources.some((p) => p === '/' || p.includes('$'))) return 'all';
  return sources;
}

function rooted(path: string): string {
  const clean = path.replace(/^\.\/?/, '').replace(/\/\.$/, '');
  return clean.startsWith('/') ? clean.replace(/\/+$/, '') || '/' : `/${clean}`.replace(/\/+$/, '') || '/';
}

function readAssignments(
  instruction: Instruction,
  scope: Variables,
  isArg: boolean,
  escapeChar: string,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const text = instruction.shellText;
  const words = splitRawWords(text, escapeChar);
  if (!isArg && words.length >= 2 && !words[0].includes('=')) {
    // Legacy `ENV NAME value with spaces`: the rest of the line is one word, spaces kept.
    const name = words[0];
    out.set(unquote(name), expandValue(text.slice(text.indexOf(name) + name.length).trim(), scope, escapeChar));
    return out;
  }
  // Each value sees the ones before it in the same instruction: this instruction's names over the scope, not a copy of
  // the scope (an ENV of thousands of pairs copied thousands of names for each).
  const seen: Variables = new Proxy(Object.create(null) as Variables, {
    get: (_, name) => (typeof name !== 'string' ? undefined : out.has(name) ? out.get(name) : scope[name]),
    has: (_, name) => typeof name === 'string' && (out.has(name) || name in scope),
  });
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = unquote(eq < 0 ? word : word.slice(0, eq));
    out.set(name, eq < 0 ? undefined : expandValue(word.slice(eq + 1), seen, escapeChar));
  }
  return out;
}

/** A raw ARG/ENV value as the builder stores it (quotes and escapes removed, variables expanded), cut like `substitute`. */
export function expandValue(raw: string, vars: Variables, escapeChar = '\\'): string {
  const lookup = (reference: string): string => substitute(reference, vars, escapeChar);
  const value = expandWord(raw, lookup, escapeChar, MAX_SUBSTITUTED_LENGTH);
  return value.length > MAX_SUBSTITUTED_LENGTH ? value.slice(0, MAX_SUBSTITUTED_LENGTH) + TRUNCATED_MARKER : value;
}

/** The target of a scope's view: which branch, at which version. */
interface ScopeAt {
  branch: ScopeBranch;
  version: number;
}

/** One handler for all views (a closure set per view cost more than the scope it shows). */
const SCOPE_VIEW: ProxyHandler<ScopeAt> = {
  get: (at, name) => (typeof name === 'string' ? at.branch.lookup(name, at.version)?.value : undefined),
  has: (at, name) => typeof name === 'string' && at.branch.lookup(name, at.version) !== undefined,
  ownKeys: (at) => at.branch.names(at.version),
  getOwnPropertyDescriptor: (at, name) => {
    const found = typeof name === 'string' ? at.branch.lookup(name, at.version) : undefined;
    return found && { value: found.value, enumerable: true, configurable: true, writable: false };
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/** What a lookup of a name in a branch gives: its value, or that the name is not set there. */
type Lookup = { value: string | undefined } | undefined;

/**
 * The ARG/ENV assignments of one stage, in order, over the scope its stage starts from (the final scope of the stage
 * it is built FROM). A scope is a (branch, version) pair: the assignments up to that version, so instructions share one
 * history instead of each holding a copy of every name. Lookups binary-search a name's own history, then ask the parent
 * scope (cached: that scope never changes).
 */
class ScopeBranch {
  private readonly history = new Map<string, { versions: number[]; values: (string | undefined)[] }>();
  private readonly inherited = new Map<string, Lookup>();
  private version = 0;
  private latest: Variables | undefined;

  constructor(private readonly parent: Variables | undefined) {}

  assign(values: Map<string, string | undefined>): void {
    for (const [name, value] of values) {
      this.version += 1;
      let entry = this.history.get(name);
      if (!entry) this.history.set(name, (entry = { versions: [], values: [] }));
      entry.versions.push(this.version);
      entry.values.push(value);
    }
    if (values.size > 0) this.latest = undefined;
  }

  /** The scope as it is now, as a read-only record (names in it, values by name, `Object.keys` lists them lazily). */
  view(): Variables {
    if (!this.latest) {
      const at: ScopeAt = Object.assign(Object.create(null) as object, { branch: this, version: this.version });
      this.latest = new Proxy(at, SCOPE_VIEW) as unknown as Variables;
    }
    return this.latest;
  }

  lookup(name: string, version: number): Lookup {
    const entry = this.history.get(name);
    if (entry && entry.versions[0] <= version) {
      // The last assignment at or before `version`.
      let low = 0;
      let high = entry.versions.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (entry.versions[mid] <= version) low = mid;
        else high = mid - 1;
      }
      return { value: entry.values[low] };
    }
    if (!this.parent) return undefined;
    if (!this.inherited.has(name))
      this.inherited.set(name, name in this.parent ? { value: this.parent[name] } : undefined);
    return this.inherited.get(name);
  }

  names(version: number): string[] {
    const names = this.parent ? Object.keys(this.parent) : [];
    const known = new Set(names);
    for (const [name, entry] of this.history) if (entry.versions[0] <= version && !known.has(name)) names.push(name);
    return names;
  }
}

/**
 * The longest text a substitution gives. `ARG A1=${A0}${A0}`, `ARG A2=${A1}${A1}`... doubles a value with each line:
 * 60 lines ask for 10 * 2^60 characters, which crashed lint out of memory. No real value comes near this.
 */
export const MAX_SUBSTITUTED_LENGTH = 64 * 1024;

/**
 * What ends a substitution cut at MAX_SUBSTITUTED_LENGTH. It reads as a variable ballast cannot resolve, so rules treat
 * the cut value as they treat any unresolved one (unknown, never a certain path or word) instead of trusting a prefix.
 */
export const TRUNCATED_MARKER = '${BALLAST_TRUNCATED}';

/** `globals` with the automatic platform arguments filled in where a global ARG gives no value of its own. */
export function withPlatformArgs(globals: Variables, platformArgs: Variables): Variables {
  const vars: Record<string, string | undefined> = { ...globals };
  for (const [name, value] of Object.entries(platformArgs)) if (vars[name] === undefined) vars[name] = value;
  return vars;
}

/**
 * Replaces `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?message}` and
 * `${VAR?message}` with values from `vars`, as BuildKit does: the word is expanded too (`${A:-$B/x}`) and may hold
 * references with braces of their own (`${A:-${B}}`). Unknown variables stay as written (so rules can tell
 * "unresolved" from "empty"), and so does `${VAR?message}` when VAR is unset (the build would stop there). `\$` is a
 * literal `$` (in RUN text for the shell, in a word from `unquote` for the builder), kept as written, so never expanded;
 * `\\$` is an escaped backslash before a `$` that is expanded (an even run of escapes escapes no `$`).
 *
 * With `escapeChar`, `text` is a reference in an ARG/ENV word (`expandValue`), read as the builder reads it: in a
 * `${VAR:-word}` word that character makes the next one literal and is dropped (`${A:-\$B}` is `$B`; `\\$B` is a
 * backslash and B's value), and its quotes are removed by the same word rules (`${A:-"x y"}` is `x y`, `${A:-'$B'}` is
 * `$B`). Without it (RUN text, left to the shell) escapes and quotes stay as written.
 */
export function substitute(text: string, vars: Variables, escapeChar?: string): string {
  if (!text.includes('$')) return text;
  const closes = text.includes('${') ? matchBraces(text, escapeChar, escapeChar === undefined) : undefined;
  // The length is tracked while replacing: many references to one long value must not build the long string first
  // and cut it after.
  const out = { text: '', cut: false };
  expandRange(text, 0, text.length, vars, closes, 0, out, escapeChar);
  return out.cut ? out.text.slice(0, MAX_SUBSTITUTED_LENGTH) + TRUNCATED_MARKER : out.text;
}

/** References nested deeper than this inside a `${VAR:-word}` word stay as written (a hostile file could nest 10,000). */
const MAX_NESTING = 16;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Appends `text[from, to)` with its references replaced to `out`, stopping once `out` passes MAX_SUBSTITUTED_LENGTH.
 * With `escape` (see `substitute`), the text of a default word (depth > 0) loses its quotes and escapes, and a
 * reference in it that stays unresolved is kept as written.
 */
function expandRange(
  text: string,
  from: number,
  to: number,
  vars: Variables,
  closes: Int32Array | undefined,
  depth: number,
  out: { text: string; cut: boolean },
  escape?: string,
): void {
  let literal = from;
  const append = (piece: string): void => {
    if (out.cut) return;
    out.text += piece;
    if (out.text.length > MAX_SUBSTITUTED_LENGTH) out.cut = true;
  };
  const unescapes = escape !== undefined && depth > 0;
  // A default word read by the builder's word rules (BuildKit's processStopOn, as `expandWord` reads a whole value),
  // up to each `$` as the walk goes, so a `$` is known to be in single quotes, or escaped (the reading then went past
  // it), when it is reached.
  const reading: WordReading = { at: from, quote: undefined };
  const readWord = (end: number): void => {
    reading.at = literal;
    append(readWordUntil(text, reading, end, to, escape!));
    literal = reading.at;
  };
  const appendLiteral = (end: number): void => (unescapes ? readWord(end) : append(text.slice(literal, end)));
  for (let i = text.indexOf('$', from); i >= 0 && i < to && !out.cut; i = text.indexOf('$', i + 1)) {
    if (unescapes) {
      readWord(i);
      if (literal > i || reading.quote === "'") continue;
    } else if (escapedAt(text, i, from, escape ?? '\\')) continue;
    // (RUN text is read by the shell, whose escape is always a backslash: `\\$A` is a backslash and A's value.)
    const braced = text[i + 1] === '{';
    NAME.lastIndex = braced ? i + 2 : i + 1;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) continue;
    const nameEnd = NAME.lastIndex;
    const value = vars[name];
    const known = value !== undefined && name in vars;
    if (!braced) {
      if (!known) continue;
      appendLiteral(i);
      append(value);
      literal = nameEnd;
      i = nameEnd - 1;
      continue;
    }
    const close = closes?.[i] ?? -1;
    if (close < 0 || close > to) continue;
    // A reference left unresolved: as written, its escapes too.
    const keep = (): void => {
      if (!unescapes) return;
      appendLiteral(i);
      append(text.slice(i, close + 1));
      literal = close + 1;
      i = close;
    };
    const op = /^:?[-+?]/.exec(text.slice(nameEnd, nameEnd + 2))?.[0] ?? '';
    if (nameEnd + op.length > close || (op === '' && nameEnd !== close)) {
      keep();
      continue;
    }
    const set = known && (!op.startsWith(':') || value !== '');
    const kind = op.slice(-1);
    // What replaces the reference: its value, its expanded word, nothing, or the reference as written (unresolved).
    let word: [number, number] | undefined;
    let replacement: string | undefined;
    if (kind === '-') {
      if (set) replacement = value;
      else word = [nameEnd + op.length, close];
    } else if (kind === '+') {
      if (set) word = [nameEnd + op.length, close];
      else replacement = '';
    } else if (known && (kind === '' || set)) replacement = value;
    if ((word && depth >= MAX_NESTING) || (replacement === undefined && !word)) {
      keep();
      continue;
    }
    appendLiteral(i);
    if (word) expandRange(text, word[0], word[1], vars, closes, depth + 1, out, escape);
    else append(replacement!);
    literal = close + 1;
    i = close;
  }
  if (literal < to) appendLiteral(to);
}

/** True when the `$` at `at` is escaped: an odd run of escape characters (after `from`) stands right before it. */
function escapedAt(text: string, at: number, from: number, escape: string): boolean {
  let run = 0;
  while (at - run - 1 >= from && text[at - run - 1] === escape) run += 1;
  return run % 2 === 1;
}

// The Dockerfile lint engine: parse once, build the stage model once, walk the instructions once and fan out to every
// rule's visitors; then drop suppressed findings and apply configured severities. Pure: no I/O except through
// `readContextFile`, which the caller supplies.
import {
  HEREDOC_MARKERS,
  parseDockerfile,
  sourceLines,
  type Instruction,
  type ParsedDockerfile,
} from '../dockerfile/parse.js';
import { mountsOf, type Mount } from '../dockerfile/mount.js';
import {
  SHELLS,
  heredocInterpreter,
  parseShell,
  runDialect,
  type BinSh,
  type ShellCommand,
} from '../dockerfile/shell.js';
import { analyzeStages, binShAt, substitute, type StageModel } from '../dockerfile/stages.js';
import { BugError } from '../errors.js';
import {
  ruleMessage,
  ruleOptions,
  ruleSeverity,
  type ContextEntry,
  type DockerfileContext,
  type DockerfileRule,
  type EngineOptions,
  type ReportDescriptor,
  type Visitor,
} from '../report/rule.js';
import type { Finding, RuleMeta, Severity, SeveritySetting, TextRange } from '../report/types.js';
import { readBuildCheckDirective, readSuppressions, type Suppressions } from './pragmas.js';
import { pathsOverlap } from './helpers.js';
import { severityOf, shellScripts, type ShellcheckRunner, type ShellScript } from './shellcheck.js';

export interface LintOptions extends EngineOptions {
  readContextFile?: (name: string) => string | undefined | null;
  contextEntry?: (name: string) => ContextEntry;
  /** Honour `# hadolint ignore=` pragmas (default true). */
  hadolintPragmas?: boolean;
  /** Honour inline pragmas at all (default true). */
  pragmas?: boolean;
  /** Checks the RUN scripts with ShellCheck (one call per file); findings are `SC####`, severities from `severities`. */
  shellcheck?: ShellcheckRunner;
  /** The style of the size/cache rules' cleanup fixes (default 'cleanup'). */
  fixStyle?: 'cleanup' | 'cache-mount';
  /**
   * This very text and file already parsed, with its stage model, by a caller that needed them too (the lint service,
   * for the scripts it sends ShellCheck first): used rather than parsing the text again. With `scripts` (its
   * shellScripts, already worked out for that), those are what ShellCheck is asked about.
   */
  parsed?: { parsed: ParsedDockerfile; stages: StageModel; scripts?: ShellScript[] };
}

export interface LintResult {
  parsed: ParsedDockerfile;
  findings: Finding[];
  /**
   * What the lint could not do, for the caller to print as notes: the RUN scripts over MAX_SHELLCHECK_SCRIPT_BYTES
   * that ShellCheck was not given, when this lint worked them out (a caller that passes `parsed.scripts` was told by
   * shellScripts already, and says so itself).
   */
  notes: string[];
}

/** Lints one Dockerfile's text with the given rules. Findings come back sorted by line, then code. */
export function lintText(text: string, file: string, rules: DockerfileRule[], options: LintOptions = {}): LintResult {
  const given = options.parsed;
  // A parse of other text (the file before --fix edited it, say) would have the rules report on what is not there.
  if (given && (given.parsed.text !== text || given.parsed.file !== file))
    throw new BugError(`lintText was given the parse of other text than ${file}'s`, { code: 'lint-parse' });
  const parsed = given?.parsed ?? parseDockerfile(text, file);
  const stages = given?.stages ?? analyzeStages(parsed);
  const commandCache = new Map<Instruction, ShellCommand[]>();
  const mountCache = new Map<Instruction, Mount[]>();
  const findings: Finding[] = [];
  // The build context does not change during one lint: each name is looked up once. Rules ask for the same names
  // again and again (DF069 for every COPY it compares with each chmod), and each ask was a stat() or a read.
  const readContextFile = once(options.readContextFile ?? (() => null));
  const contextEntry = once(options.contextEntry ?? (() => null));
  let lines: readonly string[] | undefined;
  const lineLength = (line: number): number | undefined =>
    (lines ??= sourceLines(parsed))[line - 1]?.replace(/\r$/, '').length;

  const commands = (instruction: Instruction): ShellCommand[] => {
    let cached = commandCache.get(instruction);
    if (!cached) {
      const binSh = binShAt(stages, instruction.stageIndex);
      cached =
        stages.posixShell[instruction.index] === false ||
        runsOtherInterpreter(instruction, stages.shellAt[instruction.index], binSh)
          ? []
          : commandsOf(instruction, stages.shellAt[instruction.index], binSh);
      commandCache.set(instruction, cached);
    }
    return cached;
  };
  const cacheMounts = (instruction: Instruction): Mount[] => {
    let cached = mountCache.get(instruction);
    if (!cached) {
      cached = mountsOf(instruction).filter((m) => m.type === 'cache' || m.type === 'tmpfs');
      mountCache.set(instruction, cached);
    }
    return cached;
  };

  // `# check=skip=...;error=true` is the author's word on the builder's checks, so it binds the rules that are the same
  // as one of them. Skipping is a suppression (off with the inline pragmas); asking for errors never hides anything.
  const buildCheck = readBuildCheckDirective(parsed);
  // What every rule's context shares, made once per file rather than once per rule (84 rules: closures by the
  // hundred thousand for 1,000 files, most of them never called).
  const inFinalImage = (instruction: Instruction): boolean =>
    // The implicit stage (instructions before any FROM) counts as reaching the final image, as hadolint lints it.
    instruction.stageIndex < 0 ? instruction.keyword !== 'ARG' : stages.reachesFinal[instruction.stageIndex] === true;
  const ships = (instruction: Instruction, ...paths: string[]): boolean => {
    const shipped =
      instruction.stageIndex >= 0 ? stages.shipped[instruction.stageIndex] : instruction.keyword === 'ARG' ? [] : 'all';
    return shipped === 'all' || (paths.length > 0 && shipped.some((s) => paths.some((p) => pathsOverlap(s, p))));
  };
  const variables = (instruction: Instruction) => stages.variablesAt[instruction.index] ?? {};
  const resolve = (text: string, instruction: Instruction): string => substitute(text, variables(instruction));
  const hasCacheMount = (instruction: Instruction, ...paths: string[]): boolean =>
    cacheMounts(instruction).some((m) => paths.some((p) => covers(resolve(m.target, instruction), p)));
  const fixStyle = options.fixStyle ?? 'cleanup';
  const settings = settingsFor(options);
  const walkers: { rule: DockerfileRule; severity: Severity; visitors: ReturnType<DockerfileRule['create']> }[] = [];
  for (const rule of rules) {
    let known = settings.get(rule.meta);
    if (!known) {
      known = {
        severity: ruleSeverity(rule.meta, options.severities),
        options: ruleOptions(rule.meta, options.ruleOptions),
      };
      settings.set(rule.meta, known);
    }
    let setting = known.severity;
    if (setting === 'off') continue;
    const checks = buildCheck ? buildkitChecksOf(rule) : [];
    if (buildCheck && checks.length > 0) {
      const { skip } = buildCheck;
      if (options.pragmas !== false && (skip === 'all' || checks.some((c) => skip.has(c)))) continue;
      if (buildCheck.error) setting = 'error';
    }
    const ctx: DockerfileContext = {
      file,
      parsed,
      stages,
      options: known.options,
      report: (descriptor) => findings.push(toFinding(rule, setting, descriptor, file, lineLength)),
      commands,
      inFinalImage,
      ships,
      cacheMounts,
      hasCacheMount,
      variables,
      resolve,
      readContextFile,
      contextEntry,
      fixStyle,
    };
    walkers.push({ rule, severity: setting, visitors: rule.create(ctx) });
  }

  // Fan-out tables built once per file: for each keyword, the visitors in rule order (rather than asking every rule's
  // visitor object for every instruction, which is slow with dozens of differently shaped objects).
  const byKeyword = new Map<string, Visitor[]>();
  const everyInstruction: Visitor[] = [];
  const ends: (() => void)[] = [];
  for (const { visitors } of walkers) {
    for (const [key, visitor] of Object.entries(visitors)) {
      if (typeof visitor !== 'function') continue;
      if (key === 'end') ends.push(visitor as () => void);
      else if (key === 'instruction') everyInstruction.push(visitor as Visitor);
      else {
        const list = byKeyword.get(key) ?? [];
        list.push(visitor as Visitor);
        byKeyword.set(key, list);
      }
    }
  }
  for (const instruction of parsed.instructions) {
    for (const visit of everyInstruction) visit(instruction);
    const visitors = byKeyword.get(instruction.keyword);
    if (visitors) for (const visit of visitors) visit(instruction);
    // Nearly every RUN rule applies to `ONBUILD RUN` as well (as hadolint does).
    if (instruction.trigger?.keyword === 'RUN')
      for (const visit of byKeyword.get('RUN') ?? []) visit(instruction.trigger);
  }
  for (const end of ends) end();
  const notes: string[] = [];
  if (options.shellcheck) {
    const scripts = given?.scripts ?? shellScripts(parsed, stages, { file, notes });
    // One by one, not push(...): ShellCheck's findings for a long file may be more than a call's arguments can be.
    for (const finding of shellcheckFindings(scripts, options.shellcheck, options.severities ?? {}, file))
      findings.push(finding);
  }

  const suppressions =
    options.pragmas === false ? undefined : readSuppressions(parsed, options.hadolintPragmas !== false);
  const anySuppression =
    suppressions &&
    (suppressions.file.size > 0 || suppressions.byInstruction.size > 0 || suppressions.byStage.size > 0);
  const kept = anySuppression ? findings.filter((f) => !isSuppressed(f, rules, parsed, suppressions)) : findings;
  kept.sort((a, b) => lineOf(a) - lineOf(b) || a.code.localeCompare(b.code));
  return { parsed, findings: dedupe(kept), notes };
}

// Each rule's severity and options per config, worked out once rather than for every rule of every file (84 rules x
// 1,000 files: a new options object each time). Keyed by the identity of the `severities` and `ruleOptions` objects,
// which the service makes once per config and never changes; a caller passing new objects just gets a new entry.
// The options object is shared by every file of the config: rules only read it.
const NO_SETTINGS = {};
const settingsCache = new WeakMap<object, WeakMap<object, Map<RuleMeta, RuleSettings>>>();
interface RuleSettings {
  severity: SeveritySetting;
  options: Record<string, unknown>;
}

function settingsFor(options: LintOptions): Map<RuleMeta, RuleSettings> {
  const severities = options.severities ?? NO_SETTINGS;
  const ruleOpts = options.ruleOptions ?? NO_SETTINGS;
  let byOptions = settingsCache.get(severities);
  if (!byOptions) settingsCache.set(severities, (byOptions = new WeakMap()));
  let byRule = byOptions.get(ruleOpts);
  if (!byRule) byOptions.set(ruleOpts, (byRule = new Map()));
  return byRule;
}

/** The builder checks a rule is the same as (`# check=skip=` names these, exactly as the builder spells them). */
function buildkitChecksOf(rule: DockerfileRule): string[] {
  return rule.meta.sources.filter((s) => s.tool === 'buildkit' && s.relation === 'same').map((s) => s.id);
}

function shellcheckFindings(
  scripts: ShellScript[],
  run: ShellcheckRunner,
  severities: NonNullable<LintOptions['severities']>,
  file: string,
): Finding[] {
  if (scripts.length === 0) return [];
  return run(scripts).flatMap((c) => {
    const code = `SC${c.code}`;
    // `.hadolint.yaml` `ignored:`/`override:` and `--ignore` put SC codes in the severities like rule codes.
    const setting = severities[code];
    if (setting === 'off') return [];
    const endColumn = c.endLine === c.line && c.endColumn <= c.column ? c.column + 1 : c.endColumn;
    return [
      {
        code,
        rule: 'shellcheck',
        severity: setting ?? severityOf(c.level),
        message: c.message,
        messageId: 'shellcheck',
        location: { kind: 'dockerfile' as const, file, line: c.line, column: c.column, endLine: c.endLine, endColumn },
      },
    ];
  });
}

/**
 * The commands a RUN executes: shell text, exec form (`["sh","-c","..."]` included) or heredoc script. `shell` is the
 * stage's SHELL program (undefined for `/bin/sh`), `binSh` the shell the stage's `/bin/sh` is
 * (StageModel.binSh); the script is read in the RUN's dialect (runDialect: a bash or ash reads `$'...'`).
 */
export function commandsOf(instruction: Instruction, shell?: string, binSh: BinSh = 'dash'): ShellCommand[] {
  if (instruction.form === 'exec' && instruction.execArgs) {
    const [name = '', ...args] = instruction.execArgs;
    const program = name.split('/').pop() ?? name;
    const head: ShellCommand = {
      name,
      program,
      args,
      env: {},
      writes: [],
      pipesToNext: false,
      pipedFromPrevious: false,
      index: 0,
      scope: [],
    };
    // Any shell whose `-c` script the parser opens (zsh, ksh and mksh too), read in that shell's dialect.
    if (SHELLS.has(program)) {
      const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
      if (c >= 0 && args[c + 1] !== undefined)
        return [head, ...parseShell(args[c + 1], 0, runDialect(instruction, shell, binSh), binSh)];
    }
    return [head];
  }
  return parseShell(instruction.shellText, 0, runDialect(instruction, shell, binSh), binSh);
}

// Programs that run a script read from stdin in their own language: `RUN python3 <<EOF` runs the heredoc as Python.
const SCRIPT_INTERPRETERS =
  /^(python[\d.]*|pypy[\d.]*|node|nodejs|perl[\d.]*|ruby[\d.]*|php[\d.]*|R|Rscript|lua[\d.]*|tclsh[\d.]*|pwsh|powershell)$/;

/**
 * `RUN <<EOF` whose script starts with a shebang of something other than a POSIX shell (`#!/usr/bin/env python3`), or
 * whose one command is such an interpreter fed the heredoc (`RUN python3 <<EOF`, `RUN <<EOF node`, `RUN env python3 <<EOF`,
 * `RUN env -i python3 <<EOF`, options allowed):
 * the script is not shell, so its commands cannot be read (a shell fed the heredoc is read by the parser already).
 * `shell` is the stage's SHELL program, which reads the RUN's line (as its `/bin/sh`, `binSh`, reads it: see commandsOf).
 */
function runsOtherInterpreter(instruction: Instruction, shell: string | undefined, binSh: BinSh): boolean {
  const script = instruction.heredocs[0];
  if (!script) return false;
  if (instruction.shellText !== script.body) {
    // The line read as the shell reads it: `env python3`, `/usr/bin/env -i PATH=/x python3` and `env -u HOME python3`
    // run the interpreter as the shebang form does (the parser reads env's options and assignments, see unwrap).
    const text = instruction.shellText.replace(HEREDOC_MARKERS, '');
    const commands = parseShell(text, 0, runDialect(instruction, shell, binSh), binSh);
    if (commands.length !== 1) return false;
    const [command] = commands;
    return SCRIPT_INTERPRETERS.test(command.program) && command.args.every((w) => w.startsWith('-'));
  }
  const interpreter = heredocInterpreter(instruction);
  if (!interpreter) return false;
  return !SHELLS.has(interpreter.split('/').pop() ?? '');
}

function covers(mountTarget: string, path: string): boolean {
  const target = mountTarget.replace(/\/+$/, '');
  const wanted = path.replace(/\/+$/, '');
  if (target === '') return false;
  return (
    wanted === target ||
    wanted.startsWith(`${target}/`) ||
    (path.includes('*') && target.startsWith(wanted.replace(/\*.*$/, '')))
  );
}

function toFinding(
  rule: DockerfileRule,
  severity: Severity,
  descriptor: ReportDescriptor,
  file: string,
  lineLength: (line: number) => number | undefined,
): Finding {
  if (descriptor.fix && rule.meta.fix === 'none') {
    throw new BugError(`rule ${rule.meta.code} offered a fix but declares fix: 'none'`, { code: 'rule-fix' });
  }
  const range = rangeOf(descriptor.at, lineLength);
  const message = ruleMessage(rule.meta, descriptor.messageId, descriptor.data);
  const finding: Finding = {
    code: rule.meta.code,
    rule: rule.meta.name,
    // Unsure findings never block: info, with the reason ballast could not tell.
    severity: descriptor.unsure === undefined ? severity : 'info',
    message: descriptor.unsure === undefined ? message : `${message} (Unsure: ${descriptor.unsure}.)`,
    messageId: descriptor.messageId,
    location: { kind: 'dockerfile', file, ...range },
  };
  if (descriptor.bytes !== undefined) finding.bytes = descriptor.bytes;
  if (descriptor.fix) {
    finding.fix = {
      applicability: descriptor.fix.applicability,
      title: descriptor.fix.title,
      edits: descriptor.fix.edits.map((e) =>
        e.contextFile !== undefined
          ? { file: e.contextFile, range: e.range, text: e.text, context: true }
          : { file, range: e.range, text: e.text },
      ),
    };
  }
  return finding;
}

function rangeOf(at: Instruction | TextRange, lineLength: (line: number) => number | undefined): TextRange {
  if ('keyword' in at) {
    // The location is the instruction's first line: editors and annotations point there.
    const firstLineLength = at.endLine === at.line ? at.endColumn - 1 : (lineLength(at.line) ?? at.endColumn - 1);
    return {
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.endLine === at.line ? at.endColumn : firstLineLength + 1,
    };
  }
  return at;
}

function lineOf(finding: Finding): number {
  return finding.location.kind === 'dockerfile' ? finding.location.line : 0;
}

// A rule's finding is said once per line and message (two matching commands on one line give one finding). Each of
// ShellCheck's comments is about one spot: two unquoted variables on one line are two findings, told apart by column.
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const column = f.rule === 'shellcheck' && f.location.kind === 'dockerfile' ? f.location.column : '';
    const key = `${f.code}:${lineOf(f)}:${column}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isSuppressed(
  finding: Finding,
  rules: DockerfileRule[],
  parsed: ParsedDockerfile,
  suppressions: Suppressions,
): boolean {
  const rule = rules.find((r) => r.meta.code === finding.code);
  // ShellCheck's codes are the same in ours and hadolint's pragmas (`# hadolint ignore=SC2086`).
  const shellcheck = !rule && /^SC\d+$/.test(finding.code);
  if (!rule && !shellcheck) return false;
  const same = rule
    ? rule.meta.sources.filter((s) => s.tool === 'hadolint' && s.relation === 'same').map((s) => s.id.toUpperCase())
    : [finding.code];
  const ours = rule ? [rule.meta.code, rule.meta.name.toUpperCase(), ...same, 'ALL'] : [finding.code, 'ALL'];
  const theirs = same.map((id) => `HADOLINT:${id}`);
  const matches = (set: Set<string> | undefined): boolean =>
    !!set && (ours.some((c) => set.has(c)) || theirs.some((c) => set.has(c)));
  if (matches(suppressions.file)) return true;
  const line = lineOf(finding);
  const instruction = instructionAtLine(parsed.instructions, line);
  if (!instruction) return false;
  return (
    matches(suppressions.byInstruction.get(instruction.index)) ||
    matches(suppressions.byStage.get(instruction.stageIndex))
  );
}

/**
 * The instruction whose lines hold `line`, by binary search (instructions are in file order): a scan for each finding
 * was quadratic for a file with a finding on every line and a pragma anywhere.
 */
function instructionAtLine(instructions: Instruction[], line: number): Instruction | undefined {
  let low = 0;
  let high = instructions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const candidate = instructions[mid];
    if (candidate.endLine < line) low = mid + 1;
    else if (candidate.line > line) high = mid - 1;
    else return candidate;
  }
  return undefined;
}

/** `lookup` with each name's answer kept. */
export function once<T>(lookup: (name: string) => T): (name: string) => T {
  const answers = new Map<string, T>();
  return (name) => {
    if (answers.has(name)) return answers.get(name) as T;
    const answer = lookup(name);
    answers.set(name, answer);
    return answer;
  };
}

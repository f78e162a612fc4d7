// The rule contract every rule kind shares: a rule is `{meta, create(ctx)}`; create returns visitors that its engine
// calls in one pass (the Dockerfile engine in src/lint/engine.ts per instruction, the image engine in
// src/analysis/image-rules.ts per layer/entry), and `ctx.report` calls become Findings. Both engines take the same
// options and resolve severities, options and messages with the helpers below, so a rule kind is added once here.
import type { LayerAttribution } from '../analysis/attribution.js';
import type { JunkFile, JunkTotals } from '../analysis/junk.js';
import type { LayerMeasure, Measurements, WastedFile } from '../analysis/measure.js';
import type { PackagesResult } from '../analysis/packages.js';
import type { ScanEntry } from '../analysis/scan-layer.js';
import type { Mount } from '../dockerfile/mount.js';
import type { Instruction, ParsedDockerfile } from '../dockerfile/parse.js';
import type { ShellCommand } from '../dockerfile/shell.js';
import type { StageModel, Variables } from '../dockerfile/stages.js';
import { BugError } from '../errors.js';
import { cutToColumns } from './text.js';
import { codeSpan } from './code-span.js';
import type { Applicability, RuleMeta, SeveritySetting, TextRange } from './types.js';

/** Any rule: its meta and a factory for the visitors its engine calls. */
export interface Rule<Context, RuleVisitors> {
  meta: RuleMeta;
  create(ctx: Context): RuleVisitors;
}

/** What every engine accepts. */
export interface EngineOptions {
  /** Severity per rule code or name; rules missing here run at their default severity; 'off' rules are not run. */
  severities?: Record<string, SeveritySetting>;
  /** Options per rule code or name, merged over the rule's defaultOptions. */
  ruleOptions?: Record<string, Record<string, unknown>>;
}

/**
 * The severity a rule runs at, or 'off'. A rule that is not recommended (hadolint's severity `ignore`, e.g. DL1001)
 * runs only when a severity is configured.
 */
export function ruleSeverity(meta: RuleMeta, severities: EngineOptions['severities'] = {}): SeveritySetting {
  return severities[meta.code] ?? severities[meta.name] ?? (meta.recommended ? meta.defaultSeverity : 'off');
}

export function ruleOptions(meta: RuleMeta, options: EngineOptions['ruleOptions'] = {}): Record<string, unknown> {
  return { ...(meta.defaultOptions ?? {}), ...(options[meta.code] ?? options[meta.name] ?? {}) };
}

/** The message for a report: the rule's template for messageId with {{placeholders}} filled in. */
export function ruleMessage(meta: RuleMeta, messageId: string, data: Record<string, string | number> = {}): string {
  const template = meta.messages[messageId];
  if (template === undefined)
    throw new BugError(`rule ${meta.code} reported undeclared messageId '${messageId}'`, { code: 'rule-message' });
  return interpolate(template, data);
}

/**
 * The template with {{placeholders}} filled in, in one pass (a value holding `{{x}}` stays as it is). A code span of
 * the template that holds placeholders (`` `{{program}} install {{pkg}}` ``) is fenced again around the filled text:
 * the values come from the Dockerfile or the image, and a backtick of theirs would end the template's span early, so a
 * Markdown report would show the wrong text.
 */
export function interpolate(template: string, data: Record<string, string | number>): string {
  let compiled = compiledTemplates.get(template);
  if (!compiled) compiledTemplates.set(template, (compiled = compileTemplate(template)));
  let out = '';
  for (const piece of compiled)
    out +=
      typeof piece === 'string' ? piece : 'span' in piece ? codeSpan(fill(piece.span, data)) : valueOf(piece, data);
  return out;
}

/** A template cut into literal text, placeholders, and code spans holding placeholders (each span's own pieces). */
type Placeholder = { key: string; whole: string };
type TemplatePiece = string | Placeholder | { span: (string | Placeholder)[] };

// Every finding's message is a template filled in: a lint of 1,000 files fills some 16,000, from a few hundred
// templates (messages are rule metadata, a fixed set). Each is cut up once rather than scanned with two regular
// expressions per message.
const compiledTemplates = new Map<string, TemplatePiece[]>();

function compileTemplate(template: string): TemplatePiece[] {
  const pieces = (text: string): (string | Placeholder)[] => {
    const out: (string | Placeholder)[] = [];
    let last = 0;
    for (const m of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push({ key: m[1], whole: m[0] });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  };
  const compiled: TemplatePiece[] = [];
  for (const m of template.matchAll(/`([^`]*)`|[^`]+|`/g)) {
    const span = m[1];
    if (span === undefined) compiled.push(...pieces(m[0]));
    else if (span.includes('{{')) compiled.push({ span: pieces(span) });
    else compiled.push(m[0]);
  }
  return compiled;
}

function fill(pieces: (string | Placeholder)[], data: Record<string, string | number>): string {
  let out = '';
  for (const piece of pieces) out += typeof piece === 'string' ? piece : valueOf(piece, data);
  return out;
}

/**
 * The most columns a value takes in a message: values come from the Dockerfile or the image, and an ARG default that
 * expands to 64 KB made a message of 64 KB (a report line of 131 KB). Cut with an ellipsis, as reports cut names.
 */
export const MESSAGE_VALUE_COLUMNS = 2000;

/** A placeholder's value, cut to MESSAGE_VALUE_COLUMNS; one that data lacks stays as written. */
function valueOf(placeholder: Placeholder, data: Record<string, string | number>): string {
  if (!(placeholder.key in data)) return placeholder.whole;
  const value = String(data[placeholder.key]);
  // (a value is at least half as many columns as it has UTF-16 units: most are not measured at all)
  return value.length > MESSAGE_VALUE_COLUMNS / 2 ? cutToColumns(value, MESSAGE_VALUE_COLUMNS) : value;
}

// ---- Dockerfile rules: visitors keyed by instruction keyword plus `end()` (hadolint's step and finalizer).

export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  /** An instruction (the whole instruction is the location) or an explicit range. */
  at: Instruction | TextRange;
  bytes?: number;
  /**
   * Set when the rule cannot tell from the file whether the problem happens (a cleanup inside a condition or loop, say):
   * why, in a few words. The finding is then reported at `info` whatever the configured severity, with the reason.
   */
  unsure?: string;
  /** Edits to the Dockerfile, or with `contextFile` to that file of the build context (created when missing). */
  fix?: {
    applicability: Applicability;
    title: string;
    edits: { range: TextRange; text: string; contextFile?: string }[];
  };
}

export type ContextEntry = 'file' | 'directory' | undefined | null;

export interface DockerfileContext {
  file: string;
  parsed: ParsedDockerfile;
  stages: StageModel;
  options: Record<string, unknown>;
  report(descriptor: ReportDescriptor): void;
  /**
   * The simple commands a RUN executes (shell form, exec form, `sh -c`, heredoc script), memoized. None when the RUN's
   * shell is not POSIX (`SHELL ["powershell", ...]`, Windows base images) or whose heredoc script has a non-shell
   * shebang (`#!/usr/bin/env python3`): shell rules have nothing to say there.
   */
  commands(instruction: Instruction): ShellCommand[];
  /** Whether the instruction's stage ends up in the final image (size rules fire only there). */
  inFinalImage(instruction: Instruction): boolean;
  /**
   * Whether files the instruction's stage writes at `paths` (absolute, globs allowed) end up in the final image: always
   * for the final stage, the stages it is built FROM and stages copied whole; for a stage later stages `COPY --from`
   * only some paths of, when one of those overlaps `paths`; never for a stage used only through `RUN --mount=from=` or
   * not at all. With no paths: whether the stage's layers ship whole.
   */
  ships(instruction: Instruction, ...paths: string[]): boolean;
  /** RUN --mount=type=cache|tmpfs targets: caches written there never reach a layer. */
  cacheMounts(instruction: Instruction): Mount[];
  /** True when a cache/tmpfs mount covers `path` (the mount target is the path or one of its parents). */
  hasCacheMount(instruction: Instruction, ...paths: string[]): boolean;
  /** ARG/ENV values visible to the instruction. */
  variables(instruction: Instruction): Variables;
  /** Substitutes variables visible to the instruction. */
  resolve(text: string, instruction: Instruction): string;
  /**
   * Reads a file next to the Dockerfile (the build context, e.g. `.dockerignore`). `undefined` when it does not exist,
   * `null` when there is no directory to look in (stdin, rule tests without a context).
   */
  readContextFile(name: string): string | undefined | null;
  /** What a build-context path is, without reading it: `undefined` when it does not exist, `null` when there is no
   * directory to look in. */
  contextEntry(name: string): ContextEntry;
  /** How size/cache fixes clean up: append the cleanup to the RUN (default) or mount a build cache (`--fix-style`). */
  fixStyle: 'cleanup' | 'cache-mount';
}

export type Visitor = (instruction: Instruction) => void;

export interface Visitors {
  [keyword: string]: Visitor | (() => void) | undefined;
  /** Called for every instruction, before the keyword visitor. */
  instruction?: Visitor;
  end?: () => void;
}

export type DockerfileRule = Rule<DockerfileContext, Visitors>;

// ---- Image rules: rules never read layers. The walk streams each layer once; the engine fans the layers, their
// entries and the final facts out to `layer`, `entry` and `end`.

export interface ImageLayerView extends LayerMeasure {
  /** The Dockerfile instruction that made it, with --dockerfile. */
  attribution?: LayerAttribution;
  /** True for layers the final FROM brought in (known from the Dockerfile or --base). */
  base: boolean;
}

export interface ImageFacts {
  image: string;
  /** The image was named by a registry or daemon reference, not read from a path. */
  reference?: boolean;
  layers: ImageLayerView[];
  totals: Measurements['totals'];
  wastedFiles: WastedFile[];
  /** The cache class (CACHE_CLASS_IDS) of each path of `wastedFiles` that is in one (wastedCacheClasses). */
  wastedCacheClass: ReadonlyMap<string, string>;
  junk: JunkTotals[];
  /** Every file of the junk classes rules count in bytes (ITEMIZED_CLASS_IDS), by class id: for `counted`. */
  junkFiles: Record<string, JunkFile[]>;
  packages: PackagesResult;
  /** Final-filesystem lookup (display paths). */
  finalFile(path: string): { sizeBytes: number; layer: number } | undefined;
  /**
   * The layer that first wrote a visible file: follows same-content copies (chown -R, chmod) back to the layer
   * whose instruction brought the bytes in (`COPY . /app` rather than the later `chown -R`).
   */
  originLayer(path: string, layer: number): number;
  /** Whether the base is known (Dockerfile or --base), so "your layers" are meaningful. */
  baseKnown: boolean;
  /** The final FROM, when the Dockerfile lines up: where findings in base layers are located. */
  from?: LayerAttribution;
}

export interface ImageReport {
  messageId: string;
  data?: Record<string, string | number>;
  layerIndex?: number;
  path?: string;
  /** What a finding for a group of files of the layer groups (its class or kind): see Location's `group`. */
  group?: string;
  /**
   * Another layer the group is of besides `layerIndex` (IM004's state of a layer, rewritten by this later one): it
   * names the finding too, as one layer's state can be rewritten by several (see Location's `layerKey`).
   */
  groupLayer?: number;
  bytes?: number;
  /**
   * The copies `bytes` counts, by layer and path (wasted copies, files of the final filesystem): the findings total
   * counts each copy once when two findings name the same one. `holder`: the name holding the bytes of a file counted
   * under another of its names (hardlinks), which then identifies the copy. Not part of the finding.
   */
  counted?: readonly { layer: number; path: string; holder?: string; sizeBytes: number }[];
}

export interface ImageRuleContext {
  image: string;
  options: Record<string, unknown>;
  report(descriptor: ImageReport): void;
}

export interface ImageVisitors {
  layer?(layer: ImageLayerView): void;
  entry?(entry: ScanEntry, layer: ImageLayerView): void;
  end?(facts: ImageFacts): void;
}

export type ImageRule = Rule<ImageRuleContext, ImageVisitors>;

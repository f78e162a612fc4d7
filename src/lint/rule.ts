// What a Dockerfile rule is and what it sees. A rule is `{meta, create(ctx)}`; create returns visitors keyed by
// instruction keyword plus `end()`, called in one pass over the file (hadolint's step and finalizer).
import type { Instruction, ParsedDockerfile } from '../dockerfile/parse.js';
import type { ShellCommand } from '../dockerfile/shell.js';
import type { StageModel, Variables } from '../dockerfile/stages.js';
import type { Applicability, RuleMeta, TextRange } from './types.js';

export interface Mount {
  type: string;
  target: string;
  from?: string;
}

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
  fix?: { applicability: Applicability; title: string; edits: { range: TextRange; text: string }[] };
}

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
}

export type Visitor = (instruction: Instruction) => void;

export interface Visitors {
  [keyword: string]: Visitor | (() => void) | undefined;
  /** Called for every instruction, before the keyword visitor. */
  instruction?: Visitor;
  end?: () => void;
}

export interface DockerfileRule {
  meta: RuleMeta;
  create(ctx: DockerfileContext): Visitors;
}

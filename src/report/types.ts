// The one report shape for the whole product (docs/style.md): Rule meta, Finding, Report. Dockerfile rules, image rules
// and the ci gate all produce these, and every reporter in src/reporters renders any Report.

// `style` is below `info`, as in hadolint and ShellCheck: it fails a run only with --fail-on style.
export type Severity = 'error' | 'warning' | 'info' | 'style';
/** The severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'style'];
/** What --fail-on and `failOn` take: a severity, or none. */
export const FAIL_ON_LEVELS: readonly (Severity | 'none')[] = [...SEVERITIES, 'none'];
export type SeveritySetting = Severity | 'off';
export type RuleType = 'problem' | 'size' | 'cache' | 'suggestion';
export type FixKind = 'none' | 'sometimes' | 'always';
export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface RuleSource {
  tool: 'hadolint' | 'buildkit' | 'trivy' | 'dockerfilelint';
  id: string;
  /** 'same': behaves as that tool's rule (its pragmas and config apply); 'inspired': related, not identical. */
  relation: 'same' | 'inspired';
}

export interface RuleMeta {
  /** Stable, never reused: DF### for Dockerfile rules, IM### for image rules. */
  code: string;
  /** kebab-case, naming the problem. */
  name: string;
  target: 'dockerfile' | 'image';
  type: RuleType;
  /** Imperative one-liner. */
  summary: string;
  /** The severity the rule reports at when it runs and no other severity is configured. */
  defaultSeverity: Severity;
  /** Runs by default; `false` means off until a severity is configured (hadolint's severity `ignore`). */
  recommended: boolean;
  status: 'preview' | 'stable' | 'deprecated';
  since: string;
  fix: FixKind;
  /** messageId -> template with {{placeholders}}. */
  messages: Record<string, string>;
  defaultOptions?: Record<string, unknown>;
  sources: RuleSource[];
}

export interface TextRange {
  /** 1-based line and column, end exclusive (LSP-like but 1-based). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface TextEdit {
  file: string;
  range: TextRange;
  text: string;
  /**
   * Set when the edit is to a file of the build context (`.dockerignore`). The rules and the fixer name it by `file`
   * relative to the context; a lint report names it from the working directory, as it names the Dockerfile.
   */
  context?: boolean;
}

export interface Fix {
  applicability: Applicability;
  title: string;
  edits: TextEdit[];
  /** With `lint --image`: the bytes this fix is expected to save (null: unknown) and where that number comes from. */
  estimate?: { bytes: number | null; basis: string };
}

export type Location =
  | { kind: 'dockerfile'; file: string; line: number; column: number; endLine: number; endColumn: number }
  | {
      kind: 'image';
      image: string;
      /**
       * Set when the image was named by a registry or daemon reference (`ghcr.io/o/app:1`, `docker-daemon:app`), not
       * read from a path: `image` then names no file, so it is never made relative to the repository's root.
       */
      reference?: true;
      layerIndex?: number;
      layerDigest?: string;
      /** The file or directory in the image the finding names (for some groups of files, the largest file). */
      path?: string;
      /**
       * Set when the finding stands for a group of files of one layer (IM002's caches of a class, IM009's many files of
       * a kind): what the group is (`aptCache`, `dotenvFiles`). With the rule and the layer it names the finding from
       * one run to the next, which `path` cannot: the largest file changes as sizes do (CI fingerprints use it).
       */
      group?: string;
      /**
       * Set with `group`, and on a finding that names no path: the instruction that made its layer (history's
       * created_by in Dockerfile terms, else the Dockerfile line it is attributed to, else `layer N`), and after `>`
       * the one of the layer that rewrote it (IM004). CI fingerprints know the finding by it rather than by the layer's
       * index, which every layer inserted above shifts.
       */
      layerKey?: string;
      file?: string;
      line?: number;
      /**
       * Set when the layer is several instructions committed as one (buildah without --layers, --squash): the span's
       * last line and how many instructions, as the layer's own attribution has them. Any of them may have written
       * the finding's files, so the reports name the span (`Dockerfile:4-7`), not its first line.
       */
      endLine?: number;
      merged?: number;
    };

export interface Finding {
  code: string;
  /** The rule's name. */
  rule: string;
  severity: Severity;
  message: string;
  messageId: string;
  location: Location;
  /** Reclaimable bytes, when known (image rules), so findings sort by size. */
  bytes?: number;
  fix?: Fix;
}

export interface TargetResult {
  /** A Dockerfile path ('-' for stdin) or an image reference. */
  target: string;
  findings: Finding[];
  stats: Record<string, number>;
  /**
   * This target's failOn, when it differs from target to target (lint with Dockerfiles whose configs set different
   * ones); otherwise absent and the report's failOn applies.
   */
  failOn?: Severity | 'none';
  /**
   * With `lint --fix`: the fixes applied to this Dockerfile and its build-context files, in the order applied (empty:
   * nothing to fix). No line: a later pass fixes the text as the earlier ones left it, so its lines are not the file's.
   */
  fixed?: AppliedFix[];
  /** With `lint --fix-dry-run`: the fixes `--fix` would apply, as `fixed` lists them; nothing was written. */
  wouldFix?: AppliedFix[];
}

/** A fix `lint --fix` applied: the finding's rule, its fix's title and safety, and the file it edited. */
export interface AppliedFix {
  code: string;
  rule: string;
  title: string;
  applicability: Applicability;
  /**
   * The Dockerfile as the report names it, or the build-context file (`.dockerignore`) as the run names files (from the
   * working directory), so that a script opens either from where ballast ran.
   */
  file: string;
  /**
   * Set on the fix that created its file (DF025's `.dockerignore`): that file's path as the run names files (relative
   * to the working directory). A new ignore file changes the build of every Dockerfile in its folder, not only this one.
   */
  created?: string;
  /**
   * Set on a fix that edited a build-context file that was already there (DF026 adding `.git` to `.dockerignore`): its
   * path as `created` gives one. A fix that created its file has `created` instead.
   */
  edited?: string;
}

/** Where a check points people: a Dockerfile line (or just a layer when the image is not attributed). */
export interface CheckLocation {
  file?: string;
  line?: number;
  /** The last line of a span of instructions committed as one layer (`Dockerfile:4-7`), as the layer names it. */
  endLine?: number;
  layerIndex?: number;
  /** The instruction (or history) text of that line/layer. */
  text?: string;
  /** Bytes this place contributes to the measured value. */
  bytes?: number;
  /** The rule of the finding at this place (failOn's places are findings). */
  rule?: string;
}

/** A gate check (a `ballast ci` budget): measured value against its limit. */
export interface Check {
  /** The budget key (`maxImageBytes`, `maxJunkBytes.aptLists`, dive's `lowestEfficiency`, ...). */
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  /** null when it could not be measured (SKIP). */
  value: number | null;
  limit: number | null;
  unit: 'bytes' | 'ratio' | 'count';
  /**
   * What a size budget's bytes are (its value, limit and places' bytes), where one size could be read as another:
   * `tar` for layers' uncompressed tar sizes (as diff's "Tar size" column), a little more than the file bytes analyze's
   * layer table shows for the same layer. Every report marks such a size `(tar)`; absent for the other checks. A share
   * of such sizes (maxGrowthPercent's growth) carries it too: its message marks the bytes, its percentage is unmarked.
   */
  measure?: 'tar';
  /** One sentence: the verdict in words (why it failed, or why it was skipped). */
  message: string;
  /**
   * The places to fix, biggest first. failOn's are the first five of its findings with a place: its `value` counts them
   * all, so `value` less the places listed is how many more there are, which the reports say (`…and 1 more finding`).
   */
  locations: CheckLocation[];
  /**
   * What makes up the value of a failed check (a junk budget's largest classes or files), as its message ends: for the
   * reports that show the places and not the message (the Markdown budgets table).
   */
  detail?: string;
  /** The target (image) it measured. */
  target: string;
  /**
   * That image as it was named (the path of an archive or layout, as image findings' `location.image`), where the
   * target may add the tag: what a failed budget points at when nothing else places it (SARIF's artifact).
   */
  image?: string;
  /** Set when that image was named by a registry or daemon reference, not read from a path (as an image location's). */
  reference?: true;
  /**
   * Where a failure that no location's Dockerfile line explains (growth against a baseline, layers the Dockerfile did
   * not make) is placed in finding-based formats: the Dockerfile's final FROM, since code scanning places a result only
   * at a file of the repository.
   */
  anchor?: { file: string; line: number };
  /**
   * Where its limit came from, in words (`.ballast.yaml's ci: section`, `--max-layer-bytes`, `.dive-ci`, dive's
   * default), for the formats that describe a budget as a rule (SARIF).
   */
  origin?: string;
}

export interface Report {
  tool: { name: string; version: string };
  targets: TargetResult[];
  counts: {
    error: number;
    warning: number;
    info: number;
    style: number;
    /** Findings `--fix` fixes (a safe fix that would change something, and could be applied to the files linted). */
    fixable: number;
    /** Findings only `--fix --unsafe-fixes` fixes. Absent in reports written before it was counted (a baseline). */
    unsafeFixable?: number;
  };
  /** The meta of every rule that has a finding (or all rules run), keyed by code. */
  rules: Record<string, RuleMeta>;
  /** Gate checks (budgets), when a gate ran: every reporter shows the failing ones next to the findings. */
  checks?: Check[];
  /**
   * The severity at or above which a finding fails the run (lint's --fail-on, the gate's failOn), so reporters that
   * give a verdict per finding (JUnit) agree with the exit code. Absent: every finding counts as failing.
   */
  failOn?: Severity | 'none';
  /**
   * Files named that could not be read (lint keeps going past them): the run exits 2 whatever was found, and the
   * reports that can say a run did not finish (SARIF, the totals, annotations) say so.
   */
  unreadable?: { path: string; code: string; message: string; hint?: string }[];
  /**
   * With `lint --fix-dry-run --unsafe-fixes`: the targets' `wouldFix` were worked out with unsafe fixes allowed, so
   * `--fix --unsafe-fixes` is what applies them, even when none of them is unsafe (absent otherwise).
   */
  unsafeFixes?: true;
}

/** Whether a finding fails a run with this failOn (absent: every finding does). */
export function findingFails(finding: Finding, failOn: Severity | 'none' | undefined): boolean {
  if (failOn === undefined) return true;
  return failOn !== 'none' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
}

export const SEVERITY_RANK: Record<SeveritySetting | 'none', number> = {
  off: 0,
  style: 1,
  info: 2,
  warning: 3,
  error: 4,
  none: 5,
};

/**
 * Counts findings by severity and fixability. With `canFix`, a finding's fix counts only when it says the fix could be
 * applied (lint: not one that would change nothing, nor one that edits a .dockerignore where there is no build context).
 */
export function countFindings(targets: TargetResult[], canFix?: (finding: Finding) => boolean): Report['counts'] {
  const counts = { error: 0, warning: 0, info: 0, style: 0, fixable: 0, unsafeFixable: 0 };
  for (const target of targets) {
    for (const finding of target.findings) {
      counts[finding.severity] += 1;
      if (!finding.fix || (canFix && !canFix(finding))) continue;
      if (finding.fix.applicability === 'safe') counts.fixable += 1;
      else if (finding.fix.applicability === 'unsafe') counts.unsafeFixable += 1;
    }
  }
  return counts;
}

/** A Report over the targets, with the meta of every rule that has a finding; `canFix` as countFindings takes it. */
export function buildReport(
  targets: TargetResult[],
  rules: Iterable<RuleMeta>,
  version: string,
  canFix?: (finding: Finding) => boolean,
): Report {
  const used = new Set(targets.flatMap((t) => t.findings.map((f) => f.code)));
  const metas: Record<string, RuleMeta> = {};
  for (const meta of rules) if (used.has(meta.code)) metas[meta.code] = meta;
  return { tool: { name: 'ballast', version }, targets, counts: countFindings(targets, canFix), rules: metas };
}

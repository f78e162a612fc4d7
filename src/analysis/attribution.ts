// History <-> Dockerfile: which instruction (file:line) made each layer, and which layers the final FROM brought in.
// History entries are aligned with the final stage's instructions from the end backwards, by keyword, and for a
// shell-form RUN by its script as well (every builder records that text as written, whitespace aside): builders
// record every instruction, except that BuildKit skips some (ARG) and the classic builder/buildah record metadata
// steps as empty layers. Whatever precedes the final stage's first matched instruction belongs to the base image. A
// final stage built `FROM` an earlier stage inherits that stage's instructions, so they are matched too. A RUN whose
// script matches no step (a Dockerfile other than the image's) makes the whole attribution unmatched: keywords alone
// would pair layers with unrelated lines; so does a Dockerfile with RUN, COPY or ADD lines none of which lines up (its
// CMD or USER alone would pair by keyword). An image built with `--target` holds an earlier stage's chain: when the last
// stage's chain leaves lines unmatched, the stage whose chain fits the history best is used instead.
import {
  joinContinuations,
  parseDockerfile,
  sourceLines,
  type Instruction,
  type ParsedDockerfile,
} from '../dockerfile/parse.js';
import { platformArgValues } from '../dockerfile/build-args.js';
import { analyzeStages, type StageModel } from '../dockerfile/stages.js';
import { mapHistory, withoutBuildArgs, type HistoryStep } from '../image/history.js';
import { hostPlatform } from '../image/platform.js';
import type { ConfigFile } from '../image/types.js';

export interface LayerAttribution {
  file: string;
  line: number;
  endLine: number;
  keyword: string;
  /** The instruction as written, on one line; for an ONBUILD trigger, the FROM followed by the trigger. */
  text: string;
  /** For a layer the base image's ONBUILD trigger made during this build: the trigger as the base declares it. */
  onbuild?: string;
  /**
   * For a layer several instructions were committed as (buildah without --layers, --squash): how many. Its files
   * came from any line from `line` to `endLine`, which the history cannot tell apart (reports name the span).
   */
  merged?: number;
}

export interface Attribution {
  /** Per layer: the instruction that made it; undefined for base layers and unmatched ones. */
  layers: (LayerAttribution | undefined)[];
  /** Layers the final FROM brought in. */
  baseLayers: number;
  /** The final FROM, for base-layer findings. */
  from?: LayerAttribution;
  /** False when the history could not be lined up with the Dockerfile. */
  matched: boolean;
}

function squash(text: string): string {
  return text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A layer an ONBUILD trigger of the base made: the user's FROM ran it. */
function triggerAttribution(from: LayerAttribution, trigger: string): LayerAttribution {
  return { ...from, text: `${from.text} (ONBUILD ${trigger})`, onbuild: trigger };
}

/**
 * The instruction as written, flags included (`COPY --from=build ...` is not the same line without them), on one
 * line. Comment lines inside a continuation are dropped as the builder drops them: kept, the rest of a RUN would read
 * as commented out. A heredoc's body is the script, `#` lines and all.
 */
function describe(
  instruction: Instruction,
  file: string,
  escapeChar: string,
  lines: readonly string[],
): LayerAttribution {
  const first = instruction.line - 1;
  const last = instruction.endLine - 1;
  const source = lines.slice(first, last + 1);
  // The end first: on a one-line instruction, cutting the start would shift endColumn.
  source[source.length - 1] = source[source.length - 1].slice(0, instruction.endColumn - 1);
  source[0] = source[0].slice(instruction.column - 1);
  const raw = source.join('\n');
  return {
    file,
    line: instruction.line,
    endLine: instruction.endLine,
    keyword: instruction.keyword,
    text: squash(instruction.heredocs.length > 0 ? raw : joinContinuations(raw, escapeChar)),
  };
}

/**
 * The instructions whose results the final image contains, in build order, without FROMs. `model` is the stage model
 * of `parsed` when the caller has made it already.
 */
export function finalChain(
  parsed: ParsedDockerfile,
  model: StageModel = analyzeStages(parsed),
  /** The stage the build stopped at (`--target`); the file's last by default. */
  target: number = parsed.stages.length - 1,
): {
  instructions: Instruction[];
  from?: Instruction;
  /** The image the chain starts from, as written (`scratch`, `debian:12`, `${BASE}`). */
  baseImage?: string;
} {
  const stages = parsed.stages;
  if (stages.length === 0) return { instructions: [] };
  // The stage model's links, not names alone: `FROM 0` builds on the first stage as `FROM build` does on a stage
  // named build (and a FROM whose ARG default names a stage follows it too), so that stage's RUN lines ship.
  const { baseStage } = model;
  const chain: Instruction[][] = [];
  let stage = stages[target];
  const seen = new Set<number>();
  let from: Instruction | undefined;
  for (;;) {
    seen.add(stage.index);
    const own = parsed.instructions.slice(stage.firstInstruction, stage.lastInstruction + 1);
    from = own[0];
    chain.unshift(own.slice(1));
    const parent = baseStage[stage.index];
    if (parent === undefined || seen.has(parent)) break;
    stage = stages[parent];
  }
  return { instructions: chain.flat(), from, baseImage: stage.baseImage };
}

/**
 * Whether a history step is this RUN: true or false when both carry a shell script to compare, undefined otherwise
 * (exec form, heredocs, a builder that records something else). History keeps the script as written, up to
 * whitespace; a prefix before it (`|1 A=b` build args, a SHELL's own flags) is tolerated.
 */
function runsMatch(stepInstruction: string, instruction: Instruction): boolean | undefined {
  if (instruction.keyword !== 'RUN' || instruction.form !== 'shell' || instruction.heredocs.length > 0)
    return undefined;
  if (historyKeyword(stepInstruction) !== 'RUN') return undefined;
  const script = squash(instruction.shellText);
  const recorded = squash(stepInstruction.slice('RUN'.length));
  if (script === '' || recorded === '') return undefined;
  return recorded === script || recorded.endsWith(` ${script}`);
}

function historyKeyword(instruction: string): string {
  const word = /^([A-Za-z]+)/.exec(instruction)?.[1]?.toUpperCase() ?? '';
  return word;
}

/**
 * Whether a step is recorded in Dockerfile terms (`RUN /bin/sh -c ... # buildkit`, kaniko's `RUN cp ...`): those
 * builders leave a RUN or COPY that changed nothing as an empty step. The classic builder and buildah record the
 * command itself (`/bin/sh -c make`, `/bin/sh -c #(nop) COPY ...`) and leave one empty only when they merged it into
 * a later layer.
 */
function inDockerfileTerms(step: HistoryStep): boolean {
  return /^(RUN|COPY|ADD)\b/.test(step.createdBy);
}

/** Instructions that change the filesystem; the others only set config. */
const FILESYSTEM = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
/** Those that put files in a layer (a WORKDIR makes at most an empty directory). */
const CONTENT = new Set(['RUN', 'COPY', 'ADD']);

/** The destination of a COPY/ADD as history records it (`COPY file:<hash> in /app/x`) or as written. */
function destination(text: string): string | undefined {
  if (/\[\s*"/.test(text)) return undefined;
  return /(\S+)\s*$/.exec(text)?.[1];
}

/** Whether a history step is what this ONBUILD trigger records when it runs. */
function triggerMatches(stepInstruction: string, trigger: string): boolean {
  const keyword = historyKeyword(trigger);
  if (historyKeyword(stepInstruction) !== keyword) return false;
  if (keyword === 'RUN') {
    const script = squash(trigger.slice('RUN'.length));
    // An exec-form RUN is recorded in builder-specific ways; its keyword has to do.
    if (script.startsWith('[')) return true;
    const recorded = squash(stepInstruction.slice('RUN'.length));
    return recorded === script || recorded.endsWith(` ${script}`);
  }
  if (keyword === 'COPY' || keyword === 'ADD') {
    // Sources are recorded as `file:<hash>`/`dir:<hash>`; the destination is kept when it is absolute.
    const want = destination(trigger);
    if (want === undefined || !want.startsWith('/')) return true;
    return destination(stepInstruction) === want;
  }
  return true;
}

/**
 * The steps the base image's ONBUILD triggers recorded when this build's FROM ran them (the classic builder and
 * buildah run them; the base's history keeps each as an empty `ONBUILD <instruction>` step): they sit right before
 * the build's own first step, one per trigger, in the base's order. Only the base's last group of ONBUILD steps
 * (not interrupted by a step that made a layer) is used: earlier ones belong to images further down, whose triggers
 * ran in those builds. A base that is only a grandparent plus its triggers reads the same as this build running the
 * grandparent's triggers; history cannot tell them apart. Returns each trigger step's index with the trigger it ran.
 */
function onbuildTriggers(steps: HistoryStep[], end: number): Map<number, string> {
  const found = new Map<number, string>();
  const isOnbuild = (s: HistoryStep) => historyKeyword(s.instruction) === 'ONBUILD';
  let last = end - 1;
  while (last >= 0 && !isOnbuild(steps[last])) last--;
  if (last < 0) return found;
  const group: number[] = [];
  for (let k = last; k >= 0; k--) {
    if (isOnbuild(steps[k])) group.unshift(k);
    else if (steps[k].layerIndex !== undefined || !steps[k].emptyLayer) break;
  }
  let k = end - 1;
  for (let g = group.length - 1; g >= 0 && k > last; g--) {
    const trigger = squash(steps[group[g]].instruction.slice('ONBUILD'.length));
    if (triggerMatches(steps[k].instruction, trigger)) {
      found.set(k, trigger);
      k--;
    } else if (historyKeyword(trigger) !== 'ARG') break; // an ARG trigger may leave no step
  }
  // The triggers follow the base's last steps: a layer between its ONBUILD steps and them means these steps ran in
  // an earlier build (a grandparent's ONBUILD that the base's own build ran), not in this one.
  if (steps.slice(last + 1, k + 1).some((s) => !s.emptyLayer)) return new Map();
  return found;
}

/**
 * A build committed as one layer (buildah without `--layers`, `--squash`) records every instruction as an empty
 * step and gives the layer to the last one, often a CMD: blaming that line for the bytes of every RUN and COPY above
 * it would send the user to the wrong line. Such a layer is attributed to the span of the instructions that made it,
 * or to none when the span reaches into the base image's steps (a squash of base and build together). A BuildKit
 * RUN that changed nothing is an empty step too, so a layer owned by a filesystem instruction counts as merged only
 * when it is the build's only layer, or when a builder other than BuildKit left those steps empty.
 */
function mergedLayers(
  steps: HistoryStep[],
  matched: ReadonlyMap<number, Instruction>,
  firstOwn: number,
  layers: (LayerAttribution | undefined)[],
  say: (instruction: Instruction) => LayerAttribution,
  hasBase: boolean,
  triggers: ReadonlyMap<number, string>,
  from: LayerAttribution | undefined,
): void {
  const owners = [...matched.keys(), ...triggers.keys()].filter((i) => steps[i].layerIndex !== undefined);
  for (const i of owners) {
    const ownerKeyword = matched.get(i)?.keyword ?? historyKeyword(triggers.get(i) ?? '');
    let start = i;
    while (start > 0 && steps[start - 1].layerIndex === undefined) start--;
    const ran: string[] = [];
    // The build's own instructions that wrote to the layer: a WORKDIR makes its directory there (buildah records it
    // as an empty step in the committed range), so it belongs in the span, though it alone makes no merge.
    const merged: Instruction[] = [];
    let content = 0;
    for (let k = start; k <= i; k++) {
      const d = matched.get(k);
      const trigger = triggers.get(k);
      if (d && FILESYSTEM.has(d.keyword)) {
        merged.push(d);
        if (CONTENT.has(d.keyword)) content++;
      } else if (trigger !== undefined && CONTENT.has(historyKeyword(trigger))) ran.push(trigger);
    }
    // The owner's own content does not make a merged layer by itself.
    const ownerCounts = CONTENT.has(ownerKeyword) ? 1 : 0;
    if (content + ran.length - ownerCounts === 0) continue;
    // Empty RUN/COPY steps above a RUN/COPY that owns a layer are BuildKit's (or kaniko's) steps that changed nothing,
    // unless a builder that never leaves such steps empty recorded them: buildah without --layers commits each stage as one
    // layer, so a final stage `FROM` an earlier stage has several layers, each owned by a filesystem instruction.
    const emptyContent = steps.slice(start, i).filter((s) => CONTENT.has(historyKeyword(s.instruction)));
    if (FILESYSTEM.has(ownerKeyword) && owners.length > 1 && emptyContent.every(inDockerfileTerms)) continue;
    // The classic builder records a RUN that changed nothing (`RUN true`) as an empty step too, and commits every other
    // RUN/COPY/ADD as a layer of its own. A build committed as one layer gives a stage one layer, at its last step: a
    // step of the same stage after this owner, or another of its RUN/COPY/ADD steps owning a layer, means the stage
    // was built a layer per step and the empty steps made nothing. (A stage whose only layer comes after such steps
    // stays a span: history cannot tell a `RUN true` from a merged RUN there, and the span holds the line.)
    if (layeredStage(steps, matched, i)) continue;
    const layer = steps[i].layerIndex!;
    // The base image's own config steps (its CMD, USER) may sit in the span; its RUN/COPY/ADD steps mean the layer
    // holds the base's files too, and so does a span that starts the history of an image with a base (`--squash`
    // keeps no step of the base's).
    const withBase =
      (start === 0 && hasBase) || steps.slice(start, firstOwn).some((s) => CONTENT.has(historyKeyword(s.instruction)));
    if (withBase) {
      layers[layer] = undefined;
      continue;
    }
    // Triggers run right after the FROM, before any of the build's own instructions.
    const pieces = merged.map(say);
    // How many instructions made the layer: the triggers share the FROM's piece, but each ran as one.
    let count = merged.length;
    if (ran.length > 0 && from) {
      const head = triggerAttribution(from, ran.join(' ; '));
      pieces.unshift({ ...head, text: `${from.text} (${ran.map((t) => `ONBUILD ${t}`).join(' ; ')})` });
      count += ran.length;
    }
    if (pieces.length === 0) continue;
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    layers[layer] = {
      ...first,
      endLine: last.endLine,
      text: pieces.map((p) => p.text).join(' ; '),
      ...(count > 1 ? { merged: count } : {}),
    };
  }
}

/** Whether the stage of the instruction matched at step `owner` has a later step or another RUN/COPY/ADD layer. */
function layeredStage(steps: HistoryStep[], matched: ReadonlyMap<number, Instruction>, owner: number): boolean {
  const stage = matched.get(owner)?.stageIndex;
  if (stage === undefined) return false;
  for (const [k, d] of matched) {
    if (k === owner || d.stageIndex !== stage) continue;
    if (k > owner || (CONTENT.has(d.keyword) && steps[k].layerIndex !== undefined)) return true;
  }
  return false;
}

/**
 * `docker build --squash` (classic builder) keeps the base's steps, marks the build's own steps empty and appends a
 * step with no command, commented `merge sha256:<image> to sha256:<parent>`, that owns the one layer the build made.
 * The build's last step is given that layer instead, which reads as a build committed as one layer (see
 * mergedLayers); unfolded, the step without a command matches no line and the whole attribution fails.
 */
function foldSquashMerge(steps: HistoryStep[]): HistoryStep[] {
  const merge = steps[steps.length - 1];
  const last = steps[steps.length - 2];
  if (!merge || !last || merge.createdBy !== '' || merge.layerIndex === undefined || last.layerIndex !== undefined)
    return steps;
  if (!/^merge sha256:[0-9a-f]+ to( sha256:[0-9a-f]+)?\s*$/.test(merge.comment ?? '')) return steps;
  return [...steps.slice(0, -2), { ...last, layerIndex: merge.layerIndex }];
}

/**
 * The classic builder records an exec-form RUN as its argv joined by spaces (`RUN ["cp", "a", "b"]` is `cp a b`, with
 * `|1 A=b ` in front when build args are in scope), with nothing that says RUN: unread, the step pairs with no line and
 * the RUNs around it are lined up with the wrong lines. A step that is exactly the argv of one of the Dockerfile's
 * exec-form RUNs is read as a RUN.
 */
function execFormRuns(steps: HistoryStep[], instructions: readonly Instruction[]): HistoryStep[] {
  const argvs = new Set(
    instructions
      .filter((d) => d.keyword === 'RUN' && d.form === 'exec' && d.execArgs !== undefined && d.execArgs.length > 0)
      .map((d) => d.execArgs!.join(' ')),
  );
  if (argvs.size === 0) return steps;
  return steps.map((s) => {
    const argv = withoutBuildArgs(s.createdBy.trim(), (rest) => argvs.has(rest));
    return historyKeyword(s.instruction) !== 'RUN' && argvs.has(argv) ? { ...s, instruction: `RUN ${argv}` } : s;
  });
}

/** An attribution against one stage's chain, with how well the chain fits the history. */
interface Fit {
  attribution: Attribution;
  /** The chain's lines no step was paired with (ARG aside: BuildKit records none). */
  missing: number;
  /** Steps paired with a line, less the missing lines; -Infinity when the history could not be lined up at all. */
  score: number;
}

/**
 * The history lined up with the chain of one stage. A build with `--target` stops at a stage before the file's last,
 * and its history holds that stage's chain only; history does not name the target, so the caller tries each stage.
 */
function attributeChain(
  chain: ReturnType<typeof finalChain>,
  historySteps: HistoryStep[],
  layerCount: number,
  say: (instruction: Instruction) => LayerAttribution,
): Fit {
  const { instructions, from, baseImage } = chain;
  const layers: (LayerAttribution | undefined)[] = new Array(layerCount).fill(undefined);
  const fromAttribution = from ? say(from) : undefined;
  const unmatched = { layers, baseLayers: 0, from: fromAttribution, matched: false };
  const steps = execFormRuns(foldSquashMerge(historySteps), instructions);
  let i = steps.length - 1;
  let j = instructions.length - 1;
  let firstMatched = steps.length;
  let matchedAny = false;
  const matchedSteps = new Map<number, Instruction>();
  while (i >= 0 && j >= 0) {
    const step = steps[i];
    const hk = historyKeyword(step.instruction);
    const d = instructions[j];
    // Other history text is rewritten by builders (`dir:<hash>` sources, quoting of JSON arrays, LABEL values), so
    // only a RUN's script is compared.
    const same = hk === d.keyword && runsMatch(step.instruction, d) !== false;
    if (hk === d.keyword && !same) {
      // Two RUNs with different scripts: the Dockerfile has a RUN the image lacks, the image has one the Dockerfile
      // lacks, or they are not the same build at all.
      if (instructions.slice(0, j).some((x) => runsMatch(step.instruction, x) === true)) j--;
      else if (steps.slice(0, i).some((s) => runsMatch(s.instruction, d) === true)) i--;
      else
        return {
          attribution: { ...unmatched, layers: new Array(layerCount).fill(undefined) },
          missing: instructions.length,
          score: -Infinity,
        };
      continue;
    }
    if (same) {
      if (step.layerIndex !== undefined) layers[step.layerIndex] = say(d);
      matchedSteps.set(i, d);
      firstMatched = i;
      matchedAny = true;
      i--;
      j--;
      continue;
    }
    // One side has something the other lacks: a line added to or removed from the Dockerfile since the build, an
    // instruction the builder did not record (BuildKit: ARG), a step the builder added. When skipping one of the two
    // lines the pair up again at once, that is the one to skip; guessed the other way, the build's own layers above
    // would be taken for the base's.
    const pairs = (s: HistoryStep, x: Instruction) =>
      historyKeyword(s.instruction) === x.keyword && runsMatch(s.instruction, x) !== false;
    const extraLine = j > 0 && pairs(step, instructions[j - 1]);
    const extraStep = i > 0 && pairs(steps[i - 1], d);
    if (d.keyword === 'ARG' || (extraLine && !extraStep)) j--;
    else if (extraStep && !extraLine) i--;
    else if (!instructions.slice(0, j).some((x) => x.keyword === hk)) j--;
    else i--;
  }
  // Every builder records each RUN, COPY and ADD as a step (an empty one when it changed nothing or was merged), so the
  // image's own Dockerfile lines some of them up. When none does, only metadata paired, by keyword alone: another
  // image's Dockerfile that ends in a CMD like this one's would count every layer below that CMD as the base's.
  const makesLayers = instructions.some((d) => CONTENT.has(d.keyword));
  if (makesLayers && ![...matchedSteps.values()].some((d) => CONTENT.has(d.keyword)))
    return {
      attribution: { ...unmatched, layers: new Array(layerCount).fill(undefined) },
      missing: instructions.length,
      score: -Infinity,
    };
  // A Dockerfile with nothing after its FROM may still have made layers: the base's ONBUILD triggers.
  const triggers =
    matchedAny || instructions.length === 0 ? onbuildTriggers(steps, firstMatched) : new Map<number, string>();
  const firstOwn = Math.min(firstMatched, ...triggers.keys());
  if (fromAttribution)
    for (const [k, trigger] of triggers) {
      const layer = steps[k].layerIndex;
      if (layer !== undefined) layers[layer] = triggerAttribution(fromAttribution, trigger);
    }
  if (triggers.size > 0 && fromAttribution) matchedAny = true;
  mergedLayers(
    steps,
    matchedSteps,
    firstOwn,
    layers,
    say,
    baseImage?.toLowerCase() !== 'scratch',
    triggers,
    fromAttribution,
  );
  let baseLayers = 0;
  for (let k = 0; k < firstOwn && k < steps.length; k++) if (steps[k].layerIndex !== undefined) baseLayers++;
  // Steps that precede the first matched instruction are the base image's; nothing in them is attributed.
  for (let k = 0; k < layerCount; k++) if (k < baseLayers) layers[k] = undefined;
  const paired = new Set(matchedSteps.values());
  const missing = instructions.filter((d) => !paired.has(d) && d.keyword !== 'ARG').length;
  return {
    attribution: { layers, baseLayers: matchedAny ? baseLayers : 0, from: fromAttribution, matched: matchedAny },
    missing,
    score: matchedAny ? matchedSteps.size - missing : -Infinity,
  };
}

/** Instructions of the chains tried as `--target` stages, at most (`attributeLayers`). */
const MAX_TRIED_INSTRUCTIONS = 4_000;

export function attributeLayers(
  config: Pick<ConfigFile, 'history'> & Partial<Pick<ConfigFile, 'os' | 'architecture' | 'variant'>>,
  layerCount: number,
  dockerfileText: string,
  file: string,
): Attribution {
  const parsed = parseDockerfile(dockerfileText, file);
  // The image was built for its config's platform: BuildKit gave TARGETARCH & co. those values, so a FROM naming an
  // earlier stage through one (`FROM build-$TARGETARCH`) is followed to that stage. (BUILD*: this machine's, a guess.)
  const platformArgs =
    config.os && config.architecture
      ? platformArgValues({ os: config.os, architecture: config.architecture, variant: config.variant }, hostPlatform())
      : {};
  const model = analyzeStages(parsed, platformArgs);
  const history = mapHistory(config, layerCount);
  const say = (d: Instruction) => describe(d, file, parsed.escapeChar, sourceLines(parsed));
  const last = finalChain(parsed, model);
  if (!history.known) {
    const from = last.from ? say(last.from) : undefined;
    return { layers: new Array(layerCount).fill(undefined), baseLayers: 0, from, matched: false };
  }
  let best = attributeChain(last, history.steps, layerCount, say);
  // The last stage fits when every line of its chain is in the history. Otherwise the image may have been built with
  // `--target` an earlier stage (or the file was edited since): a stage that fits strictly better is taken, so a
  // layer is not given the line of a stage that never ran, whose RUN reads the same as the target's.
  // Each try walks a stage's chain: tried for every stage of a file of thousands, each FROM the one before, that was
  // quadratic (5,000 stages: 3.6 minutes). The stages nearest the end are tried until MAX_TRIED_INSTRUCTIONS.
  let budget = MAX_TRIED_INSTRUCTIONS;
  if (best.missing > 0)
    for (let target = parsed.stages.length - 2; target >= 0; target--) {
      const chain = finalChain(parsed, model, target);
      budget -= chain.instructions.length;
      if (budget < 0) break;
      const fit = attributeChain(chain, history.steps, layerCount, say);
      if (fit.score > best.score) best = fit;
    }
  return best.attribution;
}

// History <-> Dockerfile: which instruction (file:line) made each layer, and which layers the final FROM brought in.
// History entries are aligned with the final stage's instructions from the end backwards, by keyword, and for a
// shell-form RUN by its script as well (every builder records that text as written, whitespace aside): builders
// record every instruction, except that BuildKit skips some (ARG) and the classic builder/buildah record metadata
// steps as empty layers. Whatever precedes the final stage's first matched instruction belongs to the base image. A
// final stage built `FROM` an earlier stage inherits that stage's instructions, so they are matched too. A RUN whose
// script matches no step (a Dockerfile other than the image's) makes the whole attribution unmatched: keywords alone
// would pair layers with unrelated lines.
import { parseDockerfile, type Instruction, type ParsedDockerfile } from '../dockerfile/parse.js';
import { mapHistory, type HistoryStep } from '../image/history.js';
import type { ConfigFile } from '../image/types.js';

export interface LayerAttribution {
  file: string;
  line: number;
  endLine: number;
  keyword: string;
  /** The instruction as written, on one line. */
  text: string;
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

function describe(instruction: Instruction, file: string): LayerAttribution {
  return {
    file,
    line: instruction.line,
    endLine: instruction.endLine,
    keyword: instruction.keyword,
    text: squash(`${instruction.keywordText} ${instruction.args}`),
  };
}

/** The instructions whose results the final image contains, in build order, without FROMs. */
export function finalChain(parsed: ParsedDockerfile): {
  instructions: Instruction[];
  from?: Instruction;
  /** The image the chain starts from, as written (`scratch`, `debian:12`, `${BASE}`). */
  baseImage?: string;
} {
  const stages = parsed.stages;
  if (stages.length === 0) return { instructions: [] };
  const chain: Instruction[][] = [];
  let stage = stages[stages.length - 1];
  const seen = new Set<number>();
  let from: Instruction | undefined;
  for (;;) {
    seen.add(stage.index);
    const own = parsed.instructions.slice(stage.firstInstruction, stage.lastInstruction + 1);
    from = own[0];
    chain.unshift(own.slice(1));
    const parentName = stage.baseImage.toLowerCase();
    const parent = stages.find((s) => s.name === parentName && s.index < stage.index && !seen.has(s.index));
    if (!parent) break;
    stage = parent;
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

/** Instructions that change the filesystem; the others only set config. */
const FILESYSTEM = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
/** Those that put files in a layer (a WORKDIR makes at most an empty directory). */
const CONTENT = new Set(['RUN', 'COPY', 'ADD']);

/**
 * A build committed as one layer (buildah without `--layers`, `--squash`) records every instruction as an empty
 * step and gives the layer to the last one, often a CMD: blaming that line for the bytes of every RUN and COPY above
 * it would send the user to the wrong line. Such a layer is attributed to the span of the instructions that made it,
 * or to none when the span reaches into the base image's steps (a squash of base and build together). A BuildKit
 * RUN that changed nothing is an empty step too, so a layer owned by a filesystem instruction counts as merged only
 * when it is the build's only layer.
 */
function mergedLayers(
  steps: HistoryStep[],
  matched: ReadonlyMap<number, Instruction>,
  firstMatched: number,
  layers: (LayerAttribution | undefined)[],
  file: string,
  hasBase: boolean,
): void {
  const owners = [...matched.keys()].filter((i) => steps[i].layerIndex !== undefined);
  for (const i of owners) {
    const owner = matched.get(i)!;
    let start = i;
    while (start > 0 && steps[start - 1].layerIndex === undefined) start--;
    const merged: Instruction[] = [];
    for (let k = start; k < i; k++) {
      const d = matched.get(k);
      if (d && CONTENT.has(d.keyword)) merged.push(d);
    }
    if (merged.length === 0 || (FILESYSTEM.has(owner.keyword) && owners.length > 1)) continue;
    if (CONTENT.has(owner.keyword)) merged.push(owner);
    const layer = steps[i].layerIndex!;
    // The base image's own config steps (its CMD, USER) may sit in the span; its RUN/COPY/ADD steps mean the layer
    // holds the base's files too, and so does a span that starts the history of an image with a base (`--squash`
    // keeps no step of the base's).
    const withBase =
      (start === 0 && hasBase) ||
      steps.slice(start, firstMatched).some((s) => CONTENT.has(historyKeyword(s.instruction)));
    if (withBase) {
      layers[layer] = undefined;
      continue;
    }
    const first = merged[0];
    const last = merged[merged.length - 1];
    layers[layer] = {
      ...describe(first, file),
      endLine: last.endLine,
      text: merged.map((d) => describe(d, file).text).join(' ; '),
    };
  }
}

export function attributeLayers(
  config: Pick<ConfigFile, 'history'>,
  layerCount: number,
  dockerfileText: string,
  file: string,
): Attribution {
  const parsed = parseDockerfile(dockerfileText, file);
  const { instructions, from, baseImage } = finalChain(parsed);
  const history = mapHistory(config, layerCount);
  const layers: (LayerAttribution | undefined)[] = new Array(layerCount).fill(undefined);
  const fromAttribution = from ? describe(from, file) : undefined;
  if (!history.known) return { layers, baseLayers: 0, from: fromAttribution, matched: false };

  const steps = history.steps;
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
        return { layers: new Array(layerCount).fill(undefined), baseLayers: 0, from: fromAttribution, matched: false };
      continue;
    }
    if (same) {
      if (step.layerIndex !== undefined) layers[step.layerIndex] = describe(d, file);
      matchedSteps.set(i, d);
      firstMatched = i;
      matchedAny = true;
      i--;
      j--;
      continue;
    }
    // A Dockerfile instruction the builder did not record (BuildKit: ARG; ONBUILD triggers...): skip it.
    const laterSame = instructions.slice(0, j).some((x) => x.keyword === hk);
    if (!laterSame || d.keyword === 'ARG') j--;
    else i--; // a history step the Dockerfile does not show (builder-added LABEL): skip it
  }
  mergedLayers(steps, matchedSteps, firstMatched, layers, file, baseImage?.toLowerCase() !== 'scratch');
  let baseLayers = 0;
  for (let k = 0; k < firstMatched && k < steps.length; k++) if (steps[k].layerIndex !== undefined) baseLayers++;
  // Steps that precede the first matched instruction are the base image's; nothing in them is attributed.
  for (let k = 0; k < layerCount; k++) if (k < baseLayers) layers[k] = undefined;
  return { layers, baseLayers: matchedAny ? baseLayers : 0, from: fromAttribution, matched: matchedAny };
}

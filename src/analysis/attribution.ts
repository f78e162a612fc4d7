// History <-> Dockerfile: which instruction (file:line) made each layer, and which layers the final FROM brought in.
// History entries are aligned with the final stage's instructions from the end backwards, by keyword (and, for
// RUN, by command text when both sides have it): builders record every instruction, except that BuildKit skips
// some (ARG) and the classic builder/buildah record metadata steps as empty layers. Whatever precedes the
// final stage's first matched instruction belongs to the base image. A final stage built `FROM` an earlier stage
// inherits that stage's instructions, so they are matched too.
import { parseDockerfile, type Instruction, type ParsedDockerfile } from '../dockerfile/parse.js';
import { mapHistory } from '../image/history.js';
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
export function finalChain(parsed: ParsedDockerfile): { instructions: Instruction[]; from?: Instruction } {
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
  return { instructions: chain.flat(), from };
}

function historyKeyword(instruction: string): string {
  const word = /^([A-Za-z]+)/.exec(instruction)?.[1]?.toUpperCase() ?? '';
  return word;
}

export function attributeLayers(
  config: Pick<ConfigFile, 'history'>,
  layerCount: number,
  dockerfileText: string,
  file: string,
): Attribution {
  const parsed = parseDockerfile(dockerfileText, file);
  const { instructions, from } = finalChain(parsed);
  const history = mapHistory(config, layerCount);
  const layers: (LayerAttribution | undefined)[] = new Array(layerCount).fill(undefined);
  const fromAttribution = from ? describe(from, file) : undefined;
  if (!history.known) return { layers, baseLayers: 0, from: fromAttribution, matched: false };

  const steps = history.steps;
  let i = steps.length - 1;
  let j = instructions.length - 1;
  let firstMatched = steps.length;
  let matchedAny = false;
  while (i >= 0 && j >= 0) {
    const step = steps[i];
    const hk = historyKeyword(step.instruction);
    const d = instructions[j];
    // Keyword alignment: history text is rewritten by builders (ARG prefixes, `dir:<hash>` sources, heredocs),
    // so the command text is not compared.
    const same = hk === d.keyword;
    if (same) {
      if (step.layerIndex !== undefined) layers[step.layerIndex] = describe(d, file);
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
  let baseLayers = 0;
  for (let k = 0; k < firstMatched && k < steps.length; k++) if (steps[k].layerIndex !== undefined) baseLayers++;
  // Steps that precede the first matched instruction are the base image's; nothing in them is attributed.
  for (let k = 0; k < layerCount; k++) if (k < baseLayers) layers[k] = undefined;
  return { layers, baseLayers: matchedAny ? baseLayers : 0, from: fromAttribution, matched: matchedAny };
}

// Stage facts the rules share: which stages reach the final image (directly, as a FROM base, or through COPY --from /
// RUN --mount from=), which stage a FROM builds on, and the ARG/ENV values in effect at each instruction.
import type { Instruction, ParsedDockerfile } from './parse.js';
import { splitWords } from './parse.js';

export type Variables = Readonly<Record<string, string | undefined>>;

export interface StageModel {
  /** For each stage: the index of the earlier stage its FROM builds on, if any. */
  baseStage: (number | undefined)[];
  /** For each stage: whether its content ends up in the final image. */
  reachesFinal: boolean[];
  /** For each stage: whether a later stage uses it (FROM it, COPY --from, RUN --mount from=). */
  usedLater: boolean[];
  /** Variables visible to each instruction (before it runs), by instruction index. */
  variablesAt: Variables[];
  /** Global ARGs (before the first FROM) with their defaults. */
  globalArgs: Variables;
  /** Look up a stage by `--from` value: a name or a numeric index. */
  stageByRef(ref: string, beforeStage?: number): number | undefined;
}

/** Builds the stage model in one pass over the instructions. */
export function analyzeStages(parsed: ParsedDockerfile): StageModel {
  const { stages, instructions } = parsed;
  const byName = new Map<string, number>();
  const stageByRef = (ref: string, beforeStage = stages.length): number | undefined => {
    const lower = ref.toLowerCase();
    const named = byName.get(lower);
    if (named !== undefined && named < beforeStage) return named;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n < beforeStage && n < stages.length) return n;
    }
    return undefined;
  };
  const baseStage: (number | undefined)[] = [];
  const uses: number[][] = stages.map(() => []);
  const globalArgs: Record<string, string | undefined> = {};
  const variablesAt: Variables[] = [];
  const stageVars: Variables[] = [];
  let current: Record<string, string | undefined> = {};
  let stage = -1;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      stage = instruction.stageIndex;
      const image = substitute(stages[stage].baseImage, globalArgs);
      const base = stageByRef(image, stage);
      baseStage[stage] = base;
      if (base !== undefined) uses[stage].push(base);
      // ENV (and stage ARGs) carry into a stage built FROM an earlier stage; global ARGs do not until redeclared.
      current = base !== undefined ? { ...stageVars[base] } : {};
      if (stages[stage].name) byName.set(stages[stage].name!, stage);
      variablesAt.push(current);
      stageVars[stage] = current;
      continue;
    }
    variablesAt.push(current);
    if (stage < 0) {
      if (instruction.keyword === 'ARG') Object.assign(globalArgs, readAssignments(instruction, globalArgs, true));
      continue;
    }
    if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
      const values = readAssignments(instruction, current, instruction.keyword === 'ARG');
      if (instruction.keyword === 'ARG') {
        // `ARG NAME` without a default inside a stage takes the global default.
        for (const [name, value] of Object.entries(values)) if (value === undefined && name in globalArgs) values[name] = globalArgs[name];
      }
      current = { ...current, ...values };
      stageVars[stage] = current;
    }
    const from = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? instruction.flags.from : undefined;
    if (from !== undefined) {
      const used = stageByRef(substitute(from, current), stage);
      if (used !== undefined) uses[stage].push(used);
    }
    for (const flag of instruction.flagList) {
      if (flag.name === 'mount' && flag.options.from) {
        const used = stageByRef(substitute(flag.options.from, current), stage);
        if (used !== undefined) uses[stage].push(used);
      }
    }
  }
  const reachesFinal = stages.map(() => false);
  const usedLater = stages.map(() => false);
  for (const list of uses) for (const used of list) usedLater[used] = true;
  const visit = (index: number): void => {
    if (reachesFinal[index]) return;
    reachesFinal[index] = true;
    for (const used of uses[index]) visit(used);
  };
  if (stages.length > 0) visit(stages.length - 1);
  return { baseStage, reachesFinal, usedLater, variablesAt, globalArgs, stageByRef };
}

function readAssignments(instruction: Instruction, scope: Variables, isArg: boolean): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const text = instruction.shellText;
  const words = splitWords(text);
  if (!isArg && words.length >= 2 && !words[0].includes('=')) {
    // Legacy `ENV NAME value with spaces`.
    const name = words[0];
    out[name] = substitute(text.slice(text.indexOf(name) + name.length).trim(), scope);
    return out;
  }
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) out[word] = undefined;
    else out[word.slice(0, eq)] = substitute(word.slice(eq + 1), { ...scope, ...out });
  }
  return out;
}

/**
 * Replaces `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}` with values from `vars`.
 * Unknown variables stay as written (so rules can tell "unresolved" from "empty").
 */
export function substitute(text: string, vars: Variables): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, op, word, bare) => {
    const name = (braced ?? bare) as string;
    const value = vars[name];
    const known = name in vars && value !== undefined;
    if (op === ':-' || op === '-') return known && (op === '-' || value !== '') ? value! : (word as string);
    if (op === ':+' || op === '+') return known && (op === '+' || value !== '') ? (word as string) : '';
    return known ? value! : whole;
  });
}

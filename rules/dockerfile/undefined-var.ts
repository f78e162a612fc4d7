// DF260: `$NAME` used where no ARG or ENV defines it (BuildKit UndefinedVar).
import leven from 'leven';
import type { Instruction } from '../../src/dockerfile/parse.js';
import { meantUnset, PLATFORM_ARGS, PREDEFINED_ARGS, variableRefs } from '../../src/dockerfile/build-args.js';
import { splitRawWords } from '../../src/dockerfile/words.js';
import { baseImageOf, defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

// The instructions whose arguments the builder expands (RUN, CMD and ENTRYPOINT are left to the shell at run time;
// FROM is DF258's).
const EXPANDED = ['ADD', 'COPY', 'ENV', 'ARG', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

/** Variables nearly every base image sets in its ENV (or the runtime does): a stage built on an image may use them. */
const IMAGE_ENV = new Set(['PATH', 'HOME', 'HOSTNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'TERM', 'USER', 'PWD', 'SHELL']);

/**
 * The defined name `name` is a typo of: one edit away (two from eight letters), two neighbours swapped, or another
 * case. Not a prefix: `$GOPATH` with a `GOPATH_DIR` defined is the base image's variable, not a typo.
 */
function typoOf(name: string, defined: Iterable<string>): string | undefined {
  if (name.length < 3) return undefined;
  const most = name.length >= 8 ? 2 : 1;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of defined) {
    if (candidate === name) continue;
    const a = name.toLowerCase();
    const b = candidate.toLowerCase();
    const distance = a === b ? 0 : swapped(a, b) ? 1 : leven(a, b);
    if (distance <= most && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF260',
    name: 'undefined-var',
    type: 'problem',
    summary: 'Define a variable with ARG or ENV before using it',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      undefined:
        '`${{name}}` is not defined here: no ARG or ENV before this {{keyword}} sets it, so it expands to nothing.{{hint}}',
      typo: '`${{name}}` is not set by any ARG or ENV before this {{keyword}}; did you mean `${{suggestion}}`? Unless the base image sets it, it expands to nothing.',
      platformArg:
        "`${{name}}` is one of the builder's platform ARGs, which are set in the global scope only: this stage does not declare it, so here it expands to nothing; add `ARG {{name}}` to this stage before this {{keyword}}.",
      globalArg:
        "`${{name}}` is a global ARG this stage does not declare: here it expands to nothing (or to the base image's ENV of that name); add `ARG {{name}}` to this stage before this {{keyword}}.",
    },
    sources: [{ tool: 'buildkit', id: 'UndefinedVar', relation: 'same' }],
  }),
  create(ctx) {
    const { globalArgs } = ctx.stages;
    const check = (instruction: Instruction): void => {
      if (instruction.stageIndex < 0) return;
      // A stage on `scratch` (itself or through earlier stages) has only what this file defines; one on an image
      // also has the image's ENV, which ballast cannot see: there only likely typos are reported.
      const fromScratch = baseImageOf(ctx, instruction.stageIndex)?.toLowerCase() === 'scratch';
      const vars = ctx.variables(instruction);
      const texts = instruction.heredocs.length > 0 ? [instruction.args.split('\n')[0]] : [instruction.shellText];
      for (const flag of instruction.flagList) texts.push(flag.value);
      // An ARG's value sees the names the same ARG declared before it; an ENV's sees only the earlier scope (a name
      // set earlier in the same ENV is DF221's).
      const same =
        instruction.keyword === 'ARG' || instruction.keyword === 'ENV'
          ? assignedNames(instruction, ctx.parsed.escapeChar)
          : [];
      const reported = new Set<string>();
      for (const text of texts)
        for (const ref of variableRefs(text, ctx.parsed.escapeChar)) {
          const { name } = ref;
          if (meantUnset(ref) || reported.has(name) || name in vars || same.includes(name)) continue;
          if (PLATFORM_ARGS.has(name)) {
            reported.add(name);
            ctx.report({ messageId: 'platformArg', data: { name, keyword: instruction.keyword }, at: instruction });
            continue;
          }
          // The builder gives every stage a PATH, scratch ones too.
          if (PREDEFINED_ARGS.has(name) || name === 'PATH') continue;
          const names = [...Object.keys(vars), ...same];
          const suggestion = typoOf(name, names);
          if (fromScratch) {
            const hint =
              name in globalArgs
                ? ` A global ARG is visible in a stage only once declared there: add \`ARG ${name}\` to this stage.`
                : suggestion
                  ? ` Did you mean \`$${suggestion}\`?`
                  : '';
            reported.add(name);
            ctx.report({ messageId: 'undefined', data: { name, keyword: instruction.keyword, hint }, at: instruction });
          } else if (name in globalArgs) {
            // Declared before the first FROM and used in a stage without `ARG NAME`: the commonest way to get an empty
            // value, and the image's ENV of the same name (NODE_VERSION on node images) is not the ARG's value either.
            reported.add(name);
            ctx.report({ messageId: 'globalArg', data: { name, keyword: instruction.keyword }, at: instruction });
          } else if (suggestion && !IMAGE_ENV.has(name)) {
            reported.add(name);
            ctx.report({
              messageId: 'typo',
              data: { name, suggestion, keyword: instruction.keyword },
              at: instruction,
            });
          }
        }
    };
    /**
     * A RUN's shell expands its own variables, but a platform ARG the stage does not declare is not in its environment
     * either: `RUN GOARCH=$TARGETARCH go build` builds for the builder's own architecture. Only those are checked here
     * (BuildKit's check leaves shell-form RUN alone), and not where the script sets the name itself.
     */
    const run = (instruction: Instruction): void => {
      // An ONBUILD RUN runs in the builds FROM this image, whose stage may declare it.
      if (instruction.stageIndex < 0 || ctx.parsed.instructions[instruction.index] !== instruction) return;
      if (instruction.execArgs !== undefined || !ctx.stages.posixShell[instruction.index]) return;
      const vars = ctx.variables(instruction);
      // The script's first line only when it has heredocs: what a heredoc body does with `$NAME` (a file written
      // for later, a quoted delimiter) is not read here.
      const script = instruction.heredocs.length > 0 ? instruction.args.split('\n')[0] : instruction.shellText;
      const reported = new Set<string>();
      for (const text of [script, ...instruction.flagList.map((flag) => flag.value)])
        for (const ref of variableRefs(text, ctx.parsed.escapeChar)) {
          const { name } = ref;
          if (!PLATFORM_ARGS.has(name) || meantUnset(ref) || reported.has(name) || name in vars) continue;
          // Set by the script: `NAME=` (`${NAME=word}` too), `${NAME:=word}` (defaults that also assign), or a `for`,
          // `read`, `export`... naming it. Not DF103's `assigned`, which follows assignments in order for their values and
          // does not see `for` loops or `read` names in a script it has not reached.
          const assigned = new RegExp(
            `(^|[^\\w$])${name}=|\\$\\{${name}:=|\\b(for|read|export|local|declare|typeset|readonly)\\b[^;&|\\n]*\\s${name}(?![\\w}])`,
          );
          if (assigned.test(script)) continue;
          reported.add(name);
          ctx.report({ messageId: 'platformArg', data: { name, keyword: 'RUN' }, at: instruction });
        }
    };
    // Added one by one: the spread of an Object.fromEntries made a dictionary-mode object for every file, slow to build
    // and for the engine to read.
    const visitors: Record<string, (instruction: Instruction) => void> = {};
    for (const keyword of EXPANDED) visitors[keyword] = check;
    visitors.RUN = run;
    return visitors;
  },
});

/** Whether `a` is `b` with two neighbouring letters swapped (Levenshtein counts that as two edits). */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** The names an ARG or ENV assigns (`ENV A=1 B=2`, `ARG A B=2`, legacy `ENV A value`). */
function assignedNames(instruction: Instruction, escapeChar: string): string[] {
  // Quoted values with spaces are one word: `ENV A="b c=d"` assigns A only.
  const words = splitRawWords(instruction.shellText, escapeChar);
  if (instruction.keyword === 'ENV' && words.length >= 2 && !words[0].includes('=')) return [words[0]];
  return words.filter((w) => /^[A-Za-z_][A-Za-z0-9_]*(=|$)/.test(w)).map((w) => w.split('=')[0]);
}

// DF025: the whole context is copied and there is no .dockerignore next to the Dockerfile.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { appendLines, dockerignoreEntries, isNodeContext, projectLanguages } from '../../src/lint/autofix.js';
import { eolOf } from '../../src/lint/fixer.js';
import { copySources, defineRule, dockerfileMeta, resolvePath, workdirTracker } from '../../src/lint/helpers.js';

const BROAD = /^(\.|\.\/|\*|\.\/\*)$/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF025',
    name: 'missing-dockerignore',
    type: 'size',
    summary: 'Add a .dockerignore when the build copies the whole context',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      missing:
        "`{{keyword}} {{source}}` copies the whole build context and there is no .dockerignore: the context's {{what}} in the image; add a .dockerignore.",
    },
    sources: [],
  }),
  create(ctx) {
    let reported = false;
    const workdir = workdirTracker(ctx);
    const visit = (instruction: Instruction): void => {
      if (reported || instruction.flags.from !== undefined || !ctx.inFinalImage(instruction)) return;
      const { sources, destination } = copySources(instruction);
      const source = sources.find((s) => BROAD.test(s));
      if (source === undefined) return;
      // Only where the copied context ships: a build stage that later stages take only their output from (a Go
      // binary, a dist directory) leaves its .git and .env behind.
      const dest = resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction));
      const ships = (entry: string): boolean => ctx.ships(instruction, `${dest}/${entry}`);
      const git = ships('.git');
      const env = ships('.env');
      const modules = ships('node_modules');
      if (!git && !env && !modules) return;
      const ignore = ctx.readContextFile('.dockerignore');
      // null: no build context to look at (stdin, no --context): say nothing rather than guess.
      if (ignore === null || ignore !== undefined) return;
      // BuildKit also reads <Dockerfile name>.dockerignore next to the Dockerfile.
      const name = ctx.file.split('/').pop() ?? 'Dockerfile';
      if (ctx.readContextFile(`${name}.dockerignore`) !== undefined) return;
      reported = true;
      const node = isNodeContext(ctx) || projectLanguages(ctx).has('node');
      // Only what ships from where this COPY writes (a build stage whose node_modules alone is copied out ships no .env),
      // and node_modules only where the fix lists it.
      const what = [
        ...(git ? ['.git'] : []),
        ...(modules && node ? ['node_modules'] : []),
        ...(git && env ? ['build output'] : []),
        ...(env ? ['secrets such as .env'] : []),
      ];
      if (what.length === 0) what.push('node_modules');
      const list = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
      // Unsafe: the build no longer sees what the new file excludes (a step that reads .git, say).
      const fix = {
        applicability: 'unsafe' as const,
        title: 'Create a .dockerignore',
        // In the Dockerfile's line endings: a Windows checkout keeps its files CRLF.
        edits: [appendLines('.dockerignore', '', dockerignoreEntries(ctx, node), eolOf(ctx.parsed.text))],
      };
      ctx.report({
        messageId: 'missing',
        data: {
          keyword: instruction.keyword,
          source,
          what: `${list} ${what.length === 1 && !what[0].startsWith('secrets') ? 'ends' : 'end'} up`,
        },
        at: instruction,
        fix,
      });
    };
    return { COPY: visit, ADD: visit };
  },
});

// DF026: a .dockerignore that lets .git or node_modules into a broadly copied context.
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { appendLines, contextEntriesReadUnnamed, isNodeContext } from '../../src/lint/autofix.js';
import { copySources, defineRule, dockerfileMeta, resolvePath, workdirTracker } from '../../src/lint/helpers.js';

const BROAD = /^(\.|\.\/|\*|\.\/\*)$/;
/** Linux's PATH_MAX: the longest path a build context can hold, so the longest pattern worth matching. */
const MAX_PATTERN_LENGTH = 4096;

/**
 * One .dockerignore line as a matcher of top-level paths: whether it re-includes (`!`) and the expression it matches
 * with; undefined for a line that names nothing (empty, or longer than any path).
 */
export function ignorePattern(raw: string): { negated: boolean; match: RegExp } | undefined {
  const negated = raw.startsWith('!');
  const pattern = (negated ? raw.slice(1) : raw).trim().replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
  // A pattern longer than PATH_MAX names no path a build context can hold (a million `*` aside, which nobody
  // writes); one of a few hundred KB is more than V8 compiles ("Regular expression too large").
  if (pattern === '' || pattern.length > MAX_PATTERN_LENGTH) return undefined;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    // `**/` is any number of directories; a `**` not followed by `/` (alone, or at the end) matches anything, as in
    // BuildKit: `**` then `!src/**` is an allowlist that excludes everything else.
    .replace(/\*\*\//g, '@@GLOBSTAR@@')
    .replace(/\*\*/g, '@@ANY@@')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/@@GLOBSTAR@@/g, '(.*/)?')
    .replace(/@@ANY@@/g, '.*');
  return { negated, match: new RegExp(`^${source}$`) };
}

/**
 * The ignore file the builder applies for this Dockerfile: its own `NAME.dockerignore` wins over the context's
 * `.dockerignore`. Its name, text and patterns (comments and blank lines left out); undefined when neither is there.
 */
export function ignoreFileOf(ctx: DockerfileContext): { file: string; text: string; patterns: string[] } | undefined {
  const name = ctx.file.split('/').pop() ?? 'Dockerfile';
  const own = ctx.readContextFile(`${name}.dockerignore`);
  const file = typeof own === 'string' ? `${name}.dockerignore` : '.dockerignore';
  const text = typeof own === 'string' ? own : ctx.readContextFile('.dockerignore');
  if (typeof text !== 'string') return undefined;
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return { file, text, patterns };
}

/** Whether the .dockerignore patterns exclude a top-level entry `name` (last matching pattern wins, `!` re-includes). */
export function excludes(patterns: string[], name: string): boolean {
  let excluded = false;
  for (const raw of patterns) {
    const pattern = ignorePattern(raw);
    if (pattern?.match.test(name)) excluded = !pattern.negated;
  }
  return excluded;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF026',
    name: 'dockerignore-incomplete',
    type: 'size',
    summary: 'Exclude .git and node_modules in .dockerignore',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notIgnored:
        '.dockerignore does not exclude `{{entry}}`, so `{{keyword}} {{source}}` copies it into the image; add `{{entry}}` to .dockerignore.',
      gitRead:
        '.dockerignore does not exclude `.git`, so `{{keyword}} {{source}}` copies it into the image, and a RUN runs git, which may read it; take what it needs in an earlier stage (or from a bind mount) and exclude `.git`.',
    },
    sources: [],
  }),
  create(ctx) {
    let checked = false;
    const workdir = workdirTracker(ctx);
    const visit = (instruction: Instruction): void => {
      if (checked || instruction.flags.from !== undefined || !ctx.inFinalImage(instruction)) return;
      const { sources, destination } = copySources(instruction);
      const source = sources.find((s) => BROAD.test(s));
      if (source === undefined) return;
      // Only where the copied context ships: a build stage that later stages take only their output from (a Go
      // binary, a dist directory) leaves its .git and node_modules behind.
      const dest = resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction));
      if (!ctx.ships(instruction, `${dest}/.git`, `${dest}/node_modules`)) return;
      const ignore = ignoreFileOf(ctx);
      if (!ignore) return;
      checked = true;
      const { file, text, patterns } = ignore;
      const wanted = ['.git'];
      // node_modules matters for Node projects (a package.json in the context) or when the file mentions npm/yarn/pnpm.
      const node = isNodeContext(ctx);
      if (node) wanted.push('node_modules');
      const read = contextEntriesReadUnnamed(ctx, node);
      for (const entry of wanted) {
        if (excludes(patterns, entry) || !ctx.ships(instruction, `${dest}/${entry}`)) continue;
        if (read.includes(entry)) {
          // node_modules that nothing installs is the app's own: copying it is the point. A .git that git reads is
          // still in the image, but excluding it would break the build: no fix.
          if (entry === '.git')
            ctx.report({ messageId: 'gitRead', data: { keyword: instruction.keyword, source }, at: instruction });
          continue;
        }
        // Unsafe: the build no longer sees the entry (a step that reads .git for a version string, say).
        const fix = {
          applicability: 'unsafe' as const,
          title: `Add ${entry} to ${file}`,
          edits: [appendLines(file, text, [entry])],
        };
        ctx.report({
          messageId: 'notIgnored',
          data: { entry, keyword: instruction.keyword, source },
          at: instruction,
          fix,
        });
      }
    };
    return { COPY: visit, ADD: visit };
  },
});

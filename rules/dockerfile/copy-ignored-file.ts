// DF261: COPY/ADD names a path the .dockerignore excludes (BuildKit CopyIgnoredFile).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { copySources, defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { ignoreFileOf, ignorePattern } from './dockerignore-incomplete.js';

/** An ignore file's line, with the matcher of what it names (`!` taken off: undefined for one that matches nothing). */
interface IgnoreLine {
  raw: string;
  negated: boolean;
  match: RegExp | undefined;
}

function ignoreLine(raw: string): IgnoreLine {
  const negated = raw.startsWith('!');
  const pattern = ignorePattern(negated ? raw.slice(1) : raw);
  // A line left with a `!` of its own (`!!a`) re-includes, so on its own it excludes nothing.
  return { raw, negated, match: pattern && !pattern.negated ? pattern.match : undefined };
}

/**
 * The pattern that excludes `path` (it or a parent directory, the last matching pattern deciding), if any, with the
 * path or parent it names (`build` of `build/libs` for `**\/build`).
 */
function excludingPattern(lines: IgnoreLine[], path: string): { raw: string; at: string } | undefined {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let by: { raw: string; at: string } | undefined;
  for (const { raw, negated, match } of lines) {
    const at = match && candidates.find((c) => match.test(c));
    if (at !== undefined) by = negated ? undefined : { raw, at };
  }
  return by;
}

/** Whether a `!` pattern after the excluding one may let something under `dir` back in (the copy then works). */
function reincludesBelow(patterns: string[], dir: string): boolean {
  return patterns.some((p) => {
    if (!p.startsWith('!')) return false;
    const pattern = p.slice(1).trim().replace(/^\/+/, '').replace(/^\.\//, '');
    return pattern.startsWith('*') || pattern.startsWith(`${dir}/`);
  });
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF261',
    name: 'copy-ignored-file',
    type: 'problem',
    summary: 'Do not COPY what .dockerignore excludes',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      ignored:
        '`{{source}}` is excluded by {{file}} (`{{pattern}}`), so the build context does not hold it: this {{keyword}} fails or copies nothing of it.',
      ignoredGlob:
        '`{{source}}` matches nothing: {{file}} excludes `{{dir}}`{{by}}, so the build context holds nothing under it; this {{keyword}} fails or copies nothing.',
    },
    sources: [{ tool: 'buildkit', id: 'CopyIgnoredFile', relation: 'same' }],
  }),
  create(ctx) {
    let loaded: { file: string; patterns: string[]; lines?: IgnoreLine[] } | null | undefined;
    const ignoreFile = (): { file: string; patterns: string[]; lines?: IgnoreLine[] } | null =>
      loaded !== undefined ? loaded : (loaded = ignoreFileOf(ctx) ?? null);
    const visit = (instruction: Instruction): void => {
      // From a stage, an image or a named context: not the build context.
      if (instruction.flags.from !== undefined) return;
      const { sources } = copySources(instruction);
      if (sources.length === 0) return;
      const ignore = ignoreFile();
      if (!ignore || ignore.patterns.length === 0) return;
      for (const written of sources) {
        const source = ctx.resolve(written, instruction);
        // URLs and git sources are fetched; unresolved variables name no one path.
        if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(source) || source.includes('$')) continue;
        const clean = source
          .replace(/^(\.\/)+/, '')
          .replace(/^\/+/, '')
          .replace(/\/+$/, '')
          .replace(/\/\.$/, '');
        // A wildcard names no one path, but everything it matches lies under its fixed leading directories
        // (`target` of `target/*.jar`): when those are excluded, it matches nothing in the context.
        const names = clean.split('/');
        const glob = names.findIndex((name) => /[*?[\]]/.test(name));
        const path = glob < 0 ? clean : names.slice(0, glob).join('/');
        if (path === '' || path === '.' || path.split('/').includes('..')) continue;
        // Compiled at the first source that needs them, once for the file.
        const excluded = excludingPattern((ignore.lines ??= ignore.patterns.map(ignoreLine)), path);
        if (excluded === undefined || reincludesBelow(ignore.patterns, path)) continue;
        const pattern = excluded.raw;
        ctx.report({
          messageId: glob < 0 ? 'ignored' : 'ignoredGlob',
          data: {
            source: written,
            file: ignore.file,
            pattern,
            keyword: instruction.keyword,
            dir: excluded.at,
            // The pattern when it is not the directory as written (`**/build` for `build`); `/target`, `./target` and
            // `target/` are `target` written otherwise, which the builder reads the same.
            by: pattern.replace(/^(\.?\/)+/, '').replace(/\/+$/, '') === excluded.at ? '' : ` (\`${pattern}\`)`,
          },
          at: instruction,
        });
      }
    };
    return { COPY: visit, ADD: visit };
  },
});

// DF251: a stage name that is not lowercase (BuildKit StageNameCasing).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { mountsOf } from '../../src/dockerfile/mount.js';
import { defineRule, dockerfileMeta, replaceMatches } from '../../src/lint/helpers.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF251',
    name: 'stage-name-casing',
    type: 'suggestion',
    summary: 'Write stage names in lowercase',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      casing:
        'Stage name `{{name}}` is not lowercase; the builder lowercases stage names anyway, so write `{{lower}}`.',
    },
    sources: [{ tool: 'buildkit', id: 'StageNameCasing', relation: 'same' }],
  }),
  create(ctx) {
    const { parsed } = ctx;
    return {
      FROM(instruction) {
        const words = instruction.shellText.trim().split(/\s+/);
        if (words.length < 3 || words[1].toLowerCase() !== 'as') return;
        const name = words[2];
        const lower = name.toLowerCase();
        if (name === lower) return;
        ctx.report({ messageId: 'casing', data: { name, lower }, at: instruction, fix: fixFor(instruction, name) });
      },
    };

    /**
     * Lowercases the name where it is defined and everywhere later instructions refer to it (FROM <stage>,
     * COPY --from=, RUN --mount=from=): the builder matches those references ignoring case, so the build is the same.
     * No fix when another stage has the same name, a reference is a variable (it may or may not name this stage), or
     * the name's text appears on a referring line more often than the references account for.
     */
    function fixFor(definition: Instruction, name: string) {
      const lower = name.toLowerCase();
      if (name.includes('$') || parsed.stages.filter((s) => s.name === lower).length !== 1) return undefined;
      const word = escape(name);
      const defining = replaceMatches(
        parsed,
        definition,
        new RegExp(`(?<=\\s[aA][sS]\\s+)${word}(?=\\s*$)`, 'gim'),
        (t) => t.toLowerCase(),
        // (on the lines the builder joins: `FROM debian \` + `  AS Build`, `COPY --from=Build\`)
        true,
      );
      if (defining.length !== 1) return undefined;
      const edits = [...defining];
      for (const instruction of parsed.instructions.slice(definition.index + 1)) {
        const refs: string[] = [];
        if (instruction.keyword === 'FROM') refs.push(instruction.shellText.trim().split(/\s+/)[0] ?? '');
        if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
          for (const flag of instruction.flagList) if (flag.name === 'from') refs.push(flag.value);
        if (instruction.keyword === 'RUN')
          for (const mount of mountsOf(instruction)) if (mount.from !== undefined) refs.push(mount.from);
        const ours = refs.filter((r) => r.toLowerCase() === lower).length;
        if (refs.some((r) => r.includes('$'))) return undefined;
        if (instruction.trigger && instruction.trigger.flagList.some((f) => /from/i.test(`${f.name}${f.value}`)))
          return undefined;
        if (ours === 0) continue;
        const found = replaceMatches(
          parsed,
          instruction,
          new RegExp(`(?<=[\\s=])${word}(?=[\\s,]|$)`, 'gim'),
          (t) => t.toLowerCase(),
          true,
        );
        if (found.length !== ours) return undefined;
        edits.push(...found);
      }
      return { applicability: 'safe' as const, title: `Lowercase stage name ${name}`, edits };
    }
  },
});

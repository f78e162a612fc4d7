// DF100: a line that is not a Dockerfile instruction, a heredoc never closed, a parser directive given twice, an
// escape directive the builder rejects, a file with no instruction at all or one of only ARG lines, and arguments or
// flags the builder refuses for their instruction (it stops with a parse error; hadolint reports DL1000 for the parse
// errors).
import {
  INSTRUCTION_KEYWORDS,
  joinContinuations,
  parseExecForm,
  sourceLines,
  splitWords,
  type Instruction,
} from '../../src/dockerfile/parse.js';
import { isStageName } from '../../src/dockerfile/stages.js';
import { splitRawWords } from '../../src/dockerfile/words.js';
import { defineRule, dockerfileMeta, expandedPorts } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF100',
    name: 'unknown-instruction',
    type: 'problem',
    summary: 'Use only Dockerfile instructions',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      unknown: '`{{keyword}}` is not a Dockerfile instruction: the build stops here with a parse error.',
      unterminatedHeredoc:
        'The heredoc `<<{{name}}` is never closed (no line `{{name}}`): the builder refuses the file with a parse error, and every line after it is read as its body.',
      repeatedDirective:
        'The parser directive `{{name}}` is given again (first on line {{first}}): the builder refuses the file with a parse error.',
      invalidEscape:
        'The parser directive `escape` sets `{{value}}`, which is neither a backslash nor a backtick: the builder refuses the file with a parse error.',
      noInstructions:
        'The file has no instructions (no FROM): the builder refuses it with a parse error ("file with no instructions").',
      noStages:
        'The file has only ARG instructions and no FROM: there is no stage to build, so the builder refuses it ("dockerfile contains no stages to build").',
      fromArguments:
        '`FROM` needs one image, optionally followed by `AS name`, not {{given}}: the builder refuses the file ("FROM requires either one or three arguments").',
      stageName:
        'The stage name `{{name}}` must start with a letter and hold only letters, digits, `-`, `_` and `.`: the builder refuses the file ("invalid name for build stage").',
      copyArguments:
        '`{{keyword}}` needs at least one source and a destination, not {{given}}: the builder refuses the file with a parse error.',
      missingArguments:
        '`{{keyword}}` has no arguments; it needs {{needs}}: the builder refuses the file with a parse error.',
      keyWithoutValue:
        '`{{keyword}} {{key}}` has no value (without `=`, the rest of the line is the value): the builder refuses the file with a parse error; write `{{keyword}} {{key}}=value`.',
      pairWithoutEquals:
        '`{{word}}` has no `=`: after a `name=value`, every word of `{{keyword}}` must be one too (quote a value with spaces, `A="b c"`), so the builder refuses the file with a parse error.',
      blankName:
        '`{{keyword}}` sets `{{word}}`, a value with no name: the builder refuses the file with a parse error.',
      invalidPort:
        'EXPOSE `{{port}}` is not a port or a port range (`80`, `8000-8100`), optionally with `/tcp`, `/udp` or `/sctp`: the builder stops when it builds this stage.',
      invalidPortValue:
        'EXPOSE `{{port}}` is `{{value}}`, which is not a port or a port range (`80`, `8000-8100`), optionally with `/tcp`, `/udp` or `/sctp`: the builder stops when it builds this stage.',
      healthcheckType:
        'HEALTHCHECK takes `CMD` and a command, or `NONE`, not `{{type}}`: the builder refuses the file with a parse error.',
      healthcheckNone: '`HEALTHCHECK NONE` takes nothing after it: the builder refuses the file with a parse error.',
      healthcheckCommand: '`HEALTHCHECK CMD` has no command: the builder refuses the file with a parse error.',
      unknownFlag:
        '`{{keyword}}` takes no flag `--{{flag}}` (its flags: {{known}}): the builder refuses the file ("unknown flag: {{flag}}").',
      shellNotJson:
        '`SHELL` takes a JSON array (`SHELL ["/bin/bash", "-c"]`), not `{{given}}`: the builder refuses the file ("SHELL requires the arguments to be in JSON form").',
      shellEmpty: '`SHELL []` names no shell: the builder refuses the file ("SHELL requires at least one argument").',
    },
    sources: [{ tool: 'hadolint', id: 'DL1000', relation: 'inspired' }],
  }),
  create(ctx) {
    const checkFlags = stableSyntax(ctx.parsed.directives.find((directive) => directive.name === 'syntax')?.value);
    return {
      instruction(instruction) {
        if (!INSTRUCTION_KEYWORDS.has(instruction.keyword))
          ctx.report({ messageId: 'unknown', data: { keyword: instruction.keywordText }, at: instruction });
        // The parser runs an unclosed heredoc's body to the end of the file, so the instructions after it vanish and
        // the file would otherwise lint clean.
        for (const heredoc of instruction.heredocs)
          if (!heredoc.terminated)
            ctx.report({ messageId: 'unterminatedHeredoc', data: { name: heredoc.name }, at: instruction });
        const problem =
          argumentProblem(instruction, ctx.parsed.escapeChar) ?? (checkFlags ? flagProblem(instruction) : undefined);
        if (problem) ctx.report({ ...problem, at: instruction });
        else if (instruction.keyword === 'EXPOSE') {
          // The builder expands EXPOSE's variables before it reads the ports (`ARG P=abc` makes `EXPOSE $P` fail): a
          // word whose ARG/ENV values are all known is judged by what it expands to, split as the shell splits it.
          for (const word of splitWords(instruction.shellText)) {
            const expanded = expandedPorts(ctx, instruction, word);
            if (expanded?.ports.some((port) => !isPortSpec(port, ctx.parsed.escapeChar))) {
              ctx.report({
                messageId: 'invalidPortValue',
                data: { port: word, value: expanded.value },
                at: instruction,
              });
              break;
            }
          }
        }
      },
      end() {
        // Comments, blank lines and parser directives alone make no build; the builder stops before its first step.
        if (ctx.parsed.instructions.length === 0)
          ctx.report({ messageId: 'noInstructions', at: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
        // A file without FROM is otherwise linted as a snippet, but ARG lines alone only declare arguments for stages
        // that never come, and the builder refuses the file.
        else if (ctx.parsed.instructions.every((instruction) => instruction.keyword === 'ARG'))
          ctx.report({ messageId: 'noStages', at: ctx.parsed.instructions[0] });
        const seen = new Map<string, number>();
        const lines = ctx.parsed.directives.length > 0 ? sourceLines(ctx.parsed) : [];
        for (const directive of ctx.parsed.directives) {
          const at = {
            line: directive.line,
            column: 1,
            endLine: directive.line,
            endColumn: (lines[directive.line - 1] ?? '').replace(/\r$/, '').length + 1,
          };
          // The builder takes only these two, and stops at any other (the escape character stays `\\` for the lint).
          if (directive.name === 'escape' && !seen.has('escape') && directive.value !== '\\' && directive.value !== '`')
            ctx.report({ messageId: 'invalidEscape', data: { value: directive.value }, at });
          const first = seen.get(directive.name);
          if (first === undefined) seen.set(directive.name, directive.line);
          else
            ctx.report({
              messageId: 'repeatedDirective',
              data: { name: directive.name, first: String(first) },
              at,
            });
        }
      },
    };
  },
});

// What each instruction needs when nothing follows it (the builder refuses all of these bare).
const NEEDS: Record<string, string> = {
  ENV: 'a `name=value`',
  LABEL: 'a `key=value`',
  ARG: 'a name',
  WORKDIR: 'a directory',
  USER: 'a user',
  STOPSIGNAL: 'a signal',
  EXPOSE: 'a port',
  ONBUILD: 'an instruction',
  HEALTHCHECK: '`CMD` and a command, or `NONE`',
  MAINTAINER: 'a name',
  SHELL: 'a JSON array (`["/bin/sh", "-c"]`)',
};

// The flags BuildKit's Dockerfile frontend registers for each instruction, its experimental channel's (RUN --security
// and --device, COPY --parents) included, so that only a flag no version takes is reported. It reads flags on every
// instruction and refuses any on those that take none, except STOPSIGNAL and ARG, which never check theirs (the build
// goes on without them), so those two are left out.
const FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security', 'device'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'unpack'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
  CMD: [],
  ENTRYPOINT: [],
  ENV: [],
  LABEL: [],
  EXPOSE: [],
  VOLUME: [],
  USER: [],
  WORKDIR: [],
  ONBUILD: [],
  MAINTAINER: [],
  SHELL: [],
};

/**
 * Whether the file is built by the stable Dockerfile syntax: no `# syntax=` directive (the builder's own frontend) or
 * `docker/dockerfile` at a version outside the experimental channel. Another frontend, `-labs` or
 * `dockerfile-upstream` may take flags of its own.
 */
function stableSyntax(syntax: string | undefined): boolean {
  if (syntax === undefined) return true;
  const match = /^(?:docker\.io\/)?docker\/dockerfile(?::([^@\s]+))?(?:@\S+)?$/.exec(syntax);
  return match !== null && !(match[1] ?? '').includes('labs');
}

/** The first flag the instruction does not take (names are compared in any case, values are not read). */
function flagProblem(instruction: Instruction): Problem | undefined {
  const known = FLAGS[instruction.keyword];
  if (!known) return undefined;
  const unknown = instruction.flagList.find(
    (flag) => !flag.name.includes('$') && !known.includes(flag.name.toLowerCase()),
  );
  if (!unknown) return undefined;
  const list = known.length === 0 ? 'none' : known.map((name) => `\`--${name}\``).join(', ');
  return { messageId: 'unknownFlag', data: { keyword: instruction.keywordText, flag: unknown.name, known: list } };
}

interface Problem {
  messageId: string;
  data?: Record<string, string>;
}

/**
 * The argument error BuildKit stops at for this instruction, if any. Only what it is certain to refuse: the count of
 * words is taken before any variable is expanded, but a word holding a variable is otherwise left alone, and empty
 * RUN, CMD and ENTRYPOINT are not flagged. An ONBUILD trigger's own arguments are read only by a later build.
 */
function argumentProblem(instruction: Instruction, escapeChar: string): Problem | undefined {
  const { keyword } = instruction;
  const text = instruction.shellText.trim();
  const shown = (words: string[]) => (words.length === 0 ? 'nothing' : `\`${words.join(' ')}\``);
  if (keyword === 'FROM') {
    // Split on blanks only, quotes included, as BuildKit splits FROM.
    const words = text === '' ? [] : text.split(/\s+/);
    if (words.length !== 1 && (words.length !== 3 || words[1].toLowerCase() !== 'as'))
      return { messageId: 'fromArguments', data: { given: shown(words) } };
    if (words.length === 3 && !words[2].includes('$') && !isStageName(words[2]))
      return { messageId: 'stageName', data: { name: words[2] } };
    return undefined;
  }
  if (keyword === 'COPY' || keyword === 'ADD') {
    const words = instruction.execArgs ?? copyWords(instruction, escapeChar);
    if (words.length < 2)
      return { messageId: 'copyArguments', data: { keyword: instruction.keywordText, given: shown(words) } };
    return undefined;
  }
  if (!(keyword in NEEDS)) return undefined;
  if (text === '')
    return { messageId: 'missingArguments', data: { keyword: instruction.keywordText, needs: NEEDS[keyword] } };
  if (keyword === 'ENV' || keyword === 'LABEL') return pairProblem(instruction.keywordText, text, escapeChar);
  if (keyword === 'SHELL') {
    // The builder reads the JSON before it expands anything, so a variable does not make it JSON.
    const words = parseExecForm(text);
    if (words === undefined) return { messageId: 'shellNotJson', data: { given: text } };
    return words.length === 0 ? { messageId: 'shellEmpty' } : undefined;
  }
  if (keyword === 'EXPOSE') {
    const port = text.split(/\s+/).find((word) => !isPortSpec(word, escapeChar));
    return port === undefined ? undefined : { messageId: 'invalidPort', data: { port } };
  }
  if (keyword === 'HEALTHCHECK') {
    const type = text.split(/\s/)[0];
    const rest = text.slice(type.length).trim();
    if (type.includes('$')) return undefined;
    if (type.toUpperCase() === 'NONE') return rest === '' ? undefined : { messageId: 'healthcheckNone' };
    if (type.toUpperCase() !== 'CMD') return { messageId: 'healthcheckType', data: { type } };
    if (rest === '' || parseExecForm(rest)?.length === 0) return { messageId: 'healthcheckCommand' };
  }
  return undefined;
}

/** COPY and ADD words up to the line that opens a heredoc (its body is not an argument). */
function copyWords(instruction: Instruction, escapeChar: string): string[] {
  let text = instruction.shellText;
  if (instruction.heredocs.length > 0) {
    const lines = instruction.args.split('\n');
    const opening = lines.findIndex((line) => line.includes('<<'));
    text = joinContinuations(lines.slice(0, opening + 1).join('\n'), escapeChar);
  }
  return text.trim() === '' ? [] : text.trim().split(/\s+/);
}

/**
 * ENV and LABEL: a first word without `=` is the old form, which needs a value after the name; otherwise every word
 * must be `name=value` with a name.
 */
function pairProblem(keyword: string, text: string, escapeChar: string): Problem | undefined {
  const words = splitRawWords(text, escapeChar);
  if (!words[0].includes('=')) {
    if (/\s/.test(text) || text.includes('$')) return undefined;
    return { messageId: 'keyWithoutValue', data: { keyword, key: text } };
  }
  const loose = words.find((word) => !word.includes('=') && !word.includes('$'));
  if (loose !== undefined) return { messageId: 'pairWithoutEquals', data: { keyword, word: loose } };
  const blank = words.find((word) => word.startsWith('='));
  if (blank !== undefined) return { messageId: 'blankName', data: { keyword, word: blank } };
  return undefined;
}

/**
 * Whether BuildKit takes this EXPOSE word as a port: `80`, `8000-8100`, either with a protocol (tcp, udp, sctp, any
 * case; an empty one is tcp). Words it reads further (variables, quotes, escapes, and `host:port` forms, DF256's) and
 * numbers above 65535 (DF202's) count as ports here.
 */
function isPortSpec(word: string, escapeChar: string): boolean {
  if (/[$"':]/.test(word) || word.includes(escapeChar)) return true;
  const [port, proto = ''] = word.split('/');
  if (port === '') return true;
  if (proto !== '' && !['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) return false;
  const [start, end] = port.split('-');
  if (!/^\d+$/.test(start) || (end !== undefined && !/^\d+$/.test(end))) return false;
  if (end === undefined || Number(start) > 65535 || Number(end) > 65535) return true;
  return Number(end) >= Number(start);
}

// RUN shell text -> simple commands with arguments, so rules see `apt-get install -y --no-install-recommends curl` as a
// command with flags rather than a string. A careful POSIX-ish tokenizer: quotes, backslash escapes, `&&`, `||`, `;`, `&`,
// pipes, newlines, redirections, subshell/group braces, compound keywords, `$(...)` and backticks kept inside one word, and
// `sh -c '...'` parsed recursively. It is not a full shell: it never expands variables or globs.

export interface ShellCommand {
  /** The program as written (`apt-get`, `/usr/bin/pip3`); '' when the command had only assignments. */
  name: string;
  /** The program's base name (`pip3` for `/usr/bin/pip3`). */
  program: string;
  /** Arguments after the program, quotes removed, redirections dropped. */
  args: string[];
  /** `VAR=value` assignments written before the program. */
  env: Record<string, string>;
  /** Targets of output redirections (`> /etc/motd`, `>> file`), which the command writes. */
  writes: string[];
  /** This command's stdout goes to the next command (`a | b`). */
  pipesToNext: boolean;
  /** This command reads the previous command's stdout. */
  pipedFromPrevious: boolean;
  /** Index of the `&&`/`||`/`;` list this command belongs to, for "same RUN, later command" checks. */
  index: number;
}

interface Token {
  kind: 'word' | 'op';
  value: string;
  /** The word as written, quotes kept (to tell `'a b'` from `a b` when it matters). */
  raw: string;
}

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')', '\n'];
const REDIRECT = /^(\d*)(>>|>&|<&|<<<|<<-?|&>>|&>|>\||<>|>|<)(.*)$/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'case', 'esac', '!', '{', '}', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** Splits shell text into tokens: words (unquoted) and control operators. */
export function tokenizeShell(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line.
      while (i < n && text[i] !== '\n') i += 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, raw: op });
      i += op.length;
      continue;
    }
    // A word: read until unquoted whitespace or operator.
    let value = '';
    const start = i;
    while (i < n) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') break;
      if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
        // `>&2` and `2>&1` are redirections, not operators.
        if (ch === '&' && (text[i - 1] === '>' || text[i - 1] === '<')) {
          value += ch;
          i += 1;
          continue;
        }
        break;
      }
      if (ch === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end < 0 ? n : end;
        value += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (ch === '"') {
        i += 1;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) {
            if (text[i + 1] !== '\n') value += text[i + 1];
            i += 2;
            continue;
          }
          if (text[i] === '$' && text[i + 1] === '(') {
            const end = matchParen(text, i + 1);
            value += text.slice(i, end + 1);
            i = end + 1;
            continue;
          }
          value += text[i];
          i += 1;
        }
        i += 1;
        continue;
      }
      if (ch === '$' && text[i + 1] === '(') {
        const end = matchParen(text, i + 1);
        value += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      if (ch === '`') {
        const end = text.indexOf('`', i + 1);
        const stop = end < 0 ? n - 1 : end;
        value += text.slice(i, stop + 1);
        i = stop + 1;
        continue;
      }
      value += ch;
      i += 1;
    }
    tokens.push({ kind: 'word', value, raw: text.slice(start, i) });
  }
  return tokens;
}

function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return text.length - 1;
      i = end;
    } else if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}

/** Parses shell text into its simple commands, in order, descending into `sh -c '...'`. */
export function parseShell(text: string, depth = 0): ShellCommand[] {
  const tokens = tokenizeShell(text);
  const commands: ShellCommand[] = [];
  let words: Token[] = [];
  let listIndex = 0;
  let pendingPipe = false;
  const flush = (pipesToNext: boolean): void => {
    if (words.length > 0) {
      const command = buildCommand(words, listIndex, pendingPipe, pipesToNext);
      if (command) {
        commands.push(command);
        const inner = depth < 3 ? innerScript(command) : undefined;
        if (inner !== undefined) {
          for (const sub of parseShell(inner, depth + 1)) commands.push({ ...sub, index: listIndex });
        }
      }
    }
    pendingPipe = pipesToNext;
    words = [];
  };
  for (const token of tokens) {
    if (token.kind === 'op') {
      const pipe = token.value === '|' || token.value === '|&';
      flush(pipe);
      if (!pipe) listIndex += 1;
      continue;
    }
    // Compound-command keywords start a fresh simple command after them.
    if (words.length === 0 && RESERVED.has(token.value) && token.raw === token.value) continue;
    if (words.length === 0 && token.value === 'for') {
      words.push(token);
      continue;
    }
    words.push(token);
  }
  flush(false);
  return commands.filter((c) => c.name !== 'for');
}

function buildCommand(words: Token[], index: number, pipedFromPrevious: boolean, pipesToNext: boolean): ShellCommand | undefined {
  const env: Record<string, string> = {};
  const args: string[] = [];
  const writes: string[] = [];
  let name = '';
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    const redirect = REDIRECT.exec(word.raw);
    if (redirect) {
      // `> file` takes the next word; `>file`, `2>&1` carry their target.
      const target = redirect[3] === '' ? words[i + 1]?.value : redirect[3];
      if (redirect[3] === '') i += 1;
      if (target && redirect[2].includes('>') && !target.startsWith('&') && !/^\d$/.test(target)) writes.push(target);
      continue;
    }
    if (name === '' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.raw)) {
      const eq = word.value.indexOf('=');
      env[word.value.slice(0, eq)] = word.value.slice(eq + 1);
      continue;
    }
    if (name === '') name = word.value;
    else args.push(word.value);
  }
  if (name === '' && Object.keys(env).length === 0) return undefined;
  const program = name.split('/').pop() ?? name;
  return { name, program, args, env, writes, pipesToNext, pipedFromPrevious, index };
}

/** The script of `sh -c 'script'` / `bash -exc "script"`, when this command is one. */
function innerScript(command: ShellCommand): string | undefined {
  if (!SHELLS.has(command.program)) return undefined;
  for (let i = 0; i < command.args.length; i += 1) {
    const arg = command.args[i];
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return command.args[i + 1];
    if (!arg.startsWith('-')) return undefined;
  }
  return undefined;
}

/** Every flag name a command was given: `-qy` gives q and y, `--no-cache=true` gives no-cache. Stops at `--`. */
export function flagNames(args: string[]): string[] {
  const names: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    if (arg.startsWith('--')) names.push(arg.slice(2).split('=')[0]);
    else if (arg.startsWith('-') && arg.length > 1) for (const ch of arg.slice(1)) names.push(ch);
  }
  return names;
}

/** True when any of the given flag names (without dashes; one letter means a short flag) was passed. */
export function hasFlag(args: string[], ...names: string[]): boolean {
  const given = flagNames(args);
  return names.some((name) => given.includes(name));
}

/**
 * Positional arguments, skipping flags and the values of the flags listed in `valueFlags` (e.g. `-t stable`).
 * `--flag=value` never consumes the next word.
 */
export function positionals(args: string[], valueFlags: string[] = []): string[] {
  const out: string[] = [];
  let afterDashes = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (afterDashes) {
      out.push(arg);
      continue;
    }
    if (arg === '--') {
      afterDashes = true;
      continue;
    }
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && valueFlags.includes(arg.slice(2))) i += 1;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A value flag as the last letter of a short cluster takes the next word (`-qt stable`).
      const last = arg[arg.length - 1];
      if (valueFlags.includes(last) && arg.length === 2) i += 1;
      else if (valueFlags.includes(last)) i += 1;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** The first positional argument (the subcommand of `apt-get install`, `pip install`, `npm ci`...). */
export function subcommand(command: ShellCommand, valueFlags: string[] = []): string | undefined {
  return positionals(command.args, valueFlags)[0];
}

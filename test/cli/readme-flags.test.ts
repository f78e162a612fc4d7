// The command lines README.md shows, and each command's own --help examples, must only use flags the command has: a
// flag renamed or dropped in the code while the docs still show it gives a user who copies the line "Nonexistent
// flag". Only ballast command lines are read (a code-block line or an inline code span starting with `ballast CMD`),
// so flags of other tools the README quotes (docker, npm, buildah) are not checked against ballast's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../src/commands/index.js';

type CommandName = keyof typeof commands;
const COMMANDS = Object.keys(commands) as CommandName[];
// oclif's own flags, on every command (--json: enableJsonFlag; --debug: src/main.ts).
const GLOBAL = ['--help', '-h', '--version', '-v', '--json', '--debug'];

/** Every spelling a command accepts: --name, --no-name for allowNo flags, aliases, and -c for a char. */
function spellings(name: CommandName): Set<string> {
  const out = new Set(GLOBAL);
  for (const [flagName, flag] of Object.entries(commands[name].flags ?? {})) {
    const def = flag as { char?: string; allowNo?: boolean; aliases?: string[]; charAliases?: string[] };
    out.add(`--${flagName}`);
    if (def.allowNo) out.add(`--no-${flagName}`);
    for (const alias of def.aliases ?? []) out.add(`--${alias}`);
    if (def.char) out.add(`-${def.char}`);
    for (const c of def.charAliases ?? []) out.add(`-${c}`);
  }
  return out;
}

interface CommandLine {
  command: CommandName;
  flags: string[];
  line: string;
}

/**
 * The ballast command lines in a text: `ballast CMD ...` (or `bin/run.js CMD ...`) up to a shell comment, pipe,
 * redirection or the end of the line or code span; the flags are its words starting with `-`, before a `--`.
 */
function commandLines(text: string): CommandLine[] {
  const found: CommandLine[] = [];
  const start = new RegExp(`(?:^|[\\s(])(?:ballast|bin/run\\.js) (${COMMANDS.join('|')})(?=\\s|$)`, 'g');
  for (const match of text.matchAll(start)) {
    const rest = text.slice(match.index + match[0].length).split(/\s#|\s\||\s>|\s&&|;/)[0];
    const words = rest.split(/\s+/).filter(Boolean);
    const end = words.indexOf('--');
    const flags = (end === -1 ? words : words.slice(0, end))
      .filter((w) => /^--?[A-Za-z]/.test(w))
      .map((w) => w.replace(/=.*$/s, ''));
    found.push({ command: match[1] as CommandName, flags, line: `${match[0].trim()}${rest}` });
  }
  return found;
}

/** README's command lines: each line of a fenced code block, and each inline code span (which may wrap). */
function readmeCommandLines(markdown: string): CommandLine[] {
  const lines: CommandLine[] = [];
  const prose = markdown.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_block, body: string) => {
    for (const line of body.split('\n')) lines.push(...commandLines(line));
    return '';
  });
  for (const span of prose.matchAll(/`([^`]+)`/g)) lines.push(...commandLines(span[1].replace(/\s+/g, ' ')));
  return lines;
}

function unknownFlags(lines: CommandLine[]): string[] {
  return lines.flatMap(({ command, flags, line }) => {
    const known = spellings(command);
    return flags.filter((f) => !known.has(f)).map((f) => `${f} (ballast ${command}): ${line.trim()}`);
  });
}

describe('flags in the docs exist', () => {
  it('reads command lines from code blocks and wrapped inline spans, and finds an unknown flag', () => {
    const sample = [
      '```sh',
      'ballast analyze image.tar --dockerfile Dockerfile --json > report.json   # text --not-a-flag',
      'cat Dockerfile | ballast lint - --stdin-filename Dockerfile',
      '```',
      'dive: `ballast ci IMAGE --lowestEfficiency=0.9',
      '  --highestWastedBytes=20MB`, and `docker build -t ballast .` is not ours; `ballast diff A B --bogus-flag`.',
    ].join('\n');
    const lines = readmeCommandLines(sample);
    expect(lines.map((l) => [l.command, l.flags])).toEqual([
      ['analyze', ['--dockerfile', '--json']],
      ['lint', ['--stdin-filename']],
      ['ci', ['--lowestEfficiency', '--highestWastedBytes']],
      ['diff', ['--bogus-flag']],
    ]);
    expect(unknownFlags(lines)).toEqual(['--bogus-flag (ballast diff): ballast diff A B --bogus-flag']);
  });

  it("every flag on a README.md command line is one of that command's flags", () => {
    const lines = readmeCommandLines(readFileSync('README.md', 'utf8'));
    // The README shows every command, with flags: a parser that stopped finding them would pass vacuously.
    expect(new Set(lines.map((l) => l.command))).toEqual(new Set(COMMANDS));
    expect(lines.flatMap((l) => l.flags).length).toBeGreaterThan(40);
    expect(unknownFlags(lines)).toEqual([]);
  });

  it("every flag in a command's --help examples is one of its flags", () => {
    const lines = COMMANDS.flatMap((name) =>
      (commands[name].examples ?? []).flatMap((example) =>
        commandLines(example.replace('<%= config.bin %>', 'ballast')),
      ),
    );
    expect(lines.length).toBeGreaterThan(20);
    expect(unknownFlags(lines)).toEqual([]);
  });
});

// The same for environment variables: a `BALLAST_*` name the README gives that no flag and no code reads sets
// nothing, silently (a variable renamed in the code while the README still shows the old name).
/** Every file's text below `dir` whose name matches `pattern`. */
function textsBelow(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textsBelow(path, pattern);
    return pattern.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

/** The BALLAST_* variables something reads: each flag's `env`, and the names the code, scripts and test helpers spell out. */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  for (const name of COMMANDS)
    for (const flag of Object.values(commands[name].flags ?? {})) {
      const env = (flag as { env?: string }).env;
      if (env) read.add(env);
    }
  const code = [
    ...textsBelow('src', /\.tsx?$/),
    ...textsBelow('scripts', /\.(sh|js|py)$/),
    ...textsBelow('test/helpers', /\.(ts|cjs)$/),
  ];
  for (const text of code) for (const [name] of text.matchAll(/BALLAST_[A-Z0-9_]*[A-Z0-9]/g)) read.add(name);
  return read;
}

describe('variables in the docs exist', () => {
  it('every BALLAST_* variable README.md names is read by a flag or the code', () => {
    const named = new Set(
      [...readFileSync('README.md', 'utf8').matchAll(/BALLAST_[A-Z0-9_]*[A-Z0-9]/g)].map(([name]) => name),
    );
    // The README names many (cache sizes, budgets, the corpus): a pattern that stopped matching would pass vacuously.
    expect(named.size).toBeGreaterThan(10);
    const read = variablesRead();
    // (The README's examples of variables ci names as errors: a misspelt budget's, and ones named after dive's flags.)
    const refused = ['BALLAST_MAX_IMAGE_BYTS', 'BALLAST_LOWEST_EFFICIENCY', 'BALLAST_CI_CONFIG'];
    expect([...named].filter((name) => !read.has(name) && !refused.includes(name))).toEqual([]);
  });
});

// The defaults README.md states for a flag must be in that flag's --help on every command that has it: a user reading
// `ballast ci --help` should not have to find the analyze section of the README to learn what leaving it out does.
describe('defaults in the docs are in --help', () => {
  const description = (name: CommandName, flag: string): string =>
    (commands[name].flags as Record<string, { description?: string }> | undefined)?.[flag]?.description ?? '';

  it('--workers tells its default (a worker per core for 2 layers and 16 MiB) on every command that walks layers', () => {
    const readme = readFileSync('README.md', 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(
      'the default, on a machine with 2 or more cores, starts one per core when there are 2 or more layers, 16 MiB or more to read and 4 MiB a layer on average',
    );
    const walking = COMMANDS.filter((name) => 'workers' in (commands[name].flags ?? {}));
    expect(walking).toEqual(expect.arrayContaining(['analyze', 'bases', 'ci', 'diff', 'explore']));
    const silent = walking.filter(
      (name) =>
        !description(name, 'workers').includes(
          'default: on 2 or more cores, one per core for 2 or more layers, 16 MiB or more to read and 4 MiB a layer, else 0',
        ),
    );
    expect(silent).toEqual([]);
  });

  it("ci --fail-on tells its default, the ci: section's failOn, else error", () => {
    expect(readFileSync('README.md', 'utf8')).toContain('`failOn` defaults to `error`');
    expect(description('ci', 'fail-on')).toContain("default: the ci: section's failOn, else error");
  });

  it('ci --ignore-rule names the ids it takes, as lint --ignore does: codes, names, hadolint, BuildKit and ShellCheck ids', () => {
    expect(readFileSync('README.md', 'utf8').replace(/\s+/g, ' ')).toContain(
      "(`rules`: codes, names, hadolint ids, BuildKit check names or ShellCheck's `SC2086`",
    );
    expect(description('lint', 'ignore')).toContain('(code, name, hadolint id, BuildKit check name or ShellCheck id)');
    expect(description('ci', 'ignore-rule')).toContain(
      '(code, name, hadolint id, BuildKit check name or ShellCheck id)',
    );
  });
});

// Usage errors that oclif's parser finds (an unknown flag, a value not in the list, a missing argument or command)
// read like ballast's own: one line, `error: ... (hint: ...)`, exit 2; not oclif's several lines ending in "See more
// help with --help". `lint` takes the same path here as `ballast lint --help` / `--verify` do (BALLAST_NO_FAST_PATH).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CI, runCli } from '../helpers/cli.js';

const oclif = { BALLAST_NO_FAST_PATH: '1' };

describe('usage errors from the flag parser', () => {
  it.each([
    [
      ['lint', 'Dockerfile', '--format', 'xml'],
      /^error: Expected --format=xml to be one of: stylish, json, .*\(hint: run `ballast lint --help`/,
    ],
    [['lint', 'Dockerfile', '--bogus'], /^error: Nonexistent flag: --bogus \(hint: run `ballast lint --help`/],
    [
      ['lint', 'Dockerfile', '--verify'],
      /^error: All of the following must be provided when using --verify: --fix \(hint: /,
    ],
    [['analyze'], /^error: missing IMAGE \(hint: run `ballast analyze --help` for its flags and arguments\)/],
    [['diff'], /^error: missing A and B \(hint: run `ballast diff --help`/],
    [
      ['analyze', 'x.tar', '--top', 'abc'],
      /^error: --top expects an integer, not abc \(hint: run `ballast analyze --help`/,
    ],
    [
      ['analyze', 'x.tar', '--workers', '-1'],
      /^error: --workers expects an integer greater than or equal to 0, not -1 \(hint: run `ballast analyze --help`/,
    ],
    // An empty value kept oclif's "Parsing --timeout Expected an integer but received:".
    [
      ['analyze', 'x.tar', '--timeout', ''],
      /^error: --timeout expects an integer, not an empty value \(hint: run `ballast analyze --help`/,
    ],
    [
      ['diff', 'x.tar', 'y.tar', '--top='],
      /^error: --top expects an integer, not an empty value \(hint: run `ballast diff --help`/,
    ],
    [
      ['diff', 'x.tar', 'y.tar', '--workers', ''],
      /^error: --workers expects an integer, not an empty value \(hint: run `ballast diff --help`/,
    ],
    [['bases', '--dockerfile'], /^error: --dockerfile expects a value \(hint: run `ballast bases --help`/],
    [['lint', 'Dockerfile', '--ignore'], /^error: --ignore expects a value \(hint: run `ballast lint --help`/],
    // oclif's "Flag --format can only be specified once" had no hint.
    [
      ['diff', 'x.tar', 'y.tar', '--format', 'json', '--format', 'markdown'],
      /^error: --format given more than once: it takes one value \(hint: run `ballast diff --help`/,
    ],
    [
      ['analyze', 'x.tar', '--top', '3', '--top', '4'],
      /^error: --top given more than once: it takes one value \(hint: /,
    ],
    [['no-such-command'], /^error: no command no-such-command \(hint: run `ballast --help` for the commands\)/],
    // The words too many are quoted: a newline, a tab or an empty word showed as nothing.
    [['ci', 'x.tar', '\n'], /^error: Unexpected argument: "\\n" \(hint: ci checks one image a run/],
    [['diff', 'x.tar', 'y.tar', '\t', ''], /^error: Unexpected arguments: "\\t", "" \(hint: run `ballast diff --help`/],
    [['analyze', 'x.tar', ' '], /^error: Unexpected argument: " " \(hint: run `ballast analyze --help`/],
    [['inspect', 'x.tar', 'a "b"'], /^error: Unexpected argument: "a \\"b\\"" \(hint: run `ballast inspect --help`/],
  ])('%j is one line with a hint, exit 2', async (args, message) => {
    const result = await runCli(args, { env: oclif });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).not.toContain('See more help');
  });

  // lint's fast path parses with node:util, whose missing-value error is worded otherwise.
  it('lint --ignore without a value says so on the fast path too', async () => {
    const result = await runCli(['lint', 'Dockerfile', '--ignore']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --ignore expects a value \(hint: run `ballast lint --help`[^\n]*\n$/);
  });

  it.each([
    [['analyze', 'x.tar', '--workers'], '--workers expects a value', 'analyze'],
    [['ci', 'x.tar', '--fail-on'], '--fail-on expects one of these values: error, warning, info, style, none', 'ci'],
  ])('%j names the flag without a value, with the help hint', async (args, said, command) => {
    const result = await runCli(args, { env: oclif });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${said} (hint: run \`ballast ${command} --help\` for its flags and arguments)\n`,
    );
  });
});

describe('--timeout longer than a timer can wait', () => {
  // Regression: Node set such a timer to 1 ms (TimeoutOverflowWarning), so every registry or daemon request failed at
  // once as "did not answer within 9999999s".
  it.each(['analyze', 'inspect', 'ci'])('%s refuses it in one line before reading anything', async (command) => {
    const result = await runCli([command, 'missing.tar', '--timeout', '2147484'], { env: NO_CI });
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      'error: --timeout 2147484 is longer than 2147483 seconds (about 25 days), the longest a timer can wait (hint: give at most 2147483; the default is 30)\n',
    ]);
  });
});

describe('an empty --platform', () => {
  // Regression: read as none given by some sources (a single-platform archive was read without a word) and as invalid
  // by others, after a note that the image's only platform was used.
  const demo = 'examples/demo/demo.tar';
  it.each([
    [['analyze', demo, '--platform', '']],
    [['inspect', demo, '--platform', ' ']],
    [['diff', demo, demo, '--platform', 'linux', '--platform', '']],
  ])('%j is refused before the image is read', async (args) => {
    const result = await runCli(args, { env: NO_CI });
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(/^error: invalid platform "\s*" \(hint: use os\/arch\[\/variant\][^\n]*\)\n$/);
  });
});

describe('--json with --format', () => {
  // --json printed JSON whatever --format asked for, without a word: `--format markdown -o comment.md --json` wrote
  // JSON into the comment.
  it.each([
    [['diff', 'a.tar', 'b.tar', '--json', '--format', 'markdown'], 'markdown', 'diff'],
    [['analyze', 'a.tar', '--format', 'html', '--json'], 'html', 'analyze'],
    [['analyze', 'a.tar', '--json', '--format=markdown'], 'markdown', 'analyze'],
    [['bases', 'a.tar', '--json', '--format', 'markdown'], 'markdown', 'bases'],
    [['explore', 'a.tar', '--json', '--format', 'tui'], 'tui', 'explore'],
    // An upload-sarif step got the JSON.
    [['ci', 'a.tar', '--json', '--format', 'sarif'], 'sarif', 'ci'],
    [['lint', 'Dockerfile', '--json', '--format', 'sarif'], 'sarif', 'lint'],
    [['lint', 'Dockerfile', '--json', '-f', 'checkstyle'], 'checkstyle', 'lint'],
  ])('%j is a one-line conflict, exit 2, before any image is opened', async (args, format, command) => {
    for (const env of command === 'lint' ? [{}, oclif] : [{}]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `error: --json and --format ${format} ask for two reports (hint: use one of them: drop --json for the ${format} report, or --format for JSON; see \`ballast ${command} --help\`)\n`,
      );
    }
  });

  it.each([[['ci', 'missing.tar']], [['lint', 'missing/Dockerfile']]])(
    '%j: --json alone and --format json alone still run',
    async (args) => {
      for (const env of [{}, oclif])
        for (const extra of [['--json'], ['--format', 'json'], ['--json', '--format', 'json']]) {
          const result = await runCli([...args, ...extra], { env });
          expect(result.stderr).not.toContain('two reports');
        }
    },
  );

  it('ci --json --format sarif -o x.sarif: the SARIF file says why, so the upload step finds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-json-format-'));
    try {
      const file = join(dir, 'x.sarif');
      const result = await runCli(['ci', 'a.tar', '--json', '--format', 'sarif', '-o', file], { env: NO_CI });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('2.1.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a typed --format win over $BALLAST_CONTENT_TYPE=json, a default nobody typed on this command line', async () => {
    const env = { BALLAST_CONTENT_TYPE: 'json', BALLAST_NO_FAST_PATH: '1' };
    const result = await runCli(['lint', 'examples/demo/Dockerfile', '--no-shellcheck', '--format', 'sarif'], { env });
    expect(result.stderr).not.toContain('two reports');
    expect(JSON.parse(result.stdout).version).toBe('2.1.0');
    // --json typed beside it is the conflict again.
    const typed = await runCli(['lint', 'examples/demo/Dockerfile', '--json', '--format', 'sarif'], { env });
    expect(typed.stderr).toContain('two reports');
  });

  it.each([
    ['the fast path', {}],
    ['oclif', oclif],
  ])('lint through %s prints JSON for $BALLAST_CONTENT_TYPE=json, as for --json', async (_, path) => {
    const args = ['lint', 'examples/demo/Dockerfile', '--no-shellcheck'];
    const typed = await runCli([...args, '--json'], { env: { ...NO_CI, ...path } });
    const result = await runCli(args, { env: { ...NO_CI, ...path, BALLAST_CONTENT_TYPE: 'json' } });
    expect(result.code).toBe(typed.code);
    expect(JSON.parse(result.stdout).targets[0].target).toBe('examples/demo/Dockerfile');
    expect(result.stdout).toBe(typed.stdout);
  });

  it("lets explore's --format json go with --json: they ask for the same report", async () => {
    const result = await runCli(['explore', 'missing.tar', '--json', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]*missing\.tar/);
    expect(result.stderr).not.toContain('two reports');
  });

  it('lets --json win over $BALLAST_FORMAT, which nobody typed on this command line', async () => {
    const result = await runCli(['diff', 'missing-a.tar', 'missing-b.tar', '--json'], {
      env: { BALLAST_FORMAT: 'markdown' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('--format');
    for (const env of [{ BALLAST_FORMAT: 'sarif' }, { BALLAST_FORMAT: 'sarif', ...oclif }])
      for (const args of [
        ['ci', 'missing.tar', '--json'],
        ['lint', 'missing/Dockerfile', '--json'],
      ])
        expect((await runCli(args, { env: { ...NO_CI, ...env } })).stderr).not.toContain('two reports');
  });
});

describe('a flag value that is none of its options', () => {
  // Said as a config file's typo is: the option meant, from the flag or its variable, one line, exit 2.
  it.each([
    [
      ['ci', 'a.tar', '--fail-on', 'warnings'],
      {},
      '--fail-on=warnings',
      'error, warning, info, style, none',
      'warning',
    ],
    [
      ['ci', 'a.tar'],
      { BALLAST_FAIL_ON: 'warnings' },
      '$BALLAST_FAIL_ON=warnings',
      'error, warning, info, style, none',
      'warning',
    ],
    [
      ['ci', 'a.tar', '--format', 'jsonn'],
      {},
      '--format=jsonn',
      'text, markdown, json, sarif, junit, github, checkstyle, codeclimate, stylish',
      'json',
    ],
    [['analyze', 'a.tar', '--format=markdwon'], {}, '--format=markdwon', 'text, markdown, html, json', 'markdown'],
  ])('%j %j suggests the value meant', async (args, env, given, options, meant) => {
    const result = await runCli(args, { env: { ...NO_CI, ...env } });
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      `error: Expected ${given} to be one of: ${options} (hint: did you mean ${meant}? run \`ballast ${args[0]} --help\` for its flags and arguments)\n`,
    ]);
  });

  it('suggests nothing for a value like none of them', async () => {
    const result = await runCli(['ci', 'a.tar', '--fail-on', 'zzz'], { env: NO_CI });
    expect(result.stderr).toMatch(/\(hint: run `ballast ci --help` for its flags and arguments\)\n$/);
  });
});

describe('--format json is --json on every command with a --format', () => {
  // ci, explore and lint took --format json; analyze, diff and bases refused it ("JSON is --json here"), so one CI
  // template could not pass the same --format to each command.
  const DEMO = 'examples/demo/demo.tar';
  it.each([[['analyze', DEMO]], [['diff', DEMO, DEMO]], [['bases', DEMO, DEMO]]])(
    '%j --format json prints what --json prints',
    async (args) => {
      const json = await runCli([...args, '--json'], { env: NO_CI });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toBeTruthy();
      for (const [extra, env] of [
        [['--format', 'json'], {}],
        [['--format=json', '--json'], {}],
        [[], { BALLAST_FORMAT: 'json' }],
      ] as const) {
        const result = await runCli([...args, ...extra], { env: { ...NO_CI, ...env } });
        // (The same notes: bases says the demo was given twice.)
        expect([result.code, result.stderr]).toEqual([0, json.stderr]);
        expect(result.stdout).toBe(json.stdout);
      }
    },
  );

  it('writes it to -o FILE, as --json -o FILE does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-format-json-'));
    try {
      const file = join(dir, 'r.json');
      const result = await runCli(['analyze', DEMO, '--format', 'json', '-o', file], { env: NO_CI });
      expect([result.code, result.stdout]).toEqual([0, '']);
      expect(JSON.parse(readFileSync(file, 'utf8')).image.reference).toBe(DEMO);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every --format with a list of values offers json', async () => {
    const { commands } = await import('../../src/commands/index.js');
    const without = Object.entries(commands).flatMap(([name, command]) => {
      const format = (command.flags as Record<string, { options?: readonly string[] }> | undefined)?.format;
      return format?.options && !format.options.includes('json') ? [name] : [];
    });
    expect(without).toEqual([]);
  });
});

// Regression (lintcfg #4): a repeatable flag took every following word as another value, so `--verify-load
// NAME=SOURCE Dockerfile` read the Dockerfile as a second NAME=SOURCE, and `--insecure-registry HOST IMAGE` lost IMAGE.
describe('repeatable flags take one value each, leaving the arguments after them alone', () => {
  it('every repeatable flag of every command is non-greedy', async () => {
    const { commands } = await import('../../src/commands/index.js');
    const greedy = Object.entries(commands).flatMap(([name, command]) =>
      Object.entries(command.flags ?? {})
        .filter(([, flag]) => flag.type === 'option' && flag.multiple && !flag.multipleNonGreedy)
        .map(([flag]) => `${name} --${flag}`),
    );
    expect(greedy).toEqual([]);
  });

  it.each([
    [
      ['lint', '--fix', '--verify', '--verify-load', 'a=oci:/x', 'missing.Dockerfile'],
      /cannot read missing\.Dockerfile/,
    ],
    [['inspect', '--insecure-registry', 'localhost:5000', 'oci:/nonexistent'], /\/nonexistent does not exist/],
    [['ci', '--ignore-path', '/x/**', '--max-image-bytes', '1GB', 'oci:/nonexistent'], /\/nonexistent does not exist/],
  ])('%j reaches its last argument', async (args, message) => {
    const result = await runCli(args, { env: oclif });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

// `ballast lint -h` said "Nonexistent flag: -h" (bin/run.js already sent -h to oclif as a help flag), `ballast help
// lint` said "no command help:lint" and `ballast -v` "no command -v": the spellings hadolint, git and npm users type.
describe('-h, help COMMAND and -v', () => {
  it.each([
    [['-h'], /^Find the dead weight/],
    [['help'], /^Find the dead weight/],
    [['lint', '-h'], /^Lint Dockerfiles/],
    [['lint', 'Dockerfile', '-h'], /^Lint Dockerfiles/],
    [['help', 'lint'], /^Lint Dockerfiles/],
    [['analyze', '-h'], /^Show why an image/],
    [['help', 'rules'], /^List the lint rules/],
    [['-v'], /^ballast\/\d+\.\d+\.\d+ /],
  ])('%j prints help or the version, exit 0', async (args, text) => {
    const result = await runCli(args);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(text);
  });

  // Regression (lint-gaps #4): `ballast analyze --version` and `ballast lint -v` said "Nonexistent flag", and `ballast
  // version` "no command version", where dive, hadolint, git and npm print their version.
  it('prints the same version for `version` and for --version/-v after any command, on both lint paths', async () => {
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^ballast\/\d+\.\d+\.\d+ /);
    const { commands } = await import('../../src/commands/index.js');
    // Every command, with one spelling or the other (each run starts node: about a second).
    const spellings = Object.keys(commands).map((c, i) => [c, i % 2 ? '-v' : '--version']);
    spellings.push(['version'], ['analyze', 'oci:/nonexistent', '-v']);
    const runs = [
      ...spellings.map((args) => ({ args, env: {} })),
      ...[
        ['lint', 'Dockerfile', '--version'],
        ['lint', '-v'],
      ].flatMap((args) => [
        { args, env: {} },
        { args, env: oclif },
      ]),
    ];
    for (const { args, env } of runs) {
      const result = await runCli(args, { env });
      expect([args, env, result.code, result.stderr, result.stdout]).toEqual([args, env, 0, '', version.stdout]);
    }
    // After `--`, -v is a file name.
    for (const env of [{}, oclif])
      expect((await runCli(['lint', '--', '-v'], { env })).stderr).toMatch(/^error: cannot read -v: no such file/);
  });

  it('help for a command that does not exist is one line, exit 2', async () => {
    const result = await runCli(['help', 'no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: no command no-such-command (hint: run `ballast --help` for the commands)\n');
  });
});

// Each command's --help at 80 columns, run once for the three checks of its layout below.
const helps = new Map<string, ReturnType<typeof runCli>>();
const helpAt80 = (command: string): ReturnType<typeof runCli> => {
  if (!helps.has(command)) helps.set(command, runCli([command, '--help'], { env: { ...oclif, COLUMNS: '80' } }));
  return helps.get(command)!;
};

// Regression: `ballast --help` opened on an 83-column line (the package description) and four commands' --help on
// their 90-115 column summaries, which oclif prints unwrapped: an 80-column terminal broke them mid-word.
it.each(['', 'analyze', 'bases', 'ci', 'diff', 'explore', 'inspect', 'lint', 'rules'])(
  '`ballast %s --help` opens on a summary line that fits 80 columns',
  async (command) => {
    const help = command ? await helpAt80(command) : await runCli(['--help'], { env: { ...oclif, COLUMNS: '80' } });
    expect(help.code).toBe(0);
    const first = help.stdout.split('\n')[0];
    expect(first.length).toBeGreaterThan(20);
    expect(first.length).toBeLessThanOrEqual(80);
  },
);

// Regression: oclif trims the first row of a flag table, so a help group opening on a flag with no short name above
// `-o, --output` printed `  --format=<option>  [default: ...` four columns left of the rows below it (analyze, bases,
// ci and explore's OUTPUT FLAGS).
describe('--help flag tables', () => {
  it.each(['analyze', 'bases', 'ci', 'diff', 'explore', 'inspect', 'lint', 'rules'])(
    '%s --help lines up every flag name of a section in one column',
    async (command) => {
      const help = await helpAt80(command);
      expect(help.code).toBe(0);
      const misaligned: string[] = [];
      for (const section of help.stdout.split(/\n(?=[A-Z][A-Z ]*\n)/)) {
        // Table rows: a label, two spaces or more, then its description on the same line (the multiline layout,
        // which oclif picks for long descriptions, puts every label at the left edge and is aligned by itself).
        const rows = section.split('\n').filter((line) => /^ {2}\S.*?\S {2,}\S/.test(line));
        if (!rows.some((row) => /^ {2}-\w, --/.test(row))) continue;
        misaligned.push(...rows.filter((row) => /^ {2}--/.test(row)));
      }
      expect(misaligned).toEqual([]);
    },
  );
});

// Regression: `lint --help` printed `[--verify-load <value>... [--verify --fix]]` and never `[--fix]`: oclif's USAGE
// folds a flag declared with `dependsOn` into the one it depends on, so a first-time reader did not see --fix there.
describe('--help USAGE lines', () => {
  it.each(['analyze', 'bases', 'ci', 'diff', 'explore', 'inspect', 'lint', 'rules'])(
    '%s --help lists every flag of its tables on its own, in no nested group',
    async (command) => {
      const help = await helpAt80(command);
      expect(help.code).toBe(0);
      const usage = /^USAGE\n([\s\S]*?)\n\n/m.exec(help.stdout)![1].replace(/\s+/g, ' ');
      expect(usage).not.toMatch(/\[[^\]]*\[/);
      // Flag names as the tables print them: `  -f, --format=<option>`, `  --[no-]color`, `  --fix`.
      const names = [...help.stdout.matchAll(/^ {2}(?:(-\w), )?--(?:\[no-\])?([\w-]+)(?==| {2}|$)/gm)]
        .filter(([, , name]) => !['help', 'version', 'debug'].includes(name))
        .map(([, char, name]) => char ?? `--${name}`);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !new RegExp(`\\[${name}[\\] ]`).test(usage))).toEqual([]);
    },
  );

  // Regression: lint's and ci's --format lists are one word to oclif, longer than an 80-column line: cut wherever the
  // line ended, `<options: ...|sonarqube|g` over `nu|codacy|...>` and `...|check` over `style|...`, and in USAGE
  // `...|codacy|` over `tty|gitlab_codeclimate]`.
  it.each(['analyze', 'bases', 'ci', 'diff', 'explore', 'inspect', 'lint', 'rules'])(
    '%s --help cuts no list of values across lines',
    async (command) => {
      const help = await helpAt80(command);
      const lines = help.stdout.split('\n');
      // A list whole on the line after its flag (`[--fail-on` over `error|...|none]`) is not cut.
      expect(lines.filter((line) => /\|$/.test(line) || /<options: [^>]*$/.test(line))).toEqual([]);
    },
  );
});

// `ballast rules NAME` finds a rule by BuildKit's check name too (`# check=skip=` names); its help said only codes,
// names and hadolint ids.
it('rules --help names every kind of id `rules ID` takes, and each one works', async () => {
  const help = await runCli(['rules', '--help'], { env: oclif });
  expect(help.stdout.replace(/\s+/g, ' ')).toContain(
    'a rule code, name, hadolint id, BuildKit check name (JSONArgsRecommended) or ShellCheck code (SC2086)',
  );
  for (const id of ['DF109', 'shell-form-cmd', 'JSONArgsRecommended'])
    expect((await runCli(['rules', id], { env: oclif })).stdout).toMatch(/^DF109 shell-form-cmd\n/);
  // DF109 is hadolint's DL3025
  expect((await runCli(['rules', 'DL3025'], { env: oclif })).stdout).toMatch(/^DF109 /);
  expect((await runCli(['rules', 'SC2086'], { env: oclif })).stdout).toMatch(/^SC2086 \(ShellCheck\)\n/);
});

// Command lines moved over from container-diff and dive: a flag that means the same here works under its short name,
// and one that does not is told what ballast does instead, not only "Nonexistent flag".
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

let a: BuiltImage;
let b: BuiltImage;

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

beforeAll(async () => {
  a = await buildOciLayout([layer({ 'etc/app.conf': 'one\n', 'usr/bin/app': 3000 }, 'COPY . /')]);
  b = await buildOciLayout([layer({ 'etc/app.conf': 'two\n', 'usr/bin/app': 5000 }, 'COPY . /')]);
});

describe("container-diff's short flags on diff", () => {
  it('-j is --json', async () => {
    const [short, long] = await Promise.all([
      runCli(['diff', a.path, b.path, '-j', '--no-cache']),
      runCli(['diff', a.path, b.path, '--json', '--no-cache']),
    ]);
    expect(short.stderr).toBe('');
    expect(short.code).toBe(0);
    expect(JSON.parse(short.stdout)).toEqual(JSON.parse(long.stdout));
  });

  it('-t is --type, repeatable', async () => {
    const [short, long] = await Promise.all([
      runCli(['diff', a.path, b.path, '-t', 'size', '-t', 'file', '-j']),
      runCli(['diff', a.path, b.path, '--type=size', '--type=file', '--json']),
    ]);
    expect(short.stderr).toBe('');
    expect(short.code).toBe(0);
    expect(Object.keys(JSON.parse(short.stdout))).toEqual(Object.keys(JSON.parse(long.stdout)));
    expect(JSON.parse(short.stdout).files).toEqual(JSON.parse(long.stdout).files);
    expect(JSON.parse(short.stdout).layers).toBeUndefined();
  });

  // Regression: a bundled -j set the flag, but oclif prints JSON only for the word --json: `-jt file` printed text.
  it('-j bundled with -t (`-jt file`, `-jtfile`) is --json --type file', async () => {
    const [long, ...bundled] = await Promise.all([
      runCli(['diff', a.path, b.path, '--json', '--type=file']),
      runCli(['diff', a.path, b.path, '-jt', 'file']),
      runCli(['diff', a.path, b.path, '-jtfile']),
    ]);
    for (const r of bundled) {
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(long.stdout));
    }
    // Letters after an option's are its value, as getopt reads them: `-tj` is --type j. Regression: `-tj file` said
    // only "Unexpected argument: file", and neither error said why; --help did not say how short flags bundle.
    const [value, extra, help] = await Promise.all([
      runCli(['diff', a.path, b.path, '-tj']),
      runCli(['diff', a.path, b.path, '-tj', 'file']),
      runCli(['diff', '--help']),
    ]);
    const why = '-tj is -t j: -t takes the rest of its word as its value; for --json and -t SECTION write -jt SECTION';
    expect([value.code, value.stdout]).toEqual([2, '']);
    expect(value.stderr).toMatch(/^error: -t j: no such section \(hint: /);
    expect(value.stderr).toContain(why);
    expect([extra.code, extra.stdout]).toEqual([2, '']);
    expect(extra.stderr).toMatch(/^error: Unexpected argument: "file" \(hint: /);
    expect(extra.stderr).toContain(why);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('-tfile is -t file and -tj is -t j; -jt file is -j -t file');
  });

  it('-j after -- is an argument, not --json', async () => {
    const r = await runCli(['diff', a.path, '--', '-j']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-j/);
    expect(r.stdout).toBe('');
  });
});

describe("dive's and container-diff's flags that ballast spells otherwise", () => {
  it.each([
    [['analyze', 'IMG', '-j', 'out.json'], "-j is dive's flag, not ballast's", '`--json -o FILE`'],
    [['ci', 'IMG', '-j', 'out.json'], "-j is dive's flag, not ballast's", '`--output json=FILE`'],
    [['analyze', 'IMG', '--ci'], "--ci is dive's flag, not ballast's", '`ballast ci IMAGE`'],
    [['diff', 'IMG', 'IMG', '--order'], "--order is container-diff's flag, not ballast's", 'biggest first'],
    [['diff', 'IMG', 'IMG', '-n'], "-n is container-diff's flag, not ballast's", 'use --no-cache'],
    [['diff', 'IMG', 'IMG', '-q'], "-q is container-diff's flag, not ballast's", '`2>/dev/null`'],
    [['diff', 'IMG', 'IMG', '-w', 'out.txt'], "-w is container-diff's flag, not ballast's", '-o FILE'],
    [['diff', 'IMG', 'IMG', '-q', '-n'], 'Nonexistent flags: -q, -n', '-n: use --no-cache'],
    // ballast's -o is the report file: container-diff's -o (sort by size) is not needed.
    [['diff', 'IMG', 'IMG', '-o'], '--output expects a value', "container-diff's -o (--order) is not needed"],
    // dive's --json takes the file to write.
    [['ci', 'IMG', '--json', 'out.json'], 'Unexpected argument: "out.json"', '`--output json=out.json`'],
    [['analyze', 'IMG', '--json', 'out.json'], 'Unexpected argument: "out.json"', '`--json -o out.json`'],
  ])('%j', async (args, message, hint) => {
    const r = await runCli(args.map((w) => (w === 'IMG' ? a.path : w)));
    expect(r.code).toBe(2);
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(`error: ${message} (hint: `);
    expect(line).toContain(hint);
  });

  // Regression: the reports ci writes when it cannot parse its arguments were given the generic hint.
  it("ci's reports give the same hint as the error line for dive's `--json out.json`", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ballast-tests-ci-json-'));
    const r = await runCli(['ci', a.path, '--json', 'out.json', '-o', 'junit=r.xml', '-o', 'sarif=r.sarif'], { cwd });
    expect(r.code).toBe(2);
    const hint = /\(hint: (.+)\)$/.exec(r.stderr.trim())?.[1];
    expect(hint).toContain('`--output json=out.json`');
    // stdout has the JSON result (--json), the files the report each says in its own way
    expect(JSON.parse(r.stdout).error.hint).toBe(hint);
    const junit = readFileSync(join(cwd, 'r.xml'), 'utf8');
    expect(junit).toContain('--output json=out.json');
    const sarif = JSON.parse(readFileSync(join(cwd, 'r.sarif'), 'utf8'));
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain(`(hint: ${hint})`);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('-o before another flag with its value is refused, not taken as the report file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ballast-tests-o-'));
    const r = await runCli(['diff', a.path, b.path, '-o', '--type=file'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --output expects a value \(hint: -o is --output here/);
    expect(existsSync(join(cwd, '--type=file'))).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
    const base = await runCli(['analyze', a.path, '--base', '--top=3']);
    expect(base.code).toBe(2);
    expect(base.stderr).toMatch(/^error: --base expects a value/);
  });

  // Review s45: `-o -n` and `-o -q` (container-diff's and dive's flags, unknown here) wrote files named -n and -q.
  it('-o before a word that looks like a flag is refused unless joined; -o - is standard output', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ballast-tests-o-'));
    const refused = await Promise.all([
      runCli(['diff', a.path, b.path, '-o', '-n'], { cwd }),
      runCli(['analyze', a.path, '-o', '-q'], { cwd }),
      runCli(['analyze', a.path, '--output', '--quiet'], { cwd }),
    ]);
    for (const [r, name] of refused.map((r, i) => [r, ['-n', '-q', '--quiet'][i]] as const)) {
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr.trim()).toBe(
        `error: --output expects a value (hint: to write a file named ${name}, write ./${name})`,
      );
    }
    expect(readdirSync(cwd)).toEqual([]);
    // Written with `=`, or as a path, the word is the file the user meant.
    const written = await Promise.all([
      runCli(['analyze', a.path, '-o=-q'], { cwd }),
      runCli(['analyze', a.path, '--output=--format=json'], { cwd }),
      runCli(['analyze', a.path, '-o', './-n'], { cwd }),
    ]);
    for (const r of written) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(cwd).sort()).toEqual(['--format=json', '-n', '-q']);
    // `-` is standard output, not a file named `-`.
    const stdout = await runCli(['analyze', a.path, '-o', '-', '--format=json'], { cwd });
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.stdout)).toBeTruthy();
    expect(existsSync(join(cwd, '-'))).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
  });

  // Regression: a word like a flag with a value (`--type=file`) that is no flag of the command was taken as the file:
  // `analyze X -o --type=file` exited 0 with a report named `--type=file`.
  it('a file flag before a word like a flag (with a value) is refused by every command, and nothing is written', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ballast-tests-o-'));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add curl\n');
    const dockerfile = join(cwd, 'Dockerfile');
    const lines: [string[], string, string][] = [
      [['analyze', a.path], '-o', '--type=file'],
      [['inspect', a.path], '-o', '--type=file'],
      [['explore', a.path], '-o', '--type=file'],
      [['diff', a.path, b.path], '-o', '--order=size'],
      [['ci', a.path], '-o', '--type=file'],
      [['ci', a.path], '--save-baseline', '--type=file'],
      [['bases', a.path], '-o', '--type=file'],
      [['analyze', a.path], '--output', '-n=3'],
      [['lint', dockerfile], '-o', '--type=file'],
      [['lint', dockerfile], '-c', '--type=file'],
      [['lint', dockerfile], '--context', '-n'],
      [['analyze', a.path], '--dockerfile', '-n'],
      // No flag to anyone, still refused: oclif took `-5` as the file, lint's fast path refused it.
      [['analyze', a.path], '-o', '-5'],
      [['lint', dockerfile], '-o', '-5'],
    ];
    const results = await Promise.all(
      lines.map(([words, flag, value]) => runCli([...words, flag, value], { cwd, env: { BALLAST_NO_FAST_PATH: '1' } })),
    );
    for (const [i, r] of results.entries()) {
      const [, flag, value] = lines[i];
      const name = { '-o': 'output', '-c': 'config' }[flag] ?? flag.slice(2);
      expect([lines[i][0][0], r.code, r.stdout]).toEqual([lines[i][0][0], 2, '']);
      // The hint says what the flag does with the file: -o writes it, -c and --dockerfile read it.
      const use =
        { config: 'read a file', dockerfile: 'read a file', context: 'use a directory' }[name] ?? 'write a file';
      expect(r.stderr.trim()).toBe(
        `error: --${name} expects a value (hint: to ${use} named ${value}, write ./${value})`,
      );
    }
    expect(readdirSync(cwd)).toEqual(['Dockerfile']);
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe("dive's --source", () => {
  it('docker is the daemon, as daemon is', async () => {
    const env = { DOCKER_HOST: 'unix:///nonexistent-ballast-test/docker.sock' };
    const [docker, daemon] = await Promise.all([
      runCli(['inspect', 'app:1', '--source', 'docker'], { env }),
      runCli(['inspect', 'app:1', '--source', 'daemon'], { env }),
    ]);
    expect(daemon.stderr).toMatch(/cannot reach the Docker daemon/);
    expect(docker.stderr).toBe(daemon.stderr);
    expect(docker.code).toBe(2);
  });

  it('docker-archive is told to name the archive as the image', async () => {
    const r = await runCli(['analyze', a.path, '--source', 'docker-archive']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('docker-archive://PATH');
  });
});

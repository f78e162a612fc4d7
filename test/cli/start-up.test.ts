// What `ballast lint` loads before it answers: pre-commit starts it on every commit, so its start-up is a benchmark
// target (bench/lint.js, cold start). These keep it down and would quietly stop doing so: oclif reading the
// command list from oclif.manifest.json (written by `npm run build`) and importing only the command it runs, and
// string-width (a grapheme segmenter and its tables) loaded only when a line is not plain ASCII; and oclif's check of
// the Node version against its own engines range, which loads semver, skipped; and the chunked JSON writer loaded only
// to print JSON; and the compiled rules as one module (scripts/bundle-rules.js), not one file per rule.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import { commands } from '../../src/commands/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-start-up-'));
// A resolve hook that writes every module URL the process resolves to $LOADED, one per line.
const hook = join(dir, 'hook.mjs');
writeFileSync(
  hook,
  "import { appendFileSync } from 'node:fs';\n" +
    'export async function resolve(specifier, context, next) {\n' +
    '  const result = await next(specifier, context);\n' +
    "  appendFileSync(process.env.LOADED, result.url + '\\n');\n" +
    '  return result;\n' +
    '}\n',
);
// require() (oclif is CommonJS; string-width on demand) passes no resolve hook on Node 20: this records those files.
const requireHook = join(dir, 'require-hook.cjs');
writeFileSync(
  requireHook,
  "const Module = require('node:module');\n" +
    "const { appendFileSync } = require('node:fs');\n" +
    'const resolveFilename = Module._resolveFilename;\n' +
    'Module._resolveFilename = function (...args) {\n' +
    '  const file = resolveFilename.apply(this, args);\n' +
    "  appendFileSync(process.env.LOADED, file + '\\n');\n" +
    '  return file;\n' +
    '};\n',
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`,
);
writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nRUN cd /tmp && make\n');
// DF206 quotes the stage name, so the stylish table has a row of wide characters to align.
writeFileSync(join(dir, 'Wide.Dockerfile'), 'FROM debian:12-slim\nCOPY --from=ビルド /a /b\nRUN cd /tmp && make\n');

let runs = 0;
async function lintLoading(file: string, env: NodeJS.ProcessEnv = {}) {
  const loaded = join(dir, `loaded-${(runs += 1)}.txt`);
  writeFileSync(loaded, '');
  const result = await runCli(['lint', '--no-shellcheck', file], {
    cwd: dir,
    env: {
      ...env,
      LOADED: loaded,
      NODE_OPTIONS: `--require ${requireHook} --import ${register} ${env.NODE_OPTIONS ?? ''}`.trim(),
    },
  });
  const modules = readFileSync(loaded, 'utf8').split('\n');
  const from = (part: string) => modules.filter((url) => url.includes(part));
  // ballast's own dependency, not a copy nested under another package (oclif's CommonJS string-width 4 is cheap).
  const direct = (name: string) =>
    modules.filter((url) => new RegExp(`^(?:(?!/node_modules/).)*/node_modules/${name}/`).test(url));
  return { ...result, from, direct };
}

describe('what `ballast lint` loads', () => {
  it.each([
    ['the fast path', {}],
    ['the oclif path', { BALLAST_NO_FAST_PATH: '1' }],
  ])(
    '%s loads neither string-width for an all-ASCII report nor semver nor the JSON writer, and the rules as one module',
    async (_, env) => {
      const run = await lintLoading('Dockerfile', env);
      expect([run.code, run.stderr]).toEqual([1, '']);
      expect(run.stdout).toContain('DF103');
      expect(run.from('/dist/src/reporters/stylish.js')).toHaveLength(1);
      expect(run.direct('string-width')).toEqual([]);
      expect(run.direct('semver')).toEqual([]);
      // JSON's chunked writer is required when a command prints JSON, not by every start.
      expect(run.direct('@discoveryjs/json-ext')).toEqual([]);
      // Every rule ran (DF103 is one of them) from the one bundled module: no rule file of its own.
      expect([...new Set(run.from('/dist/rules/'))].map((url) => url.replace(/^.*\/dist\//, 'dist/'))).toEqual([
        'dist/rules/index.js',
      ]);
    },
  );

  it('through oclif, imports the lint command alone', async () => {
    const run = await lintLoading('Dockerfile', { BALLAST_NO_FAST_PATH: '1' });
    expect(run.code).toBe(1);
    const loadedCommands = Object.keys(commands).filter((id) => run.from(`/dist/src/commands/${id}.js`).length > 0);
    expect(loadedCommands).toEqual(['lint']);
    expect(run.from('/dist/src/commands/index.js')).toEqual([]);
  });

  it('finds every command by the names package.json lists, and the manifest the build wrote has them all', () => {
    const root = new URL('../../', import.meta.url);
    const oclif = (
      JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
        oclif: { commands: { strategy: string; target: string; globPatterns: string[] } };
      }
    ).oclif.commands;
    expect([oclif.strategy, oclif.target]).toEqual(['pattern', './dist/src/commands']);
    expect(oclif.globPatterns).toEqual([`{${Object.keys(commands).sort().join(',')}}.js`]);
    const manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8')) as {
      commands: Record<string, { relativePath: string[]; flags: Record<string, unknown> }>;
    };
    expect(Object.keys(manifest.commands).sort()).toEqual(Object.keys(commands).sort());
    for (const [id, command] of Object.entries(commands)) {
      expect(manifest.commands[id].relativePath).toEqual(['dist', 'src', 'commands', `${id}.js`]);
      // (oclif adds its --json to a command that enables it.)
      expect(Object.keys(manifest.commands[id].flags)).toEqual(
        expect.arrayContaining(Object.keys(command.flags ?? {})),
      );
    }
  });

  it('lines up a row of wide characters the same with string-width loaded on demand or up front', async () => {
    const onDemand = await lintLoading('Wide.Dockerfile');
    // A runtime that cannot require() an ES module (Node 20 before 20.19) loads it up front.
    const upFront = await lintLoading('Wide.Dockerfile', { NODE_OPTIONS: '--no-experimental-require-module' });
    for (const run of [onDemand, upFront]) {
      expect([run.code, run.stderr]).toEqual([1, '']);
      expect(run.direct('string-width').length).toBeGreaterThan(0);
    }
    expect(upFront.stdout).toBe(onDemand.stdout);
    // The wide row's code column starts where the others' does: ビルド is 3 characters and 6 columns.
    const rows = onDemand.stdout.split('\n').filter((line) => /^ {2}\d+:\d+ /.test(line));
    expect(rows).toHaveLength(2);
    const codeColumn = (row: string) => {
      const at = row.search(/DF\d{3} /);
      return [...row.slice(0, at)].length + (row.slice(0, at).match(/[ビルド]/g) ?? []).length;
    };
    expect(new Set(rows.map(codeColumn)).size).toBe(1);
  });

  it('npm run build removes the manifest before it compiles, so a build that fails leaves none to be stale', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const build = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } })
      .scripts.build;
    expect(build.startsWith('node scripts/oclif-manifest.js --remove && ')).toBe(true);
    expect(build.endsWith(' && node scripts/oclif-manifest.js')).toBe(true);
    const copy = mkdtempSync(join(tmpdir(), 'ballast-manifest-'));
    mkdirSync(join(copy, 'scripts'));
    copyFileSync(join(root, 'scripts', 'oclif-manifest.js'), join(copy, 'scripts', 'oclif-manifest.js'));
    copyFileSync(join(root, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'oclif.manifest.json'), '{"version":"0.0.0","commands":{}}\n');
    execFileSync(process.execPath, ['scripts/oclif-manifest.js', '--remove'], { cwd: copy });
    expect(existsSync(join(copy, 'oclif.manifest.json'))).toBe(false);
  });
});

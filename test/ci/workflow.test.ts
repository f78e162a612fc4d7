// Runs the steps of examples/github-workflow.yml locally: the "Build the image" step is done by buildah (chroot
// isolation, vfs storage in a temp dir) from a local base (the demo image), then the workflow's gate step runs the
// action's own script from action.yml, with the workflow's inputs, as the runner would (GITHUB_ACTIONS,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH). Then: the SARIF it wrote is valid SARIF 2.1.0 pointing at
// the Dockerfile lines, the JUnit parses, the step summary and the action outputs are written, and the annotations name
// the Dockerfile line. Not run here: the action's `npm ci` step (this checkout is installed already), actions/cache,
// upload-sarif and the `gh pr comment` step, which need GitHub.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { interpolate, stepRuns } from '../helpers/actions-expression.js';
import { buildDockerArchive, file, layer, WHITEOUT } from '../helpers/image-builder.js';
import { sarifValidator } from '../helpers/sarif.js';

const ROOT = resolve('.');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  if?: string;
}

/**
 * Runs the action's gate script as the runner runs a `shell: bash` step (`bash --noprofile --norc -eo pipefail`), on
 * GitHub Actions, the action's path this checkout.
 */
function runGate(script: string, cwd: string, env: Record<string, string>, timeout: number) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: ROOT, ...env },
  });
}

describe('examples/github-workflow.yml, run locally', () => {
  const workflow = parseYaml(readFileSync('examples/github-workflow.yml', 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const action = parseYaml(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string; required?: boolean }>;
    outputs: Record<string, unknown>;
    runs: { using: string; steps: Step[] };
  };
  const steps = workflow.jobs.ballast.steps;
  const gateScript = action.runs.steps.find((s) => s.id === 'gate')!;
  /** The action's inputs: action.yml's defaults, then `given`. */
  const inputsWith = (given: Record<string, string> = {}): Record<string, string> => {
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = spec.default ?? '';
    return Object.assign(inputs, given);
  };
  /** The gate script's environment for these inputs: each of its env entries is `${{ inputs.NAME }}`. */
  const gateEnv = (inputs: Record<string, string>): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(gateScript.env ?? {})) {
      const name = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)?.[1];
      if (name === undefined) throw new Error(`the gate's ${key} is not an input (${value})`);
      env[key] = inputs[name];
    }
    return env;
  };
  /** The step's outputs, as the runner reads $GITHUB_OUTPUT. */
  const readOutputs = (file: string): Record<string, string> =>
    Object.fromEntries(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
  let repo: string;
  let store: BuildahStore | undefined;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'ballast-workflow-'));
  });
  afterAll(() => {
    store?.cleanup();
    rmSync(repo, { recursive: true, force: true });
  });

  it('the action is a composite that installs this checkout with npm and runs the gate', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0].run).toMatch(/^npm ci --prefix "\$GITHUB_ACTION_PATH"/);
    expect(action.runs.steps[1].run).toContain('node "$GITHUB_ACTION_PATH/bin/run.js" "${args[@]}"');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['image', 'dockerfile', 'config', 'baseline', 'fail-on']),
    );
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(['verdict', 'exit-code', 'sarif', 'junit', 'summary']),
    );
    // The workflow builds, gates with the action, uploads the SARIF and comments the summary
    expect(steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Build the image', 'Gate', 'Upload SARIF', 'Comment the summary on the pull request']),
    );
  });

  it('build (buildah), gate (the action script), SARIF valid, JUnit parsed, summary and outputs written', () => {
    // Step "Build the image", done with buildah from a local base: the demo image, plus a download deleted later.
    store = demoBuildahStore('buildah');
    writeFileSync(
      join(repo, 'Dockerfile'),
      'FROM localhost/ballast-demo:latest\nRUN head -c 300000 /dev/urandom > /tmp/download.bin\nRUN rm /tmp/download.bin\nCMD ["/app/run.sh"]\n',
    );
    mkdirSync(join(repo, 'ctx'));
    store.build(join(repo, 'Dockerfile'), join(repo, 'ctx'), 'localhost/app:ci', ['--layers']);
    store.push('localhost/app:ci', join(repo, 'app.tar'), 'app:ci');
    // The repository's budgets: the deleted download makes all of this Dockerfile's bytes waste
    writeFileSync(
      join(repo, '.ballast.yaml'),
      'trustedRegistries: [localhost]\nci:\n  maxWastedBytes: 2MB\n  maxWastedPercent: 10%\n  maxImageBytes: 10MB\n  failOn: error\n',
    );

    // Step "Gate": the action's gate script with the workflow's inputs (expressions are a pull request without a
    // cached baseline: empty), input defaults from action.yml.
    const gate = steps.find((s) => s.name === 'Gate')!;
    expect(gate.uses).toMatch(/^ballast-dev\/ballast@/);
    const inputs = inputsWith(
      Object.fromEntries(
        Object.entries(gate.with ?? {}).map(([name, value]) => [
          name,
          String(value).includes('${{') ? '' : String(value),
        ]),
      ),
    );
    const script = gateScript;
    const env = gateEnv(inputs);
    const output = join(repo, 'github-output');
    const summary = join(repo, 'step-summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const run = runGate(script.run!, repo, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, 120_000);
    // Then the step fails (exit 1: a budget failed), not crashed; stderr holds only the annotations
    expect(
      run.stderr
        .trim()
        .split('\n')
        .every((l) => l.startsWith('::')),
    ).toBe(true);
    expect(run.status).toBe(1);
    const outputs = readOutputs(output);
    expect(outputs).toEqual({
      'exit-code': '1',
      verdict: 'fail',
      sarif: 'ballast.sarif',
      junit: 'ballast-junit.xml',
      summary: 'ballast-summary.md',
      json: 'ballast.json',
    });
    // The annotation (workflow-command escaped: % is %25) points at the RUN that wrote the download (line 2); it is on
    // stderr, which the runner reads workflow commands from as it does stdout
    expect(run.stdout).not.toMatch(/^::/m);
    expect(run.stderr).toMatch(
      /^::error file=Dockerfile,line=2,title=budget\/maxWastedPercent wasted-share::wasted share of your layers 100\.00%25 is 90\.00 points over the 10\.00%25 limit \(maxWastedPercent\); fix first: Dockerfile:2 \(layer 6, 300 kB\): RUN head -c 300000 \/dev\/urandom > \/tmp\/download\.bin$/m,
    );

    // Step "Upload SARIF" reads the gate's sarif output: valid SARIF 2.1.0, results on the Dockerfile lines
    const upload = steps.find((s) => s.name === 'Upload SARIF')!;
    expect(upload.with!.sarif_file).toBe('${{ steps.ballast.outputs.sarif }}');
    const sarif = JSON.parse(readFileSync(join(repo, outputs.sarif), 'utf8'));
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    expect(validate({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ message: {} }] }] })).toBe(false);
    const results = sarif.runs[0].results as {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
    }[];
    const budget = results.find((r) => r.ruleId === 'budget/maxWastedPercent')!;
    expect(budget.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'Dockerfile' },
      region: { startLine: 2 },
    });
    const deleted = results.find((r) => r.ruleId === 'IM003')!;
    expect(deleted.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'Dockerfile' },
      region: { startLine: 2 },
    });
    for (const r of results)
      expect(sarif.runs[0].tool.driver.rules.map((d: { id: string }) => d.id)).toContain(r.ruleId);

    // The JUnit report parses: a budgets suite with one case per budget, the failed one failing
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(repo, outputs.junit), 'utf8'),
    );
    const suites = [junit.testsuites.testsuite].flat();
    const budgets = suites.find((s: { name: string }) => s.name === 'budgets');
    const cases = [budgets.testcase].flat() as { name: string; failure?: { message: string }; skipped?: unknown }[];
    expect(cases.length).toBe(Number(budgets.tests));
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toEqual([
      'maxWastedPercent: wasted share of your layers',
    ]);
    expect(cases.find((c) => c.name.startsWith('maxImageBytes'))).not.toHaveProperty('failure');
    expect(cases.find((c) => c.name.startsWith('maxWastedBytes'))).not.toHaveProperty('failure');
    expect(cases.find((c) => c.name.startsWith('minEfficiency'))).toHaveProperty('skipped');
    expect(Number(junit.testsuites.failures)).toBeGreaterThanOrEqual(1);

    // The step summary (and the summary file the comment step posts) hold the Markdown report
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### ballast ci: failed for');
    expect(md).toMatch(
      /\| ❌ FAIL \| `maxWastedPercent` wasted share of your layers \| 100\.00% \| 10\.00% \| Dockerfile:2 \(layer 6, 300 kB\) \|/,
    );
    expect(readFileSync(join(repo, outputs.summary), 'utf8').trimEnd()).toBe(md.trimEnd());
    expect(existsSync(join(repo, outputs.json))).toBe(true);
  }, 240_000);

  // Review s48: `args` was split at every space with its quotes kept, so `--ignore-path '/app/my dir/**'` passed the
  // two words `'/app/my` and `dir/**'`. It is split as a shell splits a command line; nothing in it is expanded or run.
  it('the args input is split as a shell splits a command line, quotes taken off, nothing expanded or run', () => {
    // Given a stand-in for ballast at the action's path that records the arguments it is run with
    const cwd = mkdtempSync(join(repo, 'args-'));
    const action = join(cwd, 'action');
    mkdirSync(join(action, 'bin'), { recursive: true });
    writeFileSync(
      join(action, 'bin', 'run.js'),
      "require('fs').writeFileSync(process.env.ARGV_FILE, JSON.stringify(process.argv.slice(2)));\n",
    );
    const argvFile = join(cwd, 'argv.json');
    const fixed = ['ci', 'app.tar'];
    const extraArgs = (args: string) => {
      rmSync(argvFile, { force: true });
      const output = join(cwd, 'github-output');
      writeFileSync(output, '');
      const env = gateEnv(inputsWith({ image: 'app.tar', sarif: '', junit: '', summary: '', json: '', args }));
      const run = runGate(
        gateScript.run!,
        cwd,
        { ...env, GITHUB_ACTION_PATH: action, GITHUB_OUTPUT: output, ARGV_FILE: argvFile },
        30_000,
      );
      const argv = existsSync(argvFile) ? (JSON.parse(readFileSync(argvFile, 'utf8')) as string[]) : undefined;
      if (argv) expect(argv.slice(0, 2)).toEqual(fixed);
      return { run, extra: argv?.slice(2), outputs: readOutputs(output) };
    };
    // When args holds quotes, backslashes and several lines, then each word arrives whole, its quotes taken off
    expect(extraArgs("--ignore-path '/app/my dir/**'").extra).toEqual(['--ignore-path', '/app/my dir/**']);
    expect(extraArgs(`--label "a b" c\\ d 'it'"'"'s' '' --`).extra).toEqual([
      '--label',
      'a b',
      'c d',
      "it's",
      '',
      '--',
    ]);
    expect(extraArgs('--max-image-bytes 1MB\n  --platform\tlinux/arm64\n').extra).toEqual([
      '--max-image-bytes',
      '1MB',
      '--platform',
      'linux/arm64',
    ]);
    // No args, or only blanks, are no arguments (not one empty one)
    expect(extraArgs('').extra).toEqual([]);
    expect(extraArgs(' \n\t ').extra).toEqual([]);
    // Nothing in it is expanded or run: variables, command substitutions and globs arrive as written (split at their
    // blanks when not quoted, as a shell would split them)
    const hostile = extraArgs('$(touch ran-1) `touch ran-2` "$(touch ran-3)" $HOME * ; touch ran-4');
    expect(hostile.extra).toEqual([
      '$(touch',
      'ran-1)',
      '`touch',
      'ran-2`',
      '$(touch ran-3)',
      '$HOME',
      '*',
      ';',
      'touch',
      'ran-4',
    ]);
    for (const n of [1, 2, 3, 4]) expect(existsSync(join(cwd, `ran-${n}`))).toBe(false);
    // Review s49: a value with a quote in it. Inside quotes a backslash is kept, as xargs keeps it (GNU and macOS), so
    // `"a \"b\""` closes at its second quote; the ways the hint gives work
    expect(extraArgs(`--label 'say "hi"' --label say\\ \\"hi\\" --label "it's" --label "a\\b"`).extra).toEqual([
      '--label',
      'say "hi"',
      '--label',
      'say "hi"',
      '--label',
      "it's",
      '--label',
      'a\\b',
    ]);
    // A quote left open, or a lone backslash ending a line (GNU xargs drops one ending the input, macOS's refuses it,
    // and one ending an inner line put the line break in a word), runs ballast with why instead of half the args: the
    // gate stops there and its reports say why (see 'when the gate cannot run')
    for (const [args, why] of [
      ["--ignore-path '/app/**", 'unmatched single quote'],
      ['--label "a\nb"', 'unmatched double quote'],
      ['--label "a \\"b\\""', 'unmatched double quote'],
      ['--label a\\', 'line 1 ends in a lone backslash'],
      ['--label a\\\\\\', 'line 1 ends in a lone backslash'],
      ['--max-image-bytes 1MB \\\n  --platform linux/arm64\n', 'line 1 ends in a lone backslash'],
      ['--max-image-bytes 1MB\n  --platform\\\n  linux/arm64', 'line 2 ends in a lone backslash'],
    ])
      expect(extraArgs(args).extra).toEqual(['--args-error', why]);
    // while an escaped backslash ending a line is one backslash
    expect(extraArgs('--label a\\\\\n').extra).toEqual(['--label', 'a\\']);
  }, 60_000);

  it('an --ignore-path glob with a space in args drops the findings under it', async () => {
    // Given an image whose download, deleted by a later layer, still ships (an info finding) in a directory with a
    // space in its name, and a gate failing on info findings
    const image = await buildDockerArchive(
      [layer({ 'app/my dir/download.bin': file(300_000) }), layer({ 'app/my dir/download.bin': WHITEOUT })],
      { repoTags: ['app:ci'] },
    );
    try {
      const gate = (args: string) => {
        const cwd = mkdtempSync(join(repo, 'ignore-space-'));
        // (its own config: the one the first test wrote in the directory above has budgets of its own)
        writeFileSync(join(cwd, '.ballast.yaml'), 'ci:\n  failOn: info\n');
        const output = join(cwd, 'github-output');
        writeFileSync(output, '');
        const env = gateEnv(inputsWith({ image: image.path, args }));
        const run = runGate(gateScript.run!, cwd, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: '' }, 60_000);
        const result = JSON.parse(readFileSync(join(cwd, 'ballast.json'), 'utf8'));
        return { run, result };
      };
      const without = gate('');
      expect(without.run.status).toBe(1);
      expect(without.result.notes).not.toContain('1 image findings under ignore.paths not counted');
      // When the glob is given in quotes, then the findings under it are not counted and the gate passes
      const ignored = gate("--ignore-path '/app/my dir/**'");
      expect(ignored.run.stderr).not.toMatch(/^error:/m);
      expect(ignored.run.status).toBe(0);
      expect(ignored.result.notes).toContain('1 image findings under ignore.paths not counted');
    } finally {
      image.cleanup();
    }
  }, 120_000);

  it('a report input set empty is not written, and the gate still runs and writes the others', async () => {
    // Given the action's gate script with `sarif: ''` and `json: ''` (a job that does not upload SARIF), and an image
    // within its budgets
    const image = await buildDockerArchive([layer({ 'app/a': file(1000) })], { repoTags: ['app:ci'] });
    try {
      const env = gateEnv(inputsWith({ image: image.path, sarif: '', json: '', args: '--max-image-bytes 1MB' }));
      const script = gateScript;
      const cwd = mkdtempSync(join(repo, 'empty-input-'));
      const output = join(cwd, 'github-output');
      writeFileSync(output, '');
      // When the runner runs it
      const run = runGate(script.run!, cwd, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: '' }, 60_000);
      // Then the gate passes (no `--output sarif=` usage error, exit 2), the empty ones are empty outputs and the
      // others are written
      expect(run.stderr).not.toMatch(/^error:/m);
      expect(run.status).toBe(0);
      const outputs = readOutputs(output);
      expect(outputs).toEqual({
        'exit-code': '0',
        verdict: 'pass',
        sarif: '',
        junit: 'ballast-junit.xml',
        summary: 'ballast-summary.md',
        json: '',
      });
      expect(readFileSync(join(cwd, outputs.junit), 'utf8')).toContain('<testsuites');
    } finally {
      image.cleanup();
    }
  }, 60_000);

  it('"Save the baseline of main" runs on main only when the gate wrote the baseline, pass or fail', async () => {
    const save = steps.find((s) => s.name === 'Save the baseline of main')!;
    const gateStep = steps.find((s) => s.name === 'Gate')!;
    const script = gateScript;
    const image = await buildDockerArchive([layer({ 'app/a': file(1000) })], { repoTags: ['app:ci'] });
    try {
      // The gate on a push to main, as the runner runs it: the workflow's inputs evaluated for a push
      const push = (cwd: string, imagePath: string, args: string) => {
        const context = { values: { 'github.event_name': 'push' }, status: 'success' as const, workspace: cwd };
        const inputs = inputsWith(
          Object.fromEntries(
            Object.entries(gateStep.with ?? {}).map(([name, value]) => [name, interpolate(value, context)]),
          ),
        );
        Object.assign(inputs, { image: imagePath, dockerfile: '', config: '', args });
        expect(inputs['save-baseline']).toBe(save.with!.path);
        const env = gateEnv(inputs);
        const output = join(cwd, 'github-output');
        writeFileSync(output, '');
        const run = runGate(script.run!, cwd, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: '' }, 60_000);
        const status: 'success' | 'failure' = run.status === 0 ? 'success' : 'failure';
        return { run, saves: stepRuns(save.if, { ...context, status }) };
      };
      // The gate could not run (exit 2): no baseline file, so nothing is saved (the cache step would fail on it)
      const broken = push(mkdtempSync(join(repo, 'save-error-')), 'missing.tar', '');
      expect(broken.run.status).toBe(2);
      expect(broken.saves).toBe(false);
      // The gate failed a budget (exit 1) or passed: the baseline was written, and main's is saved either way
      const failed = push(mkdtempSync(join(repo, 'save-fail-')), image.path, '--max-image-bytes 1');
      expect(failed.run.status).toBe(1);
      expect(failed.saves).toBe(true);
      const passed = push(mkdtempSync(join(repo, 'save-pass-')), image.path, '');
      expect(passed.run.status).toBe(0);
      expect(passed.saves).toBe(true);
      // On a pull request it never runs, even with a baseline file restored into the workspace
      const pr = mkdtempSync(join(repo, 'save-pr-'));
      writeFileSync(join(pr, save.with!.path), '{}');
      expect(
        stepRuns(save.if, { values: { 'github.event_name': 'pull_request' }, status: 'success', workspace: pr }),
      ).toBe(false);
    } finally {
      image.cleanup();
    }
  }, 120_000);

  it('when the gate cannot run, the action still hands later steps the reports, which say why', () => {
    // Given the action's gate script with its input defaults and an image that does not exist
    const script = gateScript;
    const env = gateEnv(inputsWith({ image: 'missing.tar' }));
    const cwd = mkdtempSync(join(repo, 'error-'));
    const output = join(cwd, 'github-output');
    const summary = join(cwd, 'step-summary.md');
    writeFileSync(output, '');
    // When the runner runs it
    const run = runGate(script.run!, cwd, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, 60_000);
    // Then the step fails with exit 2 and the one error line
    expect(run.status).toBe(2);
    // The run is annotated with why, then the error line
    expect(run.stderr).toMatch(
      /^::error title=ballast ci::the gate could not run for missing\.tar: missing\.tar does not exist.*\nerror: missing\.tar does not exist/,
    );
    const outputs = readOutputs(output);
    expect(outputs).toMatchObject({ 'exit-code': '2', verdict: 'error', sarif: 'ballast.sarif' });
    // Every path output names a file that exists: upload-sarif gets a valid SARIF of a run that did not execute
    for (const name of ['sarif', 'junit', 'summary', 'json']) expect(existsSync(join(cwd, outputs[name]))).toBe(true);
    const sarif = JSON.parse(readFileSync(join(cwd, outputs.sarif), 'utf8'));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    // and the PR comment posts the summary, which says the gate could not run
    expect(readFileSync(join(cwd, outputs.summary), 'utf8')).toMatch(
      /^### ballast ci: could not run for `missing\.tar`/,
    );
    expect(readFileSync(summary, 'utf8')).toContain('missing.tar does not exist');

    // And when ballast cannot even parse its arguments (a misspelt flag in `args`), the reports say so too, written
    // over the earlier run's in the same workspace
    writeFileSync(output, '');
    const gate = (extra: NodeJS.ProcessEnv) =>
      spawnSync('bash', ['-e', '-c', script.run!], {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...env, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, ...extra },
      });
    const bad = gate({ INPUT_ARGS: '--no-such-flag' });
    expect(bad.status).toBe(2);
    expect(readFileSync(output, 'utf8')).toContain('sarif=ballast.sarif\n');
    expect(readFileSync(join(cwd, 'ballast-summary.md'), 'utf8')).toMatch(/Nonexistent flag: --no-such-flag/);
    // And when the args input cannot be split (review s49: a quote left open, here by a backslash that does not escape
    // it inside quotes), the gate checks nothing and the reports say why, as for any other error: the upload step after
    // it finds its SARIF, and the hint says how to write a quote inside a value
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const split = runGate(
      script.run!,
      cwd,
      {
        ...env,
        INPUT_ARGS: '--max-image-bytes 1MB --label "a \\"b\\""',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
      },
      60_000,
    );
    expect(split.status).toBe(2);
    const why = 'the args input cannot be split into arguments: unmatched double quote';
    expect(split.stderr).toMatch(
      new RegExp(
        `^::error title=ballast ci::the gate could not run for missing\\.tar: ${why} \\(hint: inside quotes a backslash is kept as written: put a quote in a value with the other kind around it \\('say "hi"', "it's"\\) or as \\\\" outside quotes.*\nerror: ${why} \\(hint: `,
      ),
    );
    const splitOutputs = readOutputs(output);
    expect(splitOutputs).toEqual({
      'exit-code': '2',
      verdict: 'error',
      sarif: 'ballast.sarif',
      junit: 'ballast-junit.xml',
      summary: 'ballast-summary.md',
      json: 'ballast.json',
    });
    const splitSarif = JSON.parse(readFileSync(join(cwd, splitOutputs.sarif), 'utf8'));
    expect(sarifValidator()(splitSarif)).toBe(true);
    expect(splitSarif.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
    expect(splitSarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain(why);
    expect(readFileSync(join(cwd, splitOutputs.summary), 'utf8')).toMatch(
      new RegExp(`^### ballast ci: could not run for \`missing\\.tar\`\n\n\\*\\*ERROR\\*\\* — ${why}\n`),
    );
    expect(JSON.parse(readFileSync(join(cwd, splitOutputs.json), 'utf8')).verdict).toBe('error');
    expect(readFileSync(summary, 'utf8')).toContain(why);

    // And when no report is written at all (ballast did not start), the earlier run's files are not handed on
    writeFileSync(output, '');
    const none = gate({ GITHUB_ACTION_PATH: join(cwd, 'no-ballast-here') });
    expect(none.status).not.toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/\nsarif=\njunit=\nsummary=\njson=\n$/);
    for (const name of ['ballast.sarif', 'ballast-junit.xml', 'ballast-summary.md', 'ballast.json'])
      expect(existsSync(join(cwd, name))).toBe(false);
  }, 120_000);
});

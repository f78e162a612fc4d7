import { appendFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { refuseOverwrites, writeOutputFile, type ReadPath, type WritePath } from '../output-file.js';
import { configCandidates } from '../config/load.js';
import { Args, Flags } from '@oclif/core';
import { BallastError, cannotWrite, SourceError, UsageError } from '../errors.js';
import type { BudgetKey } from '../config/ci.js';
import type { BudgetOverride, CiResult, DiveFlag } from '../services/ci.js';
import { FAIL_ON_LEVELS } from '../report/types.js';
import { BaseCommand, envList } from './base.js';
import { CI_HTML_HINT, usageError } from './usage-error.js';
import { versioned } from '../reporters/json.js';
import { meant } from '../config/meant.js';
import { switchValue } from '../flag-sources.js';
import { budgetFlags, budgetOptions, sourceFlags, sourceOptions, walkFlags } from './flags.js';
import { failedReportLine } from '../note.js';
import { printableAs, printableResult } from '../report/printable.js';

const FORMATS = [
  'text',
  'markdown',
  'json',
  'sarif',
  'junit',
  'github',
  'checkstyle',
  'codeclimate',
  'stylish',
] as const;
type Format = (typeof FORMATS)[number];
/** The formats whose report states the gate's verdict in words, first (budgetVerdict): on stdout, the log has it. */
const VERDICT_FORMATS: readonly Format[] = ['text', 'markdown'];

// Budget flags: one per `ci:` key, each with its BALLAST_* variable (BALLAST_MAX_IMAGE_BYTES, ...); values are parsed
// like the config's, and override it.
const envOf = (key: BudgetKey) => `BALLAST_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
const one = (key: BudgetKey, description: string) =>
  Flags.string({ description, env: envOf(key), helpGroup: 'BUDGETS' });
const many = (key: BudgetKey, description: string) =>
  Flags.string({ description, env: envOf(key), helpGroup: 'BUDGETS', multiple: true, multipleNonGreedy: true });

/**
 * A BALLAST_* variable that is none of ci's but close to a budget's (`BALLAST_MAX_IMAGE_BYTS`), or named after one of
 * dive's flags (`BALLAST_LOWEST_EFFICIENCY`): such a variable is read by nothing, so the job's budget was quietly off
 * and the gate passed. ballast's other variables (`BALLAST_CACHE_MAX_BYTES`) are close to no budget's and are left
 * alone.
 */
function misspeltBudgetVariable(env: NodeJS.ProcessEnv): UsageError | undefined {
  const known = new Set(Object.values(Ci.flags).flatMap((f) => (f as { env?: string }).env ?? []));
  const budgets = [...Object.values(BUDGET_FLAGS).map(([key]) => envOf(key)), envOf('failOn')];
  const strip = (name: string) => name.slice('BALLAST_'.length);
  for (const name of Object.keys(env)) {
    if (!name.startsWith('BALLAST_') || known.has(name)) continue;
    // dive's flags have no variable (they keep dive's spelling), but `BALLAST_` and a flag's name is how every other
    // flag is set: $BALLAST_LOWEST_EFFICIENCY=0.99 was read by nothing, and the gate passed on dive's default of 0.9.
    // (--ci-config by its name alone: a few typos from it is $BALLAST_CONFIG's.)
    const dive = /^CI_?CONFIG$/.test(strip(name)) ? 'ci-config' : meant(strip(name), Object.keys(DIVE_FLAGS));
    if (dive)
      return new UsageError(`$${name} is not a variable ballast reads: dive's --${dive} has none, so it is not set`, {
        code: 'usage',
        hint:
          dive === 'ci-config'
            ? 'pass --ci-config FILE on the command line'
            : `pass --${dive}=VALUE on the command line, or write it under rules: in a .dive-ci (--ci-config FILE)`,
      });
    const guess = meant(strip(name), budgets.map(strip));
    if (guess)
      return new UsageError(`$${name} is not a variable ballast reads, so the budget it was meant to set is not set`, {
        code: 'usage',
        hint: `did you mean $BALLAST_${guess}?`,
      });
  }
  return undefined;
}

const BUDGET_FLAGS = {
  'max-image-bytes': [
    'maxImageBytes',
    many('maxImageBytes', 'image size limit: SIZE (uncompressed), or compressed=SIZE / uncompressed=SIZE; repeatable'),
  ],
  'max-layer-bytes': [
    'maxLayerBytes',
    one('maxLayerBytes', 'limit for the biggest of your layers, by its uncompressed tar size (as diff shows it)'),
  ],
  'min-efficiency': ['minEfficiency', one('minEfficiency', "minimum efficiency (dive's score), e.g. 90% or 0.9")],
  'max-wasted-bytes': [
    'maxWastedBytes',
    one('maxWastedBytes', 'limit for wasted bytes (deleted, overwritten, same-content copies)'),
  ],
  'max-wasted-percent': [
    'maxWastedPercent',
    one('maxWastedPercent', 'limit for the wasted share of your layers, e.g. 10%'),
  ],
  'max-junk-bytes': [
    'maxJunkBytes',
    many('maxJunkBytes', 'junk limit: SIZE (total), or CLASS=SIZE (aptLists=0); repeatable'),
  ],
  'max-growth-bytes': [
    'maxGrowthBytes',
    one('maxGrowthBytes', 'limit for growth of the uncompressed tar size against --baseline, e.g. 50MB'),
  ],
  'max-growth-percent': [
    'maxGrowthPercent',
    one('maxGrowthPercent', 'limit for relative growth of the uncompressed tar size against --baseline, e.g. 10%'),
  ],
} as const;

// dive's rule flags, spelt as dive spells them so a dive step's command line carries over: values as in a .dive-ci
// (a fraction or a size, or disabled/off/false), checked on dive's own numbers with dive's comparisons.
const DIVE_FLAGS = {
  lowestEfficiency: Flags.string({
    description: "dive's rule: fail when dive's efficiency score is below this fraction (0.9), or disabled",
    helpGroup: 'DIVE',
  }),
  highestWastedBytes: Flags.string({
    description: "dive's rule: fail when dive's wasted bytes (every copy) are over this size (20MB), or disabled",
    helpGroup: 'DIVE',
  }),
  highestUserWastedPercent: Flags.string({
    description:
      "dive's rule: fail when wasted bytes over the bytes above the first layer exceed this fraction (0.1), or disabled",
    helpGroup: 'DIVE',
  }),
} as const;

export default class Ci extends BaseCommand {
  static override summary = 'The CI gate: fail the build when an image is over its budgets or a rule fails.';
  static override description =
    'Lints the Dockerfile (given, or next to the config), analyzes the image with image rules and attribution, and checks ' +
    "the budgets of .ballast.yaml's ci: section (or dive's .dive-ci when there is no .ballast.yaml). dive's flags " +
    "(--lowestEfficiency, --highestWastedBytes, --highestUserWastedPercent, --ci-config) work as in dive, on dive's " +
    'numbers, and override the .dive-ci; with a .ballast.yaml their checks are added to its budgets. Prints every budget ' +
    'with value, limit and PASS/FAIL/SKIP, and the lines to fix first. Exit 0 all met, 1 a budget or rule failed, 2 could not run. ' +
    'On GitHub Actions it also writes the Markdown summary to $GITHUB_STEP_SUMMARY and ::error annotations (on stderr, ' +
    'which the runner reads too, so stdout is the report alone).';
  static override examples = [
    '<%= config.bin %> ci app.tar --dockerfile Dockerfile',
    '<%= config.bin %> ci oci:build/app.oci --baseline baseline.json --output sarif=ballast.sarif --output junit=report.xml',
    '<%= config.bin %> ci docker://registry.example.com/app:pr-12 --baseline docker://registry.example.com/app:main',
    '<%= config.bin %> ci app.tar --save-baseline baseline.json',
    '<%= config.bin %> ci app.tar --lowestEfficiency=0.9 --highestWastedBytes=20MB --highestUserWastedPercent=0.1',
    '<%= config.bin %> ci app.tar --ci-config ci/.dive-ci',
  ];
  static override args = { image: Args.string({ description: 'the image to check', required: true }) };
  static override versionedJson = true;
  static override flags = {
    dockerfile: Flags.string({
      char: 'f',
      description: 'the Dockerfile the image was built from (default: Dockerfile next to the config)',
      env: 'BALLAST_DOCKERFILE',
    }),
    config: Flags.string({
      char: 'c',
      description: ".ballast.yaml, or dive's .dive-ci (default: .ballast.yaml upward from here, else ./.dive-ci)",
      env: 'BALLAST_CONFIG',
    }),
    'ci-config': Flags.string({
      description:
        "dive's .dive-ci to read, whatever its name (as --config does for one); with a .ballast.yaml, its rules are checked alongside the budgets",
      helpGroup: 'DIVE',
    }),
    ...DIVE_FLAGS,
    // dive's switch into its CI mode: `ci` is that mode, so a dive step's line copied as it is (`--ci`) still runs.
    ci: Flags.boolean({ hidden: true, description: "dive's CI-mode switch (ci is always in that mode)" }),
    // Set by the GitHub Action (action.yml) when its `args` input cannot be split into words: the gate is run with why
    // instead of with half the args, so the reports the workflow's later steps upload say so, as for any other error.
    'args-error': Flags.string({
      hidden: true,
      description: "the GitHub Action's args input could not be split, and why: the gate reports it and checks nothing",
    }),
    baseline: Flags.string({
      description: 'compare against this image, or a baseline file (.json) written by --save-baseline',
      env: 'BALLAST_BASELINE',
    }),
    'save-baseline': Flags.string({
      description: 'write a compact baseline file (JSON) for the next run to compare against',
      env: 'BALLAST_SAVE_BASELINE',
    }),
    'fail-on': Flags.string({
      description: "fail when a finding is at or above this severity (default: the ci: section's failOn, else error)",
      options: [...FAIL_ON_LEVELS],
      env: 'BALLAST_FAIL_ON',
      helpGroup: 'BUDGETS',
    }),
    'max-image-bytes': BUDGET_FLAGS['max-image-bytes'][1],
    'max-layer-bytes': BUDGET_FLAGS['max-layer-bytes'][1],
    'min-efficiency': BUDGET_FLAGS['min-efficiency'][1],
    'max-wasted-bytes': BUDGET_FLAGS['max-wasted-bytes'][1],
    'max-wasted-percent': BUDGET_FLAGS['max-wasted-percent'][1],
    'max-junk-bytes': BUDGET_FLAGS['max-junk-bytes'][1],
    'max-growth-bytes': BUDGET_FLAGS['max-growth-bytes'][1],
    'max-growth-percent': BUDGET_FLAGS['max-growth-percent'][1],
    'ignore-rule': Flags.string({
      description: 'rule not to count (code, name, hadolint id, BuildKit check name or ShellCheck id); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
      env: 'BALLAST_IGNORE_RULE',
      helpGroup: 'BUDGETS',
    }),
    'ignore-path': Flags.string({
      description: 'image path glob whose findings do not count (/app/static/**); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      env: 'BALLAST_IGNORE_PATH',
      helpGroup: 'BUDGETS',
    }),
    'ignore-junk': Flags.string({
      description: 'junk class not to count (docsManInfo); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
      env: 'BALLAST_IGNORE_JUNK',
      helpGroup: 'BUDGETS',
    }),
    base: Flags.string({
      description: 'the base image, to tell its layers from yours without a Dockerfile',
      env: 'BALLAST_BASE',
    }),
    workers: walkFlags.workers,
    // -o first in its help group: see analyze.ts.
    output: Flags.string({
      char: 'o',
      description:
        'write a report to a file: FORMAT=PATH (sarif=ballast.sarif, junit=report.xml, json=..., markdown=..., codeclimate=...), or PATH for --format (`-` is stdout: junit=- prints JUnit instead of --format); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      env: 'BALLAST_OUTPUT',
      helpGroup: 'OUTPUT',
    }),
    format: Flags.string({
      // The list as words in the description, not oclif's `<options: a|b|...>`: one word to oclif, longer than an
      // 80-column line, it was cut mid-name there and in USAGE.
      description: `format on stdout: ${FORMATS.join(', ')} (not together with --json, unless json)`,
      helpValue: '<format>',
      options: [...FORMATS],
      default: 'text',
      env: 'BALLAST_FORMAT',
      helpGroup: 'OUTPUT',
    }),
    ...sourceFlags,
    ...budgetFlags,
  };

  async run(): Promise<CiResult> {
    const { args, flags } = await this.parse(Ci).catch(async (error: unknown) => {
      // oclif could not read the arguments (an unknown flag, `--fail-on warnings`): the reports asked for still say
      // why, as for any other error, so the workflow steps after the gate find them. With the whole command line, as
      // main.ts gives it for the line printed: the hints read it (dive's `--json out.json`), and both say the same.
      const asked = reportsAsked(this.argv, process.env);
      await this.failed(usageError(error, ['ci', ...this.argv]), asked.image, asked.outputs, asked.format, asked.paths);
      throw error;
    });
    if (flags['args-error'] !== undefined) {
      const error = new UsageError(`the args input cannot be split into arguments: ${flags['args-error']}`, {
        code: 'usage',
        hint: ARGS_HINT,
      });
      const asked = reportsAsked(this.argv, process.env);
      await this.failed(error, args.image, asked.outputs, asked.format, flags);
      throw error;
    }
    try {
      this.refuseJsonWithFormat();
    } catch (error) {
      // `--json --format sarif -o ballast.sarif`: the files asked for still say why, as for any other error, so the
      // upload step finds a SARIF file; stdout stays empty, as it is not known which of the two reports it was for.
      // (A report asked for stdout, `-o junit=-`, is a third: stdout stays empty for it too.)
      const asked = (flags.output ?? []).flatMap((spec) => {
        try {
          const output = parseOutput(spec, flags.format as Format);
          return output.path === '-' ? [] : [output];
        } catch {
          return [];
        }
      });
      await this.failed(error, args.image, asked, 'text', flags);
      throw error;
    }
    // `--json` is `--format json` for a plain `-o FILE` too.
    let format: Format = this.jsonEnabled() ? 'json' : (flags.format as Format);
    let outputs: ReturnType<typeof parseOutput>[] = [];
    let misspelt: unknown;
    for (const spec of flags.output ?? []) {
      try {
        outputs.push(parseOutput(spec, format));
      } catch (error) {
        misspelt ??= error;
      }
    }
    // One misspelt --output (`sarf=...`) must not cost the others: they are written and say why the gate stopped, as
    // for any other error, so the upload step after the gate finds its file.
    if (misspelt) {
      await this.failed(misspelt, args.image, outputs, format, flags);
      throw misspelt;
    }
    try {
      ({ outputs, format } = stdoutReports(
        outputs,
        format,
        this.jsonEnabled() ? '--json' : this.typedFormat === undefined ? undefined : `--format ${this.typedFormat}`,
      ));
    } catch (error) {
      // Stdout stays empty, as for --json beside --format: it is not known which of the two reports it was for.
      const files = outputs.filter((o) => o.path !== '-');
      await this.failed(error, args.image, files, 'text', flags);
      throw error;
    }
    // `-` is stdout for -o, but stdout carries the report: a baseline there would be mixed into it (and it was written
    // to a file named `-`).
    if (flags['save-baseline'] === '-') {
      const error = new UsageError('--save-baseline - would write the baseline to stdout, where the report goes', {
        code: 'usage',
        hint: 'give the file the next run reads with --baseline (baseline.json); ./- names a file called -',
      });
      await this.failed(error, args.image, outputs, format, flags);
      throw error;
    }
    const misnamed = misspeltBudgetVariable(process.env);
    if (misnamed) {
      await this.failed(misnamed, args.image, outputs, format, flags);
      throw misnamed;
    }
    await this.refuseOverwrites(args.image, outputs, flags);
    // `-o x.sarif` is the --format report (text by default) in x.sarif; ci names a file's own format as FORMAT=PATH.
    // `-o report.html` wrote the text report there with nothing said: ci has no html format for the note to offer, and
    // the page that file was meant to be is analyze's.
    for (const o of outputs)
      if (o.main)
        this.noteDefaultFormat(o.path, o.format, 'write it as', (f) => `-o ${f}=PATH`, { html: CI_HTML_HINT });
    // A budget is named where it was set (`sourceOf`), in errors and in each check's origin, so a limit nobody typed
    // is traced to the job's environment.
    const overrides: BudgetOverride[] = [];
    if (flags['fail-on']) overrides.push({ key: 'failOn', value: flags['fail-on'], source: this.sourceOf('fail-on') });
    for (const [name, [key]] of Object.entries(BUDGET_FLAGS)) {
      const given = (flags as Record<string, string | string[] | undefined>)[name];
      if (given === undefined) continue;
      for (const value of Array.isArray(given) ? given : [given])
        overrides.push({ key, value: keyedValue(value), source: this.sourceOf(name) });
    }
    const diveFlags: DiveFlag[] = [];
    for (const key of Object.keys(DIVE_FLAGS) as (keyof typeof DIVE_FLAGS)[])
      if (flags[key] !== undefined) diveFlags.push({ key, value: flags[key], source: `--${key}` });
    // Loaded here, not at the top: other commands' start-up should not pay for the gate.
    const [
      { ci },
      { createProgressBar },
      { renderCiText, budgetVerdict },
      { renderCiMarkdown },
      { loadReporter, reportRoot },
    ] = await Promise.all([
      import('../services/ci.js'),
      import('../ui/progress.js'),
      import('../reporters/ci-text.js'),
      import('../reporters/ci-markdown.js'),
      import('../reporters/index.js'),
    ]);
    const progress = createProgressBar(process.stderr, process.env, !this.jsonEnabled());
    // The source and layer-budget options are read inside the chain, so that their errors (a .ballast.yaml that does
    // not validate, read here for its limits:, or a bad --max-decompressed-bytes) still write the reports below.
    const options = async () => ({
      ...(await sourceOptions(flags, this.sourceOf, this.id)),
      ...(await budgetOptions(flags, this.sourceOf)),
      hadolint: (await import('../lint/hadolint-cli.js')).hadolintRuleEnvLayer(process.env),
    });
    const result = await options()
      .then((resolved) =>
        ci({
          image: args.image,
          cwd: process.cwd(),
          ...resolved,
          dockerfile: flags.dockerfile,
          config: flags.config,
          diveConfig: flags['ci-config'],
          diveFlags,
          baseline: flags.baseline,
          saveBaseline: flags['save-baseline'],
          overrides,
          ignore: {
            rules: flags['ignore-rule'] ?? [],
            paths: flags['ignore-path'] ?? [],
            junk: flags['ignore-junk'] ?? [],
          },
          sourceOf: this.sourceOf,
          base: flags.base,
          workers: flags.workers,
          version: this.config.version,
          notice: this.notice,
          onProgress: (p) => progress.update(p),
        }),
      )
      .finally(() => progress.done())
      .catch(async (error: unknown) => {
        await this.failed(error, args.image, outputs, format, flags);
        throw error;
      });

    // Reports quote the image's names and history: control characters in them are shown, not obeyed. The text
    // formats (text, markdown and the step summary, github annotations, stylish) get those strings escaped before
    // rendering, as their own newlines and colours must pass, and are made printable once rendered. The documents
    // escape them in their own syntax: JSON (and SARIF, codeclimate) by JSON.stringify, the XML formats by escapeXml,
    // which keeps the names as they are, with the control characters XML cannot hold shown.
    let escaped: CiResult | undefined;
    const shown = () => (escaped ??= printableResult(result));
    // `width` only for stdout: a report file is laid out as `> FILE` would have it, not to the terminal's width.
    const render = async (format: Format, color: boolean, width?: number): Promise<string> => {
      if (format === 'text') return printableAs(format, renderCiText(shown(), { color, width }));
      if (format === 'markdown') return printableAs(format, renderCiMarkdown(shown()));
      if (format === 'json') return JSON.stringify(versioned(result), null, 2);
      const report = format === 'github' || format === 'stylish' ? shown().report : result.report;
      const cwd = process.cwd();
      return printableAs(
        format,
        (await loadReporter(format))(report, { color, cwd, root: reportRoot(cwd, process.env) }),
      );
    };
    // A report that cannot be written (`-o sarif=reports/x.sarif` where reports is a file) is exit 2, but only once the
    // other files and the step summary are out: the JUnit upload and the summary should not be lost with it. Stdout
    // stays empty, as for any error, so the one error line is what the log shows.
    let unwritten: Error | undefined;
    for (const out of outputs) {
      // oclif writes the returned result under --json: emit points it at the file instead of stdout.
      if (out.main && this.jsonEnabled()) {
        await this.emit(() => '', out.path);
        continue;
      }
      const text = await render(out.format, false);
      try {
        await writeOutputFile(out.path, text.endsWith('\n') ? text : `${text}\n`);
      } catch (error) {
        unwritten ??= cannotWrite(out.path, error);
      }
    }
    // The gate's notes (no config found, the Dockerfile used or not, a baseline not compared) are for the person reading
    // the log: on stderr, as every command's notices are, whatever the format, and before the report, so stdout is the
    // report alone (`ci --format sarif > ballast.sarif`, `ci > report.txt`). The documents that have a place for them
    // carry them too: JSON's `notes`, the Markdown summary's quoted lines.
    for (const note of result.notes) this.notice(note);
    const printing = !this.jsonEnabled() && !outputs.some((o) => o.main);
    if (printing && !unwritten) this.log(await render(format, this.color(), this.width()));
    // With the report in -o FILE (and --json's there too) stdout is empty, and the log of a failed gate would say
    // nothing: why, as the text report's first line says it, and where the reports are. So with a document on stdout
    // that states no verdict in words (`--format sarif > ballast.sarif`, --json, `-o junit=-`): the log showed a bare
    // exit 1. The text and Markdown reports open with the verdict, so they need no line. On GitHub Actions it comes
    // before the annotations, not after: they are one line per finding, so a reason after them was buried under as
    // many lines as the image has findings, and they do not make it redundant (they do not say which findings or
    // budgets failed the gate, nor where the reports are).
    const inFiles = outputs.some((o) => o.main);
    const unsaid = this.jsonEnabled() || !VERDICT_FORMATS.includes(format);
    if (result.exitCode === 1 && (inFiles || unsaid) && !unwritten)
      process.stderr.write(failedReportLine(budgetVerdict(result), inFiles ? outputs.map((o) => o.path) : []));
    if (process.env.GITHUB_ACTIONS === 'true') {
      // `--format github` printed the annotations where the runner reads them; written to a file (`-o FILE`) it did not.
      const printed = printing && format === 'github';
      await this.github(result, printed, await render('github', false), await render('markdown', false));
    }
    if (unwritten) throw unwritten;
    process.exitCode = result.exitCode;
    return result;
  }

  /**
   * Refuses (exit 2, before anything is read) a report or baseline file that would overwrite what the gate reads (see
   * `ciReads`). One exception: `--save-baseline` may name the --baseline file it replaces, the ratchet of a main branch
   * (it is read before it is written).
   */
  private async refuseOverwrites(
    image: string,
    outputs: ReturnType<typeof parseOutput>[],
    flags: CiPaths,
  ): Promise<void> {
    const cwd = process.cwd();
    const reports = outputs.map((o) => this.written(o));
    const saved: WritePath[] = flags['save-baseline']
      ? [{ path: flags['save-baseline'], flag: '--save-baseline', what: 'the baseline' }]
      : [];
    const { inputs, baseline } = await ciReads(image, flags, cwd);
    await refuseOverwrites([...reports, ...saved], inputs, cwd);
    await refuseOverwrites(reports, baseline, cwd);
  }

  /** A report file as the errors name it: `-o report.txt`'s flag alone, `-o sarif=x.sarif` with its format. */
  private written(out: ReturnType<typeof parseOutput>): WritePath {
    const flag = this.outputFlag();
    return out.main
      ? { path: out.path, flag, what: 'the report' }
      : { path: out.path, flag: `${flag} ${out.format}=${out.path}`, what: `the ${out.format} report` };
  }

  /**
   * The gate could not run (exit 2; the caller rethrows the error, printed as one line). The reports asked for are
   * still written, saying so and why, and the step summary too: a workflow uploads the SARIF and posts the summary
   * with `if: always()`, and a missing file would fail those steps with a message that hides the real one.
   */
  private async failed(
    error: unknown,
    image: string,
    asked: ReturnType<typeof parseOutput>[],
    askedFormat: Format,
    flags: CiPaths,
  ) {
    // `-o -` and `-o FORMAT=-` are stdout here too; when they conflict, the files are still written, none named -.
    const { outputs, format } = (() => {
      try {
        return stdoutReports(asked, askedFormat, undefined);
      } catch {
        return { outputs: asked.filter((o) => o.path !== '-'), format: askedFormat };
      }
    })();
    const { renderCiError, ERROR_FORMATS } = await import('../reporters/ci-error.js');
    const failure = {
      image,
      message: error instanceof Error ? error.message : String(error),
      hint: error instanceof BallastError ? error.hint : undefined,
      code: error instanceof BallastError ? error.code : 'error',
      version: this.config.version,
    };
    const can = (f: Format): f is (typeof ERROR_FORMATS)[number] => (ERROR_FORMATS as readonly string[]).includes(f);
    // The error may quote the image: the text formats are made printable, as a finished run's are.
    const report = (f: (typeof ERROR_FORMATS)[number]) => printableAs(f, renderCiError(f, failure));
    // Best effort: a report that cannot be written is not worth hiding the error that stopped the gate. None is written
    // where one would overwrite what the gate reads (the image, Dockerfile, config files, --baseline) or another
    // report: this runs for errors found before `refuseOverwrites` would have stopped the run (a flag oclif cannot
    // read, --json with --format, a misspelt -o FORMAT= or budget variable), so it checks the same inputs.
    const { inputs, baseline } = await ciReads(image, flags, process.cwd());
    const safe = await refuseOverwrites(
      outputs.map((o) => this.written(o)),
      [...inputs, ...baseline],
    ).then(
      () => true,
      () => false,
    );
    if (safe)
      for (const out of outputs)
        if (can(out.format)) await writeOutputFile(out.path, `${report(out.format)}\n`).catch(() => undefined);
    // On stdout only a document that a pipe or `> file` expects; the text would repeat the error line. `--json` gets
    // the error verdict as `--format json` does (`ci --json > r.json; jq .verdict r.json` reads "error"); oclif's log
    // says nothing under --json, so it is written directly.
    const onStdout = !outputs.some((o) => o.main) && format !== 'text' && format !== 'stylish' && can(format);
    if (onStdout) process.stdout.write(`${report(format)}\n`);
    if (process.env.GITHUB_ACTIONS === 'true') {
      await this.summary(report('markdown')).catch(() => undefined);
      // A gate that cannot run annotates the run as a failed budget does, on stderr (the runner reads workflow
      // commands there too), before the error line; once only, when `--format github` put it on stdout already.
      if (!(onStdout && format === 'github')) process.stderr.write(`${report('github')}\n`);
    }
  }

  /** Appends to the job page's summary ($GITHUB_STEP_SUMMARY), when there is one. */
  private async summary(markdown: string): Promise<void> {
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (!summary) return;
    try {
      await appendFile(summary, `${markdown}\n`);
    } catch (error) {
      throw new SourceError(`cannot append to $GITHUB_STEP_SUMMARY (${summary}): ${(error as Error).message}`, {
        code: 'write',
        cause: error,
        hint: 'the runner sets this file; check that the step may write it, or unset GITHUB_STEP_SUMMARY',
      });
    }
  }

  /** On GitHub Actions: the Markdown summary on the job page, and annotations on the Dockerfile lines. */
  private async github(result: CiResult, printed: boolean, annotations: string, markdown: string): Promise<void> {
    // A summary file the step cannot write (a runner without one, a path made read-only) is the runner's problem, not
    // the image's: the gate ran, so its verdict and exit code stand, the annotations are still written, and the
    // reports already written (which say pass or fail) are not contradicted by an exit 2.
    // The note keeps the error's hint: it is what tells the user how to fix the runner's setup.
    await this.summary(markdown).catch((error: unknown) => {
      const hint = error instanceof BallastError && error.hint ? ` (hint: ${error.hint})` : '';
      this.notice(`${(error as Error).message}; the verdict stands, with no summary on the job page${hint}`);
    });
    // With --format github on stdout the annotations are the report already: twice would annotate each line twice.
    if (printed) return;
    // The runner reads workflow commands from stderr as well as stdout, so they go to stderr: stdout is the report
    // alone, and `ci --format sarif > ballast.sarif` (or json, junit, markdown) writes a valid file.
    if (annotations) process.stderr.write(`${annotations}\n`);
  }
}

/**
 * How to write what the Action's `args` could not split. Its rules are xargs' (action.yml), the same on Linux and macOS
 * runners: inside quotes a backslash is kept as written, so `"a \"b\""` closes at its second quote, as a shell's would
 * not; and a backslash at the end of a line would put the line break in a word, where a shell joins the lines.
 */
const ARGS_HINT = String.raw`inside quotes a backslash is kept as written: put a quote in a value with the other kind around it ('say "hi"', "it's") or as \" outside quotes; close each quote on its line, and end no line with a lone backslash (a line break already separates words)`;

/** The flags that name files the gate reads or writes. */
type CiPaths = Partial<Record<(typeof CI_PATHS)[number], string>>;
const CI_PATHS = ['dockerfile', 'config', 'ci-config', 'baseline', 'save-baseline'] as const;

/**
 * What the gate reads, for `refuseOverwrites`: the image, the Dockerfile (given, else the one next to the config or
 * here), the config files, and the --baseline (`baseline`, apart when it is a baseline file, which --save-baseline may
 * replace; an image given as the baseline is among `inputs`).
 */
async function ciReads(
  image: string,
  flags: CiPaths,
  cwd: string,
): Promise<{ inputs: ReadPath[]; baseline: ReadPath[] }> {
  const configs = [
    ...configCandidates(cwd, flags.config),
    ...(flags['ci-config'] ? [flags['ci-config']] : []),
    join(cwd, '.dive-ci'),
  ];
  const dockerfiles = flags.dockerfile
    ? [flags.dockerfile]
    : [join(cwd, 'Dockerfile'), ...configs.map((c) => join(dirname(c), 'Dockerfile'))];
  const inputs: ReadPath[] = [
    { path: image, what: 'the input image', image: true },
    ...dockerfiles.map((path) => ({ path, what: 'the Dockerfile' })),
    ...configs.map((path) => ({ path, what: 'the config file' })),
  ];
  if (!flags.baseline) return { inputs, baseline: [] };
  const { isBaselineFile } = await import('../services/baseline.js');
  const baseline: ReadPath = { path: flags.baseline, what: 'the baseline', image: !isBaselineFile(flags.baseline) };
  return baseline.image ? { inputs: [...inputs, baseline], baseline: [] } : { inputs, baseline: [baseline] };
}

/**
 * The reports asked for on stdout taken out of the files to write: `-o -` is stdout, as it is for every command (a file
 * named `-` was written), and `-o junit=-` prints JUnit there instead of the --format report. Two reports cannot share
 * stdout: a second `FORMAT=-`, or one beside a --format or --json that was typed (`typed`, as the user wrote it), is a
 * usage error.
 */
function stdoutReports(
  outputs: ReturnType<typeof parseOutput>[],
  format: Format,
  typed: string | undefined,
): { outputs: ReturnType<typeof parseOutput>[]; format: Format } {
  const files = outputs.filter((o) => o.path !== '-');
  const asked = [...new Set(outputs.filter((o) => o.path === '-' && !o.main).map((o) => o.format))];
  if (asked.length === 0) return { outputs: files, format };
  const other = asked.length > 1 ? `--output ${asked[1]}=-` : typed && asked[0] !== format ? typed : '';
  if (other)
    throw new UsageError(`--output ${asked[0]}=- and ${other} both ask for stdout`, {
      code: 'usage',
      hint: `write one of them to a file (--output ${asked[0]}=PATH)`,
    });
  return { outputs: files, format: asked[0] };
}

/** `--output sarif=ballast.sarif` or `--output report.txt` (the --format on stdout, written to a file instead). */
function parseOutput(spec: string, main: Format): { format: Format; path: string; main: boolean } {
  const eq = spec.indexOf('=');
  if (eq > 0) {
    const name = spec.slice(0, eq);
    if ((FORMATS as readonly string[]).includes(name)) {
      if (eq === spec.length - 1)
        throw new UsageError(`--output ${spec}: no file after =`, { code: 'usage', hint: `write it as ${name}=PATH` });
      return { format: name as Format, path: spec.slice(eq + 1), main: false };
    }
    if (/^[a-z-]+$/.test(name))
      throw new UsageError(`--output ${spec}: unknown format ${name}`, {
        code: 'usage',
        hint: `${name === 'html' ? `${CI_HTML_HINT}; ci's ` : ''}formats are ${FORMATS.join(', ')}`,
      });
  }
  return { format: main, path: spec, main: true };
}

/**
 * The image, report files and stdout format a command line asks for, read without oclif (which could not parse it):
 * each word after a flag that takes a value is that value, the first other word is the image, and `--output` or
 * `--format` values that make no sense are passed over.
 */
export function reportsAsked(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { image: string; outputs: ReturnType<typeof parseOutput>[]; format: Format; paths: CiPaths } {
  const takesValue = new Set<string>();
  for (const [name, flag] of Object.entries(Ci.flags)) {
    if (flag.type !== 'option') continue;
    takesValue.add(`--${name}`);
    if (flag.char) takesValue.add(`-${flag.char}`);
  }
  let image: string | undefined;
  let json = false;
  let format: string | undefined = env.BALLAST_FORMAT;
  const specs: string[] = [];
  // The files the gate reads, as its flags or their variables name them: no report is written over one.
  const paths: CiPaths = {};
  for (const name of CI_PATHS) {
    const variable = (Ci.flags[name] as { env?: string }).env;
    if (variable && env[variable]) paths[name] = env[variable];
  }
  const named = (flag: string) =>
    CI_PATHS.find((name) => flag === `--${name}` || (Ci.flags[name].char && flag === `-${Ci.flags[name].char}`));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const eq = word.indexOf('=');
    const [flag, inline] =
      word.startsWith('--') && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
    const value = inline ?? (takesValue.has(flag) ? argv[++i] : undefined);
    // `--json=false` is the text report (a value that is neither on nor off is the error being reported: not JSON).
    if (flag === '--json') json = inline === undefined || switchValue(inline) === true;
    else if ((flag === '--output' || flag === '-o') && value !== undefined) specs.push(value);
    else if (flag === '--format' && value !== undefined) format = value;
    else if (value !== undefined && named(flag) !== undefined) paths[named(flag)!] = value;
    else if (!word.startsWith('-') && image === undefined) image = word;
  }
  if (specs.length === 0 && env.BALLAST_OUTPUT) specs.push(...envList(env.BALLAST_OUTPUT));
  const main: Format = json
    ? 'json'
    : (FORMATS as readonly string[]).includes(format ?? '')
      ? (format as Format)
      : 'text';
  const outputs = specs.flatMap((spec) => {
    try {
      return [parseOutput(spec, main)];
    } catch {
      return [];
    }
  });
  return { image: image ?? '(none given)', outputs, format: main, paths };
}

/** `compressed=200MB` -> {compressed: '200MB'}; a plain value stays as it is. */
function keyedValue(value: string): unknown {
  const m = /^([A-Za-z]+)=(.*)$/.exec(value.trim());
  return m ? { [m[1]]: m[2] } : value;
}

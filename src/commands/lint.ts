import { readFileSync } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { Args, Flags } from '@oclif/core';
import { printable, printableAs, printableLintReport } from '../report/printable.js';
import { loadReporter, partOfBatches, reportRoot } from '../reporters/index.js';
import type { LintOptions, LintResult } from '../services/lint.js';
import { FAIL_ON_LEVELS } from '../report/types.js';
import { BaseCommand } from './base.js';
import { debugFlag } from '../flag-sources.js';
import {
  HADOLINT_THRESHOLDS,
  hadolintEnvLayer,
  hadolintFailOn,
  hadolintFlagLayer,
  hadolintVerbose,
  lintFormatOf,
  lintRunOutput,
  REPORT_ONLY_FORMATS,
} from '../lint/hadolint-cli.js';
import { outputFlags } from './flags.js';
import type { FixVerifyReport } from '../services/fix-verify.js';
import { lintFormatNames } from '../report/lint-formats.js';
import { failedReportLine } from '../note.js';

export default class Lint extends BaseCommand {
  static override summary = "Lint Dockerfiles for image size, build cache and hadolint's checks.";
  static override description =
    'Lints each Dockerfile (a path, a directory searched for Dockerfile/Containerfile/*.Dockerfile, or - for stdin). ' +
    'Settings come from the .ballast.yaml searched upward from each Dockerfile or, when there is none, .hadolint.yaml ' +
    "(then the working directory's, then hadolint's per-user places). " +
    'A path that cannot be read gets an error line on stderr and the others are still linted and reported. ' +
    "Exit 0 clean, 1 findings at or above --fail-on (default: each file's config), 2 error (a path not read included).";
  static override examples = [
    '<%= config.bin %> lint Dockerfile',
    '<%= config.bin %> lint . --format sarif -o ballast.sarif',
    'cat Dockerfile | <%= config.bin %> lint -',
    'cat Dockerfile | <%= config.bin %> lint --fix - > Dockerfile.fixed',
    '<%= config.bin %> lint --fix-dry-run Dockerfile',
  ];
  static override strict = false;
  static override args = { files: Args.string({ description: 'Dockerfiles or directories (- reads stdin)' }) };
  static override flags = {
    format: Flags.string({
      char: 'f',
      // The list as words in the description, not oclif's `<options: a|b|...>`: one word to oclif, longer than an
      // 80-column line, it was cut mid-name there and in USAGE.
      description: `output format: ${lintFormatNames.join(', ')} (tty: hadolint's FILE:LINE CODE SEVERITY: MESSAGE lines; gitlab_codeclimate: hadolint's name for codeclimate; not together with --json, unless json)`,
      helpValue: '<format>',
      options: lintFormatNames,
      env: 'BALLAST_FORMAT',
    }),
    ...outputFlags,
    config: Flags.string({
      char: 'c',
      description: 'config file (.ballast.yaml or .hadolint.yaml; another name is told apart by its keys)',
      env: 'BALLAST_CONFIG',
    }),
    'fail-on': Flags.string({
      description: "exit 1 when a finding is at or above this severity (default: the config's failOn, else info)",
      options: [...FAIL_ON_LEVELS],
      env: 'BALLAST_FAIL_ON',
    }),
    ignore: Flags.string({
      description: 'turn a rule off (code, name, hadolint id, BuildKit check name or ShellCheck id); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
    }),
    context: Flags.string({
      description: "build context directory for .dockerignore checks (default: the Dockerfile's directory)",
    }),
    fix: Flags.boolean({ description: 'apply safe fixes in place' }),
    'fix-dry-run': Flags.boolean({ description: 'print the diff --fix would apply, change nothing' }),
    'unsafe-fixes': Flags.boolean({ description: 'with --fix/--fix-dry-run, also apply unsafe fixes' }),
    'fix-style': Flags.string({
      // No oclif default: given without --fix/--fix-dry-run it says it did nothing, and the default must not.
      description:
        'with --fix/--fix-dry-run, how size/cache fixes clean up: append the cleanup to the RUN (the default), or mount a BuildKit cache',
      options: ['cleanup', 'cache-mount'],
    }),
    image: Flags.string({
      description:
        'an image built from the Dockerfile (any source analyze reads): each fix gets the bytes it is expected to save, measured there',
    }),
    // `relationships`, not `dependsOn`: the same check and error, but oclif's USAGE line folds a dependsOn flag into
    // the one it depends on (`[--verify-load <value>... [--verify --fix]]`) and never listed --fix on its own.
    verify: Flags.boolean({
      description:
        'with --fix: build the image with buildah (from --context) before the fixes and after each one, and print the bytes each fix saved next to its estimate',
      relationships: [{ type: 'all', flags: ['fix'] }],
    }),
    'verify-load': Flags.string({
      description:
        'with --verify: NAME=SOURCE, an image to load into the private build storage first (e.g. a base image from oci:DIR); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      relationships: [{ type: 'all', flags: ['verify'] }],
    }),
    'stdin-filename': Flags.string({ description: 'file name to report for - (stdin)' }),
    shellcheck: Flags.string({
      description: 'shellcheck binary to check RUN scripts with (default: shellcheck on PATH, when there is one)',
    }),
    'no-shellcheck': Flags.boolean({ description: 'do not run ShellCheck on RUN scripts' }),
    // hadolint's own flags, so a command line moved over from hadolint runs unchanged (src/lint/hadolint-cli.ts).
    'failure-threshold': Flags.string({
      char: 't',
      description: "hadolint's name for --fail-on (its `ignore` fails on everything reported); wins over --fail-on",
      options: [...HADOLINT_THRESHOLDS],
      helpGroup: 'HADOLINT',
    }),
    'no-fail': Flags.boolean({ description: 'exit 0 whatever is found (--fail-on none)', helpGroup: 'HADOLINT' }),
    error: severityFlag('error'),
    warning: severityFlag('warning'),
    info: severityFlag('info'),
    style: severityFlag('style'),
    'trusted-registry': Flags.string({
      description: 'a registry DL3026 accepts images from; repeatable',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'HADOLINT',
    }),
    'require-label': Flags.string({
      description:
        'LABEL:FORMAT, a label every image must have (FORMAT: text, url, semver, hash, rfc3339, spdx, email); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'HADOLINT',
    }),
    'strict-labels': Flags.boolean({ description: 'flag labels not in the required set', helpGroup: 'HADOLINT' }),
    'disable-ignore-pragma': Flags.boolean({ description: 'obey no inline ignore pragmas', helpGroup: 'HADOLINT' }),
    'no-color': Flags.boolean({
      description: 'no colour in the report (also HADOLINT_NOCOLOR)',
      helpGroup: 'HADOLINT',
    }),
    verbose: Flags.boolean({
      char: 'V',
      description: 'print each Dockerfile linted and the config it used on stderr',
      helpGroup: 'HADOLINT',
    }),
    'file-path-in-report': Flags.string({
      description: 'the file name to report for every Dockerfile, stdin or a file (wins over --stdin-filename)',
      helpGroup: 'HADOLINT',
    }),
  };

  async run(): Promise<LintResult['report'] & { verify?: FixVerifyReport }> {
    const { argv, flags } = await this.parse(Lint);
    this.refuseJsonWithFormat();
    // Checked before anything is linted (or fixed); the config files' format, read with them, may still decide it.
    lintFormatOf(flags.format, process.env, undefined, this.sourceOf('format'));
    const failOn = hadolintFailOn(flags['no-fail'], flags['failure-threshold'], flags['fail-on']);
    const hadolint = { env: hadolintEnvLayer(process.env), flags: hadolintFlagLayer(flags) };
    // Imported here, not at the top: other commands' start-up should not pay for the linter (and vice versa).
    const { lint } = await import('../services/lint.js');
    const { checkFixFlags, dryRunDiffOnStderr, lintFailure, unreadableFiles, refuseLintOverwrite } =
      await import('../lint/cli.js');
    checkFixFlags(argv as string[], flags.fix, this.jsonEnabled(), flags.output, flags['fix-dry-run']);
    await refuseLintOverwrite(flags.output, this.outputFlag(), {
      files: argv as string[],
      cwd: process.cwd(),
      config: flags.config,
      image: flags.image,
    });
    const lintWith = (fix: boolean, extra: Partial<LintOptions> = {}) =>
      lint({
        files: argv as string[],
        cwd: process.cwd(),
        readStdin: () => buffer(process.stdin),
        stdinFilename: flags['stdin-filename'],
        reportPath: flags['file-path-in-report'],
        log: (line: string) => process.stderr.write(`${printable(line)}\n`),
        verbose: (fromConfig: boolean | undefined) => hadolintVerbose(flags.verbose, process.env, fromConfig),
        config: flags.config,
        context: flags.context,
        failOn,
        hadolint,
        ignore: flags.ignore,
        fix,
        fixDryRun: flags['fix-dry-run'],
        unsafeFixes: flags['unsafe-fixes'],
        shellcheck: flags['no-shellcheck'] ? false : flags.shellcheck,
        fixStyle: flags['fix-style'] as LintOptions['fixStyle'],
        version: this.config.version,
        image: flags.image,
        keepGoing: true,
        ...extra,
      });
    let result: Awaited<ReturnType<typeof lint>>;
    let verified: FixVerifyReport | undefined;
    if (flags.verify) {
      const { verifyFixes, verifyTarget, parseVerifyLoad, verifyReport } = await import('../services/fix-verify.js');
      const target = verifyTarget(argv as string[], process.cwd(), flags.context);
      // The fixes one at a time, with the files after each; nothing is written until every build of them succeeded.
      const plan = await lintWith(false, { fixDryRun: true, fixPlan: true, shellcheck: false, log: undefined });
      const measured = await verifyFixes({
        ...target,
        steps: plan.fixSteps ?? [],
        preload: parseVerifyLoad(flags['verify-load'] ?? []),
      });
      result = await lintWith(true);
      verified = verifyReport(measured, plan.report.rules);
      const last = plan.fixSteps?.at(-1);
      // The same fixer made the plan and the fix; should they ever differ, the measurement is not of the file written.
      // Line endings aside: --fix writes the lines a fix adds in the file's CRLF, the builds read them with LF, and
      // a Dockerfile means the same either way.
      const lf = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
      if (last && lf(readFileSync(target.dockerfile, 'utf8')) !== lf(last.text))
        this.notice('--verify measured a fixed file that differs from the one --fix wrote: the numbers may not apply');
    } else result = await lintWith(flags.fix);
    const debug = debugFlag(process.argv.slice(2)).on;
    const unreadable = unreadableFiles(result, debug, (text) => process.stderr.write(text));
    const { named, format, noColor, note, outputNote } = lintRunOutput(
      result.configOutput,
      {
        format: flags.format,
        json: this.jsonEnabled(),
        noColor: flags['no-color'],
        output: flags.output,
        verbose: flags.verbose,
        typed: this.typedFormat !== undefined || this.jsonTyped(),
      },
      process.env,
    );
    const failure = unreadable.onlyErrors(this.jsonEnabled() ? 'json' : format);
    if (failure) throw failure;
    for (const notice of [...result.notices, ...[note, outputNote].filter((n) => n !== undefined)]) this.notice(notice);
    if (flags.output) unreadable.print();
    if (flags['fix-dry-run'])
      (dryRunDiffOnStderr(format, this.jsonEnabled(), flags.output) ? process.stderr : process.stdout).write(
        result.diffs.join(''),
      );
    const render = await loadReporter(format);
    const reporter: typeof render = (report, options) => render(printableLintReport(format, report), options);
    const color = this.color() && !noColor;
    const where = {
      cwd: process.cwd(),
      root: reportRoot(process.cwd(), process.env),
      summary: !partOfBatches(process.env),
    };
    if (result.fixedStdin !== undefined) {
      // `lint --fix -`: stdout is the fixed file; what is left to report goes to -o FILE or stderr.
      process.stdout.write(result.fixedStdin);
      const text = reporter(result.report, { color: false, ...where });
      if (flags.output) await this.emit(() => text, flags.output, format);
      // On stderr, as the fast path prints it: the Dockerfile's control characters shown, not obeyed.
      else if (text !== '') process.stderr.write(printableAs(format, text.endsWith('\n') ? text : `${text}\n`));
    } else {
      const text = reporter(result.report, { color: !flags.output && color, ...where });
      // A clean pre-commit batch prints nothing, as on the fast path (oclif's log would print an empty line).
      if (text !== '' || flags.output || this.jsonEnabled()) await this.emit(() => text, flags.output, format);
    }
    if (verified && !this.jsonEnabled()) {
      const { renderFixVerifyText } = await import('../reporters/fix-verify-text.js');
      process.stderr.write(renderFixVerifyText(verified));
    }
    unreadable.print();
    // A Codacy report is what such a run is for; with --json the report is not Codacy's, so the verdict stands. An
    // unreadable file is an error in any format.
    process.exitCode =
      result.exitCode !== 2 && REPORT_ONLY_FORMATS.includes(named) && !this.jsonEnabled() ? 0 : result.exitCode;
    // With the report in -o FILE only, the log of a failed run would otherwise say nothing: why, and where to look.
    if (process.exitCode === 1 && flags.output)
      process.stderr.write(failedReportLine(lintFailure(result.report), [flags.output]));
    return verified ? { ...result.report, verify: verified } : result.report;
  }
}

function severityFlag(level: string) {
  return Flags.string({
    description: `report a rule (code, name, hadolint or ShellCheck id) as ${level}; repeatable`,
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'HADOLINT',
  });
}

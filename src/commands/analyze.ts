import { Args, Flags } from '@oclif/core';
import { FAIL_ON_LEVELS, findingFails, type Severity } from '../report/types.js';
import type { AnalyzeResult } from '../services/analyze.js';
import { UsageError } from '../errors.js';
import { loadOnce } from '../load-once.js';
import { BaseCommand } from './base.js';
import {
  budgetFlags,
  budgetOptions,
  FORMAT_JSON_DESCRIPTION,
  ruleSettingOptions,
  outputFlags,
  sourceFlags,
  topFlag,
  topRows,
  sourceOptions,
  walkFlags,
} from './flags.js';
import { findingsAtOrAbove } from '../report/finding-order.js';
import { failedReportLine } from '../note.js';
import { printableResult } from '../report/printable.js';

export default class Analyze extends BaseCommand {
  static override summary = 'Show why an image is this big: waste, duplicates, junk and the lines to fix.';
  static override description =
    'Walks every layer once (in parallel, never extracted) and reports wasted bytes by cause, duplicates, junk, packages, ' +
    'the biggest layers/directories/files, dive-compatible efficiency, and findings with reclaimable bytes. ' +
    'With --dockerfile, layers and findings carry the Dockerfile line that made them.';
  static override examples = [
    '<%= config.bin %> analyze image.tar',
    '<%= config.bin %> analyze image.oci --dockerfile Dockerfile',
    '<%= config.bin %> analyze docker-archive:app.tar --format markdown -o report.md',
    '<%= config.bin %> analyze image.oci --dockerfile Dockerfile --format html -o report.html',
    '<%= config.bin %> analyze app.tar --json',
  ];
  static override formatIsJson = true;
  static override versionedJson = true;
  static override args = { image: Args.string({ description: 'the image to analyze', required: true }) };
  static override flags = {
    dockerfile: Flags.string({
      char: 'f',
      description: 'the Dockerfile the image was built from (attributes layers to lines)',
      env: 'BALLAST_DOCKERFILE',
    }),
    base: Flags.string({ description: 'the base image, to tell its layers from yours', env: 'BALLAST_BASE' }),
    // -o first in its help group: oclif's help trims the first row of a flag table, so a group opening on a flag
    // with no short name (--format) printed that row out of line with the -o row below it.
    ...outputFlags,
    format: Flags.string({
      description: FORMAT_JSON_DESCRIPTION,
      options: ['text', 'markdown', 'html', 'json'],
      default: 'text',
      env: 'BALLAST_FORMAT',
      helpGroup: 'OUTPUT',
    }),
    top: topFlag('top list', ['text', 'markdown', 'json', 'html']),
    'fail-on': Flags.string({
      description: 'exit 1 when a finding has this severity or higher',
      options: [...FAIL_ON_LEVELS],
      default: 'none',
      env: 'BALLAST_FAIL_ON',
    }),
    ...walkFlags,
    ...sourceFlags,
    ...budgetFlags,
  };

  async run(): Promise<AnalyzeResult> {
    const { args, flags } = await this.parse(Analyze);
    this.refuseJsonWithFormat();
    await this.refuseOverwrite(flags.output, [
      { path: args.image, what: 'the input image', image: true },
      ...(flags.base ? [{ path: flags.base, what: 'the base image', image: true }] : []),
      ...(flags.dockerfile ? [{ path: flags.dockerfile, what: 'the Dockerfile' }] : []),
    ]);
    this.noteDefaultFormat(flags.output, flags.format);
    // The page is a few hundred kB of inlined styles, script and data: on a terminal it scrolled past as noise, and
    // only after the whole walk. Refused first, as gzip refuses to write to a terminal; a pipe or `>` still gets it.
    if (flags.format === 'html' && !flags.output && !this.jsonEnabled() && process.stdout.isTTY) {
      // Named as it was set: `--format html` read as a flag nobody typed when $BALLAST_FORMAT asked for the page.
      const source = this.sourceOf('format');
      const typed = source === '--format';
      throw new UsageError(`${typed ? '--format html' : `${source}=html`} writes a web page, not text for a terminal`, {
        code: 'usage',
        hint: `write it to a file and open that in a browser: -o report.html, or > report.html${typed ? '' : `; or unset ${source.slice(1)} for the text report`}`,
      });
    }
    // Loaded here, not at the top: every command's start-up would otherwise pay for the analyzer. The reporters load
    // while the layers are read (onReading), not before the walk starts.
    const [{ analyze }, { createProgressBar }] = await Promise.all([
      import('../services/analyze.js'),
      import('../ui/progress.js'),
    ]);
    const loadReporters = loadOnce(() =>
      Promise.all([
        import('../reporters/analyze-text.js'),
        import('../reporters/analyze-markdown.js'),
        import('../reporters/html.js'),
      ]),
    );
    const progress = createProgressBar(process.stderr, process.env, !this.jsonEnabled());
    const rows = topRows(flags.top, flags.format, this.jsonEnabled());
    const result = await analyze({
      image: args.image,
      ...(await sourceOptions(flags, this.sourceOf, this.id)),
      ...(await budgetOptions(flags, this.sourceOf)),
      ...(await ruleSettingOptions()),
      dockerfile: flags.dockerfile,
      base: flags.base,
      top: rows,
      workers: flags.workers,
      verifyDiffIds: flags['verify-diff-ids'],
      // Only the HTML page draws the file tree; --json keeps its documented shape.
      sizeTree: flags.format === 'html' && !this.jsonEnabled(),
      notice: this.notice,
      onProgress: (p) => progress.update(p),
      onReading: () => void loadReporters(),
    }).finally(() => progress.done());
    const [{ renderAnalyzeText }, { renderAnalyzeMarkdown }, { renderAnalyzeHtml }] = await loadReporters();
    // The text reports get the image's strings with their control characters escaped (the page escapes its own).
    const render = () =>
      flags.format === 'html'
        ? renderAnalyzeHtml(result, { rows })
        : flags.format === 'markdown'
          ? renderAnalyzeMarkdown(printableResult(result), { rows })
          : renderAnalyzeText(printableResult(result), {
              color: this.color(flags.output),
              width: this.width(flags.output),
              rows,
            });
    await this.emit(render, flags.output, flags.format);
    const failOn = flags['fail-on'];
    const failing = result.findings.filter((f) => findingFails(f, failOn as Severity | 'none'));
    if (failing.length > 0) {
      process.exitCode = 1;
      // Why, and with the report in -o FILE, where to look. With the report on stdout too: no analyze report states the
      // --fail-on verdict, so a CI log whose stdout went to a file (`--format json > report.json`) showed a red job with
      // no reason. (diff's and ci's reports state theirs, so they add the line only for -o FILE.)
      process.stderr.write(
        failedReportLine(findingsAtOrAbove(failing.length, failOn), flags.output ? [flags.output] : []),
      );
    }
    return result;
  }
}

import { Args, Flags } from '@oclif/core';
import { UsageError } from '../errors.js';
import { bundledAfterValue } from './usage-error.js';
import type { DiffResult, DiffSection, DiffSelection, PackageManager } from '../services/diff.js';
import { meant } from '../config/meant.js';
import { BaseCommand } from './base.js';
import {
  budgetFlags,
  budgetOptions,
  checkedPlatform,
  outputFlags,
  PLATFORM_DESCRIPTION,
  sourceFlags,
  topFlag,
  topRows,
  sourceOptions,
  textReportFlags,
  walkFlags,
} from './flags.js';
import { failedReportLine } from '../note.js';
import { printableResult } from '../report/printable.js';

// Kept here rather than imported from the service so `--help` does not load the analyzer.
const SECTIONS: readonly DiffSection[] = [
  'size',
  'layers',
  'history',
  'files',
  'directories',
  'packages',
  'config',
  'waste',
];

/** container-diff's analyzer names (`--type=file --type=apt`), for a command line moved over from it. */
const CONTAINER_DIFF_TYPES: Record<string, DiffSection> = {
  file: 'files',
  layer: 'layers',
  // Per-layer sizes: the layers section has each layer's size beside its instruction.
  sizelayer: 'layers',
  metadata: 'config',
  // Its package analyzers (apt, pip...) pick the packages section, one manager's: see MANAGER_NAMES.
};

/**
 * The names that pick one manager's packages: container-diff's package analyzers (`apt`, `pip`...) and ballast's own
 * names for the managers, as the packages section and `--json` show them (`dpkg`, `python`).
 */
const MANAGER_NAMES: Record<string, PackageManager> = {
  apt: 'dpkg',
  rpm: 'rpm',
  pip: 'python',
  node: 'node',
  apk: 'apk',
  dpkg: 'dpkg',
  python: 'python',
};

/** container-diff's analyzers that ballast has no counterpart for, with what to ask for instead. */
const NOT_HERE: Record<string, string> = {
  aptlayer: 'packages are compared between the final filesystems, not layer by layer: use apt',
  rpmlayer: 'packages are compared between the final filesystems, not layer by layer: use rpm',
  emerge: 'ballast does not read Gentoo package databases; it reads dpkg, apk, rpm, Python and Node packages',
};

/**
 * How an error names the sections flag: its variable when that set it (`source`), else as typed, `--only`, `--type` or
 * `-t` (`-t apt`, `-jtfoo`), the one whose value holds `name` (or the first). A container-diff command line
 * (`-t foo`) was told of an `--only foo` it never typed.
 */
function sectionsFlagNamed(argv: string[], source: string, name?: string): string {
  if (source.startsWith('$')) return source;
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  const typed = words.flatMap((word, i) => {
    const long = /^(--only|--type)(?:=(.*))?$/s.exec(word);
    if (long) return [{ flag: long[1], value: long[2] ?? words[i + 1] ?? '' }];
    // -t after diff's one short switch, -j, as getopt bundles them: the rest of the word, or the next one.
    const short = /^-j*t(.*)$/s.exec(word);
    return short ? [{ flag: '-t', value: short[1] || (words[i + 1] ?? '') }] : [];
  });
  const holds = (value: string) => name !== undefined && value.split(',').some((v) => v.trim() === name);
  return (typed.find((t) => holds(t.value)) ?? typed[0])?.flag ?? source;
}

function parseSections(values: string[] | undefined, source = '--only', argv: string[] = []): DiffSelection {
  if (!values?.length) return {};
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const wanted = names.map((v) => CONTAINER_DIFF_TYPES[v] ?? (MANAGER_NAMES[v] ? 'packages' : v));
  // container-diff's names are listed too: `-t fil` is told `did you mean file?`, which the list should then hold.
  const aliases = Object.keys(CONTAINER_DIFF_TYPES).join(',');
  const pick =
    `pick from ${SECTIONS.join(',')} (container-diff's ${aliases} also work), ` +
    `or a package manager: ${Object.keys(MANAGER_NAMES).join(',')}`;
  // `--only ''` (an unset shell variable) would otherwise pick no section and print a report with none.
  if (!wanted.length)
    throw new UsageError(`${sectionsFlagNamed(argv, source)}: no section named`, { code: 'usage', hint: pick });
  const unknown = wanted.filter((v) => !SECTIONS.includes(v as DiffSection));
  if (unknown.length) {
    const known = [...SECTIONS, ...Object.keys(CONTAINER_DIFF_TYPES), ...Object.keys(MANAGER_NAMES)];
    const guess = meant(unknown[0], known);
    throw new UsageError(`${sectionsFlagNamed(argv, source, unknown[0])} ${unknown.join(',')}: no such section`, {
      code: 'usage',
      hint:
        NOT_HERE[unknown[0]] ??
        bundledAfterValue(argv, argv.indexOf(`-t${unknown[0]}`)) ??
        (guess ? `did you mean ${guess}? ${pick}` : pick),
    });
  }
  const managers = [...new Set(names.flatMap((v) => MANAGER_NAMES[v] ?? []))];
  return {
    sections: SECTIONS.filter((s) => wanted.includes(s)),
    // `packages` itself asks for every manager, whatever else is named with it.
    ...(managers.length && !names.includes('packages') ? { managers } : {}),
  };
}

export default class Diff extends BaseCommand {
  static override summary = 'Compare two images: size, layers, history, files, packages, config and waste.';
  static override description =
    'A and B may come from any source (archive, OCI layout, registry, daemon) and format. Layers both images share ' +
    "from the bottom up (same diffIds) are read once; B's copies of them are still checked against their digests " +
    "(with --no-verify, read as analyze reads them; from a registry they are not fetched, and B's checks say skipped). " +
    "Two platforms of one multi-platform image: --platform twice, A's then B's. " +
    '--ignore leaves paths out of the files, directories and waste (new and resized) ' +
    'lists; sizes stay whole-image numbers (the same as `analyze`). Exit 0 whatever the difference, 1 when ' +
    '--fail-on-growth is exceeded, 2 on error.';
  static override examples = [
    '<%= config.bin %> diff old.tar new.tar',
    '<%= config.bin %> diff docker://registry.example.com/app:1.2 app.tar --only size,packages',
    '<%= config.bin %> diff base.oci app.oci --ignore "**/*.pyc" --format markdown -o comment.md',
    '<%= config.bin %> diff main.tar pr.tar --fail-on-growth 10%',
    '<%= config.bin %> diff old.tar new.tar --filename /etc/os-release --filename /usr/bin/app',
    '<%= config.bin %> diff app.oci app.oci --platform linux/amd64 --platform linux/arm64',
  ];
  static override formatIsJson = true;
  static override versionedJson = true;
  static override args = {
    a: Args.string({ description: 'the image before (baseline)', required: true }),
    b: Args.string({ description: 'the image after', required: true }),
  };
  static override flags = {
    // oclif's own --json, with container-diff's -j for it, so a container-diff command line carries over. (dive's -j
    // takes a file, so analyze and ci leave it out: see FROM_OTHER_TOOLS in usage-error.ts.)
    json: Flags.boolean({ char: 'j', description: 'Format output as json.', helpGroup: 'GLOBAL' }),
    only: Flags.string({
      description: `sections to show, comma-separated: ${SECTIONS.join(',')} (container-diff's --type and -t names work too: file, size, layer, sizelayer, history, metadata; apt, pip, node, rpm, apk, or dpkg, python, show that manager's packages only). Short flags bundle as in getopt: -t takes the rest of its word, so -tfile is -t file and -tj is -t j; -jt file is -j -t file`,
      aliases: ['type'],
      // container-diff's short form of --type (`-t file -t apt`).
      charAliases: ['t'],
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
      env: 'BALLAST_ONLY',
      helpGroup: 'OUTPUT',
    }),
    filename: Flags.string({
      description:
        "also show how this file's contents differ (absolute path, repeatable): a unified diff for text; for a " +
        'binary file, or one above 4 MiB, its sizes and sha256. The content is what the last layer writing the path ' +
        'left (whiteouts delete it); a symlink there is shown with its target, not followed. Statuses: identical, changed (content, or mode/owner alone), added, ' +
        'removed, missing, directory. A relative path is an error (exit 2)',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'OUTPUT',
    }),
    ignore: Flags.string({
      description:
        'leave paths matching this glob out of the file lists; anchored at the root ("*.pyc" is /*.pyc, "**/*.pyc" any); repeatable',
      multiple: true,
      multipleNonGreedy: true,
      env: 'BALLAST_IGNORE',
    }),
    'fail-on-growth': Flags.string({
      description: 'exit 1 when B is bigger than A by more than this (50MB, 1.5GiB, 10%)',
      env: 'BALLAST_FAIL_ON_GROWTH',
    }),
    'growth-metric': Flags.string({
      // `files` read as a count of files: it is their bytes.
      description:
        'what growth is measured on: uncompressed (layer bytes), compressed (layer bytes as stored) or files: final file bytes (the bytes of the files in the final filesystem, not a count of them)',
      options: ['uncompressed', 'compressed', 'files'],
      default: 'uncompressed',
      env: 'BALLAST_GROWTH_METRIC',
    }),
    ...textReportFlags,
    top: topFlag('list', ['text', 'markdown', 'json']),
    ...walkFlags,
    ...sourceFlags,
    // Twice for two platforms of one multi-platform image (amd64 against arm64): one value picked both sides' and
    // left no way to compare them.
    platform: Flags.string({
      description: `${PLATFORM_DESCRIPTION}; once for both images, or twice: A's, then B's`,
      env: 'BALLAST_PLATFORM',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'SOURCE',
    }),
    ...budgetFlags,
    ...outputFlags,
  };

  async run(): Promise<Partial<DiffResult>> {
    const { args, flags } = await this.parse(Diff);
    this.refuseJsonWithFormat();
    await this.refuseOverwrite(flags.output, [
      { path: args.a, what: 'the input image', image: true },
      { path: args.b, what: 'the input image', image: true },
    ]);
    this.noteDefaultFormat(flags.output, flags.format);
    const selection = parseSections(flags.only, this.sourceOf('only'), this.argv);
    const { sections, managers } = selection;
    const [
      { diffImages, selectDiff },
      { parseFilenames },
      { createProgressBar },
      { renderDiffText, printableContents, printableConfig, growthVerdict },
      md,
    ] = await Promise.all([
      import('../services/diff.js'),
      import('../services/diff-contents.js'),
      import('../ui/progress.js'),
      import('../reporters/diff-text.js'),
      import('../reporters/diff-markdown.js'),
    ]);
    const platforms = flags.platform ?? [];
    if (platforms.length > 2)
      throw new UsageError(
        `${this.sourceOf('platform')} given ${platforms.length} times: once for both images, or twice (A's, then B's)`,
        { code: 'usage', hint: 'e.g. --platform linux/amd64 --platform linux/arm64' },
      );
    const filenames = parseFilenames(flags.filename);
    const progress = createProgressBar(process.stderr, process.env, !this.jsonEnabled());
    const rows = topRows(flags.top, flags.format, this.jsonEnabled());
    const result = await diffImages({
      a: args.a,
      b: args.b,
      ...(await sourceOptions({ ...flags, platform: platforms[0] }, this.sourceOf, this.id)),
      platformB: checkedPlatform(platforms[1]),
      ...(await budgetOptions(flags, this.sourceOf)),
      ignore: flags.ignore,
      top: rows,
      failOnGrowth: flags['fail-on-growth'],
      sourceOf: this.sourceOf,
      growthMetric: flags['growth-metric'] as 'uncompressed' | 'compressed' | 'files',
      filenames,
      workers: flags.workers,
      verifyDiffIds: flags['verify-diff-ids'],
      notice: this.notice,
      onProgress: (_side, p) => progress.update(p),
    }).finally(() => progress.done());
    // The images' names and history, with their control characters escaped; a file's diff line by line; the config's
    // values each character escaped.
    const printable = () => {
      const p = { ...printableResult(result), config: printableConfig(result.config) };
      const contents = result.files.contents;
      return contents ? { ...p, files: { ...p.files, contents: printableContents(contents) } } : p;
    };
    const render = () =>
      flags.format === 'markdown'
        ? md.renderDiffMarkdown(printable(), { rows, sections, managers })
        : renderDiffText(printable(), {
            color: this.color(flags.output),
            width: this.width(flags.output),
            rows,
            sections,
            managers,
          });
    await this.emit(render, flags.output, flags.format);
    if (result.growth.exceeded) {
      process.exitCode = 1;
      // With the report in -o FILE only, the log of a failed run would otherwise say nothing: why, and where to look.
      if (flags.output) process.stderr.write(failedReportLine(growthVerdict(result) ?? '', [flags.output]));
    }
    return selectDiff(result, selection);
  }
}

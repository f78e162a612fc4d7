import { Args, Flags } from '@oclif/core';
import type { BasesResult } from '../services/bases.js';
import { BaseCommand } from './base.js';
import {
  budgetFlags,
  budgetOptions,
  outputFlags,
  sourceFlags,
  sourceOptions,
  textReportFlags,
  workersFlag,
} from './flags.js';
import { printableResult } from '../report/printable.js';

export default class Bases extends BaseCommand {
  static override summary = 'Find a smaller base image: variant tags, distroless and the like, side by side.';
  static override description =
    "With one image (node:20.11.1), lists its repository's variant tags for the same version (matched with semver: " +
    '20.11.1-slim, 20.11-alpine3.19, 20-slim; never an older version, another major or a pre-release for a release ' +
    'unless --any-version) and the equivalents from the family ' +
    'table (extend it under bases.families in .ballast.yaml), each read from its manifest and config only: compressed size, ' +
    'layers, OS and libc, shell, package manager, user. With several images, compares them side by side. With your own ' +
    'image and --base (or --dockerfile, whose final FROM is the base), estimates its size rebuilt on each candidate and names ' +
    'what would break (musl vs glibc, no shell, another package manager and the RUN lines that call one). --deep also walks ' +
    "every candidate's layers. Ordered by size, the current base marked; a candidate on an older runtime than the " +
    "current base comes last, its saving shown as 'older'.";
  static override examples = [
    '<%= config.bin %> bases node:20.11.1',
    '<%= config.bin %> bases --dockerfile Dockerfile',
    '<%= config.bin %> bases alpine:3.20 debian:bookworm-slim ubuntu:24.04',
    '<%= config.bin %> bases docker-archive:app.tar --base node:20 --dockerfile Dockerfile --format markdown -o bases.md',
    '<%= config.bin %> bases python:3.12 --deep --json',
  ];
  static override formatIsJson = true;
  static override versionedJson = true;
  static override strict = false;
  static override args = {
    images: Args.string({ description: 'the image (or base) to find bases for, or several images to compare' }),
  };
  static override flags = {
    dockerfile: Flags.string({
      char: 'f',
      description: 'Dockerfile: its final FROM is the base; its RUN lines are checked against each candidate',
      env: 'BALLAST_DOCKERFILE',
    }),
    base: Flags.string({
      description: "the base your image is built on (default: the Dockerfile's final FROM)",
      env: 'BALLAST_BASE',
    }),
    deep: Flags.boolean({
      description: "also walk every candidate's layers: uncompressed size, files, packages, junk (downloads them)",
      env: 'BALLAST_DEEP',
    }),
    'any-version': Flags.boolean({
      description:
        'also offer older versions, other majors, unversioned tags (latest, bookworm-slim) and pre-releases (their tags, and release tags whose image runs one)',
      env: 'BALLAST_ANY_VERSION',
    }),
    families: Flags.boolean({
      description: 'include the built-in family table (distroless, chainguard, ubi-minimal)',
      allowNo: true,
      default: true,
      env: 'BALLAST_FAMILIES',
    }),
    config: Flags.string({
      char: 'c',
      description: '.ballast.yaml to read bases.families from (default: searched upward)',
      env: 'BALLAST_CONFIG',
    }),
    // -o first in its help group: see analyze.ts.
    ...outputFlags,
    ...textReportFlags,
    workers: workersFlag('the --deep walk'),
    ...sourceFlags,
    ...budgetFlags,
  };

  async run(): Promise<BasesResult> {
    const { argv, flags } = await this.parse(Bases);
    this.refuseJsonWithFormat();
    await this.refuseOverwrite(
      flags.output,
      [
        ...(argv as string[]).map((path) => ({ path, what: 'the input image', image: true })),
        ...(flags.base ? [{ path: flags.base, what: 'the base image', image: true }] : []),
        ...(flags.dockerfile ? [{ path: flags.dockerfile, what: 'the Dockerfile' }] : []),
      ],
      flags.config,
    );
    this.noteDefaultFormat(flags.output, flags.format);
    const [{ bases }, { renderBasesText }, { renderBasesMarkdown }] = await Promise.all([
      import('../services/bases.js'),
      import('../reporters/bases-text.js'),
      import('../reporters/bases-markdown.js'),
    ]);
    const result = await bases({
      images: argv as string[],
      ...(await sourceOptions(flags, this.sourceOf, this.id)),
      ...(await budgetOptions(flags, this.sourceOf)),
      dockerfile: flags.dockerfile,
      base: flags.base,
      deep: flags.deep,
      anyVersion: flags['any-version'],
      builtinFamilies: flags.families ? undefined : false,
      choiceFlags: [...(flags['any-version'] ? ['--any-version'] : []), ...(flags.families ? [] : ['--no-families'])],
      configPath: flags.config,
      workers: flags.workers,
      notice: this.notice,
    });
    // The images' names and tags, with their control characters escaped.
    const render = () =>
      flags.format === 'markdown'
        ? renderBasesMarkdown(printableResult(result))
        : renderBasesText(printableResult(result), {
            color: this.color(flags.output),
            width: this.width(flags.output),
          });
    await this.emit(render, flags.output, flags.format);
    return result;
  }
}

import { stringifyChunked } from '@discoveryjs/json-ext';
import { Args, Flags } from '@oclif/core';
import { UsageError } from '../errors.js';
import type { ExploreJson } from '../services/explore.js';
import { versioned } from '../reporters/json.js';
import { BaseCommand } from './base.js';
import {
  budgetFlags,
  budgetOptions,
  ruleSettingOptions,
  outputFlags,
  sourceChoice,
  sourceFlags,
  sourceOptions,
  walkFlags,
} from './flags.js';
import { forgetCi, inCi } from '../ui/ci-variables.js';

export default class Explore extends BaseCommand {
  static override summary = "Browse an image layer by layer: each layer's file tree, changes and waste.";
  static override description =
    'Left: the layers (size, wasted bytes, instruction; with --dockerfile its line). Right: the file tree as of the selected ' +
    'layer with directory sizes, each entry marked added (+), modified (~), removed (-), wasted (W) or junk (J). Bottom: the ' +
    "image summary and the top findings. Press ? for the keys. Needs a terminal; --json or -o FILE print each layer's changes instead.";
  static override examples = [
    '<%= config.bin %> explore image.tar',
    '<%= config.bin %> explore image.oci --dockerfile Dockerfile',
    '<%= config.bin %> explore docker://node:20 --json > layers.json',
  ];
  static override versionedJson = true;
  static override args = { image: Args.string({ description: 'the image to explore', required: true }) };
  static override flags = {
    dockerfile: Flags.string({
      char: 'f',
      description: "the Dockerfile the image was built from (shows each layer's line)",
      env: 'BALLAST_DOCKERFILE',
    }),
    base: Flags.string({ description: 'the base image, to tell its layers from yours', env: 'BALLAST_BASE' }),
    // -o first in its help group: oclif's help trims the first row of a flag table, so a group opening on a flag
    // with no short name (--format) printed that row out of line with the -o row below it.
    ...outputFlags,
    format: Flags.string({
      description: "tui: the interactive view; json: each layer's changes (as --json)",
      options: ['tui', 'json'],
      default: 'tui',
      env: 'BALLAST_FORMAT',
      helpGroup: 'OUTPUT',
    }),
    workers: walkFlags.workers,
    ...sourceFlags,
    ...budgetFlags,
  };

  async run(): Promise<ExploreJson | undefined> {
    const { args, flags } = await this.parse(Explore);
    this.refuseJsonWithFormat();
    await this.refuseOverwrite(flags.output, [
      { path: args.image, what: 'the input image', image: true },
      ...(flags.base ? [{ path: flags.base, what: 'the base image', image: true }] : []),
      ...(flags.dockerfile ? [{ path: flags.dockerfile, what: 'the Dockerfile' }] : []),
    ]);
    // `-o -` prints to stdout, as `-o FILE` writes the file: not the view.
    const interactive = !this.jsonEnabled() && flags.format === 'tui' && !flags.output && !this.outputIsStdout;
    // bin/run.js made the terminal raw for the view, going by the arguments: one it did not read (a flag from a config
    // or the environment) may print instead, and Ctrl-C must then stop the walk as in any command.
    if (!interactive) (await import('../ui/hold-keys.js')).unmuteEarly();
    // The image argument first, as far as the disk tells: a path mistyped is the user's real mistake, and `explore
    // nope.tar | cat` said only that it needs a terminal. Only stat and open (and a layout's small index.json), so a
    // pipe still gets its hint at once.
    if (interactive) {
      const { checkImageArgument } = await import('../services/explore.js');
      await checkImageArgument(args.image, { source: sourceChoice(flags), command: this.id });
    }
    // Checked before the walk: a pipe or a CI log gets the hint at once, not after minutes of reading layers.
    if (interactive && !(process.stdout.isTTY && process.stdin.isTTY)) {
      // Named as it is: with input redirected (`< file`, a script) the screen is a terminal but keys cannot come.
      const which = process.stdout.isTTY ? 'stdin' : 'stdout';
      throw new UsageError(`explore needs a terminal (${which} is not a TTY)`, {
        code: 'not-a-tty',
        // dive run with CI=true is its gate, not its view: a dive user's CI job lands here, and the gate is `ci`.
        hint:
          `use \`ballast analyze ${args.image}\` for a report, or \`explore --json\` for each layer's changes` +
          (inCi(process.env) ? `; in CI, \`ballast ci ${args.image}\` is the gate (what \`CI=true dive\` runs)` : ''),
      });
    }
    // TERM=dumb (Emacs' shell, some IDE consoles) is a TTY that cannot move the cursor: every frame of the view would
    // land on it as escape codes after the one before.
    if (interactive && process.env.TERM === 'dumb') {
      throw new UsageError('explore needs a terminal that can move the cursor (TERM is dumb)', {
        code: 'dumb-terminal',
        hint: `run it in a full terminal, or use \`ballast analyze ${args.image}\` for a report, or \`explore --json\``,
      });
    }
    const [{ explore, exploreJson }, { createProgressBar }, { holdKeys }] = await Promise.all([
      import('../services/explore.js'),
      import('../ui/progress.js'),
      import('../ui/hold-keys.js'),
    ]);
    const progress = createProgressBar(process.stderr, process.env, interactive);
    // From the start of the walk, keys are not echoed but kept for the view; q (unless typed into a filter or the
    // help) or Ctrl-C ends the load at once (the walk cannot be cut short otherwise): 0 for q, 130 for Ctrl-C, temp
    // files removed and the terminal restored on the way out.
    const hold = interactive
      ? holdKeys(process.stdin, (how) => {
          progress.done();
          process.exit(how === 'interrupt' ? 130 : 0);
        })
      : undefined;
    const result = await explore({
      image: args.image,
      ...(await sourceOptions(flags, this.sourceOf, this.id)),
      ...(await budgetOptions(flags, this.sourceOf)),
      ...(await ruleSettingOptions()),
      dockerfile: flags.dockerfile,
      base: flags.base,
      workers: flags.workers,
      notice: this.notice,
      onProgress: (p) => progress.update(p),
    })
      .catch(async (error: unknown) => {
        await hold?.release(true);
        throw error;
      })
      .finally(() => progress.done());
    if (!interactive) {
      const json = exploreJson(result);
      // --format json and -o FILE are written here, --json by oclif (versionedJson): both open with schemaVersion.
      await this.emit(() => stringifyChunked(versioned(json), null, 2), flags.output);
      return json;
    }
    // ink and React load only here: no other command pays for them. React's development build (its default when
    // NODE_ENV is unset) checks every element and costs several ms a keystroke; a CLI ships the production one.
    process.env.NODE_ENV ??= 'production';
    // Both ends are a terminal here (checked above): the view draws even if a CI variable is set.
    forgetCi();
    const { runExplore } = await import('../ui/render.js');
    // q exits 0; Ctrl-C is an interrupt, 130 as in every command (a shell or CI wrapper tells it from a finished run).
    if ((await runExplore(result, { color: this.color(), hold })) === 'interrupt') process.exitCode = 130;
    return undefined;
  }
}

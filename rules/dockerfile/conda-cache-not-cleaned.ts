// DF030: conda, mamba and micromamba installs leaving their package cache (the `pkgs` directory of the conda root, or
// CONDA_PKGS_DIRS) in the layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { flagNames, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { homeAt, reportUncleanedCache, runsAsRoot, userSpecAt } from '../../src/lint/autofix.js';
import { variableAt } from '../../src/lint/caches.js';
import {
  baseImageOf,
  defineRule,
  dockerfileMeta,
  fromHome,
  parseImageRef,
  removes,
  removesPath,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';

const PROGRAMS = ['conda', 'mamba', 'micromamba'];

// Options that take the next word as their value, before or after the subcommand (`micromamba -r /opt/conda install`,
// `conda install -n base -c conda-forge numpy`).
const VALUE_FLAGS = [
  'n',
  'name',
  'p',
  'prefix',
  'c',
  'channel',
  'f',
  'file',
  'r',
  'root-prefix',
  'rc-file',
  'platform',
  'subdir',
  'solver',
  'override-channels-from',
];

/** The subcommand words: `install`, or `env create` for the `env` subcommands. */
function subcommandOf(c: ShellCommand): string | undefined {
  if (!PROGRAMS.includes(c.program)) return undefined;
  const [first, second] = positionals(c.args, VALUE_FLAGS);
  return first === 'env' && second !== undefined ? `env ${second}` : first;
}

const INSTALLS = ['install', 'create', 'update', 'upgrade', 'env create', 'env update'];

/** An install that downloads packages: not `--dry-run` (`-d` for conda), `--help`, nor `conda env export`. */
function isInstall(c: ShellCommand): boolean {
  const sub = subcommandOf(c);
  if (sub === undefined || !INSTALLS.includes(sub)) return false;
  const flags = flagNames(c.args, VALUE_FLAGS);
  return !flags.some((f) => ['dry-run', 'help', 'h'].includes(f) || (f === 'd' && c.program !== 'micromamba'));
}

/**
 * `conda clean` (mamba's, micromamba's) that empties the package cache: `--all` (`-a`, `-afy`, `-tipsy` in old docs),
 * `--tarballs` (`-t`: the downloaded archives, the copy that costs bytes: the unpacked packages are hard links of the
 * environment's files), or `--force-pkgs-dirs` (`-f`). It asks before removing, and a build has no one to answer, so it
 * needs `--yes` (`-y`), or `CONDA_ALWAYS_YES`/`MAMBA_ALWAYS_YES` set true on the command or by ARG/ENV.
 */
function isClean(c: ShellCommand, variables: Readonly<Record<string, string | undefined>>): boolean {
  if (subcommandOf(c) !== 'clean') return false;
  // (`-f` is --force-pkgs-dirs here, no --file: `-afy` is three flags)
  const flags = flagNames(c.args);
  const yes = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);
  const confirmed =
    flags.includes('y') ||
    flags.includes('yes') ||
    ['CONDA_ALWAYS_YES', 'MAMBA_ALWAYS_YES'].some((n) => yes(c.env[n] ?? variables[n]));
  return confirmed && flags.some((f) => ['a', 'all', 't', 'tarballs', 'f', 'force-pkgs-dirs'].includes(f));
}

/**
 * Whether a RUN's stage is built on mambaorg/micromamba, the micromamba image: its ENV (not seen otherwise) sets
 * MAMBA_ROOT_PREFIX=/opt/conda, and it runs as its own `mambauser` unless the Dockerfile sets a USER.
 */
function onMicromambaImage(ctx: DockerfileContext, instruction: Instruction): boolean {
  return /(^|\/)mambaorg\/micromamba$/.test(parseImageRef(baseImageOf(ctx, instruction.stageIndex) ?? '').repository);
}

/**
 * Where the first install's packages go: the first of CONDA_PKGS_DIRS (on the command or from ARG/ENV), else the pkgs
 * directory of the root: micromamba's `--root-prefix` (`-r`) or MAMBA_ROOT_PREFIX, else ~/micromamba; conda's and
 * mamba's CONDA_DIR (the Jupyter images' variable), the directory above the `bin/conda` run, else /opt/conda (the
 * miniconda, miniforge and micromamba images' root). Undefined when a `$` the Dockerfile does not set is left. A
 * variable is read as the install sees it: set on it, else exported before it in the RUN (`export CONDA_PKGS_DIRS=/tmp/x
 * && conda install ...`), else by ARG/ENV.
 */
function cacheOf(
  ctx: DockerfileContext,
  instruction: Instruction,
  c: ShellCommand,
): { dir: string | undefined; guessed: boolean } {
  const home = homeAt(ctx, instruction);
  const commands = ctx.commands(instruction);
  const value = (name: string) => variableAt(ctx, instruction, commands, c, name);
  const known = (dir: string | undefined) => {
    if (dir === undefined || dir === '') return undefined;
    const at = fromHome(ctx.resolve(dir, instruction), home).replace(/(.)\/+$/, '$1');
    return at.startsWith('/') && !at.includes('$') ? at : undefined;
  };
  const pkgs = value('CONDA_PKGS_DIRS');
  if (pkgs !== undefined) return { dir: known(pkgs.split(',')[0]), guessed: false };
  let root: string | undefined;
  let told: string | undefined;
  if (c.program === 'micromamba') {
    const i = c.args.findIndex((a) => a === '-r' || a === '--root-prefix' || a.startsWith('--root-prefix='));
    const option =
      i < 0 ? undefined : c.args[i].includes('=') ? c.args[i].slice(c.args[i].indexOf('=') + 1) : c.args[i + 1];
    told = option ?? value('MAMBA_ROOT_PREFIX');
    // Still a guess (`guessed`): the image's ENV is not read, its name is.
    root = told ?? (onMicromambaImage(ctx, instruction) ? '/opt/conda' : '~/micromamba');
  } else {
    const bin = /^(\/.+)\/(?:bin|condabin)\/[^/]+$/.exec(c.name)?.[1];
    told = value('CONDA_DIR') ?? bin ?? value('MAMBA_ROOT_PREFIX');
    root = told ?? '/opt/conda';
  }
  const dir = known(root);
  return { dir: dir === undefined ? undefined : `${dir}/pkgs`, guessed: told === undefined };
}

/**
 * An `rm` of the cache, of a directory above it, or, where it is not known or only guessed from the usual roots (the
 * base image's ENV is not seen: mambaorg/micromamba sets MAMBA_ROOT_PREFIX=/opt/conda), of any `pkgs` directory.
 */
function removesCache(c: ShellCommand, cache: string | undefined, guessed: boolean, home: string | undefined): boolean {
  if (cache !== undefined && removesPath(c, [cache], home)) return true;
  return (cache === undefined || guessed) && removes(c, (p) => /(^|\/)pkgs(\/\*?)?$/.test(p));
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF030',
    name: 'conda-cache-not-cleaned',
    type: 'size',
    summary:
      'Run conda clean -afy (micromamba clean --all --yes) after conda, mamba or micromamba installs in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`{{command}}` leaves every package it downloaded in the conda package cache ({{cache}}, often hundreds of MB) in this layer; add `&& {{clean}}` after it{{mount}}.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const first = commands.find(isInstall);
        if (first === undefined) return;
        const { dir: cache, guessed } = cacheOf(ctx, instruction, first);
        if (cache === undefined ? !ctx.ships(instruction) : !ctx.ships(instruction, cache)) return;
        if (
          (cache !== undefined && ctx.hasCacheMount(instruction, cache)) ||
          ((cache === undefined || guessed) &&
            ctx.cacheMounts(instruction).some((m) => /(^|\/)pkgs\/?$/.test(m.target)))
        )
          return;
        const home = homeAt(ctx, instruction);
        const variables = ctx.variables(instruction);
        // The unpacked packages the environment's files are hard links of stay linked: removing the cache frees only
        // the copies, and a later install downloads again what it needs.
        const clean = first.program === 'conda' ? 'conda clean -afy' : `${first.program} clean --all --yes`;
        // A cache mount is root's: on the micromamba image with no USER of the Dockerfile's, its `mambauser` could not
        // write there, so no mount is suggested or fixed in.
        const mountable =
          cache !== undefined &&
          runsAsRoot(ctx, instruction) &&
          !(onMicromambaImage(ctx, instruction) && userSpecAt(ctx, instruction) === undefined);
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans: (c) =>
            isClean(c, variables) ||
            (c.program === 'rm' &&
              removesCache({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, cache, guessed, home)),
          describe: (install) => ({
            data: {
              command: `${install.program} ${subcommandOf(install)}`,
              cache: cache ?? 'the pkgs directory of the conda root',
              clean,
              mount: mountable ? ` or use \`--mount=type=cache,target=${cache}\`` : '',
            },
            fix: {
              cleanup: clean,
              cacheTargets: mountable ? [cache] : [],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});

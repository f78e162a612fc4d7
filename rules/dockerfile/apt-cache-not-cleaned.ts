// DF034: apt's downloaded packages and package caches (/var/cache/apt) left in a layer where no docker-clean config
// empties them: a stage built FROM scratch with a root filesystem added (an mmdebstrap or debootstrap import), or one
// whose docker-clean an earlier RUN removed.
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { earlierInChain } from '../../src/dockerfile/stages.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import {
  APT_VALUE_FLAGS,
  baseImageOf,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  positionals,
  removesPath,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { leavesLists } from './apt-lists-not-removed.js';

const CACHE = '/var/cache/apt';
const ARCHIVES = '/var/cache/apt/archives';
const DOCKER_CLEAN = '/etc/apt/apt.conf.d/docker-clean';
const APT = ['apt-get', 'apt', 'aptitude'];

/** A command that downloads packages into /var/cache/apt/archives (and builds apt's caches beside it). */
const isInstall = (c: ShellCommand): boolean =>
  isSubcommand(
    c,
    APT,
    ['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'],
    APT_VALUE_FLAGS,
  );

/**
 * The RUN before `instruction`, in its stage or the stages it is built FROM, that removes the base image's docker-clean
 * (as BuildKit's cache-mount recipe does, to keep the downloads in the mount): apt keeps its cache from then on.
 */
function dockerCleanRemovedAt(ctx: DockerfileContext, instruction: Instruction): Instruction | undefined {
  for (const earlier of earlierInChain(ctx, instruction, 'newest-first'))
    if (earlier.keyword === 'RUN' && ctx.commands(earlier).some((c) => removesPath(c, [DOCKER_CLEAN]))) return earlier;
  return undefined;
}

/**
 * Why nothing empties apt's cache after an install in this RUN, or undefined when the Dockerfile does not show it: a
 * named base (official debian, ubuntu and every official image built on them ship docker-clean, which empties
 * /var/cache/apt/archives after each install and keeps no package caches) or one it cannot read (`FROM $BASE`).
 */
function keptBecause(ctx: DockerfileContext, instruction: Instruction): string | undefined {
  const removed = dockerCleanRemovedAt(ctx, instruction);
  if (removed) return `the RUN on line ${removed.line} removed ${DOCKER_CLEAN}`;
  const base = baseImageOf(ctx, instruction.stageIndex);
  if (!base || base.includes('$')) return undefined;
  // The official images are made FROM scratch with a root filesystem that has docker-clean; one made here from
  // another root filesystem (an mmdebstrap or debootstrap tarball) has none.
  if (base.toLowerCase() === 'scratch') return 'the stage is built FROM scratch, with no docker-clean config';
  // Any other base (a company's registry, a vendor's image, a Docker Hub user's) is most often built on an official
  // debian or ubuntu image and keeps its docker-clean: reporting every such RUN would be noise that fails pre-commit
  // runs. Unknown, so not reported; analyze's IM002 sees the cache in the built image itself.
  return undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF034',
    name: 'apt-cache-not-cleaned',
    type: 'size',
    summary: 'Run apt-get clean after apt-get install where the base image has no docker-clean',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      notCleaned:
        "`{{command}}` leaves the packages it downloaded and apt's package caches in /var/cache/apt (often tens of MB) in this layer: {{why}}; add `&& {{cleanup}}` after it in the same RUN, or use `--mount=type=cache,target=/var/cache/apt`.",
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        if (!commands.some(isInstall)) return;
        if (!ctx.ships(instruction, CACHE) || ctx.hasCacheMount(instruction, ARCHIVES)) return;
        // DF001 reports a RUN that also leaves the lists, and its cleanup runs `apt-get clean` too.
        if (leavesLists(ctx, instruction)) return;
        const why = keptBecause(ctx, instruction);
        if (why === undefined) return;
        // Safe: apt downloads a package again when it next needs it, and makes its caches again on the next update.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          // Removing the downloaded packages counts as removing the directory does: `rm -f .../archives/*.deb`
          // takes the packages, the bulk of it (apt's `*.bin` caches beside it stay either way).
          cleans: (c) =>
            isSubcommand(c, APT, ['clean', 'dist-clean'], APT_VALUE_FLAGS) ||
            removesPath({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, [ARCHIVES]) ||
            (c.program === 'rm' &&
              positionals(c.args).some((a) =>
                /^\/var\/cache\/apt\/archives\/+\*\.deb$/.test(ctx.resolve(a, instruction)),
              )),
          describe: (install) => {
            const cleanup = `${install.program} clean`;
            return {
              data: { command: `${install.program} ${positionals(install.args, APT_VALUE_FLAGS)[0]}`, why, cleanup },
              fix: { cleanup, cacheTargets: [CACHE], cacheOptions: ',sharing=locked', applicability: 'safe' },
            };
          },
        });
      },
    };
  },
});

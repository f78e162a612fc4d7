// DF012: `npm install` (or `npm ci` with dev dependencies) in the image that ships.
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import {
  defineRule,
  dockerfileMeta,
  hasFlag,
  isSubcommand,
  NPM_VALUE_FLAGS,
  positionals,
} from '../../src/lint/helpers.js';
import { PNPM_VALUE_FLAGS, YARN_VALUE_FLAGS } from '../../src/lint/word-splitting.js';
import type { DockerfileContext } from '../../src/report/rule.js';

// yarn's (classic and berry) and pnpm's own commands: any other word after `yarn`/`pnpm` names a package.json script
// (`yarn build`), which these managers run as `run` does. Only the ones that neither run a script nor a package's binary
// are listed (not run, exec, dlx, node, create, test, start, nor yarn's `workspace NAME COMMAND`); `yarn workspaces` is
// one of them except `workspaces foreach`, which runs a command in each workspace.
const OWN_COMMANDS: Record<'yarn' | 'pnpm', ReadonlySet<string>> = {
  yarn: new Set(
    'access add audit autoclean bin cache check config constraints dedupe explain generate-lock-entry global import info init install licenses link list login logout npm outdated owner pack patch patch-commit plugin policies publish rebuild remove search set stage tag team unlink unplug up upgrade upgrade-interactive version versions why workspaces'.split(
      ' ',
    ),
  ),
  pnpm: new Set(
    'add audit bin c cache config dedupe deploy doctor env fetch get i import install licenses link list ln ls outdated pack patch patch-commit patch-remove prune publish rb rebuild remove rm root server set setup store un uninstall unlink up update upgrade why'.split(
      ' ',
    ),
  ),
};

// npx's options that take the next word.
const NPX_VALUE_FLAGS = ['p', 'package', 'c', 'call', 'w', 'workspace'];

/**
 * `npx cowsay@1.6.0`, `npx -y @scope/tool@2`: a published package fetched at a pinned version, not a local binary of
 * the project's dev dependencies (`npx tsc`), so not a build that needs them. Only the plain form: with `-p`/`-c` the
 * command run is another word. Not when that package is told to build (`npx @nestjs/cli@10 build`, `npx -y
 * PKG@VER compile`): a project's build CLI compiles with the project's own compiler and types, its dev dependencies.
 */
function runsPinnedPackage(command: ShellCommand): boolean {
  if (hasFlag(command.args, 'p', 'package', 'c', 'call')) return false;
  const [spec, task] = positionals(command.args, NPX_VALUE_FLAGS);
  return (
    spec !== undefined && /^(@[\w.-]+\/)?[\w.-]+@[\w.^~<>=*-]+$/.test(spec) && !['build', 'compile'].includes(task)
  );
}

/**
 * A build step, which needs the dev dependencies (bundlers, compilers, type definitions): a package.json script or a
 * package's binary run by npm (`npm run build`, `npm exec`, `npm test`), npx, yarn or pnpm (`yarn build`, `pnpm run
 * build`, `pnpm exec tsc`).
 */
function isBuildStep(command: ShellCommand): boolean {
  if (command.program === 'npx') return !runsPinnedPackage(command);
  if (isSubcommand(command, ['npm'], ['run', 'run-script', 'exec', 'x', 'test', 't'])) return true;
  if (command.program !== 'yarn' && command.program !== 'pnpm') return false;
  const [sub, next] = positionals(command.args, command.program === 'yarn' ? YARN_VALUE_FLAGS : PNPM_VALUE_FLAGS);
  if (command.program === 'yarn' && sub === 'workspaces' && next === 'foreach') return true;
  return sub !== undefined && !OWN_COMMANDS[command.program].has(sub);
}

/**
 * Whether `install`'s RUN or a later RUN of its stage builds: the official Node layout installs in one RUN, copies the
 * sources and builds in the next, so `--omit=dev` there breaks the build. An `ONBUILD RUN` install looks at the later
 * `ONBUILD RUN`s, which run after it in the image built FROM this one.
 */
function buildsAfter(ctx: DockerfileContext, install: Instruction): boolean {
  if (ctx.commands(install).some(isBuildStep)) return true;
  const trigger = ctx.parsed.instructions[install.index] !== install;
  for (const later of ctx.parsed.instructions.slice(install.index + 1)) {
    if (later.stageIndex !== install.stageIndex) break;
    const run = trigger ? later.trigger : later;
    if (run?.keyword === 'RUN' && ctx.commands(run).some(isBuildStep)) return true;
  }
  return false;
}

// Test runners and dev servers, which projects list as dev dependencies, and the package.json scripts that by
// convention run them (`test`, `test:e2e`, `e2e`, `dev`).
const DEV_TOOLS: ReadonlySet<string> = new Set([
  'playwright',
  'jest',
  'vitest',
  'mocha',
  'cypress',
  'wdio',
  'ava',
  'karma',
  'nodemon',
]);
const DEV_SCRIPT = /^(test|e2e|dev)(?![a-z\d])/i;

/**
 * A command that runs the project's tests or dev server (`npx playwright test`, `npm test`, `npm run dev`, `yarn
 * jest`): an image whose command does that (Playwright's and Cypress's documented test images, dev containers) needs
 * the dev dependencies when it runs, so `--omit=dev` would break it. `npm start` and other scripts are not counted.
 */
function runsDevTooling(command: ShellCommand): boolean {
  if (command.program === 'npx') return DEV_TOOLS.has(positionals(command.args, NPX_VALUE_FLAGS)[0] ?? '');
  if (command.program === 'npm') {
    const [sub = '', next = ''] = positionals(command.args, NPM_VALUE_FLAGS);
    if (['test', 't', 'tst'].includes(sub)) return true;
    if (['run', 'run-script'].includes(sub)) return DEV_SCRIPT.test(next);
    return ['exec', 'x'].includes(sub) && DEV_TOOLS.has(next);
  }
  if (command.program !== 'yarn' && command.program !== 'pnpm') return false;
  const [sub = '', next = ''] = positionals(
    command.args,
    command.program === 'yarn' ? YARN_VALUE_FLAGS : PNPM_VALUE_FLAGS,
  );
  if (sub === 'run') return DEV_SCRIPT.test(next);
  if (sub === 'exec') return DEV_TOOLS.has(next);
  return !OWN_COMMANDS[command.program].has(sub) && (DEV_SCRIPT.test(sub) || DEV_TOOLS.has(sub));
}

/**
 * Whether the image's command (a CMD or ENTRYPOINT after the install, in its stage or a shipping stage built FROM it)
 * runs tests or a dev server, which load the dev dependencies.
 */
function commandNeedsDev(ctx: DockerfileContext, install: Instruction): boolean {
  for (const later of ctx.parsed.instructions.slice(install.index + 1)) {
    if (later.keyword !== 'CMD' && later.keyword !== 'ENTRYPOINT') continue;
    if (!ctx.ships(later) || !buildsOn(ctx, later.stageIndex, install.stageIndex)) continue;
    if (ctx.commands(later).some(runsDevTooling)) return true;
  }
  return false;
}

/** Whether `stage` is `ancestor` or built FROM it (directly or through other stages). */
function buildsOn(ctx: DockerfileContext, stage: number, ancestor: number): boolean {
  for (let s: number | undefined = stage; s !== undefined; s = ctx.stages.baseStage[s]) if (s === ancestor) return true;
  return false;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF012',
    name: 'npm-install-in-final-image',
    type: 'size',
    summary: 'Install production dependencies with npm ci --omit=dev in the final image',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      useCi:
        '`npm install` in the final image resolves versions afresh and installs dev dependencies; use `npm ci --omit=dev` (the lock file, production only).',
      omitDev:
        '`npm ci` in the final image installs dev dependencies too; add `--omit=dev` (or build in an earlier stage and copy the result).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Stages whose layers ship whole: the final stage, the stages it is built FROM and a stage copied with
        // `COPY --from=build / /` (its node_modules, dev dependencies included, come along).
        if (!ctx.ships(instruction)) return;
        const production = /^prod(uction)?$/.test(ctx.variables(instruction).NODE_ENV ?? '');
        for (const command of ctx.commands(instruction)) {
          if (isSubcommand(command, ['npm'], ['install', 'i'])) {
            if (positionals(command.args).length > 1 || hasFlag(command.args, 'g', 'global')) continue;
            ctx.report({ messageId: 'useCi', at: instruction });
            return;
          }
          if (isSubcommand(command, ['npm'], ['ci'])) {
            const omitted =
              hasFlag(command.args, 'production') ||
              command.args.some((a) => /^--(omit=dev|only=prod(uction)?)$/.test(a)) ||
              production ||
              command.env.NODE_ENV === 'production';
            // A build step after the install needs the dev dependencies: that is a job for a build stage (or for an
            // `npm prune --omit=dev` after the build), not for `--omit=dev` on the install.
            // So does an image whose command runs the tests or a dev server.
            if (!omitted && !buildsAfter(ctx, instruction) && !commandNeedsDev(ctx, instruction))
              ctx.report({ messageId: 'omitDev', at: instruction });
            return;
          }
        }
      },
    };
  },
});

// DF021: compilers and -dev packages installed in the image that ships, with no build stage to leave them in.
import {
  APT_VALUE_FLAGS,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  packagesOf,
  unsureCleanup,
} from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';

const TOOLS = new Set([
  'build-essential',
  'gcc',
  'g++',
  'clang',
  'make',
  'cmake',
  'autoconf',
  'automake',
  'libtool',
  'pkg-config',
  'pkgconf',
  'gfortran',
  'musl-dev',
  'linux-headers',
  'build-base',
  'alpine-sdk',
  'gcc-c++',
  'golang',
  'rustc',
  'cargo',
  'node-gyp',
  'cpp',
]);

function isBuildPackage(name: string): boolean {
  const bare = name.split(/[=<>]/)[0].replace(/:\w+$/, '');
  return TOOLS.has(bare) || /-(dev|devel)$/.test(bare) || /^(gcc|g\+\+|clang)-\d+$/.test(bare);
}

function installedPackages(command: ShellCommand): string[] {
  if (isSubcommand(command, ['apt-get', 'apt'], ['install'], APT_VALUE_FLAGS))
    return packagesOf(command, APT_VALUE_FLAGS);
  if (isSubcommand(command, ['apk'], ['add'], ['t', 'virtual', 'X', 'repository']))
    return packagesOf(command, ['t', 'virtual', 'X', 'repository']);
  if (isSubcommand(command, ['yum', 'dnf', 'microdnf'], ['install'])) return packagesOf(command);
  if (isSubcommand(command, ['npm'], ['install', 'i']) && command.args.some((a) => a === '-g' || a === '--global'))
    return packagesOf(command).filter((p) => p === 'node-gyp');
  return [];
}

function removesPackages(command: ShellCommand): boolean {
  return (
    isSubcommand(command, ['apt-get', 'apt'], ['purge', 'remove', 'autoremove'], APT_VALUE_FLAGS) ||
    isSubcommand(command, ['apk'], ['del']) ||
    isSubcommand(command, ['yum', 'dnf', 'microdnf'], ['remove', 'erase', 'autoremove'])
  );
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF021',
    name: 'build-tools-in-final-image',
    type: 'size',
    summary: 'Build with compilers and -dev packages in a build stage and copy only the result',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      toolchain:
        '`{{packages}}` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Stages whose layers ship whole: the final stage, the stages it is built FROM and a stage copied with
        // `COPY --from=build / /` (which copies the toolchain too).
        if (!ctx.ships(instruction)) return;
        // An `ONBUILD RUN` installs into the images built FROM this one, usually build stages (the onbuild builder
        // pattern): whether they ship is not known here.
        if (ctx.parsed.instructions[instruction.index] !== instruction) return;
        const commands = ctx.commands(instruction);
        const installs = commands.filter((c) =>
          installedPackages(c).some((p) => !p.includes('$') && isBuildPackage(p)),
        );
        if (installs.length === 0) return;
        // `apk add --virtual .build-deps ... && apk del .build-deps` (and purge/remove after the install, on every path)
        // leaves nothing behind.
        const status = cleanupAfter(commands, installs, removesPackages);
        if (status === 'always') return;
        const found = installs
          .flatMap(installedPackages)
          .filter((p) => !p.includes('$'))
          .filter(isBuildPackage);
        ctx.report({
          messageId: 'toolchain',
          data: { packages: found.join(' ') },
          at: instruction,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});

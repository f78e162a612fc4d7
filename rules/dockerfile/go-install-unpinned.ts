// DF227: go install/get/run of a module without a version (hadolint DL3062).
import { defineRule, dockerfileMeta, wordsOf } from '../../src/lint/helpers.js';
import { unpinnedOfRun, unpinnedWording, xargsFills } from '../../src/lint/package-rules.js';

// go build flags that take a value in the next word.
const VALUE_FLAGS = new Set([
  '-o',
  '-p',
  '-tags',
  '-ldflags',
  '-gcflags',
  '-asmflags',
  '-mod',
  '-modfile',
  '-pkgdir',
  '-buildmode',
  '-compiler',
  '-toolexec',
  '-exec',
  '-overlay',
  '-pgo',
  '-C',
]);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF227',
    name: 'go-install-unpinned',
    type: 'problem',
    summary: 'Pin a version in go install/get/run (pkg@version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned: '`go {{subcommand}} {{pkg}}`{{more}} {{pins}} (e.g. `{{example}}`): rebuilds fetch whatever is newest.',
      floating:
        '`go {{subcommand}} {{pkg}}`{{more}} {{pins}}: `@latest` and branch names move, so rebuilds fetch whatever is newest; pin a release tag or commit.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3062', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Every go install/get/run of the RUN is read, as hadolint's DL3062 does; one finding a RUN.
        const found = unpinnedOfRun(ctx.commands(instruction), (command) => {
          if (command.program !== 'go') return undefined;
          const words = wordsOf(command.args, VALUE_FLAGS);
          const subcommand = words[0];
          if (subcommand !== 'install' && subcommand !== 'get' && subcommand !== 'run') return undefined;
          // Packages of the module being built (`.`, `./cmd/...`, `main.go`) come from the build context, not the network.
          const remote = words
            .slice(1)
            .filter((p) => !/^(\.{1,2})(\/|$)/.test(p) && !p.startsWith('/') && !p.endsWith('.go'));
          // `go run pkg args...`: only the first word is the package.
          const candidates = subcommand === 'run' ? remote.slice(0, 1) : remote;
          // A package that is still a variable after resolving ARG/ENV is decided at build time: no guess either way,
          // unless it asks for a moving query (`${TOOL}@latest`).
          const packages = candidates.filter((p) => {
            if (xargsFills(command, p)) return false;
            const resolved = ctx.resolve(p, instruction);
            return floating(resolved) || (!resolved.startsWith('$') && !resolved.includes('@'));
          });
          return { program: 'go', subcommand, packages };
        });
        if (!found) return;
        const { first, named } = found;
        // A moving query (`@latest`) is named with the packages that have no version at all: none of them is pinned.
        // The message says which: no version, or only moving queries.
        const noVersion = named.some((p) => !floating(ctx.resolve(p, instruction)));
        const name = named[0].includes('@') ? named[0].slice(0, named[0].lastIndexOf('@')) : named[0];
        ctx.report({
          messageId: noVersion ? 'unpinned' : 'floating',
          data: { subcommand: first.subcommand, ...unpinnedWording(named), example: `${name}@<version>` },
          at: instruction,
        });
      },
    };
  },
});

/** `@latest` and branch names are queries that resolve differently over time. */
function floating(resolved: string): boolean {
  return /@(latest|master|main|HEAD)$/.test(resolved);
}

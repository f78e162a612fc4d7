// DF227: go install/get/run of a module without a version (hadolint DL3062).
import { defineRule, dockerfileMeta, wordsOf } from '../../src/lint/helpers.js';

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
      unpinned:
        '`go {{subcommand}} {{package}}` has no version: each rebuild may fetch something else; write `{{package}}@<version>`.',
      floating:
        '`go {{subcommand}} {{package}}` names a moving target, not a version: each rebuild may fetch something else; pin a release tag or commit.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3062', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'go') continue;
          const words = wordsOf(command.args, VALUE_FLAGS);
          const subcommand = words[0];
          if (subcommand !== 'install' && subcommand !== 'get' && subcommand !== 'run') continue;
          // Packages of the module being built (`.`, `./cmd/...`, `main.go`) come from the build context, not the network.
          const remote = words
            .slice(1)
            .filter((p) => !/^(\.{1,2})(\/|$)/.test(p) && !p.startsWith('/') && !p.endsWith('.go'));
          // `go run pkg args...`: only the first word is the package.
          const candidates = subcommand === 'run' ? remote.slice(0, 1) : remote;
          // A package that is still a variable after resolving ARG/ENV is decided at build time: no guess either way.
          const unpinned = candidates.find(
            (p) => !ctx.resolve(p, instruction).includes('@') && !ctx.resolve(p, instruction).startsWith('$'),
          );
          if (unpinned)
            return ctx.report({ messageId: 'unpinned', data: { subcommand, package: unpinned }, at: instruction });
          // `@latest` and branch names are queries that resolve differently over time.
          const floating = candidates.find((p) => /@(latest|master|main|HEAD)$/.test(ctx.resolve(p, instruction)));
          if (floating)
            return ctx.report({ messageId: 'floating', data: { subcommand, package: floating }, at: instruction });
        }
      },
    };
  },
});

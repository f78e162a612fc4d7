// DF033: cpanm (App::cpanminus) leaving its work directory, ~/.cpanm, with every tarball and build tree in a layer.
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { homeAt, reportUncleanedCache } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, fromHome, removesPath } from '../../src/lint/helpers.js';

// Options after which cpanm installs nothing: it prints, opens a shell in the unpacked tarball, or upgrades itself
// (which is one more install, but of cpanm, kept as small as what it replaces: not judged).
const NO_INSTALL = ['-V', '--version', '-h', '--help', '--info', '--look', '--self-upgrade', '--uninstall', '-U'];

/** A cpanm command that fetches and builds modules: `cpanm Mojolicious@9.38`, `cpanm --installdeps .`. */
const isInstall = (c: ShellCommand): boolean =>
  c.program === 'cpanm' && c.args.length > 0 && !c.args.some((a) => NO_INSTALL.includes(a));

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF033',
    name: 'cpanm-cache-not-cleaned',
    type: 'size',
    summary: 'Remove ~/.cpanm after cpanm in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`cpanm` leaves every tarball it downloaded and every build tree in {{cache}} in this layer; add `&& rm -rf {{cache}}`.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.commands(instruction).some(isInstall)) return;
        // cpanm works in $PERL_CPANM_HOME, else ~/.cpanm of the RUN's user (unknown under a numeric UID).
        const home = homeAt(ctx, instruction);
        const given = ctx.variables(instruction).PERL_CPANM_HOME;
        const cache = given || fromHome('~/.cpanm', home);
        const known = cache.startsWith('/') && !cache.includes('$');
        if (!(known ? ctx.ships(instruction, cache) : ctx.ships(instruction)) || ctx.hasCacheMount(instruction, cache))
          return;
        // Safe: cpanm makes the directory again when it next runs, and reads nothing from an earlier run.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans: (c) => removesPath({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, [cache], home),
          describe: () => ({
            data: { cache },
            fix: {
              cleanup: `rm -rf ${cache}`,
              cacheTargets: known ? [cache] : [],
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});

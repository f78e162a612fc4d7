// DF106: pip install without versions (hadolint DL3013).
import { defineRule, dockerfileMeta, PACKAGE_SUBCOMMANDS, pipReadsNoIndex, readPip } from '../../src/lint/helpers.js';
import { unpinnedOfRun, unpinnedWording, xargsFills } from '../../src/lint/package-rules.js';

/** A VCS URL, alone or as the URL of a `name @ url` requirement. */
const VCS_URL = /(?:^|@\s*)((?:git|hg|svn|bzr)\+\S+)$/;

/**
 * The ref a VCS URL names (`git+https://host/x/y.git@v1.2#egg=y`: `v1.2`), if any: the last `@` of its path, not the
 * `user@` of its host (`git+ssh://git@host/x/y.git` names none).
 */
function vcsRef(url: string): string | undefined {
  const noFragment = url.replace(/#.*$/, '');
  const scheme = noFragment.indexOf('://');
  const path =
    scheme >= 0 ? noFragment.slice(scheme + 3).replace(/^[^/]*/, '') : noFragment.replace(/^[^:]*:[^:]*:/, '');
  const at = path.lastIndexOf('@');
  return at < 0 ? undefined : path.slice(at + 1);
}

const pinned = (p: string): boolean => {
  // A VCS URL is pinned by a commit or a version tag, as a git source is for npm (DF107); a branch (`@main`) moves.
  const vcs = VCS_URL.exec(p)?.[1];
  if (vcs !== undefined) {
    const ref = vcsRef(vcs);
    return ref !== undefined && (/^[0-9a-f]{7,}$/i.test(ref) || /^v?\d/.test(ref));
  }
  return (
    /(==|>=|<=|~=|!=|<|>)/.test(p) ||
    p.includes('@') ||
    p.startsWith('.') ||
    p.startsWith('/') ||
    /\.(whl|tar\.gz|zip|tgz)$/.test(p)
  );
};

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF106',
    name: 'pip-unpinned',
    type: 'problem',
    summary: 'Pin versions in pip install',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned: '`pip install {{pkg}}`{{more}} {{pins}} (e.g. `{{example}}`): rebuilds install whatever is newest.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3013', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Every pip install of the RUN is read (`pip install a && pip install b`), as hadolint does; one finding a RUN,
        // worded `pip install` however pip was run (`pip3`, `python -m pip`).
        const found = unpinnedOfRun(ctx.commands(instruction), (command) => {
          // Read as pip reads it (see readPipArgs): the values of its options (`--index URL`, abbreviated too) are no
          // packages, and the value of an editable's `-e` is a local checkout or a VCS URL.
          const pip = readPip(command);
          if (!pip?.subcommand || !PACKAGE_SUBCOMMANDS.pip.installs.includes(pip.subcommand.name)) return undefined;
          const after = pip.options.filter((o) => o.from > pip.subcommand!.at);
          // Requirement and constraint files carry the versions of everything installed with them.
          if (after.some((o) => o.name === 'requirement' || o.name === 'constraint')) return undefined;
          // With no index, the versions are those of the local wheels (`--no-index --find-links=/wheels`): no registry
          // hands a newer one to the next build.
          if (pipReadsNoIndex(command, ctx.variables(instruction))) return undefined;
          const packages = pip.positionals
            .map((i) => command.args[i])
            .filter((p) => {
              if (xargsFills(command, p)) return false;
              const resolved = ctx.resolve(p, instruction);
              return !resolved.includes('$') && !pinned(resolved);
            });
          return { program: 'pip', subcommand: 'install', packages };
        });
        if (!found) return;
        const { named } = found;
        // The pin written the way pip reads it for this requirement: a commit for a VCS URL, a version otherwise.
        const first = named[0];
        // A VCS URL at a branch is asked for a commit in place of that ref, not after it (`...@main@<commit>`).
        const vcs = VCS_URL.exec(first)?.[1];
        const ref = vcs === undefined ? undefined : vcsRef(vcs);
        const [url, fragment = ''] = first.split(/(?=#)/);
        const example =
          vcs === undefined
            ? `${first}==<version>`
            : `${ref === undefined ? `${url}@` : url.slice(0, -ref.length)}<commit>${fragment}`;
        ctx.report({ messageId: 'unpinned', data: { ...unpinnedWording(named), example }, at: instruction });
      },
    };
  },
});

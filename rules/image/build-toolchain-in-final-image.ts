// IM007: compilers and build tools (gcc, g++, make, build-essential, *-dev headers) in the final image. The bytes
// are what removing them would give back: the toolchain packages and every package only they pulled in, as apt's
// or apk's autoremove would decide it (src/analysis/reclaim.ts), not only the packages whose names look like tools.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';
import type { PackageInfo } from '../../src/analysis/packages.js';
import { reclaimablePackages } from '../../src/analysis/reclaim.js';
import { plural } from '../../src/report/figures.js';

const TOOLCHAIN =
  /^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|cpp(-\d+)?|make|binutils(-[\w-]+)?|libgcc-\d+-dev|libstdc\+\+-\d+-dev|libc6-dev|linux-libc-dev|libc-dev-bin|dpkg-dev|cmake|autoconf|automake|libtool|gfortran(-\d+)?|clang(-\d+)?|llvm(-\d+)?(-dev)?|golang(-[\d.]+)?(-go)?|rustc|cargo|musl-dev|build-base)$/;
const TOOL_BINARIES = [
  'usr/bin/gcc',
  'usr/bin/cc',
  'usr/bin/make',
  'usr/bin/g++',
  'usr/bin/ld',
  'usr/bin/as',
  'usr/bin/cpp',
];

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM007',
    name: 'build-toolchain-in-final-image',
    type: 'size',
    summary: 'Build in a separate stage and copy only the results into the final image',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      toolchain:
        'build toolchain packages ({{names}}) are in the final image, installed by {{layer}}; removing them and what only they pulled in gives back {{count}} ({{bytes}}; largest: {{largest}}); build in a separate stage and copy only the artifacts.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        const isTool = (p: PackageInfo) =>
          (p.manager === 'dpkg' || p.manager === 'apk') && TOOLCHAIN.test(p.name.replace(/:.*$/, ''));
        const tools = facts.packages.packages.filter(isTool);
        if (tools.length === 0) return;
        // Per package manager: the tools plus what autoremove would take with them. Without a dependency graph
        // (a database that was not read), only the tools themselves count. Packages autoremove would take
        // already (orphaned before the tools go) are not the toolchain's doing, so they are left out.
        const reclaimed = new Set<PackageInfo>(tools);
        for (const graph of facts.packages.dependencies) {
          const removed = tools.filter((t) => t.manager === graph.manager).map((t) => t.name);
          if (removed.length === 0) continue;
          const orphaned = reclaimablePackages(graph, []);
          const names = reclaimablePackages(graph, removed);
          for (const p of facts.packages.packages)
            if (p.manager === graph.manager && names.has(p.name) && !orphaned.has(p.name)) reclaimed.add(p);
        }
        const gained = [...reclaimed].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
        const bytes = gained.reduce((s, p) => s + p.bytes, 0);
        if (bytes === 0) return;
        const where = TOOL_BINARIES.map((b) => facts.finalFile(b)).find(Boolean);
        const layerIndex = where?.layer;
        const names = tools
          .slice(0, 5)
          .map((p) => codeSpan(p.name))
          .join(', ');
        ctx.report({
          messageId: 'toolchain',
          layerIndex,
          bytes,
          data: {
            names: tools.length > 5 ? `${names} and ${tools.length - 5} more` : names,
            count: plural(gained.length, 'package'),
            bytes: bytesText(bytes),
            largest: gained
              .slice(0, 5)
              .map((p) => `${codeSpan(p.name)} ${bytesText(p.bytes)}`)
              .join(', '),
            layer: layerIndex === undefined ? 'some layer' : layerLabel(facts.layers[layerIndex]),
          },
        });
      },
    };
  },
});

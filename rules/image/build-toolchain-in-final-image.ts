// IM007: compilers and build tools (gcc, g++, make, build-essential, *-dev headers) in the final image.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';

const TOOLCHAIN = /^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|cpp(-\d+)?|make|binutils(-[\w-]+)?|libgcc-\d+-dev|libstdc\+\+-\d+-dev|libc6-dev|linux-libc-dev|libc-dev-bin|dpkg-dev|cmake|autoconf|automake|libtool|gfortran(-\d+)?|clang(-\d+)?|llvm(-\d+)?(-dev)?|golang(-[\d.]+)?(-go)?|rustc|cargo|musl-dev|build-base)$/;
const TOOL_BINARIES = ['usr/bin/gcc', 'usr/bin/cc', 'usr/bin/make', 'usr/bin/g++', 'usr/bin/ld', 'usr/bin/as', 'usr/bin/cpp'];

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
        'build toolchain packages ({{names}}; {{bytes}}) are in the final image, installed by {{layer}}; build in a separate stage and copy only the artifacts.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        const tools = facts.packages.packages.filter((p) => (p.manager === 'dpkg' || p.manager === 'apk') && TOOLCHAIN.test(p.name.replace(/:.*$/, '')));
        if (tools.length === 0) return;
        const bytes = tools.reduce((s, p) => s + p.bytes, 0);
        if (bytes === 0) return;
        const where = TOOL_BINARIES.map((b) => facts.finalFile(b)).find(Boolean);
        const layerIndex = where?.layer;
        const names = tools
          .slice(0, 5)
          .map((p) => p.name)
          .join(', ');
        ctx.report({
          messageId: 'toolchain',
          layerIndex,
          bytes,
          data: {
            names: tools.length > 5 ? `${names} and ${tools.length - 5} more` : names,
            bytes: bytesText(bytes),
            layer: layerIndex === undefined ? 'some layer' : layerLabel(facts.layers[layerIndex]),
          },
        });
      },
    };
  },
});

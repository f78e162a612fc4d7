// IM004: files a later layer replaces with other content (and package-manager state it writes again): the first version
// still ships.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';
import { groupWaste, isSystemState, packageDatabase } from './helpers.js';
import { plural } from '../../src/report/figures.js';

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM004',
    name: 'overwritten-in-later-layer',
    type: 'size',
    summary: 'Write each file once, in its final form',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      overwritten:
        '{{byLayer}} overwrites {{what}} from {{layer}}; the old version still ships. Write the final version in one step (or in a build stage).',
      rewritten:
        '{{byLayer}} rewrites {{what}} from {{layer}}: package-manager and account databases (dpkg/apt state, logs, ld.so.cache, /etc/passwd) that every step installing packages or adding users rewrites, so the old copies still ship. Install packages and add users in one RUN to ship them once.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        const kind = (f: { path: string }) => (isSystemState(f.path) ? 'state' : '');
        // Cache copies are IM002's. State the package manager wrote again with the same bytes (debconf's templates.dat)
        // is state all the same, with the same fix: reported here, in one finding with the changed state, rather than
        // by IM005, whose chmod/COPY --chown advice does not apply. A dive user knows these bytes as the wasted space
        // every apt-get leaves, not as a mistake: IM005 is a warning, and `ci --fail-on warning` would fail on them.
        const files = facts.wastedFiles.filter(
          (f) =>
            !facts.wastedCacheClass.has(f.path) &&
            (f.cause === 'overwrittenChanged' || (f.cause === 'overwrittenSameContent' && isSystemState(f.path))),
        );
        for (const g of groupWaste(files, ['overwrittenChanged', 'overwrittenSameContent'], kind)) {
          const state = kind(g.largest) === 'state';
          // The base image's copies are rewritten by the first step that installs anything: nothing in the
          // Dockerfile avoids that (dive counts them as wasted, and so does the Wasted total; no finding).
          if (state && facts.layers[g.layer]?.base) continue;
          // State spans /var/lib, /var/log and /etc: named by a file rather than by `/`, its package database when it
          // holds one (what a user knows it by; debconf's templates are often larger), else its largest file. Either
          // can change from one run to the next: its group (with the layer that rewrote it, as one layer's state can
          // be rewritten by several) names the finding for CI fingerprints.
          const named = state && g.path === '/' ? `/${(packageDatabase(g.members) ?? g.largest).path}` : undefined;
          ctx.report({
            messageId: state ? 'rewritten' : 'overwritten',
            // Base-image bytes cannot be fixed where they live: point at the layer that hid them.
            layerIndex: facts.baseKnown && facts.layers[g.layer]?.base ? g.byLayer : g.layer,
            path: named ?? g.path,
            ...(named ? { group: 'systemState', groupLayer: g.byLayer } : {}),
            bytes: g.bytes,
            counted: g.members,
            data: {
              // The size beside what it is the size of: after `such as FILE` it read as that one file's.
              what:
                g.files === 1
                  ? `${codeSpan(g.path)} (${bytesText(g.bytes)})`
                  : named
                    ? `${plural(g.files, 'file')} (${bytesText(g.bytes)}) such as ${codeSpan(named)}`
                    : `${plural(g.files, 'file')} under ${codeSpan(g.path)} (${bytesText(g.bytes)})`,
              layer: layerLabel(facts.layers[g.layer]),
              byLayer: layerLabel(facts.layers[g.byLayer]),
            },
          });
        }
      },
    };
  },
});

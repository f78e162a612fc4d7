// IM002: package-manager and build-tool caches in the image (apt archives, apk, yum/dnf/zypper, pip,
// npm/yarn/pnpm, go/cargo/maven/gradle, ~/.cache), per layer that holds them: in the final filesystem, or hidden by a
// later layer that wrote the cache again (apt's pkgcache.bin, rebuilt by every `apt-get install`).
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';
import { CACHE_CLASS_IDS } from '../../src/analysis/junk.js';
import { byLayer, CACHE_CLASSES, commonDirectory } from './helpers.js';

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM002',
    name: 'package-cache-in-image',
    type: 'size',
    summary: 'Clean package-manager caches in the RUN that fills them',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      cache:
        '{{what}} ({{bytes}}) {{verb}} left in {{layer}}{{hidden}}, largest {{largest}} ({{largestBytes}}); {{advice}}.',
      download: '{{what}} {{verb}} left in {{layer}}{{hidden}}; {{advice}}.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3009', relation: 'inspired' },
      { tool: 'hadolint', id: 'DL3042', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      end(facts) {
        // A file in two classes (pip's cache is also under ~/.cache) is reported once, in the first class.
        const seen = new Set<string>();
        for (const id of CACHE_CLASS_IDS) {
          const what = CACHE_CLASSES[id];
          const junk = facts.junk.find((j) => j.id === id);
          // A class's files are of the final filesystem: each path once.
          const fresh = (facts.junkFiles[id] ?? []).filter((f) => !seen.has(f.path));
          for (const f of fresh) seen.add(f.path);
          // Copies a later layer wrote over still ship in their layer, which the same clean would have kept small (a
          // deleted one is IM003's: deleted in the wrong RUN).
          const hidden = facts.wastedFiles.filter(
            (f) => f.cause !== 'deleted' && f.sizeBytes > 0 && facts.wastedCacheClass.get(f.path) === id,
          );
          if (!junk || fresh.length + hidden.length === 0) continue;
          const hiddenBytes = new Map<number, number>();
          for (const f of hidden) hiddenBytes.set(f.layer, (hiddenBytes.get(f.layer) ?? 0) + f.sizeBytes);
          for (const [layer, files] of byLayer<{ path: string; sizeBytes: number; layer: number }>(
            [...fresh, ...hidden],
            (f) => f.layer,
          )) {
            const own = files.reduce((sum, f) => sum + f.sizeBytes, 0);
            const gone = hiddenBytes.get(layer) ?? 0;
            const largest = files.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
            const directory = cacheDirectory(
              files.map((f) => f.path),
              largest.path,
            );
            const hiddenText = gone > 0 ? `, ${bytesText(gone)} of it hidden by a later layer but still shipped` : '';
            if (id === 'leftDownloads') {
              // Files, not a cache directory: one is named and placed at itself, several by their count and largest.
              const one = files.length === 1;
              ctx.report({
                messageId: 'download',
                layerIndex: layer,
                path: one ? `/${largest.path}` : directory,
                group: id,
                bytes: own,
                counted: files,
                data: {
                  what: one
                    ? `${codeSpan(`/${largest.path}`)} (${bytesText(own)}), a downloaded package or archive,`
                    : `${files.length} downloaded packages and archives (${bytesText(own)}, largest ${codeSpan(`/${largest.path}`)} ${bytesText(largest.sizeBytes)})`,
                  verb: one ? 'is' : 'are',
                  layer: layerLabel(facts.layers[layer]),
                  hidden: hiddenText,
                  advice: junk.advice,
                },
              });
              continue;
            }
            const homes = what.startsWith('~/')
              ? homeDirectories(
                  what,
                  files.map((f) => f.path),
                )
              : [];
            ctx.report({
              messageId: 'cache',
              layerIndex: layer,
              // The cache's directory is the place shown: its largest file there would read as holding all the bytes
              // (one 80 MB .deb for a whole apt cache). The class, which does not change with sizes, names the finding.
              // Two caches of one class far apart (root's ~/.npm and yarn's /usr/local/share/.cache) share only `/` or
              // a top directory, which names no cache: the largest file's directory is shown then.
              path: directory,
              group: id,
              bytes: own,
              counted: files,
              data: {
                // A class named by a place says the directory the finding is placed at (/var/cache/apt/archives when
                // only .debs are left), not its own top one; a class named by its tool (the pip cache) says the tool.
                // Such a class in several homes (root's and node's ~/.npm/_logs) is named by each, or counted: its bytes
                // are all of theirs, which the one directory the finding is placed at would seem to hold.
                what: homes.length > 1 ? homesText(what, homes) : /^[/~]/.test(what) ? directory : what,
                // A class named in the plural (go/cargo/maven/gradle caches) takes `are` as several homes do.
                verb: homes.length > 1 || (!/^[/~]/.test(what) && what.endsWith('s')) ? 'are' : 'is',
                bytes: bytesText(own),
                layer: layerLabel(facts.layers[layer]),
                // The final filesystem shows no such copy: said, so that nobody looks for it there.
                hidden: hiddenText,
                largest: codeSpan(`/${largest.path}`),
                largestBytes: bytesText(largest.sizeBytes),
                advice: junk.advice,
              },
            });
          }
        }
      },
    };
  },
});

/** The directory holding every path, when it is at least two levels down; else the one holding `largest`. */
function cacheDirectory(paths: string[], largest: string): string {
  const common = commonDirectory(paths);
  return common.split('/').filter(Boolean).length >= 2 ? common : commonDirectory([largest]);
}

/**
 * The directories matching `place` (a place in a home directory, `~/.npm/_logs`) that hold `paths`, one per home: the
 * part of each path up to the place's end. A path not under such a directory is in none.
 */
function homeDirectories(place: string, paths: string[]): string[] {
  const tail = `${place.slice(1)}/`;
  const found = new Set<string>();
  for (const p of paths) {
    const at = `/${p}`.indexOf(tail);
    if (at >= 0) found.add(`/${p}`.slice(0, at + tail.length - 1));
  }
  return [...found].sort();
}

/** Several directories of a place in a home directory: both named, or counted beyond that. */
const homesText = (place: string, homes: string[]): string =>
  homes.length === 2 ? homes.join(' and ') : `${place} in ${homes.length} directories`;

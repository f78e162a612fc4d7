// IM005: chmod/chown/touch in a later layer copies whole files with the same bytes.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';
import { commonPath, groupWaste, isSystemState } from './helpers.js';
import { plural } from '../../src/report/figures.js';

// The dependency manifests and lock files a Dockerfile copies on their own before installing, so that the install
// layer stays cached until they change, then copies again with the rest of the app: the same bytes twice, on purpose.
const MANIFEST =
  /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|\.yarnrc\.yml|requirements[\w.-]*\.txt|Pipfile(\.lock)?|pyproject\.toml|poetry\.lock|uv\.lock|setup\.(py|cfg)|go\.(mod|sum)|Cargo\.(toml|lock)|Gemfile(\.lock)?|composer\.(json|lock)|pom\.xml|(build|settings)\.gradle(\.kts)?|gradle\.properties|mix\.(exs|lock)|[\w.-]+\.csproj|packages\.lock\.json|pubspec\.(yaml|lock))$/;
const isManifest = (path: string) => MANIFEST.test(path.slice(path.lastIndexOf('/') + 1));
const isCopy = (instruction: string | null | undefined) => /^(COPY|ADD)\b/i.test(instruction ?? '');

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM005',
    name: 'metadata-only-copy',
    type: 'size',
    summary: 'Set permissions and owners when files are first written (COPY --chmod/--chown)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      copied:
        '{{byLayer}} copies {{what}} ({{bytes}}) from {{layer}} again just to {{how}}; use `COPY --chown`/`--chmod`, or set owner and mode in the step that writes the files.',
      sameLayer:
        '{{layer}} writes {{what}} more than once with the same content, each copy but the last overwritten in the same layer ({{bytes}}); write each file once.',
      rewritten:
        '{{byLayer}} writes {{what}} ({{bytes}}) from {{layer}} again with the same content, mode and owner, so both copies ship; write them in one step, or leave them out of the later one.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        // Package-manager state written again with the same bytes is IM004's (install in one RUN), cache copies IM002's
        // (clean the cache): neither came from a chmod, chown or COPY.
        const files = facts.wastedFiles.filter((f) => !isSystemState(f.path) && !facts.wastedCacheClass.has(f.path));
        for (const g of groupWaste(files, 'overwrittenSameContent')) {
          // Base-image files rewritten by your steps (dpkg/debconf databases) are not fixable here (the Wasted total counts them).
          if (facts.layers[g.layer]?.base) continue;
          // One tar writing a path several times stores every copy: not a later step's chown, and the entries are
          // copies of one path, so the paths are counted (100,000 writes of one file are "`/usr/same`", not
          // "99,999 files under `/usr`").
          if (g.layer === g.byLayer) {
            const paths = [...new Set(g.members.map((f) => f.path))];
            const where = commonPath(paths);
            ctx.report({
              messageId: 'sameLayer',
              layerIndex: g.layer,
              path: where,
              bytes: g.bytes,
              counted: g.members,
              data: {
                what: paths.length === 1 ? codeSpan(where) : `${plural(paths.length, 'file')} under ${codeSpan(where)}`,
                bytes: bytesText(g.bytes),
                layer: layerLabel(facts.layers[g.layer]),
              },
            });
            continue;
          }
          // Each file's change is its kinds joined by `+` (`owner+mtime`), or `none`.
          const kinds = new Set([...g.changes].flatMap((c) => c.split('+')));
          const same = !kinds.has('mode') && !kinds.has('owner');
          // The manifest-first pattern (`COPY package.json ./`, install, `COPY . ./`): the copy that keeps the install
          // layer cached costs these few bytes, which nothing would save.
          const by = facts.layers[g.byLayer];
          if (same && isCopy(by?.attribution?.text ?? by?.instruction) && g.members.every((m) => isManifest(m.path)))
            continue;
          const how =
            kinds.has('mode') && kinds.has('owner')
              ? 'change mode and owner'
              : kinds.has('owner')
                ? 'change the owner'
                : 'change the mode';
          ctx.report({
            messageId: same ? 'rewritten' : 'copied',
            // Base-image bytes cannot be fixed where they live: point at the layer that hid them.
            layerIndex: facts.baseKnown && facts.layers[g.layer]?.base ? g.byLayer : g.layer,
            path: g.path,
            bytes: g.bytes,
            counted: g.members,
            data: {
              what: g.files === 1 ? codeSpan(g.path) : `${plural(g.files, 'file')} under ${codeSpan(g.path)}`,
              bytes: bytesText(g.bytes),
              layer: layerLabel(facts.layers[g.layer]),
              byLayer: layerLabel(facts.layers[g.byLayer]),
              how,
            },
          });
        }
      },
    };
  },
});

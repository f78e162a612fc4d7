// IM003: files a layer adds and a later layer deletes: the bytes still ship in the earlier layer.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { codeSpan } from '../../src/report/code-span.js';
import { groupWaste } from './helpers.js';
import { plural } from '../../src/report/figures.js';

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM003',
    name: 'deleted-file-still-shipped',
    type: 'size',
    summary: 'Delete files in the step that creates them, or build them in another stage',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      deleted:
        '{{layer}} adds {{what}} ({{bytes}}) that {{byLayer}} deletes; the bytes still ship. Delete them in the step that creates them, or produce them in a build stage.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        for (const g of groupWaste(facts.wastedFiles, 'deleted')) {
          // Base-image files rewritten by your steps (dpkg/debconf databases) are not fixable here (the Wasted total counts them).
          if (facts.layers[g.layer]?.base) continue;
          ctx.report({
            messageId: 'deleted',
            layerIndex: g.layer,
            path: g.path,
            bytes: g.bytes,
            counted: g.members,
            data: {
              what: g.files === 1 ? codeSpan(g.path) : `${plural(g.files, 'file')} under ${codeSpan(g.path)}`,
              bytes: bytesText(g.bytes),
              layer: layerLabel(facts.layers[g.layer]),
              byLayer: layerLabel(facts.layers[g.byLayer]),
            },
          });
        }
      },
    };
  },
});

// IM004: files a later layer replaces with other content: the first version still ships.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { plural } from '../../src/reporters/format.js';
import { codeSpan } from '../../src/report/code-span.js';
import { groupWaste } from './helpers.js';

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
        '{{byLayer}} overwrites {{what}} ({{bytes}}) from {{layer}}; the old version still ships. Write the final version in one step (or in a build stage).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        for (const g of groupWaste(facts.wastedFiles, 'overwrittenChanged')) {
          ctx.report({
            messageId: 'overwritten',
            // Base-image bytes cannot be fixed where they live: point at the layer that hid them.
            layerIndex: facts.baseKnown && facts.layers[g.layer]?.base ? g.byLayer : g.layer,
            path: g.path,
            bytes: g.bytes,
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

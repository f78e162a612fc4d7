import { rule } from '../../../rules/image/overwritten-in-later-layer.js';
import { file, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    {
      name: 'same content again is not this rule (IM005)',
      layers: [layer({ m: file('abc') }), layer({ m: file('abc', { mode: 0o600 }) })],
    },
  ],
  invalid: [
    {
      name: 'a model regenerated with new content',
      layers: [layer({ 'app/model.bin': file('first version') }), layer({ 'app/model.bin': file('second version!') })],
      errors: [{ messageId: 'overwritten', layerIndex: 0, path: '/app/model.bin', bytes: 13 }],
    },
    {
      name: 'a count in the thousands is written as the reports write counts',
      layers: [
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`d/f${i}`, file('a')]))),
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`d/f${i}`, file('b')]))),
      ],
      errors: [
        { messageId: 'overwritten', layerIndex: 0, path: '/d', bytes: 1200, message: 'overwrites 1,200 files under' },
      ],
    },
  ],
});

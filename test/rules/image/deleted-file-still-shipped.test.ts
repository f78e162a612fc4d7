import { rule } from '../../../rules/image/deleted-file-still-shipped.js';
import { OPAQUE, WHITEOUT, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    { name: 'nothing deleted', layers: [layer({ a: 10 }), layer({ b: 10 })] },
    { name: 'whiteout of something that never existed', layers: [layer({ a: 10 }), layer({ '.wh.b': WHITEOUT })] },
  ],
  invalid: [
    {
      name: 'a directory removed by a later RUN (one whiteout, two files)',
      layers: [
        // The history a builder records for the Dockerfile below (attribution compares RUN scripts).
        layer({ 'x/': 0 }, '/bin/sh -c #(nop) ADD dir:x in / '),
        layer({ 'opt/tool/a.tar': 1000, 'opt/tool/VERSION': 4 }, '/bin/sh -c fetch-tool'),
        layer({ 'opt/.wh.tool': WHITEOUT }, '/bin/sh -c rm -rf /opt/tool'),
      ],
      dockerfile: 'FROM scratch\nADD x /\nRUN fetch-tool\nRUN rm -rf /opt/tool\n',
      errors: [{ messageId: 'deleted', layerIndex: 1, line: 3, path: '/opt/tool', bytes: 1004, message: 'line 4' }],
    },
    {
      name: 'children hidden by an opaque directory',
      layers: [layer({ base: 1 }), layer({ 't/a': 5, 't/b': 6 }), layer({ 't/.wh..wh..opq': OPAQUE, 't/README': 1 })],
      errors: [{ messageId: 'deleted', layerIndex: 1, path: '/t', bytes: 11 }],
    },
    {
      name: 'a count in the thousands is written as the reports write counts',
      layers: [
        layer({ base: 1 }),
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`m/f${i}`, 1]))),
        layer({ '.wh.m': WHITEOUT }),
      ],
      errors: [{ messageId: 'deleted', layerIndex: 1, path: '/m', bytes: 1200, message: 'adds 1,200 files under' }],
    },
  ],
});

// Given a base layer whose files a later step deletes, When analyzed, Then nothing is reported: not fixable here.
runImageRuleTests(rule, {
  valid: [
    {
      name: 'base-image files removed by a RUN',
      layers: [layer({ 'var/log/a': 10 }), layer({ 'var/log/.wh.a': WHITEOUT })],
    },
  ],
  invalid: [
    {
      name: 'files of your layer deleted later, next to a base deletion',
      layers: [
        layer({ 'var/log/a': 10 }),
        layer({ 'app/tmp': 7 }),
        layer({ 'var/log/.wh.a': WHITEOUT, '.wh.app': WHITEOUT }),
      ],
      errors: [{ messageId: 'deleted', layerIndex: 1, bytes: 7 }],
    },
  ],
});

import { rule } from '../../../rules/image/apt-lists-in-image.js';
import { layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    { name: 'lists removed in the same layer', layers: [layer({ 'usr/bin/curl': 100 })] },
    { name: 'empty lists directory (lock file only)', layers: [layer({ 'var/lib/apt/lists/lock': 0 })] },
  ],
  invalid: [
    {
      name: 'lists left by apt-get update, attributed to the RUN line',
      layers: [
        layer({ 'bin/sh': 10 }, '/bin/sh -c #(nop) ADD file:x in /'),
        layer(
          { 'var/lib/apt/lists/deb_main_Packages': 4096, 'var/lib/apt/lists/lock': 0 },
          '/bin/sh -c apt-get update',
        ),
      ],
      dockerfile: 'FROM debian:12\nRUN apt-get update\n',
      errors: [
        { messageId: 'aptLists', layerIndex: 1, line: 2, bytes: 4096, path: '/var/lib/apt/lists', message: '2 files' },
      ],
    },
    {
      name: 'one list file is counted in the singular',
      layers: [layer({ 'var/lib/apt/lists/deb_main_Packages': 4096 }, '/bin/sh -c apt-get update')],
      errors: [{ messageId: 'aptLists', layerIndex: 0, bytes: 4096, message: '(4.10 kB, 1 file) are left' }],
    },
  ],
});

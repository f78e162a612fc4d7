import { rule } from '../../../rules/image/package-cache-in-image.js';
import { layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [{ name: 'no caches', layers: [layer({ 'usr/lib/python3/x.py': 100 })] }],
  invalid: [
    {
      name: 'apt archives and a pip cache in different layers',
      layers: [layer({ 'var/cache/apt/archives/curl.deb': 5000 }), layer({ 'root/.cache/pip/http/a': 700 })],
      errors: [
        { messageId: 'cache', layerIndex: 0, bytes: 5000, message: '/var/cache/apt' },
        { messageId: 'cache', layerIndex: 1, bytes: 700, message: 'pip' },
      ],
    },
  ],
});

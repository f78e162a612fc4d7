import { rule } from '../../../rules/image/git-directory-shipped.js';
import { file, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [{ name: 'a file named .gitignore is fine', layers: [layer({ 'app/.gitignore': 10, 'app/main.py': 20 })] }],
  invalid: [
    {
      name: 'COPY . /app then chown -R: reported at the COPY with both copies',
      layers: [
        layer({ 'app/.git/HEAD': file('ref: main'), 'app/.git/objects/ab/cd': 100 }),
        layer({ 'app/.git/HEAD': file('ref: main', { uid: 1 }), 'app/.git/objects/ab/cd': file(Buffer.alloc(0)) }),
      ],
      errors: [{ messageId: 'git', layerIndex: 0, path: '/app/.git', message: '2 layers' }],
    },
    {
      // Its files hold no bytes (byLayer has no entry of 0 bytes): still reported, at the layer holding them.
      name: 'a .git of empty files only, in layer 1',
      layers: [layer({ 'app/main.py': 20 }), layer({ 'app/.git/HEAD': file(Buffer.alloc(0)) })],
      errors: [{ messageId: 'git', layerIndex: 1, path: '/app/.git', message: '1 layer' }],
    },
  ],
});

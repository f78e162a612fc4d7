import { rule } from '../../../rules/image/secrets-in-image.js';
import { file, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    {
      name: 'CA certificates are not secrets',
      layers: [layer({ 'etc/ssl/certs/ca.pem': 100, 'usr/share/doc/x.key': 10 })],
    },
  ],
  invalid: [
    {
      name: '.env copied with the app, reported at the COPY even after a chown copy',
      layers: [layer({ 'app/.env': file('TOKEN=1') }), layer({ 'app/.env': file('TOKEN=1', { uid: 5 }) })],
      errors: [{ messageId: 'secret', layerIndex: 0, path: '/app/.env', message: 'environment file' }],
    },
    {
      name: 'a private key',
      layers: [layer({ 'root/.ssh/id_rsa': file('-----BEGIN KEY-----') })],
      errors: [{ messageId: 'secret', path: '/root/.ssh/id_rsa' }],
    },
  ],
});

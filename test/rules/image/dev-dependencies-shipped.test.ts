import { rule } from '../../../rules/image/dev-dependencies-shipped.js';
import { layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

const pkg = (name: string) => JSON.stringify({ name, version: '1.0.0' });

runImageRuleTests(rule, {
  valid: [
    {
      name: 'production dependencies only',
      layers: [
        layer({ 'app/node_modules/express/package.json': pkg('express'), 'app/node_modules/express/index.js': 100 }),
      ],
    },
  ],
  invalid: [
    {
      name: 'typescript and @types shipped',
      layers: [
        layer({
          'app/node_modules/typescript/package.json': pkg('typescript'),
          'app/node_modules/typescript/lib/tsc.js': 5000,
          'app/node_modules/@types/node/package.json': pkg('@types/node'),
          'app/node_modules/@types/node/index.d.ts': 200,
          'app/node_modules/express/package.json': pkg('express'),
        }),
      ],
      errors: [{ messageId: 'node', layerIndex: 0, path: '/app/node_modules', message: 'typescript' }],
    },
  ],
});

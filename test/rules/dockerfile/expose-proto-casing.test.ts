// DF255 expose-proto-casing (BuildKit ExposeProtoCasing).
import { rule } from '../../../rules/dockerfile/expose-proto-casing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM a:1\nEXPOSE 80',
    'FROM a:1\nEXPOSE 80/tcp 53/udp',
    'FROM a:1\nEXPOSE ${PORT}/tcp',
    'FROM a:1\nARG PROTO=udp\nEXPOSE 53/$PROTO 54/${PROTO:-TCP}',
  ],
  invalid: [
    {
      code: 'FROM a:1\nEXPOSE 80/TCP',
      errors: [{ messageId: 'casing', line: 2, message: 'EXPOSE `80/TCP`: write the protocol in lowercase (`tcp`).' }],
      output: 'FROM a:1\nEXPOSE 80/tcp',
    },
    {
      code: 'FROM a:1\nEXPOSE 80/Tcp 443 53/UDP',
      errors: [{ messageId: 'casing' }, { messageId: 'casing' }],
      output: 'FROM a:1\nEXPOSE 80/tcp 443 53/udp',
    },
    // A port ending a continued line, right before the escape character (either one), is fixed too; the escape stays.
    ...['\\', '`'].map((escape) => ({
      code: `# escape=${escape}\nFROM a:1\nEXPOSE 80/TCP${escape}\n    53/Udp`,
      errors: [{ messageId: 'casing' }, { messageId: 'casing' }],
      output: `# escape=${escape}\nFROM a:1\nEXPOSE 80/tcp${escape}\n    53/udp`,
    })),
  ],
});

// DF255 expose-proto-casing (BuildKit ExposeProtoCasing).
import { rule } from '../../../rules/dockerfile/expose-proto-casing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM a:1\nEXPOSE 80',
    'FROM a:1\nEXPOSE 80/tcp 53/udp',
    'FROM a:1\nEXPOSE ${PORT}/tcp',
    'FROM a:1\nARG PROTO=udp\nEXPOSE 53/$PROTO 54/${PROTO:-TCP}',
    // Unknown at lint time (no value, or perhaps set by the base image): anything at build time.
    'FROM a:1\nARG P\nEXPOSE $P ${Q}',
    'FROM a:1\nARG P=80/tcp\nEXPOSE $P',
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
    // BuildKit expands the variables first and checks what they give: reported with the value, fixed in the ARG/ENV.
    {
      code: 'FROM a:1\nARG P=80/TCP\nEXPOSE $P',
      errors: [
        {
          messageId: 'casing',
          line: 3,
          message: 'EXPOSE `$P` (`80/TCP`): write the protocol in lowercase (`tcp`).',
        },
      ],
      output: 'FROM a:1\nARG P=80/TCP\nEXPOSE $P',
    },
    {
      code: 'FROM a:1\nENV PROTO=Udp PORTS="80 443/TCP"\nEXPOSE 53/${PROTO} $PORTS 8080/TCP',
      errors: [
        { messageId: 'casing', message: 'EXPOSE `8080/TCP`: write the protocol in lowercase (`tcp`).' },
        { messageId: 'casing', message: 'EXPOSE `53/${PROTO}` (`53/Udp`): write the protocol in lowercase (`udp`).' },
        { messageId: 'casing', message: 'EXPOSE `$PORTS` (`80 443/TCP`): write the protocol in lowercase (`tcp`).' },
      ],
      output: 'FROM a:1\nENV PROTO=Udp PORTS="80 443/TCP"\nEXPOSE 53/${PROTO} $PORTS 8080/tcp',
    },
    // A port ending a continued line, right before the escape character (either one), is fixed too; the escape stays.
    ...['\\', '`'].map((escape) => ({
      code: `# escape=${escape}\nFROM a:1\nEXPOSE 80/TCP${escape}\n    53/Udp`,
      errors: [{ messageId: 'casing' }, { messageId: 'casing' }],
      output: `# escape=${escape}\nFROM a:1\nEXPOSE 80/tcp${escape}\n    53/udp`,
    })),
  ],
});

// DF256 expose-invalid-format (BuildKit ExposeInvalidFormat).
import { rule } from '../../../rules/dockerfile/expose-invalid-format.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM a:1\nEXPOSE 80 443/tcp 8000-8010',
    'FROM a:1\nEXPOSE ${PORT:-8080}',
    'FROM a:1\nEXPOSE $PORT',
    'FROM a:1\nARG PORT=8080\nEXPOSE ${PORT:-80:80} $PORT/udp',
  ],
  invalid: [
    {
      code: 'FROM a:1\nEXPOSE 8080:80',
      errors: [
        {
          messageId: 'mapping',
          line: 2,
          message:
            'EXPOSE `8080:80` names an IP address or a host port; an image can only expose a container port (publish with `docker run -p`).',
        },
      ],
      output: 'FROM a:1\nEXPOSE 80',
    },
    {
      code: 'FROM a:1\nEXPOSE 127.0.0.1:8080:80/udp 443',
      errors: [{ messageId: 'mapping' }],
      output: 'FROM a:1\nEXPOSE 80/udp 443',
    },
    { code: 'FROM a:1\nEXPOSE 127.0.0.1::80', errors: [{ messageId: 'mapping' }], output: 'FROM a:1\nEXPOSE 80' },
    // A port ending a continued line, right before the escape character (either one), is fixed too; the escape stays.
    ...['\\', '`'].map((escape) => ({
      code: `# escape=${escape}\nFROM a:1\nEXPOSE 8080:80${escape}\n    443`,
      errors: [{ messageId: 'mapping' }],
      output: `# escape=${escape}\nFROM a:1\nEXPOSE 80${escape}\n    443`,
    })),
    // BuildKit expands the variables first and checks what they give: reported with the value, fixed in the ARG/ENV.
    {
      code: 'FROM a:1\nARG P=8080:80\nEXPOSE $P',
      errors: [
        {
          messageId: 'mapping',
          line: 3,
          message:
            'EXPOSE `$P` (`8080:80`) names an IP address or a host port; an image can only expose a container port (publish with `docker run -p`).',
        },
      ],
      output: 'FROM a:1\nARG P=8080:80\nEXPOSE $P',
    },
    {
      code: 'FROM a:1\nENV HOST=127.0.0.1 PORTS="443 8080:80"\nEXPOSE ${HOST}:53:53/udp $PORTS',
      errors: [{ messageId: 'mapping' }, { messageId: 'mapping' }],
      output: 'FROM a:1\nENV HOST=127.0.0.1 PORTS="443 8080:80"\nEXPOSE ${HOST}:53:53/udp $PORTS',
    },
    // Not a shape whose container port is certain: reported, not fixed.
    {
      code: 'FROM a:1\nEXPOSE localhost:80',
      errors: [{ messageId: 'mapping' }],
      output: 'FROM a:1\nEXPOSE localhost:80',
    },
  ],
});

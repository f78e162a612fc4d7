import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/installer-left-behind.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSLo /tmp/x.tar.gz https://x/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt && rm /tmp/x.tar.gz',
    'FROM debian:12\nRUN curl -fsSL https://x/x.tar.gz | tar -xz -C /opt',
    'FROM debian:12\nRUN curl -fsSL -o /usr/local/bin/kubectl https://dl/kubectl && chmod +x /usr/local/bin/kubectl',
    'FROM debian:12\nRUN wget -qO- https://x/install.sh | sh',
    'FROM debian:12\nWORKDIR /tmp\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && rm -f *.deb',
  ],
  invalid: [
    // Removed only when the extraction fails, or before the download: the archive stays.
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt || rm -f /tmp/a.tar.gz',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN rm -f /tmp/a.tar.gz; curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/node.tar.xz https://x/node.tar.xz && tar -xJf /tmp/node.tar.xz -C /usr/local',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN curl -O https://x/install.sh && sh install.sh',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
  ],
});

import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/add-remote-url.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nADD --checksum=sha256:abc https://example.com/a.txt /a.txt',
    'FROM debian:12\nADD app.tar.gz /app/',
  ],
  invalid: [
    { code: 'FROM debian:12\nADD https://example.com/node.tar.gz /opt/', errors: [{ messageId: 'archive', line: 2 }] },
    {
      code: 'FROM debian:12\nADD https://example.com/a.txt /a.txt',
      errors: [
        {
          messageId: 'unpinned',
          message:
            'ADD `https://example.com/a.txt` downloads a file with no checksum: the layer changes whenever the remote file does; add `--checksum=sha256:...` or download with RUN and verify.',
        },
      ],
    },
    // A variable in the URL can name another file per platform or build, and `--checksum` takes one value: the advice
    // is RUN and verify, with the checksum for each value (the platform variable named first, as the one most sure to
    // vary).
    ...[
      [
        'FROM debian:12\nARG TARGETARCH\nARG KUBECTL_VERSION=1.29.3\nADD --chmod=0755 https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl /usr/local/bin/kubectl',
        'TARGETARCH',
      ],
      ['FROM debian:12\nARG VERSION\nADD https://example.com/tool-$VERSION /usr/local/bin/tool', 'VERSION'],
    ].map(([code, variable]) => ({
      code,
      errors: [
        {
          messageId: 'variableUrl' as const,
          line: code.split('\n').length,
          message: `ADD \`${/https:\/\/\S+/.exec(code)?.[0]}\` downloads a file with no checksum, and \`${variable}\` in its URL can name another file per platform or build: one \`--checksum\` cannot match them all; download with RUN and verify the checksum for each value.`,
        },
      ],
    })),
  ],
});

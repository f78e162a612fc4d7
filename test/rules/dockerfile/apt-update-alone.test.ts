import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-update-alone.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\nRUN --mount=type=cache,target=/var/lib/apt apt-get install -y curl',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y',
    'FROM debian:12\nRUN echo update',
    // xargs runs the install with the file's package names (report hunt precision #8).
    'FROM debian:12-slim\nCOPY packages.txt /tmp/packages.txt\nRUN apt-get update \\\n && xargs -a /tmp/packages.txt apt-get install -y --no-install-recommends \\\n && rm -rf /var/lib/apt/lists/*\nRUN ls >| /tmp/listing\nCMD ["bash"]',
    'FROM debian:12\nRUN apt-get update && xargs -n 1 -r /usr/bin/apt-get install -y < /tmp/pkgs',
    // xargs's options read as getopt reads them: `1` is `-n`'s value, not the command.
    'FROM debian:12\nRUN apt-get update && xargs -rn 1 apt-get install -y < /tmp/pkgs',
    'FROM debian:12\nRUN apt-get update && xargs -ta /tmp/pkgs apt-get install -y',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl',
      errors: [{ messageId: 'alone', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN apt update', errors: [{ messageId: 'alone', line: 2 }] },
    {
      code: 'FROM debian:12\nRUN apt-get update && xargs -a /tmp/pkgs echo install',
      errors: [{ messageId: 'alone', line: 2 }],
    },
    // xargs rejects an option it does not have (`-Z`) and runs nothing: no install follows the update.
    {
      code: 'FROM debian:12\nRUN apt-get update && xargs -Z apt-get install -y < /tmp/pkgs',
      errors: [{ messageId: 'alone', line: 2 }],
    },
  ],
});

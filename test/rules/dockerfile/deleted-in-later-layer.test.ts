import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/deleted-in-later-layer.js';

ruleTester.run(rule, {
  valid: [
    // `~` is the home directory, not a path under WORKDIR (issue 15 corpus: `rm -rf ~/.bundle` next to COPY Gemfile ./).
    'FROM ruby:3.3-slim\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install && rm -rf ~/.bundle/',
    'FROM debian:12\nRUN curl -o /tmp/x.tgz https://x && tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*',
    'FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean',
    'FROM debian:12 AS build\nCOPY . /src\nFROM debian:12\nRUN rm -rf /src',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN mkdir -p /opt/toolchain && head -c 100 /dev/urandom > /opt/toolchain/t.tar\nRUN rm -rf /opt/toolchain',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
  ],
});

ruleTester.run(rule, {
  valid: [
    // issue 5: cache mounts are understood: the apt cache never reached a layer, so removing it later deletes nothing.
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\nRUN rm -rf /var/cache/apt/*',
  ],
  invalid: [],
});

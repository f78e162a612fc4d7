// DF264 run-swallows-instruction: a RUN's trailing `\` that takes in the next instruction as more of the script.
import { rule } from '../../../rules/dockerfile/run-swallows-instruction.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN apt-get update \\', ' && apt-get install -y curl', 'USER 1000'),
    df('RUN echo "USER 1000" \\', ' && echo done'),
    // Lower case on a continuation line is a command of the script.
    df('RUN set -x \\', '    && user=app \\', '    && echo "$user"'),
    // A heredoc's body is the script as written: its lines are not continuations.
    df('RUN <<EOF', 'cat > /etc/x.conf <<CONF', 'USER app', 'CONF', 'EOF', 'USER 1000'),
    df('RUN ["sh", "-c", "true"]', 'USER 1000'),
    // Continued ENV and LABEL words, ended before the next instruction.
    df('ENV A=1 \\', '    B=2', 'RUN true'),
    df('LABEL a=1 \\', '      b="two words"', 'ONBUILD RUN true \\', '  && echo done'),
    // HEALTHCHECK's options on one line and its CMD on the next: Docker's own documented form.
    df('HEALTHCHECK --interval=5m --timeout=3s \\', '  CMD curl -f http://localhost/ || exit 1', 'USER 1000'),
    df('HEALTHCHECK --interval=5m --timeout=3s \\', '  --retries=3 \\', '  CMD ["curl", "-f", "http://localhost/"]'),
    df('HEALTHCHECK \\', '  NONE', 'USER 1000'),
    // ONBUILD's trigger on the next line is the ONBUILD's own argument, and so is its HEALTHCHECK's CMD.
    df('ONBUILD \\', '  RUN npm ci', 'USER 1000'),
    df('ONBUILD HEALTHCHECK --interval=5s \\', '  CMD curl -f http://localhost/'),
    // Inside an open quote an upper-case word is text (SQL here), not an instruction.
    df(
      'RUN echo "CREATE VIEW active AS SELECT id, name \\',
      '    FROM users WHERE active;" > /docker-entrypoint-initdb.d/10-view.sql',
    ),
    df("RUN psql -c 'SELECT id \\", "  FROM users' \\", ' && echo done'),
    df('LABEL description="Runs as \\', 'USER app, not root"'),
  ],
  invalid: [
    {
      code: df('RUN apt-get install -y curl \\', 'COPY . /app'),
      errors: [{ messageId: 'swallowed', line: 2 }],
    },
    {
      // A quote closed before the `\` leaves the next line outside it.
      code: df('RUN psql -c "SELECT 1" \\', 'COPY . /app'),
      errors: [{ messageId: 'swallowed', line: 2 }],
    },
    {
      // A quote in a shell comment opens nothing: the comment runs on over the continuation.
      code: df("RUN make # don't \\", 'USER app'),
      errors: [{ messageId: 'swallowed', line: 2 }],
    },
    {
      // Only HEALTHCHECK's first CMD is its own: a CMD or USER after its command is swallowed.
      code: df(
        'HEALTHCHECK --interval=5m \\',
        '  CMD curl -f http://localhost/ || exit 1 \\',
        'CMD ["nginx"]',
        'HEALTHCHECK CMD true \\',
        'USER 1000',
      ),
      errors: [
        {
          messageId: 'swallowedWords',
          line: 2,
          message:
            'This HEALTHCHECK continues onto line 4: the builder reads `CMD ["nginx"]` as more of its arguments instead of as an instruction (a `\\` left at the end of a line above it).',
        },
        { messageId: 'swallowedWords', line: 5 },
      ],
    },
    {
      code: df('ONBUILD \\', '  RUN npm ci \\', 'USER app'),
      errors: [
        {
          messageId: 'swallowed',
          line: 2,
          message:
            'This ONBUILD RUN continues onto line 4: the builder runs `USER app` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
    {
      code: df('RUN apt-get install -y curl \\', 'USER 1000'),
      errors: [
        {
          messageId: 'swallowed',
          line: 2,
          message:
            'This RUN continues onto line 3: the builder runs `USER 1000` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
    {
      // After a comment or a blank line the continuation goes on all the same.
      code: df('RUN apt-get install -y curl \\', '# the user', '', '  COPY app /app'),
      errors: [
        {
          messageId: 'swallowed',
          line: 2,
          message:
            'This RUN continues onto line 5: the builder runs `COPY app /app` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
    {
      // CRLF line endings: the `\r` is not part of the quoted line.
      code: 'FROM debian:12\r\nRUN apt-get install -y curl \\\r\nENV A=1\r\nRUN true\r\n',
      errors: [
        {
          messageId: 'swallowed',
          line: 2,
          message:
            'This RUN continues onto line 3: the builder runs `ENV A=1` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
    {
      // The same `\` after ENV: `RUN make` becomes part of B's value, and the build never runs it.
      code: df('ENV A=1 \\', '    B=2 \\', 'RUN make'),
      errors: [
        {
          messageId: 'swallowedWords',
          line: 2,
          message:
            'This ENV continues onto line 4: the builder reads `RUN make` as more of its arguments instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
    {
      code: df('LABEL version=1 \\', 'USER 1000', 'COPY --chown=app:app a /a \\', 'WORKDIR /a'),
      errors: [
        { messageId: 'swallowedWords', line: 2 },
        { messageId: 'swallowedWords', line: 4 },
      ],
    },
    {
      code: df('ONBUILD RUN make \\', 'ONBUILD RUN make install', 'ONBUILD ENV A=1 \\', 'USER app'),
      errors: [
        {
          messageId: 'swallowed',
          line: 2,
          message:
            'This ONBUILD RUN continues onto line 3: the builder runs `ONBUILD RUN make install` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
        },
        {
          messageId: 'swallowedWords',
          line: 4,
          message:
            'This ONBUILD ENV continues onto line 5: the builder reads `USER app` as more of its arguments instead of as an instruction (a `\\` left at the end of a line above it).',
        },
      ],
    },
  ],
});

// The message names the file's escape character: under an `# escape=` of a backtick, the continuation is a backtick.
ruleTester.run(rule, {
  valid: [
    // A `\` is no continuation under a backtick escape (a Windows path ends the line).
    ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN mkdir C:\\app\\', 'USER app'].join('\n'),
  ],
  invalid: [
    {
      code: ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN echo hi `', 'USER app'].join(
        '\n',
      ),
      errors: [
        {
          messageId: 'swallowed',
          line: 3,
          message:
            'This RUN continues onto line 4: the builder runs `USER app` as part of the script instead of as an instruction (a `` ` `` left at the end of a line above it).',
        },
      ],
    },
    {
      code: ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'ENV A=1 `', 'USER app'].join('\n'),
      errors: [
        {
          messageId: 'swallowedWords',
          line: 3,
          message:
            'This ENV continues onto line 4: the builder reads `USER app` as more of its arguments instead of as an instruction (a `` ` `` left at the end of a line above it).',
        },
      ],
    },
  ],
});

// DF224 wget-without-progress (hadolint DL3047).
import { rule } from '../../../rules/dockerfile/wget-without-progress.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN wget --progress=dot:giga https://example.com/a.tgz'),
    df('RUN wget -q https://example.com/a.tgz'),
    df('RUN wget --quiet https://example.com/a.tgz'),
    df('RUN wget -nv https://example.com/a.tgz'),
    df('RUN wget --no-verbose https://example.com/a.tgz'),
    df('RUN wget -o /tmp/log https://example.com/a.tgz'),
    df('RUN wget --output-file=/tmp/log https://example.com/a.tgz'),
    df('RUN wget -a /tmp/log https://example.com/a.tgz'),
    df('RUN wget --append-output=/tmp/log https://example.com/a.tgz'),
    df('RUN wget -qO- https://example.com/install.sh | sh'),
    df('RUN curl -fsSL https://example.com/a.tgz'),
  ],
  invalid: [
    {
      code: df('RUN wget https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy', line: 2 }],
      output: df('RUN wget --progress=dot:giga https://example.com/a.tgz'),
    },
    {
      code: df('RUN wget -O /tmp/a.tgz https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN wget --progress=dot:giga -O /tmp/a.tgz https://example.com/a.tgz'),
    },
    {
      code: df('RUN apt-get update && wget https://example.com/a.tgz && tar xzf a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN apt-get update && wget --progress=dot:giga https://example.com/a.tgz && tar xzf a.tgz'),
    },
    // Two wgets, one already quiet: reported, no fix (it would touch the quiet one too).
    { code: df('RUN wget -q https://a.example/x && wget https://b.example/y'), errors: [{ messageId: 'noisy' }] },
    { code: df('ONBUILD RUN wget https://example.com/a.tgz'), errors: [{ messageId: 'noisy' }] },
  ],
});

// DF211 gem-install-unpinned (hadolint DL3028).
import { rule } from '../../../rules/dockerfile/gem-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM ruby:3.3', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN gem install bundler:2.5.3'),
    df('RUN gem install bundler -v 2.5.3'),
    df('RUN gem install bundler --version 2.5.3'),
    df('RUN gem install bundler --version=2.5.3'),
    df('RUN gem i bundler:2.5.3'),
    df('RUN gem install --no-document rails:7.1.0 rake:13.1.0'),
    df('RUN gem update --system'),
    df('RUN bundle install'),
    df('RUN gem install $GEMS'),
    df('ARG BUNDLER=bundler:2.5.3', 'RUN gem install $BUNDLER'),
    // Local gem files carry their version.
    df('RUN gem install ./pkg/app-1.0.0.gem'),
    df('RUN gem install --local vendor/cache/nokogiri-1.16.0-x86_64-linux.gem'),
  ],
  invalid: [
    {
      code: df('RUN gem install bundler'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`gem install bundler` has no version: each rebuild may install something else; write `bundler:<version>` or pass `-v`.',
        },
      ],
    },
    { code: df('RUN gem i bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install rails:7.1.0 rake'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install --no-document bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install -i /opt/gems bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN gem install bundler'), errors: [{ messageId: 'unpinned' }] },
  ],
});

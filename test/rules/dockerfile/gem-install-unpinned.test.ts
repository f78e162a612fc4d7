// DF211 gem-install-unpinned (hadolint DL3028).
import { rule } from '../../../rules/dockerfile/gem-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';

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
    df('ARG GEMS="rails:7.1.0 rake:13.1.0"', 'RUN gem install $GEMS'),
    df('ARG V', 'ARG GEMS="rails:$V rake:13.1.0"', 'RUN gem install $GEMS'),
    // The shell expands nothing in single quotes or after a backslash: the gem is `$GEM` as written, decided at build
    // time (it was reported as an unpinned `rails`, ARG GEM's value).
    df('ARG GEM=rails', "RUN gem install '$GEM'"),
    df('ARG GEM=rails', 'RUN gem install \\$GEM'),
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
            '`gem install bundler` does not pin a version (e.g. `bundler:<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: df('RUN gem i bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install rails:7.1.0 rake'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install --no-document bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN gem install -i /opt/gems bundler'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN gem install bundler'), errors: [{ messageId: 'unpinned' }] },
    // Every install command of the RUN is read and every unpinned gem named, in one finding a RUN (hadolint DL3028): the
    // first command alone, or its first gem alone, read as if it were the only one to pin.
    ...[
      ['gem install rails rake', '`gem install rails rake` does not pin versions (e.g. `rails:<version>`)'],
      [
        'gem install rails:7.1.0 && gem i rake || gem install puma',
        '`gem i rake puma` does not pin versions (e.g. `rake:<version>`)',
      ],
      // `-v` pins the gem of its own command only.
      [
        'gem install bundler -v 2.5.3 && gem install rails',
        '`gem install rails` does not pin a version (e.g. `rails:<version>`)',
      ],
      [
        'gem update --system; gem install rails \\\n  && gem install rails rake',
        '`gem install rails rake` does not pin versions (e.g. `rails:<version>`)',
      ],
      [
        'gem install rails rake puma sidekiq nokogiri',
        '`gem install rails rake puma` and 2 more do not pin versions (e.g. `rails:<version>`)',
      ],
    ].map(([run, named]) => ({
      code: df(`RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    // An unquoted list from ARG/ENV is split as the shell splits it, its gems named (it was named `$GEMS`, with an
    // example pin of `$GEMS:<version>`); in double quotes it is one word, as written.
    ...[
      ['gem install $GEMS', '`gem install rails rake` does not pin versions (e.g. `rails:<version>`)'],
      ['gem install $PINNED $GEMS', '`gem install rails rake` does not pin versions (e.g. `rails:<version>`)'],
      ['gem install "$GEMS"', '`gem install $GEMS` does not pin a version (pin each package in GEMS)'],
    ].map(([run, named]) => ({
      code: df('ARG GEMS="rails rake"', 'ENV PINNED="puma:6.4.0 sidekiq:7.2.0"', `RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 4, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM ruby:3.3', 'gem install', (p) => `${p}:<version>`),
  ],
});

import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/cpanm-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM perl:5.40-slim\nRUN cpanm --notest Mojolicious@9.38 && rm -rf /root/.cpanm',
    'FROM perl:5.40-slim\nRUN cpanm --notest Mojolicious@9.38 && rm -rf ~/.cpanm',
    'FROM perl:5.40-slim\nRUN cpanm --installdeps --notest . ; rm -rf "$HOME/.cpanm"',
    'FROM perl:5.40-slim\nUSER app\nRUN cpanm -n Mojolicious@9.38 && rm -rf /home/app/.cpanm',
    'FROM perl:5.40-slim\nENV PERL_CPANM_HOME=/tmp/cpanm\nRUN cpanm -n Mojolicious@9.38 && rm -rf /tmp/cpanm',
    'FROM perl:5.40-slim\nRUN --mount=type=cache,target=/root/.cpanm cpanm -n Mojolicious@9.38',
    'FROM perl:5.40-slim\nRUN cpanm --version',
    'FROM perl:5.40-slim\nRUN cpanm --info Mojolicious',
    // A build stage whose local::lib only is copied on.
    'FROM perl:5.40 AS build\nRUN cpanm -n -L /opt/perl5 Mojolicious@9.38\nFROM perl:5.40-slim\nCOPY --from=build /opt/perl5 /opt/perl5',
  ],
  invalid: [
    {
      code: 'FROM perl:5.40-slim\nRUN cpanm --notest Mojolicious@9.38',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`cpanm` leaves every tarball it downloaded and every build tree in /root/.cpanm in this layer; add `&& rm -rf /root/.cpanm`.',
        },
      ],
      output: 'FROM perl:5.40-slim\nRUN cpanm --notest Mojolicious@9.38 && rm -rf /root/.cpanm',
    },
    // Removed before the install, or another user's directory, or the default one where PERL_CPANM_HOME moved it.
    {
      code: 'FROM perl:5.40-slim\nRUN rm -rf /root/.cpanm && cpanm -n Mojolicious@9.38',
      errors: [{ messageId: 'notCleaned', line: 2 }],
      output: 'FROM perl:5.40-slim\nRUN rm -rf /root/.cpanm && cpanm -n Mojolicious@9.38 && rm -rf /root/.cpanm',
    },
    {
      code: 'FROM perl:5.40-slim\nUSER app\nRUN cpanm -n Mojolicious@9.38 && rm -rf /root/.cpanm',
      errors: [{ messageId: 'notCleaned', line: 3 }],
      output:
        'FROM perl:5.40-slim\nUSER app\nRUN cpanm -n Mojolicious@9.38 && rm -rf /root/.cpanm && rm -rf /home/app/.cpanm',
    },
    {
      code: 'FROM perl:5.40-slim\nENV PERL_CPANM_HOME=/tmp/cpanm\nRUN cpanm -n Mojolicious@9.38 && rm -rf ~/.cpanm',
      errors: [{ messageId: 'notCleaned', line: 3 }],
      output:
        'FROM perl:5.40-slim\nENV PERL_CPANM_HOME=/tmp/cpanm\nRUN cpanm -n Mojolicious@9.38 && rm -rf ~/.cpanm && rm -rf /tmp/cpanm',
    },
  ],
});

// DF027 credential-in-arg-or-env: ARG/ENV values in well-known credential formats; placeholders and variables are not.
import { rule } from '../../../rules/dockerfile/credential-in-arg-or-env.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');
// Made-up values in each provider's format.
const GHP = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
const NPM = 'npm_' + 'Zq8Wm2Xr4Tn6Yp8Vb2Kc4Hd6Jf8Lg2Ms4Nt6';
const says = (keyword: string, name: string, what: string): string =>
  `${keyword} \`${name}\` holds ${what}: it is in the Dockerfile and readable in the image config or history; revoke it and pass it with \`RUN --mount=type=secret\`.`;

ruleTester.run(rule, {
  valid: [
    df('ENV PATH=/usr/local/bin:$PATH'),
    df('ARG NPM_TOKEN'),
    df('ENV GITHUB_TOKEN='),
    df('ENV TOKEN_URL=https://x:${GITHUB_TOKEN}@github.com/org/repo.git'),
    df('ENV TOKEN_URL=https://x:$GITHUB_TOKEN@github.com/org/repo.git'),
    df('ENV DATABASE_URL=postgres://app:changeme@db:5432/app'),
    df('ENV DATABASE_URL=postgres://app:<password>@db:5432/app'),
    df('ENV DATABASE_URL=postgres://app:xxxx@db:5432/app'),
    df('ENV PROXY=http://proxy.example:3128 REPO=git@github.com:org/repo.git'),
    df('ENV MIRROR=https://user@mirror.example/simple'),
    df('ARG GH=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    df('ENV AWS_REGION=eu-west-1 AWS_PROFILE=AKIA-docs'),
    df('ENV KEY_PATH=/run/secrets/id_rsa PEM="-----BEGIN CERTIFICATE-----"'),
    df('ENV HASH=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'),
  ],
  invalid: [
    {
      code: df('ENV API=AKIAIOSFODNN7EXAMPLE'),
      errors: [
        {
          messageId: 'credential',
          line: 2,
          message:
            'ENV `API` holds an AWS access key id: it is in the Dockerfile and readable in the image config or history; revoke it and pass it with `RUN --mount=type=secret`.',
        },
      ],
    },
    { code: df(`ENV TOKEN_URL=https://x:${GHP}@github.com/org/repo.git`), errors: [{ messageId: 'credential' }] },
    { code: df(`ENV CLONE=${GHP}`), errors: [{ messageId: 'credential' }] },
    {
      code: df(`ARG NPM_RC=//registry.npmjs.org/:_authToken=${NPM}`),
      errors: [{ messageId: 'credential', message: says('ARG', 'NPM_RC', 'an npm token') }],
    },
    {
      code: df('ENV K="-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA"'),
      errors: [{ messageId: 'credential', message: says('ENV', 'K', 'a private key') }],
    },
    { code: df('ENV K="-----BEGIN RSA PRIVATE KEY-----"'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV GL=glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV S=xoxb-1234567890-abcdefghijAB'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV A=ASIAY34FZKBOKMUTVV7A'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV G=github_pat_11ABCDEFG0123456789abc_defGHIjklMNOpqr'), errors: [{ messageId: 'credential' }] },
    {
      code: df('ENV DATABASE_URL=postgres://app:s3cr3t-Pa55@db:5432/app'),
      errors: [{ messageId: 'credential', message: says('ENV', 'DATABASE_URL', 'a password in a URL') }],
    },
    { code: df('ENV APP=x REPO_URL=https://ci:hunter2@git.example/r.git'), errors: [{ messageId: 'credential' }] },
    { code: df('ENV LEGACY https://deploy:Zx9Qw8Er7@repo.example/'), errors: [{ messageId: 'credential' }] },
  ],
});

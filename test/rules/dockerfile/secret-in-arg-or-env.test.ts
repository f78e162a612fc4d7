// DF229 secret-in-arg-or-env (hadolint DL3064): known names and secret-sounding parts of names, in ARG and ENV.
import { rule } from '../../../rules/dockerfile/secret-in-arg-or-env.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('ARG NODE_VERSION=20'),
    df('ENV PATH=/usr/local/bin:$PATH'),
    df('ENV APP_HOME=/app USER_NAME=app'),
    df('ARG BUILD_DATE'),
    df('ENV TOKENIZERS_PARALLELISM=false'),
    df('ENV MYSQL_PASSWORD_FILE=/run/secrets/mysql'),
    df('ARG SECRETS_DIR=/run/secrets'),
    // Settings about a secret, not the secret: where to fetch a token, the header that carries a key, a password
    // policy, a token's lifetime, Rails' placeholder switch for asset precompilation.
    df('ENV TOKEN_URL=https://auth.example.com/oauth/token'),
    df('ENV OAUTH_TOKEN_ENDPOINT=https://auth.example.com/token'),
    df('ENV API_KEY_HEADER=X-Api-Key'),
    df('ENV PASSWORD_MIN_LENGTH=12'),
    df('ENV ACCESS_TOKEN_TTL=3600'),
    df('ENV SECRET_KEY_BASE_DUMMY=1'),
    df('RUN --mount=type=secret,id=npm_token npm ci'),
    // The value is a GitHub token itself: DF027 reports it, at error; one finding per secret.
    df('ENV GITHUB_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'),
  ],
  invalid: [
    {
      code: df('ARG GITHUB_TOKEN'),
      errors: [
        {
          messageId: 'secret',
          line: 2,
          message:
            'ARG `GITHUB_TOKEN` looks like a secret: ARG and ENV values stay readable in the image history and config; use `RUN --mount=type=secret`.',
        },
      ],
    },
    { code: df('ENV AWS_SECRET_ACCESS_KEY=abc'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV AWS_ACCESS_KEY_ID=abc'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV MYSQL_ROOT_PASSWORD=root'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV APP=x DB_PASSWORD=y'), errors: [{ messageId: 'secret' }] },
    { code: df('ARG my_api_key'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV SENTRY_DSN https://key@sentry.example/1'), errors: [{ messageId: 'secret' }] },
    { code: df('ARG PGPASSWORD=x'), errors: [{ messageId: 'secret' }] },
    // A well-known name stays a secret whatever its suffix: a webhook URL or a connection URL holds the credential.
    { code: df('ARG SLACK_WEBHOOK_URL'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV DATABASE_URL=postgres://db/app'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV AUTH_TOKEN=abc'), errors: [{ messageId: 'secret' }] },
    {
      code: df('ENV GITHUB_TOKEN=${GH} NPM_TOKEN=npm_Zq8Wm2Xr4Tn6Yp8Vb2Kc4Hd6Jf8Lg2Ms4Nt6'),
      errors: [{ messageId: 'secret' }],
    },
    { code: ['ARG NPM_TOKEN', 'FROM node:20'].join('\n'), errors: [{ messageId: 'secret', line: 1 }] },
  ],
});

// Review s46 (lintreview): a language model's token counts and a token's lifetime in minutes or seconds are settings,
// not secrets.
ruleTester.run(rule, {
  valid: [
    df('ENV MAX_TOKENS=4096'),
    df('ENV MAX_INPUT_TOKENS=4000 MAX_TOTAL_TOKENS=8192 MAX_BATCH_PREFILL_TOKENS=8192'),
    df('ARG NUM_TOKENS=512'),
    df('ENV ACCESS_TOKEN_EXPIRE_MINUTES=30'),
    df('ENV REFRESH_TOKEN_EXPIRES_IN=604800'),
    df('ENV SESSION_TOKEN_LIFETIME_SECONDS=3600'),
    df('ENV PASSWORD_ATTEMPT_LIMIT=5'),
    df('ENV JWT_TOKEN_ISSUER=https://auth.example.com JWT_TOKEN_AUDIENCE=api'),
  ],
  invalid: [
    // One token is a credential, whatever else the name says.
    { code: df('ENV HF_TOKEN=x'), errors: [{ messageId: 'secret' }] },
    { code: df('ARG TOKENS_SECRET'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV SESSION_TOKEN_VALUE=abc'), errors: [{ messageId: 'secret' }] },
  ],
});

// Review s46 (lintfix4): names of where or how secrets are kept or handled, not of a secret.
ruleTester.run(rule, {
  valid: [
    df('ENV SECRET_NAME=prod/db'),
    df('ENV SECRETS_BACKEND=vault'),
    df('ENV AIRFLOW__SECRETS__BACKEND=airflow.providers.hashicorp.secrets.vault.VaultBackend'),
    df('ARG USE_SECRET_MANAGER=true'),
    df('ENV AWS_SECRETS_MANAGER_REGION=eu-west-1'),
    df('ENV AWS_SECRETS_MANAGER_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:db'),
    df('ENV CREDENTIALS_PROVIDER=env'),
    df('ENV PASSWORD_HASHERS=argon2'),
    df('ENV CSRF_TOKEN_NAME=csrf_token'),
    df('ENV POSTGRES_PASSWORD_FILE=/run/secrets/db'),
  ],
  invalid: [
    { code: df('ENV SECRETS_MANAGER_TOKEN=abc'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV SECRET_MANAGER_PASSWORD=abc'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV HF_TOKEN=x DB_PASSWORD=y'), errors: [{ messageId: 'secret' }] },
    { code: df('ARG AWS_SECRET_ACCESS_KEY'), errors: [{ messageId: 'secret' }] },
    { code: df('ENV DATABASE_URL=postgres://db/app'), errors: [{ messageId: 'secret' }] },
  ],
});

// DF229: ARG or ENV whose name says it holds a secret (hadolint DL3064).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { credentialIn } from './credential-in-dockerfile.js';
import { readPairs } from '../../src/dockerfile/words.js';

// Well-known variable names that carry credentials.
const KNOWN = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'AZURE_STORAGE_KEY',
  'AZURE_STORAGE_CONNECTION_STRING',
  'AZURE_STORAGE_SAS_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'GOOGLE_API_KEY',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GITLAB_TOKEN',
  'CI_JOB_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'NUGET_API_KEY',
  'PYPI_TOKEN',
  'TWINE_PASSWORD',
  'DOCKER_PASSWORD',
  'DOCKER_AUTH_CONFIG',
  'DOCKERHUB_TOKEN',
  'REGISTRY_PASSWORD',
  'HEROKU_API_KEY',
  'SLACK_TOKEN',
  'SLACK_WEBHOOK_URL',
  'STRIPE_SECRET_KEY',
  'SENDGRID_API_KEY',
  'TWILIO_AUTH_TOKEN',
  'DATADOG_API_KEY',
  'DD_API_KEY',
  'SENTRY_DSN',
  'SENTRY_AUTH_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'DATABASE_URL',
  'DB_PASSWORD',
  'POSTGRES_PASSWORD',
  'PGPASSWORD',
  'MYSQL_PASSWORD',
  'MYSQL_ROOT_PASSWORD',
  'MONGO_INITDB_ROOT_PASSWORD',
  'REDIS_PASSWORD',
  'RABBITMQ_DEFAULT_PASS',
  'SECRET_KEY',
  'SECRET_KEY_BASE',
  'DJANGO_SECRET_KEY',
  'FLASK_SECRET_KEY',
  'JWT_SECRET',
  'SESSION_SECRET',
  'API_KEY',
  'APIKEY',
  'PRIVATE_KEY',
  'SSH_PRIVATE_KEY',
  'SSH_KEY',
  'GPG_PASSPHRASE',
  'ENCRYPTION_KEY',
  'VAULT_TOKEN',
  'CONSUL_HTTP_TOKEN',
  'ARTIFACTORY_API_KEY',
  'SONAR_TOKEN',
  'CODECOV_TOKEN',
  'SNYK_TOKEN',
  'CLIENT_SECRET',
  'ACCESS_TOKEN',
  'REFRESH_TOKEN',
  'AUTH_TOKEN',
  'PASS',
]);

// Parts of a name that say "secret" wherever they appear.
const MARKERS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'API_KEY',
  'PRIVATE_KEY',
  'ACCESS_KEY',
  'CREDENTIAL',
  'AUTH_KEY',
];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF229',
    name: 'secret-in-arg-or-env',
    type: 'problem',
    summary: 'Pass secrets with RUN --mount=type=secret, not ARG or ENV',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      secret:
        '{{keyword}} `{{name}}` looks like a secret: ARG and ENV values stay readable in the image history and config; use `RUN --mount=type=secret`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3064', relation: 'same' },
      { tool: 'buildkit', id: 'SecretsUsedInArgOrEnv', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      // A value that is a credential itself is DF027's finding, at a higher severity: one finding per secret.
      const name = readPairs(instruction.shellText, ctx.parsed.escapeChar)
        .filter((p) => !credentialIn(p.value))
        .map((p) => p.key)
        .find(isSecretName);
      if (name) ctx.report({ messageId: 'secret', data: { keyword: instruction.keyword, name }, at: instruction });
    };
    return { ARG: check, ENV: check };
  },
});

export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase().replace(/-/g, '_');
  // TOKENIZERS_PARALLELISM and friends configure text tokenizers, not credentials; TOKENS, plural, counts a language
  // model's tokens (MAX_TOKENS, MAX_NEW_TOKENS, MAX_TOTAL_TOKENS in LLM servers), where a credential is one token.
  // AWS Secrets Manager and Google's Secret Manager are services: `AWS_SECRETS_MANAGER_ARN` names where secrets are
  // kept, as `SECRETS_MANAGER_TOKEN` still holds one.
  const cleaned = upper
    .replace(/TOKENIZER/g, '')
    .replace(/(^|_)TOKENS(?=_|$)/g, '$1')
    .replace(/SECRETS?_MANAGER/g, '');
  // `DB_PASSWORD_FILE=/run/secrets/db` points at a secret mounted at run time: that is the pattern to encourage.
  if (/_(FILE|PATH|DIR)$/.test(upper)) return false;
  if (KNOWN.has(upper)) return true;
  // Settings about a secret rather than the secret: where to fetch a token (TOKEN_URL), the header a key travels in, a
  // password policy (PASSWORD_MIN_LENGTH, PASSWORD_ATTEMPT_LIMIT), a token's lifetime in any unit
  // (ACCESS_TOKEN_EXPIRE_MINUTES, as FastAPI's project template names it), who issues a token and for whom, Rails'
  // SECRET_KEY_BASE_DUMMY switch. So are names of where or how secrets are kept or handled: the name a secret is
  // looked up by (SECRET_NAME, CSRF_TOKEN_NAME: the form field), the store or service holding them (SECRETS_BACKEND,
  // USE_SECRET_MANAGER, CREDENTIALS_PROVIDER) and its region, Django's PASSWORD_HASHERS. A credential in the value
  // itself (a URL with a password) is still DF027's finding.
  if (
    /_(URL|URI|ENDPOINT|HEADER|LENGTH|LIMIT|DUMMY|ISSUER|AUDIENCE|NAME|BACKEND|MANAGER|PROVIDER|REGION|HASHERS?|(TTL|EXPIRY|EXPIRE|EXPIRES|EXPIRES_IN|EXPIRATION|LIFETIME|TIMEOUT)(_(MS|SEC|SECS|SECONDS|MIN|MINS|MINUTES|HOURS|DAYS))?)$/.test(
      upper,
    )
  )
    return false;
  return MARKERS.some((marker) => cleaned.includes(marker));
}

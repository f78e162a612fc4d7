// DF027 credential-in-dockerfile: ARG/ENV/LABEL values and RUN commands holding well-known credential formats;
// placeholders and variables are not.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialIn, credentialMatch, rule } from '../../../rules/dockerfile/credential-in-dockerfile.js';
import { lintText } from '../../../src/lint/engine.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');
// Made-up values in each provider's format.
const GHP = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
const NPM = 'npm_' + 'Zq8Wm2Xr4Tn6Yp8Vb2Kc4Hd6Jf8Lg2Ms4Nt6';
const says = (keyword: string, name: string, what: string): string =>
  `${keyword} \`${name}\` holds ${what}: it is in the Dockerfile and readable in the image config or history; revoke it and pass it with \`RUN --mount=type=secret\`.`;
const runSays = (what: string): string =>
  `RUN command holds ${what}: the command is kept in the image history, which \`docker history\` shows to anyone who can pull the image, and no later layer removes it; revoke it and pass it with \`RUN --mount=type=secret\`.`;

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
    // RUN: secrets taken from variables, secret mounts and placeholders leak nothing.
    df('RUN git clone https://x:${GITHUB_TOKEN}@github.com/org/repo.git'),
    df(
      'RUN --mount=type=secret,id=gh GH="$(cat /run/secrets/gh)" && git clone "https://x:$GH@github.com/org/repo.git"',
    ),
    df('RUN curl -fsSL -H "Authorization: Bearer $GITLAB_TOKEN" https://gitlab.example/api/v4/projects'),
    df('RUN npm config set //registry.npmjs.org/:_authToken "${NPM_TOKEN}" && npm ci'),
    df('RUN echo "deb https://user:<password>@repo.example/debian stable main" > /etc/apt/sources.list.d/x.list'),
    df('RUN pip install --index-url https://__token__:changeme@pypi.example/simple app'),
    df('RUN printf "machine host login x password %s\\n" "$TOKEN" > ~/.netrc && curl -fsSL https://u:%s@h.example/'),
    df('RUN echo ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx && git clone git@github.com:org/repo.git'),
    // A command that looks for a PEM header (no key after it) is not a key.
    df("RUN grep -q -- '-----BEGIN RSA PRIVATE KEY-----' /etc/ssl/private/app.pem"),
    df("RUN sed -i '/-----BEGIN PRIVATE KEY-----/,/-----END PRIVATE KEY-----/d' /etc/ssl/bundle.pem"),
    df('RUN ["sh", "-c", "git clone https://x:${GITHUB_TOKEN}@github.com/org/repo.git"]'),
    df('RUN <<EOF', 'git clone "https://x:${GITHUB_TOKEN}@github.com/org/repo.git"', 'EOF'),
    df('LABEL org.opencontainers.image.source=https://github.com/org/repo maintainer="ops@example.com"'),
    df('LABEL example.token=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx example.url="https://ci:${TOKEN}@x.example"'),
    // COPY/ADD heredocs and commands with variables or placeholders hold nothing.
    df('COPY <<EOF /root/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}', 'EOF'),
    df('COPY app.tar /srv/', 'CMD ["git", "clone", "https://x:${GITHUB_TOKEN}@github.com/o/r"]'),
    df('ENTRYPOINT ["/app", "--token-file", "/run/secrets/token"]'),
    df('HEALTHCHECK CMD curl -fs http://localhost/health || exit 1'),
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
    // RUN: the command line is in the image history.
    {
      code: df(`RUN git clone https://x:${GHP}@github.com/org/repo.git`),
      errors: [{ messageId: 'run', line: 2, message: runSays('a GitHub token') }],
    },
    {
      code: df(
        'RUN curl -fsSL -H "Authorization: Bearer glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn" https://gitlab.example/api/v4/user',
      ),
      errors: [{ messageId: 'run', message: runSays('a GitLab token') }],
    },
    {
      code: df(`RUN npm config set //registry.npmjs.org/:_authToken ${NPM} && npm ci`),
      errors: [{ messageId: 'run', message: runSays('an npm token') }],
    },
    {
      code: df('RUN apt-get update \\', '    && curl -fsSL https://deploy:Zx9Qw8Er7@repo.example/app.tgz | tar -xz'),
      errors: [{ messageId: 'run', line: 2, message: runSays('a password in a URL') }],
    },
    // A placeholder in one URL does not hide a token in the next.
    {
      code: df(`RUN git clone https://x:\${T}@github.com/o/a && git clone https://x:${GHP}@github.com/o/b`),
      errors: [{ messageId: 'run' }],
    },
    { code: df(`RUN ["git", "clone", "https://x:${GHP}@github.com/org/repo.git"]`), errors: [{ messageId: 'run' }] },
    {
      code: df('RUN <<EOF', `git clone https://x:${GHP}@github.com/org/repo.git`, 'EOF'),
      errors: [{ messageId: 'run' }],
    },
    {
      code: df('RUN cat > /root/.npmrc <<EOF', `//registry.npmjs.org/:_authToken=${NPM}`, 'EOF', 'RUN npm ci'),
      errors: [{ messageId: 'run', line: 2, message: runSays('an npm token') }],
    },
    {
      code: df(
        "RUN printf '%s\\n' '-----BEGIN OPENSSH PRIVATE KEY-----' 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ' > /root/.ssh/id_ed25519",
      ),
      errors: [{ messageId: 'run', message: runSays('a private key') }],
    },
    { code: df(`ONBUILD RUN git clone https://x:${GHP}@github.com/org/repo.git`), errors: [{ messageId: 'run' }] },
    // LABEL: the value is in the image config.
    {
      code: df(`LABEL org.opencontainers.image.title=app token=${GHP}`),
      errors: [
        {
          messageId: 'label',
          message:
            'LABEL `token` holds a GitHub token: it is in the Dockerfile and in the image config, which `docker inspect` shows to anyone who can pull the image; revoke it and keep it out of labels.',
        },
      ],
    },
    { code: df('LABEL "deploy url"="https://deploy:Zx9Qw8Er7@repo.example/"'), errors: [{ messageId: 'label' }] },
    // A COPY/ADD heredoc writes the credential into a layer's file; CMD/ENTRYPOINT/HEALTHCHECK keep it in the config.
    {
      code: df('COPY <<EOF /root/.npmrc', `//registry.npmjs.org/:_authToken=${NPM}`, 'EOF'),
      errors: [
        {
          messageId: 'file',
          message:
            'COPY writes an npm token into a file of the image: it stays readable in this layer even if a later RUN deletes it; revoke it and pass it with `RUN --mount=type=secret` at build time, or mount it at run time.',
        },
      ],
    },
    { code: df('ADD <<EOF /etc/app.env', `TOKEN=${GHP}`, 'EOF'), errors: [{ messageId: 'file' }] },
    {
      code: df(`CMD ["git", "clone", "https://x:${GHP}@github.com/o/r"]`),
      errors: [
        {
          messageId: 'command',
          message:
            'CMD holds a GitHub token: it is in the image config, which `docker inspect` shows to anyone who can pull the image; revoke it and give it to the container at run time (an environment variable or a mounted secret).',
        },
      ],
    },
    { code: df(`ENTRYPOINT exec app --token ${GHP}`), errors: [{ messageId: 'command' }] },
    {
      code: df(`HEALTHCHECK CMD curl -fs -H "Authorization: Bearer ${GHP}" http://localhost/health`),
      errors: [{ messageId: 'command' }],
    },
  ],
});

// Realistic Dockerfiles use variables, secret mounts and placeholders: the lint corpus must stay clean of DF027.
describe('DF027 on the lint corpus', () => {
  it('finds no credential in any of its Dockerfiles', () => {
    const dir = join(process.cwd(), 'test', 'fixtures', 'lint-corpus');
    const found = readdirSync(dir)
      .filter((f) => f.endsWith('.Dockerfile'))
      .flatMap((f) =>
        lintText(readFileSync(join(dir, f), 'utf8'), f, [rule]).findings.map(
          (x) => `${f}:${x.location.kind === 'dockerfile' ? x.location.line : 0} ${x.message}`,
        ),
      );
    expect(found).toEqual([]);
  });
});

describe('DF027 pre-filter (one cheap scan before the precise patterns)', () => {
  const PEM = '-----BEGIN RSA PRIVATE KEY-----';
  const BODY = 'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM4Oiz3Tz2mr7SZiAMfQyuv';
  it.each([
    '',
    'apt-get update && apt-get install -y curl',
    'AKIA' + 'Q3ZT7XW2LMN4PR8K',
    'key=ASIA' + 'Q3ZT7XW2LMN4PR8K;',
    'akia' + 'q3zt7xw2lmn4pr8k',
    'ASIAN food',
    `token ${GHP}`,
    'gho_' + 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'gh_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5',
    'github_pat_' + '11ABCDEFG0aB3dE5fG7hJ9kL1mN3pQ5rS7tU9',
    'glpat-' + 'aB3dE5fG7hJ9kL1mN3pQ5',
    'xoxb-' + '1234567890-abcdefghij',
    'xoxz-' + '1234567890-abcdefghij',
    'sk_live_' + 'aB3dE5fG7hJ9kL1mN3pQ',
    'rk_live_' + 'aB3dE5fG7hJ9kL1mN3pQ',
    'pk_live_' + 'aB3dE5fG7hJ9kL1mN3pQ',
    NPM,
    'npm_' + '000000000000000000000000000000000000',
    PEM,
    `grep -q -- '${PEM}' /etc/ssl/key.pem`,
    `printf '${PEM}\\n${BODY}' > /k`,
    `cat > /k <<EOF\n${PEM}\n${BODY}\nEOF`,
    '-----BEGIN CERTIFICATE-----',
    'curl https://user:s3cr3tPassw0rd@example.com/x',
    'curl HTTPS://user:s3cr3tPassw0rd@example.com/x',
    'git clone git+ssh://git:hunter2x@host/repo',
    'curl https://user:$PASSWORD@example.com/x',
    'curl https://user:changeme@example.com/x',
    'curl https://user:xxxx@example.com/x',
    'curl https://example.com/a:b@c',
    'curl http:/user:pw@host',
    `first https://u:changeme@a.io then https://u:realPa55word@b.io and ${GHP}`,
  ])('%j: the same with and without the pre-filter', (text) => {
    for (const inCommand of [false, true])
      expect(credentialIn(text, { inCommand })).toBe(credentialMatch(text, inCommand));
  });
});

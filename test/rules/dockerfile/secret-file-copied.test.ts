// DF028 secret-file-copied: COPY/ADD of a source named as an .env file, a private key or a credential file, into the
// final image; judged by the same file classes as the image rule IM009.
import { rule } from '../../../rules/dockerfile/secret-file-copied.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', 'WORKDIR /app', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('COPY . .'),
    df('COPY ./ /app/'),
    df('COPY src/ /app/src/'),
    df('COPY package.json package-lock.json ./'),
    df('COPY id_rsa.pub /root/.ssh/authorized_keys'),
    df('COPY .env.example .env'),
    df('COPY .envrc .'),
    // Certificates where the system looks for public ones.
    df('COPY ca.pem /etc/ssl/certs/'),
    df('COPY corp-root.pem /usr/share/ca-certificates/corp/'),
    df('COPY ca.pem /usr/local/share/ca-certificates/ca.crt'),
    df('ADD https://example.com/keys/release.key /tmp/'),
    df('COPY <<EOF /app/.env\nMODE=prod\nEOF'),
    // Only a build stage sees it: the final image gets the build output only.
    [
      'FROM node:20 AS build',
      'COPY .npmrc package.json ./',
      'RUN npm ci',
      'FROM node:20-slim',
      'COPY --from=build /app/node_modules ./node_modules',
    ].join('\n'),
    df('RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'),
  ],
  invalid: [
    {
      code: df('COPY id_rsa /root/.ssh/id_rsa'),
      errors: [
        {
          messageId: 'copied',
          line: 3,
          message:
            'COPY `id_rsa` puts a key or credential file into the image at /root/.ssh/id_rsa: it stays readable in this layer even if a later RUN deletes it; use `RUN --mount=type=secret` at build time or mount it at run time.',
        },
      ],
    },
    {
      code: df('COPY .env .'),
      errors: [
        {
          messageId: 'copied',
          message:
            'COPY `.env` puts an environment file into the image at .env: it stays readable in this layer even if a later RUN deletes it; use `RUN --mount=type=secret` at build time or mount it at run time.',
        },
      ],
    },
    { code: df('ADD secrets/.npmrc /root/'), errors: [{ messageId: 'copied' }] },
    // A build stage copied whole, or the directory the key is in, ships the key all the same.
    {
      code: ['FROM debian:12 AS build', 'COPY id_rsa /root/.ssh/id_rsa', 'FROM scratch', 'COPY --from=build / /'].join(
        '\n',
      ),
      errors: [{ messageId: 'copied', line: 2 }],
    },
    {
      code: [
        'FROM debian:12 AS build',
        'COPY id_rsa /root/.ssh/id_rsa',
        'FROM debian:12',
        'COPY --from=build /root/.ssh /root/.ssh',
      ].join('\n'),
      errors: [{ messageId: 'copied', line: 2 }],
    },
    {
      code: [
        'FROM node:20 AS build',
        'COPY .npmrc ./',
        'FROM node:20-slim',
        'COPY --from=build /app/.npmrc /root/.npmrc',
      ].join('\n'),
      errors: [
        {
          messageId: 'copied',
          line: 4,
          message:
            'COPY `/app/.npmrc` puts a key or credential file into the image at /root/.npmrc: it stays readable in this layer even if a later RUN deletes it; use `RUN --mount=type=secret` at build time or mount it at run time.',
        },
      ],
    },
    { code: df('COPY *.pem /certs/'), errors: [{ messageId: 'copied' }] },
    { code: df('COPY id_ed25519 /root/.ssh'), errors: [{ messageId: 'copied' }] },
    { code: df('COPY server.key /etc/nginx/tls.key'), errors: [{ messageId: 'copied' }] },
    { code: df('COPY ["config/.pypirc", "/root/.pypirc"]'), errors: [{ messageId: 'copied' }] },
    { code: df('COPY --chown=app:app app.py .netrc /home/app/'), errors: [{ messageId: 'copied' }] },
    { code: df('ARG KEY=deploy.p12', 'COPY $KEY /opt/'), errors: [{ messageId: 'copied' }] },
    // Deleting it later does not take it out of the COPY's layer.
    {
      code: df('COPY .git-credentials /root/', 'RUN git clone https://git.example/r.git && rm /root/.git-credentials'),
      errors: [{ messageId: 'copied', line: 3 }],
    },
    {
      code: ['FROM node:20 AS build', 'COPY .npmrc ./', 'FROM build', 'RUN npm ci'].join('\n'),
      errors: [{ messageId: 'copied', line: 2 }],
    },
  ],
});

import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/deleted-in-later-layer.js';
import { lintText } from '../../../src/lint/engine.js';

ruleTester.run(rule, {
  valid: [
    // `~` is the home directory, not a path under WORKDIR (issue 15 corpus: `rm -rf ~/.bundle` next to COPY Gemfile ./).
    'FROM ruby:3.3-slim\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install && rm -rf ~/.bundle/',
    'FROM debian:12\nRUN curl -o /tmp/x.tgz https://x && tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz',
    // What an earlier RUN only read (an archive it unpacked, a source it copied, a link's target, dd's input, a clone's
    // URL) is not what it added: deleting it later deletes the base image's file, not that RUN's bytes.
    'FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt\nRUN rm /tmp/a.tgz',
    'FROM debian:12\nRUN tar xzf /tmp/a.tgz\nRUN rm /tmp/a.tgz',
    'FROM debian:12\nRUN unzip /tmp/a.zip -d /opt\nRUN rm /tmp/a.zip',
    'FROM debian:12\nRUN cp /etc/skel/.bashrc /root/\nRUN rm /etc/skel/.bashrc',
    'FROM debian:12\nRUN mv /usr/bin/foo /usr/local/bin/foo\nRUN rm -rf /usr/bin/foo',
    'FROM debian:12\nRUN ln -s /usr/bin/python3 /usr/local/bin/python\nRUN rm /usr/bin/python3',
    'FROM debian:12\nRUN dd if=/opt/seed of=/var/lib/app.img bs=1M count=1\nRUN rm /opt/seed',
    'FROM debian:12\nRUN head -c 100 /opt/seed > /tmp/x\nRUN rm /opt/seed',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*',
    'FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean',
    'FROM debian:12 AS build\nCOPY . /src\nFROM debian:12\nRUN rm -rf /src',
    // `wget URL` and `curl -O URL` write the URL's file name: deleting it in the same RUN is deleting its own download,
    // not a file the COPY above may have brought.
    'FROM node:20\nWORKDIR /app\nCOPY . /app\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz && rm x.tgz',
    'FROM debian:12\nCOPY . /opt\nWORKDIR /opt\nRUN curl -fsSLO https://example.com/a.tar.gz?v=1 && tar xzf a.tar.gz && rm a.tar.gz',
    // `wget -qO-` writes to standard output (here `x.tgz`), not a file named after the URL.
    'FROM debian:12\nWORKDIR /opt\nRUN wget -qO- https://example.com/latest > x.tgz\nRUN rm -f latest',
    // curl's `-O` takes no value: the URL after it is what it fetches, not the file it writes.
    'FROM debian:12\nCOPY . /opt\nWORKDIR /opt\nRUN curl -fsSL -O https://example.com/a.tar.gz && tar xzf a.tar.gz && rm a.tar.gz',
    // curl reads its `--cacert` file and writes only the download: line 2 added no certificate.
    'FROM debian:12\nRUN curl --cacert /etc/ssl/certs/corp.pem -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\nRUN rm -f /etc/ssl/certs/corp.pem',
    // `touch -r FILE` reads FILE's times.
    'FROM debian:12\nRUN touch -r /etc/os-release /tmp/stamp\nRUN rm -f /etc/os-release',
    // A relative name a writer writes, deleted in the RUN that writes it.
    'FROM debian:12\nWORKDIR /src\nRUN mkdir build && make -C build && rm -rf build',
    // After a `cd` a relative name is not the WORKDIR's, and lint does not follow where it went: line 3 wrote /tmp/y.
    'FROM debian:12\nWORKDIR /app\nRUN cd /tmp && git clone https://example.com/x/y.git\nRUN rm -rf y',
    'FROM debian:12\nENV P=/usr/local/apache2\nRUN mkdir -p "$P"\nWORKDIR $P\nRUN cd src && make install && cd .. && rm -r man',
    // tar without `-C` writes members only the archive names: the working directory is not what it added.
    'FROM debian:12\nWORKDIR /opt\nRUN tar xzf /tmp/a.tgz\nRUN rm -rf /opt/old',
    // A RUN that only makes directories (and sets their owner or mode) adds empty ones: no bytes for a later delete
    // of them, or of anything under them, to leave behind.
    'FROM debian:12\nRUN mkdir -p /opt/app\nRUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt/app && rm -rf /opt/app/docs /tmp/x.tgz',
    'FROM debian:12\nWORKDIR /src\nRUN mkdir build && chmod 0755 build && chown 1000:1000 build\nRUN rm -rf build',
    'FROM debian:12\nRUN set -eux; mkdir -p /var/app/cache; chmod 777 /var/app/cache\nRUN rm -rf /var/app/cache/x',
  ],
  invalid: [
    // Copied from another stage: no step here creates it, so the advice is to read it through a bind mount.
    {
      code: 'FROM python:3.12 AS builder\nRUN pip wheel -w /wheels requests\nFROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-index /wheels/* && rm -rf /wheels',
      errors: [
        {
          messageId: 'copiedFromStage',
          line: 5,
          message:
            'Deleting `/wheels` here does not shrink the image: line 4 copied it from `builder` and its bytes stay in that layer; read it in this RUN through `--mount=type=bind,from=builder,source=...,target=...` instead of copying it.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nWORKDIR /opt\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz\nRUN rm x.tgz',
      errors: [{ messageId: 'deletedLater', line: 4 }],
      unsafeOutput:
        'FROM debian:12\nWORKDIR /opt\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz && rm /opt/x.tgz',
    },
    {
      code: 'FROM debian:12\nWORKDIR /opt\nRUN curl -fsSL -O https://example.com/x.tgz && tar xzf x.tgz\nRUN rm x.tgz',
      errors: [{ messageId: 'deletedLater', line: 4 }],
      unsafeOutput:
        'FROM debian:12\nWORKDIR /opt\nRUN curl -fsSL -O https://example.com/x.tgz && tar xzf x.tgz && rm /opt/x.tgz',
    },
    // Review s45 item 5: a variable in the deleted path that ARG/ENV give a value moves as that value (analyze matched
    // the path exactly).
    {
      code: 'FROM debian:12\nARG VER=1.0\nENV APP_HOME=/opt/app\nRUN mkdir -p $APP_HOME && head -c 20 /dev/urandom > $APP_HOME/blob-$VER.bin\nRUN rm -f /opt/app/blob-$VER.bin',
      errors: [{ messageId: 'deletedLater', line: 5 }],
      unsafeOutput:
        'FROM debian:12\nARG VER=1.0\nENV APP_HOME=/opt/app\nRUN mkdir -p $APP_HOME && head -c 20 /dev/urandom > $APP_HOME/blob-$VER.bin && rm -f /opt/app/blob-1.0.bin',
    },
    // A RUN that wrote that very path is named (and the delete moved into it), not a directory copied earlier that
    // may hold it as well.
    {
      code: 'FROM debian:12 AS deps\nRUN mkdir -p /app\nFROM debian:12\nCOPY --from=deps /app /app\nWORKDIR /app\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz\nRUN rm x.tgz',
      errors: [{ messageId: 'deletedLater', line: 7 }],
      unsafeOutput:
        'FROM debian:12 AS deps\nRUN mkdir -p /app\nFROM debian:12\nCOPY --from=deps /app /app\nWORKDIR /app\nRUN wget -q https://example.com/x.tgz && tar xzf x.tgz && rm /app/x.tgz',
    },
    // Task lintfix2 item 2: the comment lines right above the deleted RUN go with it; one set apart by a blank line stays.
    // (A file without a final line break keeps none.)
    {
      code: 'FROM debian:12\n# fetch it\nRUN wget -q -O /opt/x.tgz https://example.com/x.tgz && tar xzf /opt/x.tgz -C /opt\n\n# a note\n\n# drop the archive\n# (it is big)\nRUN rm /opt/x.tgz\nCMD ["sh"]\n',
      errors: [{ messageId: 'deletedLater', line: 9 }],
      unsafeOutput:
        'FROM debian:12\n# fetch it\nRUN wget -q -O /opt/x.tgz https://example.com/x.tgz && tar xzf /opt/x.tgz -C /opt && rm /opt/x.tgz\n\n# a note\n\nCMD ["sh"]\n',
    },
    // A heredoc run by a SHELL with `-e` stops at a failure: the delete goes on a new last line (session 48).
    {
      code: 'FROM debian:12\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nwget -q -O /opt/x.tgz https://example.com/x.tgz\ntar xzf /opt/x.tgz -C /opt\nEOF\nRUN rm /opt/x.tgz\n',
      errors: [{ messageId: 'deletedLater', line: 7 }],
      unsafeOutput:
        'FROM debian:12\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nwget -q -O /opt/x.tgz https://example.com/x.tgz\ntar xzf /opt/x.tgz -C /opt\nrm /opt/x.tgz\nEOF\n',
    },
    {
      code: 'FROM debian:12\nRUN mkdir -p /opt/toolchain && head -c 100 /dev/urandom > /opt/toolchain/t.tar\nRUN rm -rf /opt/toolchain',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // wget writes into its `-P` directory, and `cp -t DIR` into DIR.
    {
      code: 'FROM debian:12\nRUN wget -q -P /opt/dl https://example.com/x.tgz\nRUN rm -rf /opt/dl',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN cp -t /opt/tools /usr/bin/env\nRUN rm -rf /opt/tools',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // What they write is still theirs: tar's -C directory and the archive it creates, unzip's -d, a clone, a link.
    {
      code: 'FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/app\nRUN rm -rf /opt/app',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN tar czf /tmp/etc.tgz /etc\nRUN rm /tmp/etc.tgz',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN unzip -q /tmp/a.zip -d /opt/app\nRUN rm -rf /opt/app',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN git clone --depth 1 https://example.com/y.git /src/y\nRUN rm -rf /src/y',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN ln -s /usr/bin/python3 /usr/local/bin/python\nRUN rm /usr/local/bin/python',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // A name without a `/` is written in the working directory: a clone named after its URL, a directory, a copy.
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN git clone https://example.com/x/y.git\nRUN rm -rf y',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // A relative `rm` after a `cd` is not read as the WORKDIR's (lint does not follow `cd`), but an absolute one is.
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN mkdir build && cmake -S . -B build\nRUN cd /tmp && make && cd /src && rm -rf /src/build',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN mkdir build && cd build && cmake .. && make\nRUN rm -rf /src/build',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // Nor is a name a writer creates after a `cd` the WORKDIR's: the RUN made /tmp/build, so /app/build is line 3's.
    {
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN cd /tmp && mkdir build && rm -rf /app/build',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // Nor does such an `rm` drop what it would delete under the WORKDIR: /tmp/build went, /src/build is still line 3's.
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN mkdir build && make -C build\nRUN cd /tmp && rm -rf build\nRUN rm -rf /src/build',
      errors: [{ messageId: 'deletedLater', line: 5 }],
    },
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN cp /etc/hosts hosts.bak\nRUN rm hosts.bak',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // A quoted glob deletes nothing (rm is given the name `*`): not a delete here, and the files are still there for
    // the later delete, which is reported.
    {
      code: 'FROM debian:12\nCOPY big.tar /app/big.tar\nRUN rm -rf "/app/*"\nRUN rm -f /app/big.tar',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
  ],
});

ruleTester.run(rule, {
  valid: [
    // issue 5: cache mounts are understood: the apt cache never reached a layer, so removing it later deletes nothing.
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\nRUN rm -rf /var/cache/apt/*',
  ],
  invalid: [],
});

// Bug hunt "precision" item 1a: a RUN deleting what its own earlier commands wrote deletes in the step that creates it,
// even when an earlier RUN of the same package manager left its own copy (DF001 reports that one).
ruleTester.run(rule, {
  valid: [
    // `apk add --no-cache` keeps no index in /var/cache/apk: line 2 added nothing there.
    'FROM alpine:3.19\nRUN apk add --no-cache ca-certificates=20240226-r0\nRUN apk add --no-cache tzdata=2024a-r0 && rm -rf /var/cache/apk/*\nCMD ["sh"]',
    // `dnf clean all` on line 2 emptied its cache; line 3's own install made the one it deletes.
    'FROM registry.access.redhat.com/ubi9/ubi:9.3\nRUN dnf install -y python3.11-3.11.5 && dnf clean all\nRUN dnf install -y nginx-1.20.1 && dnf clean all && rm -rf /var/cache/dnf\nUSER 1001\nCMD ["nginx"]',
    // Line 3 runs its own `apt-get update` before deleting the lists.
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\nRUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.2-1.1 && rm -rf /var/lib/apt/lists/*\nCMD ["bash"]',
    // The RUN writes .npmrc itself before removing it, whatever `COPY . .` brought.
    'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci --omit=dev && rm -f .npmrc\nCMD ["node", "index.js"]',
  ],
  invalid: [
    // Without --no-cache, line 2's index stays in its layer.
    {
      code: 'FROM alpine:3.19\nRUN apk add curl\nRUN apk add --no-cache jq && rm -rf /var/cache/apk/*',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // Without `clean all`, line 2's cache stays in its layer.
    {
      code: 'FROM fedora:40\nRUN dnf install -y nginx\nRUN rm -rf /var/cache/dnf',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // The RUN writes the file after deleting it: the delete hits the earlier COPY's.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN rm -f .npmrc && echo x > .npmrc',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
  ],
});

// Bug hunt "precision" item 1b: a COPY of files into a directory writes those files, not every path below it.
ruleTester.run(rule, {
  valid: [
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci --omit=dev && npm cache clean --force && rm -f .npmrc && rm -rf node_modules/.cache\nCMD ["node", "index.js"]',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
    },
    // A source the context does not have is not a directory (the hunter's context held only the Dockerfile).
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci && rm -rf node_modules/.cache',
      files: {},
    },
    // Task lintfix2 item 1: with no build context, a source named like a file adds that one file to the directory, not
    // all of it (`COPY vendor/x.deb /tmp/` is /tmp/x.deb; deleting another path under /tmp deletes nothing it added).
    'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci && rm -rf node_modules/.cache',
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN rm -f package-lock.json',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // A directory source spills its contents into the destination.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY src package.json ./\nRUN rm -rf /app/fixtures',
      files: { 'src/fixtures/a.json': '{}\n', 'package.json': '{}\n' },
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // With no build context to look in, a source not named like a file may be a directory (`.d` and dot-names too).
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY vendor ./\nRUN rm -rf node_modules/.cache',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM nginx:1.27\nCOPY conf.d /etc/nginx/\nRUN rm -f /etc/nginx/default.conf',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // Its install is what is reported, not a delete of /tmp/build-cache (which line 2 did not add).
    {
      code: 'FROM debian:12-slim\nCOPY vendor/x.deb /tmp/\nRUN apt-get install -y /tmp/x.deb && rm -rf /tmp/build-cache',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    {
      code: 'FROM debian:12-slim\nCOPY vendor/x.deb /tmp/\nRUN apt-get install -y /tmp/x.deb\nRUN rm -rf /tmp/x.deb',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM node:20-slim\nCOPY vendor/ /srv/\nRUN rm -rf /srv/x',
      files: { 'vendor/x/a.txt': 'a\n' },
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// A directory COPY filled from the build context brought what the context holds there, and nothing else: deleting a
// path the context does not have (the build made it) deletes nothing the COPY added.
ruleTester.run(rule, {
  valid: [
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nRUN rm -rf build node_modules/.cache',
      files: { 'package.json': '{}\n', 'src/index.js': '\n' },
    },
    {
      code: 'FROM node:20-slim\nCOPY src/ /app/\nRUN rm -rf /app/dist',
      files: { 'src/index.js': '\n' },
    },
    {
      code: 'FROM node:20-slim\nCOPY . /app\nRUN rm -rf /app/tmp/*',
      files: { 'index.js': '\n' },
    },
    {
      code: 'FROM node:20-slim\nCOPY lib ./lib/\nRUN rm -rf lib/generated',
      files: { 'lib/index.js': '\n' },
    },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests',
      files: { 'tests/test_app.py': '\n', 'app.py': '\n' },
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM node:20-slim\nCOPY . /app\nRUN rm -rf /app/docs/*',
      files: { 'docs/a.md': '\n' },
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // A glob in the first name: what it matches is not looked up.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN rm -f *.md',
      files: { 'index.js': '\n' },
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    // Several directories: the path may come from either.
    {
      code: 'FROM node:20-slim\nCOPY src/ lib/ /app/\nRUN rm -rf /app/fixtures',
      files: { 'src/a.js': '\n', 'lib/fixtures/b.json': '{}\n' },
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// A long file: each delete is matched against what is still there (its path, the directories above it, the paths below
// it), wherever in the file that was added. 1,500 RUNs add /opt/pK/lib and /opt/pK/lib/f; 1,500 more, in another
// order, each delete one of them, the directory above or a glob in it; some then delete /opt/pK again, which finds
// /opt/pK/lib only when the first delete left it.
describe('deleted-in-later-layer on a long file', () => {
  it('reports each delete of a path still there against the line that added it', async () => {
    const count = 1500;
    const lines = ['FROM debian:12'];
    const addedAt: number[] = [];
    for (let k = 0; k < count; k += 1) {
      lines.push(`RUN mkdir -p /opt/p${k}/lib && touch /opt/p${k}/lib/f`);
      addedAt.push(lines.length);
    }
    const expected: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const k = (i * 7) % count;
      const kind = i % 3;
      lines.push(
        kind === 0
          ? `RUN rm -f /opt/p${k}/lib/f`
          : kind === 1
            ? `RUN rm -rf /opt/p${k}`
            : `RUN rm -f /opt/p${k}/lib/*.tmp`,
      );
      expected.push(`${lines.length}:${addedAt[k]}`);
      if (i % 5 === 0) {
        lines.push(`RUN rm -rf /opt/p${k}`);
        // Only `rm -f .../lib/f` leaves /opt/pK/lib behind.
        if (kind === 0) expected.push(`${lines.length}:${addedAt[k]}`);
      }
    }
    const findings = lintText(lines.join('\n'), 'Dockerfile', [rule], {}).findings;
    expect(
      findings.map(
        (f) => `${f.location.kind === 'dockerfile' ? f.location.line : 0}:${/line (\d+) added/.exec(f.message)?.[1]}`,
      ),
    ).toEqual(expected);
  });
});

// Review s45: files copied in only for an install to read stay in the COPY's layer, with no delete at all.
ruleTester.run(rule, {
  valid: [
    // Mounted for the one RUN: never in a layer.
    'FROM python:3.12-slim AS builder\nRUN pip wheel --wheel-dir /wheels flask==3.0.3\nFROM python:3.12-slim\nRUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install --no-index /wheels/*',
    // A builder stage: its layers do not ship.
    'FROM debian:12-slim AS build\nCOPY pkg.deb /tmp/pkg.deb\nRUN apt-get install -y /tmp/pkg.deb && make\nFROM debian:12-slim\nCOPY --from=build /usr/local/bin/app /usr/local/bin/app',
    // Installed from an index, or a project directory the image may run from.
    'FROM python:3.12-slim\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt',
    'FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app',
    // A package file picked out of a directory copied for more.
    'FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app/dist/app-1.0-py3-none-any.whl',
    // A step between them may read the files too.
    'FROM debian:12-slim\nCOPY pkg.deb /tmp/pkg.deb\nRUN sha256sum -c /tmp/pkg.deb.sha256\nRUN apt-get install -y /tmp/pkg.deb',
    // A variable lint cannot resolve.
    'FROM debian:12-slim\nCOPY pkg.deb /tmp/pkg.deb\nRUN apt-get install -y "$PKG"',
    // A source the context shows is a directory, though named like a package: the COPY put its contents into /tmp, not
    // a /tmp/x.deb for the install to read (nor would a mount of it be a file to install).
    {
      code: 'FROM debian:12-slim\nWORKDIR /tmp\nCOPY x.deb .\nRUN apt-get install -y ./x.deb',
      files: { 'x.deb/readme.txt': '\n' },
    },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim AS builder\nRUN pip wheel --no-cache-dir --wheel-dir /wheels flask==3.0.3\nFROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCMD ["flask"]',
      errors: [
        {
          messageId: 'copiedToInstall',
          line: 5,
          message:
            '`pip` installs from `/wheels/*`, which line 4 copied in only for this: the copied files stay in that layer after the install; read them in this RUN through `RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels` (BuildKit) instead of copying them.',
        },
      ],
    },
    {
      code: 'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels flask==3.0.3',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    {
      code: 'FROM debian:12-slim\nCOPY pkg.deb /tmp/\nRUN apt-get install -y --no-install-recommends /tmp/pkg.deb',
      errors: [
        {
          messageId: 'copiedToInstall',
          message:
            '`apt-get` installs from `/tmp/pkg.deb`, which line 2 copied in only for this: the copied files stay in that layer after the install; read them in this RUN through `RUN --mount=type=bind,source=pkg.deb,target=/tmp/pkg.deb` (BuildKit) instead of copying them.',
        },
      ],
    },
    {
      code: 'FROM fedora:40\nWORKDIR /tmp\nCOPY x.rpm .\nRUN dnf install -y ./x.rpm',
      errors: [{ messageId: 'copiedToInstall', line: 4 }],
    },
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY app-1.0-py3-none-any.whl .\nRUN pip install app-1.0-py3-none-any.whl',
      errors: [{ messageId: 'copiedToInstall', line: 4 }],
    },
    {
      code: 'FROM node:20-slim\nCOPY lib-1.0.0.tgz /tmp/\nRUN npm install -g /tmp/lib-1.0.0.tgz',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    {
      code: 'FROM debian:12-slim\nCOPY pkg.deb /tmp/pkg.deb\nRUN dpkg -i /tmp/pkg.deb',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    // Review s45: after the install only what names the files (or reaches them by its arguments) keeps them needed.
    {
      code: 'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels flask\nRUN python3 -m compileall /app',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    // Review s45: a later stage not built from this one does not see its files.
    {
      code: 'FROM debian:12-slim AS app\nCOPY pkg.deb /tmp/pkg.deb\nRUN dpkg -i /tmp/pkg.deb\nFROM debian:12-slim AS tools\nRUN dpkg -i /tmp/pkg.deb\nFROM app\nCMD ["app"]',
      errors: [{ messageId: 'copiedToInstall', line: 3 }],
    },
    // Deleted in the same RUN: the delete's finding, once, with the bind mount that keeps the file out of every layer
    // (task lintfix2 item 2: it advised deleting in the step that creates it, which is the COPY, or an earlier stage).
    {
      code: 'FROM debian:12-slim\nCOPY pkg.deb /tmp/pkg.deb\nRUN apt-get install -y /tmp/pkg.deb && rm /tmp/pkg.deb',
      errors: [
        {
          messageId: 'deletedAfterInstall',
          line: 3,
          message:
            'Deleting `/tmp/pkg.deb` here does not shrink the image: line 2 copied it in only for `apt-get` to install from, and its bytes stay in that layer; read it in this RUN through `RUN --mount=type=bind,source=pkg.deb,target=/tmp/pkg.deb` (BuildKit) instead of copying it, and drop the delete.',
        },
      ],
    },
    {
      code: 'FROM debian:12-slim\nCOPY vendor/x.deb /tmp/\nRUN dpkg -i /tmp/x.deb && rm -rf /tmp/*',
      errors: [{ messageId: 'deletedAfterInstall', line: 3 }],
    },
    // A step between them reads the file too: the COPY is needed, and the delete still does not shrink the image.
    {
      code: 'FROM debian:12-slim\nCOPY pkg.deb /tmp/pkg.deb\nRUN sha256sum /tmp/pkg.deb\nRUN apt-get install -y /tmp/pkg.deb && rm /tmp/pkg.deb',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
  ],
});

ruleTester.run(rule, {
  valid: [
    // Review s45: read again after the install (a second install from the same directory, a stage built from this one
    // or copying from it): the copy is needed, and a bind mount for the first RUN alone would break the build.
    'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels flask\nRUN pip install --no-index --find-links=/wheels gunicorn',
    'FROM debian:12-slim AS base\nCOPY pkg.deb /tmp/pkg.deb\nRUN dpkg -i /tmp/pkg.deb\nFROM base\nRUN dpkg -i /tmp/pkg.deb',
    'FROM debian:12-slim AS base\nCOPY pkg.deb /tmp/pkg.deb\nRUN dpkg -i /tmp/pkg.deb\nFROM base AS app\nFROM debian:12-slim AS extra\nCOPY --from=app /tmp/pkg.deb /pkg.deb\nFROM app\nCOPY --from=extra /pkg.deb /pkg.deb',
  ],
  invalid: [],
});

// Review s45 (lintfix1): yum/dnf cache where the base image says they do (see rpmFamilyOf): yum is dnf on EL 8 and
// later (/var/cache/dnf), and dnf is dnf5 on Fedora 41 and later (/var/cache/libdnf5). A later delete of a directory
// the install did not fill frees nothing, and leaves nothing of its layer behind either.
ruleTester.run(rule, {
  valid: [
    'FROM rockylinux:9\nRUN yum install -y httpd-2.4.62\nRUN rm -rf /var/cache/yum',
    'FROM fedora:41\nRUN dnf install -y httpd-2.4.62\nRUN rm -rf /var/cache/dnf',
    'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5\nRUN microdnf install -y httpd\nRUN rm -rf /var/cache/dnf',
    // s46 (lintfix3): on a base that does not tell, dnf still never fills /var/cache/yum, nor microdnf /var/cache/dnf.
    'FROM example.com/team/base:1\nRUN dnf install -y httpd\nRUN rm -rf /var/cache/yum',
    'FROM example.com/team/minimal:1\nRUN microdnf install -y httpd\nRUN rm -rf /var/cache/dnf',
  ],
  invalid: [
    {
      code: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.62\nRUN rm -rf /var/cache/dnf',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM fedora:41\nRUN dnf install -y httpd-2.4.62\nRUN rm -rf /var/cache/libdnf5',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5\nRUN microdnf install -y httpd\nRUN rm -rf /var/cache/yum',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // A base that does not tell: wherever the program caches on one that does (yum: any of the three; dnf: dnf 4's and
    // dnf5's; microdnf: /var/cache/yum and dnf5's).
    {
      code: 'FROM example.com/team/base:1\nRUN yum install -y httpd\nRUN rm -rf /var/cache/yum',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM example.com/team/base:1\nRUN dnf install -y httpd\nRUN rm -rf /var/cache/libdnf5',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM example.com/team/minimal:1\nRUN microdnf install -y httpd\nRUN rm -rf /var/cache/yum',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // dnf5's `clean all` empties /var/cache/libdnf5, not what the RUN wrote into /var/cache/dnf.
    {
      code: 'FROM fedora:41\nRUN curl -fsSo /var/cache/dnf/mirror.txt https://example.com/m && dnf clean all\nRUN rm -rf /var/cache/dnf',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// A COPY into `/` may hold any absolute path: what the build context holds under it was brought there (the root once
// overlapped no path but itself, so these deletes went unseen).
ruleTester.run(rule, {
  valid: [{ code: 'FROM debian:12\nCOPY . /\nRUN rm -rf /tmp/x', files: { 'index.js': '\n' } }],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY . /\nRUN rm -rf /build',
      files: { 'build/out.bin': 'x' },
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /\nRUN rm -rf /opt/app/cache',
      files: { 'opt/app/cache/a': 'x' },
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// The delete is blamed on the step that wrote the path, then on the deepest directory copied above it, then on the
// latest: a COPY into `/` or `/var/` overlaps every path below it, and as the earliest match it took the blame for the
// lists the install wrote.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY --from=busybox:1 /bin/ /\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [
        {
          messageId: 'deletedLater',
          line: 4,
          message:
            'Deleting `/var/lib/apt/lists/*` here does not shrink the image: line 3 added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY --from=busybox:1 /bin/ /var/\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [
        {
          messageId: 'deletedLater',
          line: 4,
          message:
            'Deleting `/var/lib/apt/lists/*` here does not shrink the image: line 3 added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY . /\nCOPY dist/ /build/\nRUN rm -rf /build/x',
      files: { 'build/x/a': 'a', 'dist/x/b': 'b' },
      errors: [
        {
          messageId: 'deletedLater',
          line: 4,
          message:
            'Deleting `/build/x` here does not shrink the image: line 3 added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY a/ /srv/\nCOPY b/ /srv/\nRUN rm -rf /srv/x',
      files: { 'a/x/1': '1', 'b/x/2': '2' },
      errors: [
        {
          messageId: 'deletedLater',
          line: 4,
          message:
            'Deleting `/srv/x` here does not shrink the image: line 3 added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
        },
      ],
    },
  ],
});

// Content lint cannot look in (another image, an archive, no context) copied into `/` or a directory base images have
// is no sign that a path below was its: the base image most likely had it (`/usr/share/doc`, the apt lists). In a stage
// built FROM scratch everything came from this file; in a directory of the project's own it may well have come along.
ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY --from=busybox:1 /bin/ /\nRUN rm -rf /usr/share/doc',
    'FROM debian:12\nCOPY --from=busybox:1 /bin/ /var/\nRUN rm -rf /var/lib/apt/lists/*',
    // A directory source's files go below the destination: /usr/local/out is none of them.
    'FROM debian:12 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out/ /usr/local/\nRUN rm -rf /usr/local/out',
    'FROM debian:12\nRUN curl -fsSL https://example.com/a.tgz | tar -xz -C /\nRUN rm -rf /usr/share/doc',
    'FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /usr/local\nRUN rm -rf /usr/local/share/man',
    'FROM debian:12\nADD rootfs.tar.gz /\nRUN rm -rf /usr/share/doc',
    'FROM debian:12\nCOPY . /\nRUN rm -rf /usr/share/doc',
  ],
  invalid: [
    {
      code: 'FROM scratch\nADD rootfs.tar.gz /\nRUN rm -rf /usr/share/doc',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nCOPY --from=ghcr.io/acme/app:1 /srv/app/ /app/\nRUN rm -rf /app/tests',
      errors: [{ messageId: 'copiedFromStage', line: 3 }],
    },
    // So does a cp or mv into one: it was missed.
    {
      code: 'FROM debian:12\nRUN cp -r /usr/share/doc /usr/local/\nRUN rm -rf /usr/local/doc',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // A download into a base image's directory names its file there (wget -P, curl --output-dir): it was missed.
    {
      code: 'FROM debian:12\nRUN wget -P /tmp https://e.com/x.tgz\nRUN rm /tmp/x.tgz',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSLO --output-dir /tmp https://e.com/y.tgz\nRUN rm /tmp/y.tgz',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // A file another stage's COPY put into a base image's directory is still the one it named (it was missed).
    {
      code: 'FROM debian:12\nADD https://example.com/dl/app.tar.gz?v=1 /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\nRUN rm /tmp/app.tar.gz',
      errors: [{ messageId: 'deletedLater', line: 4 }],
    },
    {
      code: 'FROM debian:12 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out/app.tar.gz /tmp/\nRUN rm /tmp/app.tar.gz',
      errors: [{ messageId: 'copiedFromStage', line: 5 }],
    },
    {
      code: 'FROM debian:12 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out/app /usr/local/bin/\nRUN rm /usr/local/bin/app',
      errors: [{ messageId: 'copiedFromStage', line: 5 }],
    },
    {
      code: 'FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/app\nRUN rm -rf /opt/app/docs',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// With no context to look in, a source copied into a directory base images have (`/tmp/`) is taken to hold only the
// file named after it: what else is below the directory was most likely the base image's.
ruleTester.run(rule, {
  valid: ['FROM debian:12\nCOPY app-1.0.tar.gz /tmp/\nRUN rm -rf /tmp/other'],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY app-1.0.tar.gz /tmp/\nRUN tar -xzf /tmp/app-1.0.tar.gz -C /opt && rm /tmp/app-1.0.tar.gz',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

// A `for NAME in WORDS` loop deletes each word's path (as DF019 reads its downloads); after the
// loop, or in a loop whose words are not plain, the variable is not known.
ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY a.tgz /tmp/a\nRUN for f in b c; do rm /tmp/$f; done',
    'FROM debian:12\nCOPY a.tgz /tmp/a\nRUN for f in "$LIST"; do rm /tmp/$f; done',
    // Each pass deletes what it wrote itself.
    'FROM debian:12\nCOPY a.tgz /tmp/a\nRUN for f in a b; do curl -fsSLo /tmp/$f https://x/$f && rm /tmp/$f; done',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY a.tgz /tmp/a\nRUN for f in a b; do rm /tmp/$f; done',
      errors: [
        {
          messageId: 'deletedLater',
          line: 3,
          message:
            'Deleting `/tmp/a` here does not shrink the image: line 2 added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY docs /opt/x/docs\nRUN for d in man docs; do rm -rf "/opt/x/${d}"; done',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
    // The loop's delete removes what it names: a later delete of the same path deletes nothing more.
    {
      code: 'FROM debian:12\nCOPY a.tgz /tmp/a\nRUN for f in a b; do rm /tmp/$f; done\nRUN rm -f /tmp/a',
      errors: [{ messageId: 'deletedLater', line: 3 }],
    },
  ],
});

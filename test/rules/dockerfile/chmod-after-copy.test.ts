import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/chmod-after-copy.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY --chmod=755 run.sh /usr/local/bin/run.sh',
    'FROM debian:12\nRUN curl -o /usr/local/bin/x https://x && chmod +x /usr/local/bin/x',
    'FROM debian:12\nCOPY app /app\nRUN chmod +x /usr/local/bin/other',
    // Without -R only the directory entry changes, not the files the COPY wrote into it.
    { code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app', files: { 'app/config.yaml': 'a: 1\n' } },
    { code: 'FROM debian:12\nCOPY app /app\nRUN chown 1000:1000 /app', files: { 'app/sub/data.txt': 'x' } },
    'FROM debian:12\nCOPY . /app\nRUN chmod 755 /app',
    'FROM debian:12\nCOPY a.sh b.sh /app/\nRUN chown 1000 /app/',
    'FROM debian:12\nCOPY run.sh /app/run.sh\nRUN chmod 755 /app',
    // With no build context, a source named like a file adds that one file to the directory (task lintfix2 item 1).
    'FROM debian:12\nCOPY bin/entrypoint.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/other',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY run.sh /usr/local/bin/run.sh\nRUN chmod +x /usr/local/bin/run.sh',
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    { code: 'FROM debian:12\nCOPY . /app\nRUN chown -R app:app /app', errors: [{ messageId: 'afterCopy', line: 3 }] },
    // A file, or a source the context does not show (stdin): the change copies the file.
    {
      code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app',
      files: { app: '#!/bin/sh\n' },
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    { code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app', errors: [{ messageId: 'afterCopy', line: 3 }] },
    // Relative paths resolve against WORKDIR.
    {
      code: 'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN chmod 0640 data/model.bin',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
  ],
});

// Bug hunt "precision" item 2: what no COPY wrote is not a second copy.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    // node_modules came from npm ci, not from the COPY of two files into /app: the advice is that RUN, not the COPY.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nRUN chown -R node:node /app/node_modules\nUSER node\nCMD ["node", "index.js"]',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
      errors: [{ messageId: 'afterRun', line: 5 }],
    },
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN chown node:node package.json',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
      errors: [{ messageId: 'afterCopy', line: 4 }],
    },
  ],
});

// Bug hunt "precision" item 2: what the RUN created itself is not a second copy; every COPY reached is named.
ruleTester.run(rule, {
  valid: [
    // The same RUN makes /app/data before changing its owner.
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt && mkdir -p /app/data && chown -R 10001:10001 /app/data\nUSER 10001\nCMD ["python", "app.py"]',
  ],
  invalid: [
    // What the RUN created is only /app/logs; the change reaches all of /app, which `COPY . /app` wrote.
    {
      code: 'FROM python:3.12-slim\nCOPY . /app\nRUN mkdir -p /app/logs && chown -R 10001:10001 /app',
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    // The change comes before the RUN's own mkdir: it reaches what `COPY . /app` put in /app/data.
    {
      code: 'FROM python:3.12-slim\nCOPY . /app\nRUN chown -R 10001:10001 /app/data && mkdir -p /app/data',
      errors: [{ messageId: 'afterCopyPart', line: 3 }],
    },
    // Every COPY whose files the change duplicates is named: moving it onto line 2 alone leaves line 3's.
    {
      code: 'FROM php:8.3-apache\nCOPY vendor/ /var/www/html/vendor/\nCOPY . /var/www/html/\nRUN chown -R www-data:www-data /var/www/html\nUSER www-data',
      errors: [
        {
          messageId: 'afterCopy',
          line: 4,
          message:
            '`chown` on `/var/www/html` changes files that lines 2 and 3 copied in: the layer stores a second full copy of every file touched; use `COPY --chown=...` on lines 2 and 3 instead.',
        },
      ],
    },
    // The change after an ADD moves onto that ADD: COPY cannot fetch a URL (nor unpack a local archive as ADD does).
    {
      code: 'FROM debian:12-slim\nARG TINI_VERSION=v0.19.0\nADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini\nRUN chmod +x /tini\nENTRYPOINT ["/tini", "--"]',
      errors: [
        {
          messageId: 'afterCopy',
          line: 4,
          message:
            '`chmod` on `/tini` changes files that line 3 copied in: the layer stores a second full copy of every file touched; use `ADD --chmod=...` on line 3 instead.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nADD https://example.com/app.tar.gz /app/\nRUN useradd app && chown -R app:app /app',
      errors: [
        {
          messageId: 'afterCopyNewOwner',
          line: 3,
          message:
            '`chown` on `/app` changes files that line 2 copied in: the layer stores a second full copy of every file touched; create `app` before line 2 and use `ADD --chown=...` there instead.',
        },
      ],
    },
    // A COPY and an ADD: each keeps its own keyword.
    {
      code: 'FROM debian:12\nCOPY app /app\nADD https://example.com/tool /app/tool\nRUN chmod -R 755 /app',
      errors: [
        {
          messageId: 'afterCopy',
          line: 4,
          message:
            '`chmod` on `/app` changes files that lines 2 and 3 copied in: the layer stores a second full copy of every file touched; use `COPY --chmod=...` on line 2 and `ADD --chmod=...` on line 3 instead.',
        },
      ],
    },
    // `-gusers` is `-g users`: its last letter is no `-s` taking the name `web` as a shell.
    {
      code: 'FROM debian:12\nCOPY app /app\nRUN useradd -gusers web && chown -R web /app',
      errors: [
        {
          messageId: 'afterCopyNewOwner',
          message:
            '`chown` on `/app` changes files that line 2 copied in: the layer stores a second full copy of every file touched; create `web` before line 2 and use `COPY --chown=...` there instead.',
        },
      ],
    },
    {
      code: 'FROM alpine:3.20\nCOPY app /app\nRUN addgroup -S web && chgrp -R web /app',
      errors: [
        {
          messageId: 'afterCopyNewOwner',
          message:
            '`chown` on `/app` changes files that line 2 copied in: the layer stores a second full copy of every file touched; create `web` before line 2 and use `COPY --chown=...` there instead.',
        },
      ],
    },
  ],
});

// After a `cd` in the RUN a relative path is not the WORKDIR's (lint does not follow where it went), neither a target
// nor what the RUN created itself.
ruleTester.run(rule, {
  valid: [
    // The chmod is of /tmp/run.sh, not of the /app/run.sh line 3 copied.
    'FROM debian:12\nWORKDIR /app\nCOPY run.sh run.sh\nRUN cd /tmp && chmod +x run.sh',
  ],
  invalid: [
    // The RUN made /tmp/conf, not /app/conf: the change reaches what `COPY . .` put in /app/conf.
    {
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN cd /tmp && mkdir conf && chmod -R 755 /app/conf',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
  ],
});

// A path under a destination the COPY filled from the build context came from the same place in the context: where the
// context has nothing, a later step made it. A RUN after the COPY that wrote the very path changes its own file.
ruleTester.run(rule, {
  valid: [
    // The corpus's bloated image: data/model.bin is generated by line 4, the context's data/ holds only README.md.
    {
      code: 'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN python3 tools/gen_model.py --size-mib 32 data/model.bin\nRUN chmod 0640 data/model.bin',
      files: { 'data/README.md': '# data\n', 'tools/gen_model.py': 'print()\n' },
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN chown -R app:app /app/node_modules',
      files: { 'package.json': '{}\n' },
    },
    {
      code: 'FROM debian:12\nCOPY src/ /app/\nRUN chmod +x /app/run.sh',
      files: { 'src/main.py': 'print()\n', 'run.sh': '#!/bin/sh\n' },
    },
    // Downloaded, or written by a redirect, after the COPY: the change is to that RUN's file.
    'FROM debian:12\nCOPY . /app\nRUN curl -fsSLo /app/bin/tool https://example.com/tool\nRUN chmod +x /app/bin/tool',
    'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN echo "#!/bin/sh" > start.sh\nRUN chmod -R 755 start.sh',
    // Without -R the change touches the one entry the later `cp` wrote there.
    'FROM debian:12\nCOPY . /app\nRUN cp /etc/hosts /app/hosts\nRUN chmod 644 /app/hosts',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN chmod 0640 data/model.bin',
      files: { 'data/model.bin': 'x' },
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
    // The context's `data` may hold what a recursive change reaches.
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN chown -R app:app /app/data/models',
      files: { 'data/models/a.bin': 'x' },
      errors: [{ messageId: 'afterCopyPart', line: 3 }],
    },
    // The download came before the COPY, which may have replaced it.
    {
      code: 'FROM debian:12\nRUN curl -fsSLo /app/bin/tool https://example.com/tool\nCOPY . /app\nRUN chmod +x /app/bin/tool',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
    // `mkdir -p` of a copied directory and `cp` into one leave the COPY's files in it.
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN mkdir -p /app/data\nRUN chown -R app:app /app/data',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN cp /etc/hosts /app/conf\nRUN chmod -R 755 /app/conf',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
  ],
});

// A heredoc COPY writes its body as one file at the destination, as a single-file COPY does; `COPY --chmod` takes it too
// (BuildKit's 1.4+ syntax).
ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY --chmod=755 <<EOF /app/run.sh\n#!/bin/sh\necho hi\nEOF',
    // Without -R the change of the directory touches its entry alone, not the file the heredoc wrote into it.
    'FROM debian:12\nCOPY <<EOF /app/\nhi\nEOF\nRUN chmod 755 /app',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY <<EOF /app/run.sh\n#!/bin/sh\necho hi\nEOF\nRUN chmod +x /app/run.sh',
      errors: [
        {
          messageId: 'afterCopy',
          line: 6,
          message:
            '`chmod` on `/app/run.sh` changes files that line 2 copied in: the layer stores a second full copy of every file touched; use `COPY --chmod=...` on line 2 instead.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY <<EOF /usr/local/bin/run.sh\n#!/bin/sh\nEOF\nRUN chmod 755 /usr/local/bin/run.sh',
      errors: [{ messageId: 'afterCopy', line: 5 }],
      unsafeOutput: 'FROM debian:12\nCOPY --chmod=755 <<EOF /usr/local/bin/run.sh\n#!/bin/sh\nEOF\n',
    },
  ],
});

// Review s43 item 3: a change of some paths below a directory a COPY wrote costs those paths' bytes only, and `--chown`
// on that whole COPY would hand every copied file to the owner (the Rails template keeps its code root's on purpose).
ruleTester.run(rule, {
  valid: [],
  invalid: [
    // The Rails 7.1 template: the user the chown names is created by the same RUN, after the COPY.
    {
      code: [
        'FROM ruby:3.2-slim AS build',
        'WORKDIR /rails',
        'FROM ruby:3.2-slim',
        'WORKDIR /rails',
        'COPY --from=build /rails /rails',
        'RUN useradd rails --create-home && chown -R rails:rails db log storage tmp',
        'USER rails:rails',
      ].join('\n'),
      errors: [
        {
          messageId: 'afterCopyPartNewOwner',
          line: 6,
          message:
            '`chown` on `db`, `log`, `storage` and `tmp` changes part of what line 5 copied in: the layer stores a second copy of those files only; to avoid it, create `rails` in an earlier RUN, copy them in a separate `COPY --chown=...` and leave them out of line 5, or accept the cost.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN chmod +x /app/bin/run.sh',
      errors: [
        {
          messageId: 'afterCopyPart',
          line: 3,
          message:
            '`chmod` on `/app/bin/run.sh` changes part of what line 2 copied in: the layer stores a second copy of those files only; to avoid it, copy it in a separate `COPY --chmod=...` and leave it out of line 2, or accept the cost.',
        },
      ],
    },
    // A glob below the destination is part of it too.
    {
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN chmod +x /app/*.sh',
      errors: [{ messageId: 'afterCopyPart', line: 4 }],
    },
    // The whole destination: `--chown` on that COPY is the fix.
    {
      code: 'FROM ruby:3.2-slim\nCOPY --from=build /rails /rails\nRUN useradd rails && chown -R rails:rails /rails',
      errors: [
        {
          messageId: 'afterCopyNewOwner',
          line: 3,
          message:
            '`chown` on `/rails` changes files that line 2 copied in: the layer stores a second full copy of every file touched; create `rails` before line 2 and use `COPY --chown=...` there instead.',
        },
      ],
    },
  ],
});

// Review s45: a recursive change of what an earlier RUN wrote (an unpacked archive, an install into the WORKDIR) stores
// every file again, as after a COPY; the change belongs at the end of that RUN.
ruleTester.run(rule, {
  valid: [
    // The RUN made the directory itself before changing it.
    'FROM ubuntu:24.04\nRUN mkdir -p /opt/r && curl -fsSL https://example.com/big.tar.gz | tar -xz -C /opt/r && chown -R 1000:1000 /opt/r',
    // Only empty directories before: nothing to store twice.
    'FROM ubuntu:24.04\nRUN mkdir -p /opt/r\nRUN chown -R 1000:1000 /opt/r',
    // Without -R only the directory's own entry changes.
    'FROM ubuntu:24.04\nRUN curl -fsSL https://example.com/big.tar.gz | tar -xz -C /opt/r\nRUN chown 1000:1000 /opt/r',
    // A variable lint cannot resolve: where the RUN wrote is not known.
    'FROM ubuntu:24.04\nRUN curl -fsSL https://example.com/big.tar.gz | tar -xz -C "$DEST"\nRUN chown -R 1000:1000 /opt/r',
    // The writing RUN removed it again.
    'FROM ubuntu:24.04\nRUN git clone https://example.com/x/src.git /src && make -C /src install && rm -rf /src\nRUN chown -R 1000 /src',
    // Another directory than the one written.
    'FROM ubuntu:24.04\nRUN unzip -q /tmp/a.zip -d /opt/a\nRUN chown -R 1000 /opt/b',
    // A builder stage: its layers do not ship.
    'FROM node:20 AS build\nWORKDIR /app\nRUN npm ci\nRUN chown -R node /app\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html',
    // npm with --prefix, and yarn (Yarn 2+ may write no node_modules), install elsewhere or maybe nothing here.
    'FROM node:20\nWORKDIR /app\nRUN npm ci --prefix /srv\nRUN chown -R node /app',
    'FROM node:20\nWORKDIR /app\nRUN yarn install\nRUN chown -R node /app',
    // A file the RUN wrote by a redirect: `-R` on one file is that file's change alone.
    'FROM debian:12\nRUN echo "#!/bin/sh" > /start.sh\nRUN chmod -R 755 /start.sh',
    // Review s45: what the RUN wrote under a mount is in the mount, not in its layer (a relative target is the
    // WORKDIR's).
    'FROM node:20-alpine\nWORKDIR /app\nRUN --mount=type=cache,target=/app/node_modules npm ci\nRUN chown -R node /app',
    'FROM ubuntu:24.04\nRUN --mount=type=tmpfs,target=/opt/r curl -fsSL https://example.com/big.tar.gz | tar -xz -C /opt/r\nRUN chown -R 1000 /opt/r',
    'FROM debian:12\nWORKDIR /srv\nRUN --mount=type=bind,target=site,rw cp -r /usr/share/doc site\nRUN chown -R www-data site',
  ],
  invalid: [
    {
      code: 'FROM ubuntu:24.04\nRUN mkdir -p /opt/r && curl -fsSL https://example.com/big.tar.gz | tar -xz -C /opt/r\nRUN chown -R 1000:1000 /opt/r',
      errors: [
        {
          messageId: 'afterRun',
          line: 3,
          message:
            '`chown -R` on `/opt/r` changes files that the RUN on line 2 wrote: the layer stores a second copy of every file touched; make the change at the end of that RUN instead.',
        },
      ],
      unsafeOutput:
        'FROM ubuntu:24.04\nRUN mkdir -p /opt/r && curl -fsSL https://example.com/big.tar.gz | tar -xz -C /opt/r \\\n && chown -R 1000:1000 /opt/r',
    },
    // npm ci in the WORKDIR fills /app/node_modules; the change of all of /app stores it again. No fix: an ENV between.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nRUN npm ci --omit=dev\nENV NODE_ENV=production\nRUN chown -R node:node /app',
      errors: [{ messageId: 'afterRun', line: 5 }],
    },
    {
      code: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --target /opt/deps flask\nRUN useradd app && chown -R app:app /opt/deps',
      errors: [
        {
          messageId: 'afterRunNewOwner',
          message:
            '`chown -R` on `/opt/deps` changes files that the RUN on line 2 wrote: the layer stores a second copy of every file touched; create `app` before the RUN on line 2 and make the change at the end of that RUN instead.',
        },
      ],
    },
    {
      code: 'FROM golang:1.22\nWORKDIR /src\nRUN go build -trimpath -o /out/app ./cmd/app\nRUN git clone https://example.com/x/tools.git /out/tools\nRUN chmod -R g=u /out',
      errors: [
        {
          messageId: 'afterRun',
          message:
            '`chmod -R` on `/out` changes files that the RUNs on lines 3 and 4 wrote: the layer stores a second copy of every file touched; make the change at the end of each of them instead.',
        },
      ],
    },
    {
      code: 'FROM ruby:3.3-slim\nWORKDIR /app\nRUN bundle install --path vendor/bundle\nRUN chgrp -R 0 vendor && chmod -R g=u vendor',
      errors: [{ messageId: 'afterRun', line: 4 }],
      unsafeOutput:
        'FROM ruby:3.3-slim\nWORKDIR /app\nRUN bundle install --path vendor/bundle \\\n && chgrp -R 0 vendor && chmod -R g=u vendor',
    },
    // The most common layout: the manifests copied, `npm ci`, then the whole WORKDIR changed. `--chown` on the COPY
    // alone would leave node_modules, the bulk of it, as it was.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nRUN chown -R node:node /app',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
      errors: [
        {
          messageId: 'afterCopyAndRun',
          line: 5,
          message:
            '`chown` on `/app` changes files that line 3 copied in and the RUN on line 4 wrote: the layer stores a second full copy of every file touched; use `COPY --chown=...` on line 3 and make the change at the end of that RUN instead.',
        },
      ],
    },
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --target /app/deps -r requirements.txt\nRUN useradd app && chown -R app:app /app',
      files: { 'requirements.txt': 'flask\n' },
      errors: [
        {
          messageId: 'afterCopyAndRunNewOwner',
          message:
            '`chown` on `/app` changes files that line 3 copied in and the RUN on line 4 wrote: the layer stores a second full copy of every file touched; create `app` before line 3, use `COPY --chown=...` there and make the change at the end of that RUN instead.',
        },
      ],
    },
    // A cache mount elsewhere (npm's download cache) leaves node_modules in the layer.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN chown -R node /app',
      errors: [{ messageId: 'afterRun', line: 4 }],
    },
    // cp -r and mv write their destination; a relative one is the WORKDIR's.
    {
      code: 'FROM debian:12\nWORKDIR /srv\nRUN cp -r /usr/share/doc site\nRUN chown -R www-data site',
      errors: [{ messageId: 'afterRun', line: 4 }],
    },
  ],
});

// Task lintfix2 item 3: a COPY that already has `--chown`/`--chmod` is not told to add it.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM debian:12-slim\nRUN useradd app\nCOPY --chown=app:app app/ /app/\nRUN chown -R app:app /app',
      errors: [
        {
          messageId: 'alreadySet',
          message:
            '`chown` on `/app` sets what line 3 already set with `--chown=app:app`: the layer stores a second full copy of every file touched for no change; drop it.',
        },
      ],
    },
    {
      code: 'FROM debian:12-slim\nCOPY --chmod=0755 bin/ /opt/bin/\nRUN chmod -R 755 /opt/bin',
      errors: [{ messageId: 'alreadySet', line: 3 }],
    },
    // The COPY already set it and a RUN wrote there too: only the RUN's files need the change (it read `use  and`).
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node package.json ./\nRUN npm ci\nRUN chown -R node:node /app',
      errors: [
        {
          messageId: 'afterRun',
          message:
            '`chown -R` on `/app` changes files that the RUN on line 4 wrote: the layer stores a second copy of every file touched; make the change at the end of that RUN instead.',
        },
      ],
    },
    {
      code: 'FROM debian:12-slim\nRUN useradd app\nCOPY --chown=app:app app/ /app/\nRUN chown -R root:root /app',
      errors: [
        {
          messageId: 'afterCopy',
          message:
            '`chown` on `/app` changes files that line 3 copied in: the layer stores a second full copy of every file touched; use `--chown=root:root` on line 3 (it has `--chown=app:app`) instead.',
        },
      ],
    },
    // One COPY has it, one lacks it: only the one that lacks it is told to add it.
    {
      code: 'FROM debian:12-slim\nRUN useradd app\nCOPY --chown=app:app app/ /app/\nCOPY conf/ /app/conf/\nRUN chown -R app:app /app',
      errors: [
        {
          messageId: 'afterCopy',
          message:
            '`chown` on `/app` changes files that lines 3 and 4 copied in: the layer stores a second full copy of every file touched; use `COPY --chown=...` on line 4 instead.',
        },
      ],
    },
    // `--chown` says nothing of the mode: `--chmod` is still what it lacks.
    {
      code: 'FROM debian:12-slim\nRUN useradd app\nCOPY --chown=app:app app/ /app/\nRUN chmod -R 755 /app',
      errors: [
        {
          messageId: 'afterCopy',
          message:
            '`chmod` on `/app` changes files that line 3 copied in: the layer stores a second full copy of every file touched; use `COPY --chmod=...` on line 3 instead.',
        },
      ],
    },
  ],
});

// A COPY into `/` holds any absolute path the build context has under it, and a change of `/` reaches every copy (the
// root once overlapped no path but itself).
ruleTester.run(rule, {
  valid: [{ code: 'FROM debian:12\nCOPY . /\nRUN chmod -R 755 /srv', files: { 'index.js': '\n' } }],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY . /\nRUN chmod -R 755 /build',
      files: { 'build/run.sh': '#!/bin/sh\n' },
      errors: [{ messageId: 'afterCopyPart', line: 3 }],
    },
  ],
});

// What another image brought into `/` or a directory base images have is no sign that a path below was its: the base
// image most likely had it. In a stage built FROM scratch everything came from this file.
ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY --from=busybox:1 /bin/ /\nRUN chmod -R 755 /usr/share/doc',
    'FROM debian:12\nCOPY --from=busybox:1 /bin/ /usr/local/\nRUN chmod -R 755 /usr/local/share/man',
    'FROM debian:12\nCOPY --from=busybox:1 /bin/busybox /usr/local/bin/\nRUN chmod 755 /usr/local/bin/sh',
    'FROM debian:12\nADD https://github.com/acme/tools.git /usr/local/\nRUN chmod -R 755 /usr/local/tools.git',
  ],
  invalid: [
    {
      code: 'FROM scratch\nADD rootfs.tar.gz /\nRUN chmod -R 755 /usr/share/doc',
      errors: [{ messageId: 'afterCopyPart', line: 3 }],
    },
    // The file such a COPY named is still its own (it was missed).
    {
      code: 'FROM debian:12\nADD https://example.com/tool /usr/local/bin/\nRUN chmod +x /usr/local/bin/tool',
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    {
      code: 'FROM debian:12 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out/app /usr/local/bin/\nRUN chmod +x /usr/local/bin/app',
      errors: [{ messageId: 'afterCopy', line: 5 }],
    },
  ],
});

// A recursive change of `/` copies every file of the image into the new layer, the base image's too: `--chown` on the
// COPY would replace no part of that, so the advice is to change less, with no fix.
ruleTester.run(rule, {
  valid: [{ code: 'FROM debian:12\nCOPY app /app\nRUN chown 1000 /', files: { 'app/a': 'x' } }],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY app /app\nRUN chown -R 1000 /',
      files: { 'app/a': 'x' },
      errors: [
        {
          messageId: 'wholeImage',
          line: 3,
          message:
            "`chown -R` on `/` changes every file in the image, not only what line 2 copied in: the layer stores a second copy of the whole filesystem, the base image's files included; change only the paths that need it.",
        },
      ],
      unsafeOutput: 'FROM debian:12\nCOPY app /app\nRUN chown -R 1000 /',
    },
    {
      code: 'FROM debian:12\nCOPY app /app\nCOPY --from=busybox:1 /bin/busybox /bin/busybox\nRUN chmod -R g+w /',
      files: { 'app/a': 'x' },
      errors: [{ messageId: 'wholeImage', line: 4 }],
    },
  ],
});

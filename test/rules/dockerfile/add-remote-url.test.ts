import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/add-remote-url.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nADD --checksum=sha256:abc https://example.com/a.txt /a.txt',
    'FROM debian:12\nADD app.tar.gz /app/',
    // The checksum of a version's file from an ARG set beside the version.
    'FROM debian:12-slim\nARG TINI_VERSION=v0.19.0\nARG TINI_SHA256=93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c\nADD --checksum=sha256:${TINI_SHA256} https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini',
    // The advised form: a checksummed ADD in a scratch stage, unpacked from a bind mount, keeps no archive in the image.
    'FROM scratch AS download\nADD --checksum=sha256:abc https://example.com/s6.tar.xz /s6.tar.xz\nFROM ubuntu:24.04\nRUN --mount=type=bind,from=download,source=/s6.tar.xz,target=/tmp/s6.tar.xz tar -xJf /tmp/s6.tar.xz -C /',
    // A git source whose ref is a full commit sha is pinned: that commit cannot change.
    'FROM debian:12\nADD https://github.com/moby/buildkit.git#4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817 /src',
    'FROM debian:12\nADD https://github.com/moby/buildkit.git#4C6E3A3B4F2A5E4C7D1F0B9A8E7D6C5B4A392817:docs /src',
    'FROM debian:12\nADD https://example.com/r.git#4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a3928174c6e3a3b4f2a5e4c7d1f0b9a /src',
    // A query with a key BuildKit's query form does not have is not read: no advice rather than wrong advice.
    'FROM debian:12\nADD https://github.com/x/bar.git?ref=v1.0&depth=1 /src',
    // Every git source form is pinned by a full commit sha: ssh, git and scp-like URLs whatever their path.
    'FROM debian:12\nADD git@github.com:x/bar.git#4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817 /src',
    'FROM debian:12\nADD ssh://git@host:2222/x/bar#4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817:docs /src',
    'FROM debian:12\nADD git://host/x/bar#4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817 /src',
    // A variable ref whose value is a full commit sha pins the clone (a build arg can change it, as it can any pin).
    'FROM debian:12\nARG SHA=4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817\nADD https://github.com/x/bar.git#${SHA}:docs /src',
    // ADD --unpack (Dockerfile 1.17) unpacks a remote archive itself; with a checksum there is nothing to advise.
    'FROM debian:12\nADD --unpack --checksum=sha256:abc https://example.com/tool.tar.gz /opt/',
    'FROM debian:12\nADD --unpack=true --checksum=sha256:abc https://example.com/tool.tar.gz /opt/',
  ],
  invalid: [
    { code: 'FROM debian:12\nADD https://example.com/node.tar.gz /opt/', errors: [{ messageId: 'archive', line: 2 }] },
    // Unpacked by ADD --unpack, the archive is not kept; its download still wants a checksum.
    {
      code: 'FROM debian:12\nADD --unpack https://example.com/node.tar.gz /opt/',
      errors: [{ messageId: 'unpinned', line: 2 }],
    },
    {
      code: 'FROM debian:12\nADD --unpack=false https://example.com/node.tar.gz /opt/',
      errors: [{ messageId: 'archive', line: 2 }],
    },
    // On a Windows base the Linux advice (FROM scratch, RUN --mount, unzip, /tmp) does not build: cmd with the
    // curl.exe and tar.exe Windows ships, for the formats its tar.exe reads; no command when another SHELL is in
    // effect, the format may not be read, or the URL holds what cmd would read.
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD https://example.com/tool.zip C:/tools/',
      errors: [
        {
          messageId: 'archiveWindows',
          line: 2,
          message:
            'ADD `https://example.com/tool.zip` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, download, unpack and delete it in one RUN, with cmd and the curl.exe and tar.exe of Windows Server 2019 and later: `RUN curl.exe -fsSLo C:\\tool.zip https://example.com/tool.zip && tar.exe -xf C:\\tool.zip -C ... && del C:\\tool.zip`.',
        },
      ],
    },
    {
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nADD "https://example.com/t.tgz?a=1&b=2" C:/t/',
      errors: [
        {
          messageId: 'archiveWindows',
          message:
            'ADD `https://example.com/t.tgz?a=1&b=2` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, download, unpack and delete it in one RUN, with cmd and the curl.exe and tar.exe of Windows Server 2019 and later: `RUN curl.exe -fsSLo C:\\t.tgz "https://example.com/t.tgz?a=1&b=2" && tar.exe -xf C:\\t.tgz -C ... && del C:\\t.tgz`.',
        },
      ],
    },
    ...[
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nADD https://example.com/tool.zip C:/tools/',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD https://example.com/tool.tar.xz C:/tools/',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD https://example.com/tool%201.zip C:/tools/',
    ].map((code) => ({
      code,
      errors: [
        {
          messageId: 'archiveWindows',
          message: `ADD \`${/https:\S+/.exec(code)![0]}\` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, download, unpack and delete it in one RUN.`,
        },
      ],
    })),
    // On a Windows base the checksum advice is a check in a RUN: `ADD --checksum` needs BuildKit, and the classic
    // builder Windows images are mostly built with does not verify it. Every `--checksum` message has its variant.
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD https://example.com/tool.exe C:/tools/',
      errors: [
        {
          messageId: 'unpinnedWindows',
          message:
            "ADD `https://example.com/tool.exe` downloads a file with no checksum: the layer changes whenever the remote file does; download it in a RUN and compare its SHA-256 there (in PowerShell: `if ((Get-FileHash C:\\tool.exe).Hash -ne '<sha256>') { exit 1 }`): `ADD --checksum` needs BuildKit, and Windows images are mostly built with the classic builder.",
        },
      ],
    },
    {
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nARG NODE_VERSION=20.11.0\nADD https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-x64.msi C:/node.msi',
      errors: [
        {
          messageId: 'versionUrlWindows',
          message:
            'ADD `https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-x64.msi` downloads a file with no checksum: `NODE_VERSION` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG NODE_SHA256=...`, changed with the version), download the file in a RUN and compare its SHA-256 with that ARG there (in a servercore stage, as Nano Server has no PowerShell, then COPY --from it; in PowerShell: `if ((Get-FileHash C:\\node-v20.11.0-x64.msi).Hash -ne $env:NODE_SHA256) { exit 1 }`): `ADD --checksum` needs BuildKit, and Windows images are mostly built with the classic builder.',
        },
      ],
    },
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nARG URL=https://example.com/x.msi\nADD ${URL} C:/x.msi',
      errors: [{ messageId: 'wholeUrlWindows' }],
    },
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nARG MIRROR=https://example.com\nADD ${MIRROR}/a%20b.msi C:/x.msi',
      errors: [
        {
          messageId: 'valueUrlWindows',
          message:
            "ADD `${MIRROR}/a%20b.msi` downloads a file with no checksum, and the file can differ with the value of `MIRROR` in its URL: keep its checksum beside that value, download the file in a RUN and compare its SHA-256 there (in PowerShell: `if ((Get-FileHash C:\\download).Hash -ne '<sha256>') { exit 1 }`): `ADD --checksum` needs BuildKit, and Windows images are mostly built with the classic builder.",
        },
      ],
    },
    // PowerShell's image of Nano Server has pwsh: the check runs there.
    {
      code: 'FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022\nADD https://example.com/tool.exe C:/tools/',
      errors: [
        {
          messageId: 'unpinnedWindows',
          message:
            "ADD `https://example.com/tool.exe` downloads a file with no checksum: the layer changes whenever the remote file does; download it in a RUN and compare its SHA-256 there (in PowerShell: `if ((Get-FileHash C:\\tool.exe).Hash -ne '<sha256>') { exit 1 }`): `ADD --checksum` needs BuildKit, and Windows images are mostly built with the classic builder.",
        },
      ],
    },
    // A platform variable's advice (download with RUN and verify each) and a git source's commit pin hold there too.
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD https://example.com/${TARGETARCH}/tool.exe C:/tools/',
      errors: [{ messageId: 'variableUrl' }],
    },
    // The advice needs no download tool in the image and no pipe: the archive is ADDed with a checksum in a scratch
    // stage and unpacked from a bind mount of it, with the command for its own format (`tar -z` reads only gzip). The
    // curl form is the alternative, downloading to a file (a pipe would hide a failed download without pipefail).
    ...[
      ['tool.tar.gz', 'tool.tar.gz', 'tar -xzf FILE -C ...'],
      ['tool.tgz', 'tool.tgz', 'tar -xzf FILE -C ...'],
      ['tool.tar', 'tool.tar', 'tar -xf FILE -C ...'],
      ['tool.tar.xz', 'tool.tar.xz', 'tar -xJf FILE -C ...'],
      ['tool.txz', 'tool.txz', 'tar -xJf FILE -C ...'],
      ['tool.tar.bz2', 'tool.tar.bz2', 'tar -xjf FILE -C ...'],
      ['tool.tbz2', 'tool.tbz2', 'tar -xjf FILE -C ...'],
      ['tool.tar.zst', 'tool.tar.zst', 'tar --zstd -xf FILE -C ...'],
      ['tool.zip', 'tool.zip', 'unzip -q FILE -d ...'],
      ['dl/tool.tar.xz?raw=1', 'tool.tar.xz', 'tar -xJf FILE -C ...'],
      // Extensions are known whatever their case.
      ['tool.TAR.GZ', 'tool.TAR.GZ', 'tar -xzf FILE -C ...'],
      ['tool.Tgz', 'tool.Tgz', 'tar -xzf FILE -C ...'],
      ['TOOL.ZIP', 'TOOL.ZIP', 'unzip -q FILE -d ...'],
      ['tool.tar.lz', 'tool.tar.lz', 'tar --lzip -xf FILE -C ...'],
      ['tool.tar.lzma', 'tool.tar.lzma', 'tar --lzma -xf FILE -C ...'],
      ['tool.tzst', 'tool.tzst', 'tar --zstd -xf FILE -C ...'],
      // A pre-signed URL is one quoted word in the curl form: unquoted, its `&` would send curl to the background.
      ['tool.tar.gz?X-Amz-Signature=abc&X-Amz-Date=1', 'tool.tar.gz', 'tar -xzf FILE -C ...'],
      // A file name that is not a plain word (an unset variable in it) is not written into the mount's paths.
      ['tool-${V}.tar.gz', 'archive.tar.gz', 'tar -xzf FILE -C ...'],
    ].map(([file, name, command]) => {
      const url = `https://example.com/${file}`;
      const unpack = command.replace('FILE', `/tmp/${name}`);
      const shellUrl = /[?&]/.test(url) ? `"${url}"` : url;
      return {
        code: `FROM debian:12\nADD ${url} /opt/`,
        errors: [
          {
            messageId: 'archive' as const,
            message: `ADD \`${url}\` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, with no download tool in the image, ADD it with \`--checksum=sha256:...\` to \`/${name}\` in a stage \`FROM scratch AS download\` and unpack it with \`RUN --mount=type=bind,from=download,source=/${name},target=/tmp/${name} ${unpack}\` (or, with curl installed, \`RUN curl -fsSLo /tmp/${name} ${shellUrl} && ${unpack} && rm /tmp/${name}\`).`,
          },
        ],
      };
    }),
    // A stage's layers end up in the image when a shipping stage COPYs from it or from a stage built on it, not only
    // when it is the final stage.
    ...[
      'FROM alpine AS dl\nADD https://example.com/tool.tar.gz /tool.tar.gz\nFROM debian:12\nCOPY --from=dl /tool.tar.gz /tmp/',
      'FROM alpine AS dl\nADD https://example.com/tool.tar.gz /tool.tar.gz\nFROM dl AS more\nFROM debian:12\nCOPY --from=more / /srv/',
      'FROM alpine AS dl\nADD https://example.com/tool.tar.gz /tool.tar.gz\nFROM debian:12\nCOPY --from=0 /tool.tar.gz /tmp/',
    ].map((code) => ({ code, errors: [{ messageId: 'archive' as const, line: 2 }] })),
    // A git source (an http(s) URL whose path ends in `.git`) is cloned at its ref: a branch or tag can move, and
    // `--checksum=sha256:` does not apply to it; a full commit sha as the ref pins it. The advice keeps the subdir.
    ...[
      ['https://github.com/x/bar.git#v1.0', 'the ref `v1.0`', 'https://github.com/x/bar.git#<full commit sha>'],
      ['https://github.com/x/bar.git', 'its default branch', 'https://github.com/x/bar.git#<full commit sha>'],
      [
        'https://github.com/x/bar.git#main:cmd/tool',
        'the ref `main`',
        'https://github.com/x/bar.git#<full commit sha>:cmd/tool',
      ],
      [
        'https://github.com/x/bar.git#:cmd/tool',
        'its default branch',
        'https://github.com/x/bar.git#<full commit sha>:cmd/tool',
      ],
      ['http://example.com/bar.git#v1-rc', 'the ref `v1-rc`', 'http://example.com/bar.git#<full commit sha>'],
      // BuildKit also clones ssh and git URLs whatever their path, scp-like `user@host:path` sources and schemes in
      // any case: the same advice applies to each.
      ['git@github.com:x/bar.git#v1', 'the ref `v1`', 'git@github.com:x/bar.git#<full commit sha>'],
      ['deploy@git.example.com:x/bar', 'its default branch', 'deploy@git.example.com:x/bar#<full commit sha>'],
      ['ssh://git@host/x/bar.git', 'its default branch', 'ssh://git@host/x/bar.git#<full commit sha>'],
      ['ssh://git@host:2222/x/bar#v1:dir', 'the ref `v1`', 'ssh://git@host:2222/x/bar#<full commit sha>:dir'],
      ['git://host/x/bar', 'its default branch', 'git://host/x/bar#<full commit sha>'],
      ['GIT://host/x/bar#main', 'the ref `main`', 'GIT://host/x/bar#<full commit sha>'],
      ['HTTPS://host/x/bar.git', 'its default branch', 'HTTPS://host/x/bar.git#<full commit sha>'],
      // An all-digit ref reads as a date tag rather than a short sha.
      ['https://github.com/x/bar.git#20240105', 'the ref `20240105`', 'https://github.com/x/bar.git#<full commit sha>'],
    ].map(([url, ref, pinned]) => ({
      code: `FROM debian:12\nADD --keep-git-dir=true ${url} /src`,
      errors: [
        {
          messageId: 'gitRef' as const,
          message: `ADD \`${url}\` clones a git repository at ${ref}, which can be moved to another commit: pin the commit with \`${pinned}\`.`,
        },
      ],
    })),
    // Without --keep-git-dir too.
    {
      code: 'FROM debian:12\nADD ssh://git@host/x/bar.git#v1 /src',
      errors: [{ messageId: 'gitRef', line: 2 }],
    },
    // A short sha is not fetched as a commit (BuildKit looks a ref that is not a full sha up among branches and tags):
    // the advice is the full sha, not that the ref can be moved.
    ...[
      ['http://example.com/bar.git#abc1234', 'abc1234', 'http://example.com/bar.git#<full commit sha>'],
      ['git@github.com:x/bar.git#1A2B3C4D:cmd', '1A2B3C4D', 'git@github.com:x/bar.git#<full commit sha>:cmd'],
    ].map(([url, ref, pinned]) => ({
      code: `FROM debian:12\nADD ${url} /src`,
      errors: [
        {
          messageId: 'gitShortSha' as const,
          message: `ADD \`${url}\` clones a git repository at \`${ref}\`, which looks like a short commit sha, but only a full one is fetched as a commit: pin it with \`${pinned}\`.`,
        },
      ],
    })),
    // A ref that is a variable is the value the build gives it: the message says what pins it, not a literal that
    // would replace the variable. Its default (a tag here) is one value of many.
    ...['${REF}', '$REF:cmd', '${REF:-main}:docs', '${UNSET}'].map((ref) => ({
      code: `FROM debian:12\nARG REF=v1\nADD https://github.com/x/bar.git#${ref} /src`,
      errors: [
        {
          messageId: 'gitVariableRef' as const,
          message: `ADD \`https://github.com/x/bar.git#${ref}\` clones a git repository at the ref that \`${/\w+/.exec(ref)![0]}\` holds, which pins the commit only when it is a full commit sha (a branch or tag can be moved).`,
        },
      ],
    })),
    // A ref made from variables (a tag per version) is pinned by the commit of each value.
    ...[
      ['v${VERSION}', 'the value of `VERSION`', 'that value'],
      ['${NAME}-${VERSION}:src', 'the values of `NAME` and `VERSION`', 'those values'],
    ].map(([ref, values, those]) => ({
      code: `FROM debian:12\nARG VERSION=1.2\nADD git@github.com:x/bar.git#${ref} /src`,
      errors: [
        {
          messageId: 'gitValueRef' as const,
          message: `ADD \`git@github.com:x/bar.git#${ref}\` clones a git repository at a ref made from ${values}, a branch or tag that can be moved to another commit: pin it with its full commit sha, kept beside ${those}.`,
        },
      ],
    })),
    // A variable that is the whole URL decides which file is downloaded, rather than being a part of its URL.
    ...['$URL', '${URL}', '${URL:-https://example.com/tool}'].map((written) => ({
      code: `FROM debian:12\nARG URL=https://example.com/tool\nADD ${written} /usr/local/bin/tool`,
      errors: [
        {
          messageId: 'wholeUrl' as const,
          message: `ADD \`${written}\` downloads a file with no checksum, and the value of \`URL\` decides which file: pin it with \`--checksum=sha256:...\` and keep the checksum beside that value, or download with RUN and verify.`,
        },
      ],
    })),
    {
      code: 'FROM debian:12\nADD https://example.com/a.txt /a.txt',
      errors: [
        {
          messageId: 'unpinned',
          message:
            'ADD `https://example.com/a.txt` downloads a file with no checksum: the layer changes whenever the remote file does; add `--checksum=sha256:...` or download with RUN and verify.',
        },
      ],
    },
    // A platform variable in the URL names another file per platform in one build, and `--checksum` takes one value:
    // the advice is RUN and verify, with the checksum for each value (the platform variable named first, as the one
    // most sure to vary).
    ...[
      [
        'FROM debian:12\nARG TARGETARCH\nARG KUBECTL_VERSION=1.29.3\nADD --chmod=0755 https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl /usr/local/bin/kubectl',
        '`TARGETARCH` and `KUBECTL_VERSION`',
      ],
      [
        'FROM debian:12\nARG BUILDPLATFORM\nADD https://example.com/$BUILDPLATFORM/tool /usr/local/bin/tool',
        '`BUILDPLATFORM`',
      ],
      [
        'FROM debian:12\nARG TARGETOS\nARG TARGETARCH\nARG MIRROR\nADD https://$MIRROR/${TARGETOS}/${TARGETARCH}/tool-${TARGETARCH} /tool',
        '`TARGETOS`, `TARGETARCH` and `MIRROR`',
      ],
    ].map(([code, variable]) => ({
      code,
      errors: [
        {
          messageId: 'variableUrl' as const,
          line: code.split('\n').length,
          message: `ADD \`${/https:\/\/\S+/.exec(code)?.[0]}\` downloads a file with no checksum, and ${variable} in its URL can name another file per platform or build: one \`--checksum\` cannot match them all; download with RUN and verify the checksum for each value.`,
        },
      ],
    })),
    // A variable that names a version picks one file per build: its checksum goes in an ARG set beside it, named
    // after it.
    ...[
      ['GO_VER', 'GO_SHA256'],
      ['TINI_RELEASE', 'TINI_SHA256'],
      ['IMAGE_TAG', 'IMAGE_SHA256'],
      ['NODEVERSION', 'NODESHA256'],
      ['VERSION_NODE', 'VERSION_NODE_SHA256'],
      ['VERSION_DEV', 'VERSION_DEV_SHA256'],
      ['tool_version', 'tool_sha256'],
    ].map(([variable, checksumArg]) => ({
      code: `FROM debian:12\nARG ${variable}\nADD https://example.com/\${${variable}}/tool /usr/local/bin/tool`,
      errors: [
        {
          messageId: 'versionUrl' as const,
          message: `ADD \`https://example.com/\${${variable}}/tool\` downloads a file with no checksum: \`${variable}\` in its URL picks one file per build, so set its checksum in an ARG beside it (\`ARG ${checksumArg}=...\`, changed with the version) and add \`--checksum=sha256:\${${checksumArg}}\`.`,
        },
      ],
    })),
    // A variable that does not name a version (a host, a mirror, a path) may or may not change the file: the advice
    // does not speak of versions, and names every variable of the URL.
    ...[
      [
        'ARG HOST=example.com\nADD https://${HOST}/tool /t',
        'https://${HOST}/tool',
        'the value of `HOST`',
        'that value',
      ],
      [
        'ARG VERSIONED=1\nADD https://example.com/$VERSIONED/tool /t',
        'https://example.com/$VERSIONED/tool',
        'the value of `VERSIONED`',
        'that value',
      ],
      [
        'ARG V2=2\nARG V=1\nADD https://example.com/${V2}/${V}/tool /t',
        'https://example.com/${V2}/${V}/tool',
        'the values of `V2` and `V`',
        'those values',
      ],
      [
        'ARG MIRROR=https://nodejs.org/dist\nARG NODE_VERSION=20.1.0\nADD ${MIRROR}/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64 /n',
        '${MIRROR}/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64',
        'the values of `MIRROR` and `NODE_VERSION`',
        'those values',
      ],
    ].map(([lines, url, values, those]) => ({
      code: `FROM debian:12\n${lines}`,
      errors: [
        {
          messageId: 'valueUrl' as const,
          message: `ADD \`${url}\` downloads a file with no checksum, and the file can differ with ${values} in its URL: pin it with \`--checksum=sha256:...\` and keep the checksum beside ${those}, or download with RUN and verify.`,
        },
      ],
    })),
    {
      code: 'FROM debian:12-slim\nARG TINI_VERSION=v0.19.0\nADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini',
      errors: [
        {
          messageId: 'versionUrl',
          line: 3,
          message:
            'ADD `https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini` downloads a file with no checksum: `TINI_VERSION` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG TINI_SHA256=...`, changed with the version) and add `--checksum=sha256:${TINI_SHA256}`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nARG VERSION\nADD https://example.com/tool-$VERSION /usr/local/bin/tool',
      errors: [
        {
          messageId: 'versionUrl',
          message:
            'ADD `https://example.com/tool-$VERSION` downloads a file with no checksum: `VERSION` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG SHA256=...`, changed with the version) and add `--checksum=sha256:${SHA256}`.',
        },
      ],
    },
  ],
});

// Review s44: BuildKit's query form of a git source (`?ref=`) is read as the fragment is, and `--checksum=sha256:` on a
// git source (which BuildKit refuses: it is for downloads) pins nothing.
const SHA = '4c6e3a3b4f2a5e4c7d1f0b9a8e7d6c5b4a392817';
ruleTester.run(rule, {
  valid: [
    `FROM debian:12\nADD https://github.com/x/bar.git?ref=${SHA} /src`,
    `FROM debian:12\nADD https://github.com/x/bar.git?tag=v1.0&checksum=${SHA}&subdir=docs /src`,
    // A full commit sha as --checksum pins a clone.
    `FROM debian:12\nADD --checksum=${SHA} https://github.com/x/bar.git#v1.0 /src`,
  ],
  invalid: [
    {
      code: 'FROM debian:12\nADD https://github.com/x/bar.git?ref=v1.0 /src',
      errors: [
        {
          messageId: 'gitRef',
          message:
            'ADD `https://github.com/x/bar.git?ref=v1.0` clones a git repository at the ref `v1.0`, which can be moved to another commit: pin the commit with `https://github.com/x/bar.git?ref=<full commit sha>`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nADD https://github.com/x/bar.git?tag=v1.0&subdir=docs /src',
      errors: [
        {
          messageId: 'gitRef',
          message:
            'ADD `https://github.com/x/bar.git?tag=v1.0&subdir=docs` clones a git repository at the ref `v1.0`, which can be moved to another commit: pin the commit with `https://github.com/x/bar.git?ref=<full commit sha>&subdir=docs`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nARG REF=main\nADD https://github.com/x/bar.git?ref=${REF} /src',
      errors: [{ messageId: 'gitVariableRef' }],
    },
    {
      code: 'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://host/x.git#v1 /src',
      errors: [
        {
          messageId: 'gitSha256Checksum',
          message:
            'ADD `https://host/x.git#v1` clones a git repository, which `--checksum=sha256:...` cannot pin: that checksum is for downloaded files, and BuildKit refuses it for a git source; pin the commit with `https://host/x.git#<full commit sha>` (or `--checksum=<full commit sha>`).',
        },
      ],
    },
    // Even at a full sha: the build fails on the checksum.
    {
      code: `FROM debian:12\nADD --checksum=sha256:abc git@github.com:x/bar.git#${SHA}:docs /src`,
      errors: [{ messageId: 'gitSha256Checksum' }],
    },
  ],
});

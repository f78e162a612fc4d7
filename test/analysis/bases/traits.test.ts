// Traits of a base image from metadata only, the family table, the Dockerfile's base and RUN lines, the tag-list
// Link header, and the `bases:` section of .ballast.yaml (the loader and the published JSON Schema agree).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { readBaseFromDockerfile } from '../../../src/analysis/bases/dockerfile.js';
import { familyCandidatesFor, fillTemplate, repositoryName } from '../../../src/analysis/bases/families.js';
import { baseTraits, osFromOsRelease, packageManagerIn } from '../../../src/analysis/bases/traits.js';
import { validateBallastConfig } from '../../../src/config/schema.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import type { ConfigFile } from '../../../src/image/types.js';
import { traitCell } from '../../../src/reporters/bases-view.js';
import { nextLink } from '../../../src/sources/registry/client.js';

const config = (history: string[], c: ConfigFile['config'] = {}): ConfigFile => ({
  architecture: 'amd64',
  os: 'linux',
  config: c,
  rootfs: { type: 'layers', diff_ids: [] },
  history: history.map((created_by) => ({ created_by })),
});

describe('baseTraits', () => {
  it('reads Alpine, musl and apk from the history of an official alpine-based image', () => {
    const t = baseTraits({
      config: config(
        [
          'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit',
          'RUN /bin/sh -c apk add --no-cache libstdc++ # buildkit',
        ],
        { Env: ['NODE_VERSION=20.11.1', 'YARN_VERSION=1.22.19'] },
      ),
      name: 'node:20-alpine',
    });
    expect(t).toEqual({
      os: { value: 'alpine', source: 'history' },
      libc: { value: 'musl', source: 'os' },
      shell: { value: true, source: 'history' },
      packageManager: { value: 'apk', source: 'history' },
      user: '',
      runtimeVersion: { value: '20.11.1', from: 'NODE_VERSION' },
    });
  });
  it('prefers labels and annotations to names', () => {
    const t = baseTraits({
      config: config([], {
        Labels: { 'org.opencontainers.image.vendor': 'Debian' },
        User: 'app',
      }),
      name: 'ghcr.io/org/thing:1',
    });
    expect(t.os).toEqual({ value: 'debian', source: 'label' });
    expect(t.user).toBe('app');
    const u = baseTraits({
      config: config([]),
      annotations: { 'org.opencontainers.image.vendor': 'Ubuntu', 'org.opencontainers.image.version': '24.04' },
      name: 'x:1',
    });
    expect(u.os).toEqual({ value: 'ubuntu', source: 'annotation' });
    expect(u.runtimeVersion).toEqual({ value: '24.04', from: 'org.opencontainers.image.version' });
  });
  it("marks an OS told by the recorded base image's name as a guess, and what follows from it, as the own name's", () => {
    for (const meta of [
      { config: config([], { Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/node:20-alpine' } }) },
      {
        config: config([]),
        annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/node:20-alpine' },
      },
    ]) {
      const t = baseTraits({ ...meta, name: 'ghcr.io/org/thing:1' });
      expect(t.os).toEqual({ value: 'alpine', source: 'base-name' });
      expect(t.libc).toEqual({ value: 'musl', source: 'base-name' });
      expect(t.packageManager).toEqual({ value: 'apk', source: 'base-name' });
      // The table's `?`, as for a guess from the image's own tag; read from a label that describes the image, none.
      expect(traitCell(t.os, String)).toBe('alpine?');
      expect(traitCell(t.libc, String)).toBe('musl?');
    }
    expect(traitCell({ value: 'debian', source: 'label' }, String)).toBe('debian');
  });
  // `slim` in a label (an app titled api-slim) was read as Debian, certain; only a reference's tag says it (python:3-slim).
  it.each([
    [{ Labels: { 'org.opencontainers.image.title': 'api-slim' } }, {}, 'ghcr.io/org/api:1', null],
    [{ Labels: { 'org.opencontainers.image.description': 'the slim build of api' } }, {}, 'api.oci', null],
    [{}, { 'org.opencontainers.image.ref.name': 'slim' }, 'ghcr.io/org/api:1', null],
    [{}, {}, 'ghcr.io/org/api-slim:1', null],
    [{}, {}, '/tmp/slim.oci', null],
    // Code names that are English words say nothing between spaces: a description's "focal point" is no Ubuntu
    [{ Labels: { 'org.opencontainers.image.description': 'a focal point for noble, bionic work' } }, {}, 'x:1', null],
    [{}, {}, 'node:20-slim', { value: 'debian', source: 'name' }],
    [{}, {}, 'python:3.12-slim@sha256:0123', { value: 'debian', source: 'name' }],
    [
      { Labels: { 'org.opencontainers.image.base.name': 'debian:bookworm-slim' } },
      {},
      'ghcr.io/org/api:1',
      { value: 'debian', source: 'base-name' },
    ],
    [{}, { 'org.opencontainers.image.base.name': 'python:3-slim' }, 'x:1', { value: 'debian', source: 'base-name' }],
    [
      { Labels: { 'org.opencontainers.image.title': 'api-slim', 'org.opencontainers.image.vendor': 'Debian' } },
      {},
      'x:1',
      { value: 'debian', source: 'label' },
    ],
  ])('reads the OS of labels %j, annotations %j, name %s as %j', (labels, annotations, name, os) => {
    const t = baseTraits({ config: config(['COPY app /app'], labels), annotations, name });
    expect(t.os).toEqual(os);
    if (!os) expect(t.libc).toBeNull();
  });
  // An Alpine image titled debian-tools was shown as Debian, certain: a word in a title or description is no statement
  // of the OS. It is a guess, as the name's is, and anything read from the image (its history) comes first.
  it.each([
    [{ 'org.opencontainers.image.title': 'debian-tools' }, {}, [], { value: 'debian', source: 'label-text' }],
    [{ 'org.opencontainers.image.description': 'Debian tools' }, {}, [], { value: 'debian', source: 'label-text' }],
    [{ 'io.k8s.display-name': 'Alpine tools' }, {}, [], { value: 'alpine', source: 'label-text' }],
    [{}, { 'org.opencontainers.image.ref.name': 'ubuntu' }, [], { value: 'ubuntu', source: 'label-text' }],
    // Ubuntu between spaces, as a description writes it, was not read at all
    [{ 'org.opencontainers.image.description': 'Ubuntu tools' }, {}, [], { value: 'ubuntu', source: 'label-text' }],
    [{ 'org.opencontainers.image.title': 'based on ubuntu jammy' }, {}, [], { value: 'ubuntu', source: 'label-text' }],
    [
      { 'org.opencontainers.image.title': 'debian-tools' },
      {},
      ['ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit'],
      { value: 'alpine', source: 'history' },
    ],
    [
      { 'org.opencontainers.image.base.name': 'debian:12' },
      {},
      ['ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit'],
      { value: 'alpine', source: 'history' },
    ],
    [
      { 'org.opencontainers.image.title': 'debian-tools', 'org.opencontainers.image.vendor': 'Alpine' },
      {},
      [],
      { value: 'alpine', source: 'label' },
    ],
  ])('reads labels %j, annotations %j, history %j as OS %j', (labels, annotations, history, os) => {
    const t = baseTraits({
      config: config([...history, 'COPY app /app'], { Labels: labels }),
      annotations,
      name: 'x:1',
    });
    expect(t.os).toEqual(os);
    if (os.source === 'label-text') {
      expect(t.libc?.source).toBe('label-text');
      expect(traitCell(t.os, String)).toBe(`${os.value}?`);
    }
  });
  // An image that runs `apk add` but is titled debian-tools was shown as `debian? · glibc? · apk`: a guess from a word
  // or a name gives way to the package manager its history calls, which no OS of another family has. apk is Alpine's and
  // Wolfi's (musl and glibc), apt Debian's and Ubuntu's: the history alone names no one OS, so the OS is unknown.
  it.each([
    [{ 'org.opencontainers.image.title': 'debian-tools' }, 'x:1', 'apk add --no-cache curl', null, 'apk'],
    [{ 'org.opencontainers.image.title': 'alpine-tools' }, 'x:1', 'apt-get install -y curl', null, 'apt'],
    [{ 'org.opencontainers.image.description': 'Alpine tools' }, 'x:1', 'dpkg -i /tmp/a.deb', null, 'apt'],
    [{ 'org.opencontainers.image.title': 'alpine-tools' }, 'x:1', 'dnf install -y curl', null, 'dnf'],
    [{ 'org.opencontainers.image.title': 'ubuntu-tools' }, 'x:1', 'zypper in -y curl', null, 'zypper'],
    [{ 'org.opencontainers.image.base.name': 'node:20-alpine' }, 'x:1', 'apt-get update ', null, 'apt'],
    [{}, 'ghcr.io/org/debian-tools:1', 'apk add curl', null, 'apk'],
    [{}, 'node:20-slim', 'apk add curl', null, 'apk'],
    [{}, 'centos:7', 'apt-get install -y curl', null, 'apt'],
    // The same family: the guess stands.
    [
      { 'org.opencontainers.image.title': 'ubuntu-tools' },
      'x:1',
      'apt-get install -y curl',
      { value: 'ubuntu', source: 'label-text' },
      'apt',
    ],
    [{}, 'cgr.dev/chainguard/wolfi-base', 'apk add curl', { value: 'wolfi', source: 'name' }, 'apk'],
    [{}, 'node:20-alpine', 'apk add curl', { value: 'alpine', source: 'name' }, 'apk'],
    [
      {},
      'registry.example/ubi9-minimal:9',
      'microdnf install -y nodejs',
      { value: 'rhel', source: 'name' },
      'microdnf',
    ],
    [{}, 'centos:7', 'yum install -y curl', { value: 'centos', source: 'name' }, 'yum'],
    [{}, 'amazonlinux:2023', 'dnf install -y curl', { value: 'amazonlinux', source: 'name' }, 'dnf'],
    // A vendor or Red Hat component label says who made an image, which may be the base it was built on (labels are
    // inherited): it gives way as well, since the manager is what the image runs.
    [{ 'org.opencontainers.image.vendor': 'Debian' }, 'x:1', 'apk add curl', null, 'apk'],
    [{ 'com.redhat.component': 'ubi9-minimal-container' }, 'x:1', 'apt-get install -y curl', null, 'apt'],
    // In the manager's family it stands, read from the image.
    [
      { 'org.opencontainers.image.vendor': 'Debian' },
      'x:1',
      'apt-get install -y curl',
      { value: 'debian', source: 'label' },
      'apt',
    ],
    [
      { 'com.redhat.component': 'ubi9-minimal-container' },
      'x:1',
      'microdnf install -y nodejs',
      { value: 'rhel', source: 'label' },
      'microdnf',
    ],
  ])('with labels %j, name %s and RUN %j, reads OS %j beside package manager %s', (labels, name, run, os, pm) => {
    const t = baseTraits({ config: config([`/bin/sh -c ${run}`], { Labels: labels }), name });
    expect(t.os).toEqual(os);
    expect(t.packageManager).toEqual({ value: pm, source: 'history' });
    if (!os) expect(t.libc).toBeNull();
    else expect(t.libc?.value).toBe(os.value === 'alpine' ? 'musl' : 'glibc');
  });
  it("reads the OS from the history when a vendor annotation names another family than the manager's", () => {
    // Given an Alpine image (its rootfs step and `apk add`) whose manifest still carries a vendor annotation of Debian
    const t = baseTraits({
      config: config(['ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit', '/bin/sh -c apk add curl']),
      annotations: { 'org.opencontainers.image.vendor': 'Debian' },
      name: 'x:1',
    });
    // Then the vendor gives way to what the history reads, rather than leaving the OS unknown
    expect(t.os).toEqual({ value: 'alpine', source: 'history' });
    expect(t.libc).toEqual({ value: 'musl', source: 'os' });
  });
  it('marks what only the name suggests, and knows nothing when nothing says', () => {
    const t = baseTraits({ config: config(['COPY x / # buildkit']), name: 'gcr.io/distroless/static-debian12' });
    expect(t.os).toEqual({ value: 'debian', source: 'name' });
    expect(t.shell).toEqual({ value: false, source: 'name' });
    expect(t.packageManager).toEqual({ value: null, source: 'name' });
    const none = baseTraits({ config: config(['COPY app /app']), name: 'ghcr.io/org/app:1' });
    expect([none.os, none.libc, none.shell, none.packageManager]).toEqual([null, null, null, null]);
    // A metadata step recorded behind the shell is not a RUN that ran in it.
    const nop = baseTraits({ config: config(['/bin/sh -ec #(nop) COPY app /app']), name: 'ghcr.io/org/app:1' });
    expect(nop.shell).toBeNull();
  });
  it('sees a shell in a RUN recorded behind several build args, values with spaces and all', () => {
    for (const line of [
      '|2 A=1 B=2 /bin/sh -c make',
      '|2 A=hello world B=x y /bin/sh -c make',
      '|1 FLAGS=-O2 -g /bin/bash -c make',
      // After a SHELL instruction: the flags before -c were not read as a shell once.
      '/bin/sh -ec make',
      '/bin/bash -o pipefail -c make',
      '|1 A=1 /bin/bash -eux -o pipefail -c make',
    ]) {
      expect(baseTraits({ config: config([line]), name: 'ghcr.io/org/thing:1' }).shell).toEqual({
        value: true,
        source: 'history',
      });
    }
  });
  it('takes the family table over guesses', () => {
    const [distroless] = familyCandidatesFor('node:20');
    const t = baseTraits({
      config: config([], { User: '65532' }),
      name: 'gcr.io/distroless/nodejs20-debian12',
      family: distroless,
    });
    expect(t).toMatchObject({
      shell: { value: false, source: 'family' },
      packageManager: { value: null, source: 'family' },
      libc: { value: 'glibc', source: 'family' },
      user: '65532',
    });
  });
  it('finds the package manager a command line calls', () => {
    expect(packageManagerIn('/bin/sh -c apt-get update && apt-get install -y curl')).toBe('apt');
    expect(packageManagerIn('RUN |1 X=y /bin/sh -c microdnf install -y nodejs')).toBe('microdnf');
    expect(packageManagerIn('COPY package.json /app/')).toBeUndefined();
  });
});

describe('family table', () => {
  it('matches repositories as Docker names them and fills version fields', () => {
    expect(repositoryName('node:20')).toBe('node');
    expect(repositoryName('docker.io/library/node:20')).toBe('node');
    expect(repositoryName('127.0.0.1:5000/lib/node:20')).toBe('127.0.0.1:5000/lib/node');
    expect(familyCandidatesFor('docker.io/library/node').map((c) => c.family)).toEqual([
      'distroless',
      'chainguard',
      'ubi-minimal',
    ]);
    expect(familyCandidatesFor('ghcr.io/org/node')).toEqual([]);
    expect(fillTemplate('gcr.io/distroless/nodejs{major}-debian12', { major: '20' })).toBe(
      'gcr.io/distroless/nodejs20-debian12',
    );
    expect(fillTemplate('gcr.io/distroless/nodejs{major}-debian12', {})).toBeUndefined();
  });
  it('puts configured families first, and can leave the built-in ones out', () => {
    const extra = [
      { repositories: ['node'], candidates: [{ family: 'internal', image: 'registry.example.com/node{major}' }] },
    ];
    expect(familyCandidatesFor('node', extra).map((c) => c.family)).toEqual([
      'internal',
      'distroless',
      'chainguard',
      'ubi-minimal',
    ]);
    expect(familyCandidatesFor('node', extra, false).map((c) => c.family)).toEqual(['internal']);
  });
});

describe('Dockerfile base and RUN lines', () => {
  it("follows FROM <stage> back to an image, resolves global ARG defaults, and lists the final chain's RUN lines", () => {
    const text = [
      'ARG NODE_VERSION=20.11.1',
      'FROM node:${NODE_VERSION}-slim AS base',
      'RUN apt-get update && apt-get install -y --no-install-recommends tini',
      'FROM golang:1.22 AS build',
      'RUN go build -o /out/app .',
      'FROM base',
      'COPY --from=build /out/app /app',
      'RUN ["/app", "--self-test"]',
      'RUN apk add --no-cache curl',
    ].join('\n');
    const base = readBaseFromDockerfile(parseDockerfile(text, 'Dockerfile'));
    expect(base.from).toBe('node:20.11.1-slim');
    expect(base.fromLine).toBe(2);
    expect(base.runLines.map((l) => [l.line, l.packageManagers, l.shellForm])).toEqual([
      [3, ['apt'], true],
      [8, [], false],
      [9, ['apk'], true],
    ]);
  });
  // A RUN's programs are read as its shell reads them: under a bash SHELL (or a heredoc with
  // `#!/bin/bash`), `$'it\\'s'` is `it's`; read as sh reads it, a quote opened after `s` hid the package manager.
  it("reads the package managers of a RUN as the RUN's shell reads it", () => {
    const text = [
      'FROM debian:12-slim',
      "RUN echo $'it\\'s' && apt-get install -y curl",
      'SHELL ["/bin/bash", "-c"]',
      "RUN echo $'it\\'s' && apt-get install -y curl",
      'SHELL ["/bin/sh", "-c"]',
      "RUN <<EOF\n#!/bin/bash\necho $'it\\'s'\napt-get install -y curl\nEOF",
    ].join('\n');
    const base = readBaseFromDockerfile(parseDockerfile(text, 'Dockerfile'));
    expect(base.runLines.map((l) => [l.line, l.packageManagers])).toEqual([
      [2, []],
      [4, ['apt']],
      [6, ['apt']],
    ]);
  });
  it('follows a stage reached by its name, and reads FROM 0 as an image called 0, as the builders do', () => {
    const lines = (from: string) =>
      [
        'FROM debian:bookworm-slim AS base',
        'RUN apt-get update && apt-get install -y curl',
        'FROM golang:1.22',
        'RUN go build -o /out/app .',
        `FROM ${from}`,
        'COPY --from=1 /out/app /app',
        'RUN apt-get install -y ca-certificates',
      ].join('\n');
    const named = readBaseFromDockerfile(parseDockerfile(lines('base'), 'Dockerfile'));
    expect(named.from).toBe('debian:bookworm-slim');
    // Stage 1 is only copied from (COPY --from takes a number): its RUN line runs in the build, not in the final image.
    expect(named.runLines.map((l) => [l.line, l.packageManagers])).toEqual([
      [2, ['apt']],
      [7, ['apt']],
    ]);
    // The classic builder pulls an image named 0 (with one tagged so, its files, not stage 0's); buildah refuses the
    // short name: stage 0's lines do not ship.
    const numbered = readBaseFromDockerfile(parseDockerfile(lines('0'), 'Dockerfile'));
    expect(numbered.from).toBe('0');
    expect(numbered.runLines.map((l) => l.line)).toEqual([7]);
  });
  it('fails a FROM whose variable has no default, with a hint', () => {
    expect(() => readBaseFromDockerfile(parseDockerfile('ARG V\nFROM node:$V\n', 'Dockerfile'))).toThrow(
      /uses \$V, which has no default/,
    );
  });
  it("fills the platform arguments BuildKit sets in a FROM, for the platform compared on; a global ARG's default wins", () => {
    const read = (text: string, platform?: string) =>
      readBaseFromDockerfile(parseDockerfile(text, 'Dockerfile'), platform).from;
    // Undeclared or declared without a default: the builder's value, for the target (the platform compared on).
    expect(read('FROM gcr.io/distroless/static-debian12:nonroot-$TARGETARCH\n', 'linux/arm64')).toBe(
      'gcr.io/distroless/static-debian12:nonroot-arm64',
    );
    expect(read('ARG TARGETOS\nARG TARGETARCH\nFROM app:1-${TARGETOS}-${TARGETARCH}\n', 'linux/arm/v7')).toBe(
      'app:1-linux-arm',
    );
    expect(read('FROM app:1${TARGETVARIANT:+-}${TARGETVARIANT}\n', 'linux/arm/v7')).toBe('app:1-v7');
    expect(read('ARG TARGETARCH=s390x\nFROM app:1-$TARGETARCH\n', 'linux/arm64')).toBe('app:1-s390x');
    // Without a platform, this machine's, as docker build targets.
    expect(read('FROM app:$TARGETOS\n')).toBe('app:linux');
  });
});

describe('tag list pagination', () => {
  it('follows the rel="next" link, keeping only its path on this registry', () => {
    expect(nextLink('</v2/lib/node/tags/list?n=100&last=20.11.1>; rel="next"')).toBe(
      '/v2/lib/node/tags/list?n=100&last=20.11.1',
    );
    expect(nextLink('<https://elsewhere.example/v2/x/tags/list?last=a>; rel="next"')).toBe('/v2/x/tags/list?last=a');
    expect(nextLink('</v2/x/tags/list?last=a>; rel="prev", </v2/x/tags/list?last=z>; rel="next"')).toBe(
      '/v2/x/tags/list?last=z',
    );
    expect(nextLink('</v2/x/tags/list?last=a>; rel="prev"')).toBeUndefined();
    expect(nextLink('</not/v2>; rel="next"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});

describe('bases: in .ballast.yaml', () => {
  const schema = JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const good = {
    bases: {
      builtinFamilies: false,
      families: [
        {
          repositories: ['node'],
          candidates: [
            {
              family: 'x',
              image: 'r.example/node{major}',
              libc: 'musl',
              shell: false,
              packageManager: null,
              note: 'n',
            },
          ],
        },
      ],
    },
  };
  it.each([
    [good, undefined],
    [
      { bases: { families: [{ repositories: [], candidates: [] }] } },
      /bases\.families\[0\]\.repositories must be a non-empty list/,
    ],
    [
      { bases: { families: [{ repositories: ['node'], candidates: [{ image: 'x' }] }] } },
      /candidates\[0\]\.family is required/,
    ],
    [
      { bases: { families: [{ repositories: ['node'], candidates: [{ family: 'x', image: 'y', shell: 'no' }] }] } },
      /candidates\[0\]\.shell must be true or false/,
    ],
    [
      { bases: { families: [{ repositories: ['node'], candidates: [{ family: 'x', image: 'y', size: 1 }] }] } },
      /candidates\[0\]\.size is not a known key/,
    ],
    [{ bases: { typo: true } }, /bases\.typo is not a known key/],
  ])('the loader and the JSON Schema agree on %j', (value, error) => {
    if (error) expect(() => validateBallastConfig(value, '.ballast.yaml')).toThrow(error);
    else expect(validateBallastConfig(value, '.ballast.yaml')).toEqual(value);
    expect(validate(value)).toBe(error === undefined);
  });
});

describe('osFromOsRelease', () => {
  it('reads ID= quoted or not, in the names the traits use, and nothing from ID_LIKE or a missing ID', () => {
    expect(osFromOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n')).toBe('alpine');
    expect(osFromOsRelease('ID_LIKE=debian\nID="ubuntu"\n')).toBe('ubuntu');
    expect(osFromOsRelease("ID='amzn'\n")).toBe('amazonlinux');
    expect(osFromOsRelease('ID="opensuse-leap"\n')).toBe('opensuse');
    expect(osFromOsRelease('ID="rocky"\n')).toBe('centos');
    expect(osFromOsRelease('PRETTY_NAME="Distroless"\nID_LIKE=debian\n')).toBeUndefined();
    expect(osFromOsRelease('ID=\n')).toBeUndefined();
  });
});

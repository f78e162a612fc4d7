// History <-> Dockerfile attribution on the history forms builders write: classic `#(nop)` steps, BuildKit
// `# buildkit` steps (ARG not recorded, WORKDIR as a layer), empty layers, and multi-stage builds where only
// the final stage's instructions (and the stages it is built FROM) made layers.
import { attributeLayers } from '../../src/analysis/attribution.js';

const dockerfile = `ARG BASE=debian
FROM golang AS build
RUN go build -o /out/app .

FROM \${BASE}:12
ARG VERSION=1
ENV A=1
RUN apt-get update \\
 && apt-get install -y curl
COPY --from=build /out/app /usr/bin/app
WORKDIR /srv
CMD ["app"]
`;

describe('attributeLayers', () => {
  // Regression: an image whose history matches no stage of a file of 10,000 stages, each FROM the one before, was tried
  // against every stage's chain as a `--target` (5,000 stages: 3.6 minutes in analyze). A bound on the chains tried keeps
  // it linear.
  it('tries a bounded number of stages as the --target of a file with thousands of them', () => {
    const lines = ['FROM busybox AS s0', 'RUN echo 0'];
    for (let i = 1; i < 10_000; i++) lines.push(`FROM s${i - 1} AS s${i}`, `RUN echo ${i}`);
    const history = [{ created_by: '/bin/sh -c #(nop) ADD file:abc in / ' }, { created_by: '/bin/sh -c echo other' }];
    const started = process.hrtime.bigint();
    const a = attributeLayers({ history }, 2, lines.join('\n'), 'Dockerfile');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(a.matched).toBe(false);
    // (a hang guard, not a speed target: unbounded, this took minutes; bounded, well under a second)
    expect(seconds).toBeLessThan(20);
  });

  it("follows a FROM naming an earlier stage through a platform argument, for the image's own platform", () => {
    // `FROM build-$TARGETARCH`: BuildKit sets TARGETARCH for the platform built, so the amd64 image's layers come
    // from the build-amd64 stage, then the final stage. Without the platform the FROM named no stage, and the layer
    // that stage made was left unattributed.
    const text = [
      'FROM debian:12 AS build-amd64',
      'RUN echo amd64 > /a',
      'FROM debian:12 AS build-arm64',
      'RUN echo arm64 > /a',
      'FROM build-$TARGETARCH',
      'RUN echo final > /b',
    ].join('\n');
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: 'RUN /bin/sh -c echo amd64 > /a # buildkit', comment: 'buildkit.dockerfile.v0' },
      { created_by: 'RUN /bin/sh -c echo final > /b # buildkit', comment: 'buildkit.dockerfile.v0' },
    ];
    const amd64 = attributeLayers({ history, os: 'linux', architecture: 'amd64' }, 3, text, 'Dockerfile');
    expect(amd64.matched).toBe(true);
    expect(amd64.layers.map((l) => l?.line)).toEqual([undefined, 2, 6]);
    expect(amd64.from).toMatchObject({ line: 1, keyword: 'FROM' });
  });

  it('matches classic-builder history, skipping empty layers and keeping base layers unattributed', () => {
    // Given: debian base (ADD + CMD), then the final stage as the classic builder records it.
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  ARG VERSION=1', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
      { created_by: '|1 VERSION=1 /bin/sh -c apt-get update  && apt-get install -y curl' },
      { created_by: '/bin/sh -c #(nop) COPY file:123 in /usr/bin/app ' },
      { created_by: '/bin/sh -c #(nop) WORKDIR /srv', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  CMD ["app"]', empty_layer: true },
    ];
    const a = attributeLayers({ history }, 3, dockerfile, 'Dockerfile');
    expect(a.matched).toBe(true);
    expect(a.baseLayers).toBe(1);
    expect(a.layers.map((l) => l?.line)).toEqual([undefined, 8, 10]);
    expect(a.layers[1]).toMatchObject({ file: 'Dockerfile', keyword: 'RUN', endLine: 9 });
    expect(a.from).toMatchObject({ line: 5, keyword: 'FROM' });
  });

  it('reads an exec-form RUN behind build args whose values have spaces (classic builder)', () => {
    // The classic builder writes the args in scope in front of an exec-form RUN's argv, values unquoted: `|2 A=1 B=x y`.
    const text =
      'FROM debian:12\nARG A=1\nARG B="x y"\nRUN head -c 10 /dev/zero > /a\nRUN ["cp", "/a", "/b"]\nRUN touch /c\n';
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c #(nop)  ARG A=1', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  ARG B=x y', empty_layer: true },
      { created_by: '|2 A=1 B=x y /bin/sh -c head -c 10 /dev/zero > /a' },
      { created_by: '|2 A=1 B=x y cp /a /b' },
      { created_by: '|2 A=1 B=x y /bin/sh -c touch /c' },
    ];
    const a = attributeLayers({ history }, 4, text, 'Dockerfile');
    expect(a.matched).toBe(true);
    expect(a.layers.map((l) => l?.line)).toEqual([undefined, 4, 5, 6]);
  });

  it('matches BuildKit history (no ARG step, WORKDIR makes a layer)', () => {
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      { created_by: 'ENV A=1', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created_by: 'RUN |1 VERSION=1 /bin/sh -c apt-get update  && apt-get install -y curl # buildkit' },
      { created_by: 'COPY /out/app /usr/bin/app # buildkit' },
      { created_by: 'WORKDIR /srv' },
      { created_by: 'CMD ["app"]', empty_layer: true },
    ];
    const a = attributeLayers({ history }, 4, dockerfile, 'Dockerfile');
    expect(a.baseLayers).toBe(1);
    expect(a.layers.map((l) => l?.line)).toEqual([undefined, 8, 10, 11]);
  });

  it('attributes layers of a stage the final stage is built FROM', () => {
    const text = 'FROM alpine AS deps\nRUN apk add curl\n\nFROM deps\nCOPY x /x\n';
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:a in /' },
      { created_by: '/bin/sh -c apk add curl' },
      { created_by: '/bin/sh -c #(nop) COPY file:b in /x' },
    ];
    const a = attributeLayers({ history }, 3, text, 'Dockerfile');
    expect(a.layers.map((l) => l?.line)).toEqual([undefined, 2, 5]);
    expect(a.baseLayers).toBe(1);
  });

  describe('RUN scripts must agree, not just keywords', () => {
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c apt-get update && apt-get install -y curl' },
      { created_by: '/bin/sh -c mkdir -p /opt/tool  && touch /opt/tool/a' },
      { created_by: '/bin/sh -c #(nop) COPY dir:123 in /app ' },
      { created_by: '/bin/sh -c rm -rf /opt/tool' },
    ];
    const written = [
      'FROM debian:12',
      'RUN apt-get update && apt-get install -y curl',
      'RUN mkdir -p /opt/tool \\',
      ' && touch /opt/tool/a',
      'COPY . /app',
      'RUN rm -rf /opt/tool',
    ];

    it('lines up the Dockerfile the image was built from (continuations and spacing aside)', () => {
      const a = attributeLayers({ history }, 5, written.join('\n'), 'Dockerfile');
      expect(a).toMatchObject({ matched: true, baseLayers: 1 });
      expect(a.layers.map((l) => l?.line)).toEqual([undefined, 2, 3, 5, 6]);
    });

    it('gives up on a Dockerfile from another build: its lines would blame the wrong layers', () => {
      const other = 'FROM debian:12\nRUN apt-get update && apt-get install -y python3\nCOPY . /app\nRUN make\n';
      const a = attributeLayers({ history }, 5, other, 'Dockerfile');
      expect(a).toMatchObject({ matched: false, baseLayers: 0 });
      expect(a.layers).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });

    it('leaves a layer unattributed when its RUN is gone from the Dockerfile, and skips a RUN the image lacks', () => {
      const stale = [...written.slice(0, 2), ...written.slice(4)].join('\n');
      const a = attributeLayers({ history }, 5, stale, 'Dockerfile');
      expect(a.matched).toBe(true);
      expect(a.layers.map((l) => l?.line)).toEqual([undefined, 2, undefined, 3, 4]);
      const newer = [...written, 'RUN echo added after the build'].join('\n');
      expect(attributeLayers({ history }, 5, newer, 'Dockerfile').layers.map((l) => l?.line)).toEqual([
        undefined,
        2,
        3,
        5,
        6,
      ]);
    });
  });

  describe('a build committed as one layer (buildah bud without --layers, --squash)', () => {
    // Histories as buildah 1.28 writes them: every instruction an empty step, the layer given to the last one.
    const text = [
      'FROM localhost/base:latest',
      'ENV DIR=/opt/x',
      'RUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin',
      'COPY built.bin /built.bin',
      'RUN rm -rf $DIR \\',
      '    && echo done',
      'CMD ["/app/run.sh"]',
    ].join('\n');
    const build = [
      { created_by: '/bin/sh -c #(nop) ENV DIR=/opt/x', empty_layer: true },
      { created_by: '/bin/sh -c mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) COPY file:9fdf in /built.bin ', empty_layer: true },
      { created_by: '/bin/sh -c rm -rf $DIR     && echo done', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) CMD ["/app/run.sh"]', comment: 'FROM localhost/base:latest' },
    ];
    const base = [
      { created_by: '/bin/sh -c #(nop) COPY dir:2127 in / ' },
      { created_by: '/bin/sh -c #(nop) USER 1000', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) CMD ["/app/run.sh"]', empty_layer: true },
    ];

    it('without --layers: the layer is the span of the RUNs and COPYs that made it, not the CMD that closed it', () => {
      const a = attributeLayers({ history: [...base, ...build] }, 2, text, 'Dockerfile');
      expect(a).toMatchObject({ matched: true, baseLayers: 1 });
      expect(a.layers[0]).toBeUndefined();
      expect(a.layers[1]).toMatchObject({ line: 3, endLine: 6, keyword: 'RUN' });
      expect(a.layers[1]!.text).toBe(
        'RUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin ; COPY built.bin /built.bin ; RUN rm -rf $DIR && echo done',
      );
    });

    it('a last RUN that owns the only layer is merged with the steps above it', () => {
      const history = [...base, ...build.slice(0, 3), { created_by: build[3].created_by }];
      const a = attributeLayers({ history }, 2, text.replace(/\nCMD .*$/, ''), 'Dockerfile');
      expect(a.layers[1]).toMatchObject({ line: 3, endLine: 6 });
    });

    it("--squash: one layer with the base in it belongs to no single line (its files are the base's too)", () => {
      const a = attributeLayers({ history: build }, 1, text, 'Dockerfile');
      expect(a.matched).toBe(true);
      expect(a.layers).toEqual([undefined]);
      // FROM scratch: nothing comes before the build, so the span is the whole image
      const scratch = attributeLayers({ history: build }, 1, text.replace(/^FROM .*/, 'FROM scratch'), 'Dockerfile');
      expect(scratch.layers[0]).toMatchObject({ line: 3, endLine: 6 });
    });

    it('layers of a --layers build stay one line each, empty BuildKit RUNs included', () => {
      const history = [
        ...base,
        { created_by: 'ENV DIR=/opt/x', empty_layer: true },
        { created_by: 'RUN /bin/sh -c mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin # buildkit' },
        { created_by: 'COPY built.bin /built.bin # buildkit' },
        { created_by: 'RUN /bin/sh -c rm -rf $DIR     && echo done # buildkit', empty_layer: true },
        { created_by: 'CMD ["/app/run.sh"]', empty_layer: true },
      ];
      const a = attributeLayers({ history }, 3, text, 'Dockerfile');
      expect(a.layers.map((l) => l && [l.line, l.endLine])).toEqual([undefined, [3, 3], [4, 4]]);
    });
  });

  it('kaniko: a RUN that changed nothing is an empty step, not a sign of a merged layer', () => {
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
      { created_by: 'RUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin' },
      { created_by: 'RUN true', empty_layer: true },
      { created_by: 'COPY built.bin /built.bin' },
    ];
    const text =
      'FROM base\nRUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin\nRUN true\nCOPY built.bin /built.bin\n';
    const a = attributeLayers({ history }, 3, text, 'Dockerfile');
    expect(a.layers.map((l) => l && [l.line, l.endLine, l.text])).toEqual([
      undefined,
      [2, 2, 'RUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin'],
      [4, 4, 'COPY built.bin /built.bin'],
    ]);
  });

  it("docker build --squash: the merge step's layer is the span of the build's lines, the base keeps its own", () => {
    const history = [
      { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
      { created_by: '/bin/sh -c apk add curl' },
      { created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) COPY file:b in /app ', empty_layer: true },
      { created_by: '/bin/sh -c make', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  CMD ["/app/run"]', empty_layer: true },
      { created_by: '', comment: `merge sha256:${'a'.repeat(64)} to sha256:${'b'.repeat(64)}` },
    ];
    const a = attributeLayers({ history }, 3, 'FROM base\nCOPY . /app\nRUN make\nCMD ["/app/run"]\n', 'Dockerfile');
    expect(a.matched).toBe(true);
    expect(a.baseLayers).toBe(2);
    expect(a.layers.map((l) => l && [l.line, l.endLine])).toEqual([undefined, undefined, [2, 3]]);
  });

  describe("layers made by the base image's ONBUILD triggers", () => {
    const child = 'FROM app-base\nRUN make\n';
    const nop = (text: string) => ({ created_by: `/bin/sh -c #(nop)  ${text}`, empty_layer: true });

    it("are the build's own only when they match the base's triggers, in order", () => {
      const history = [
        { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
        nop('ONBUILD RUN npm ci'),
        nop('ONBUILD COPY . /app'),
        { created_by: '/bin/sh -c npm ci' },
        // Copied to /srv, not /app: no trigger of the base's made it.
        { created_by: '/bin/sh -c #(nop) COPY dir:b in /srv ' },
        { created_by: '/bin/sh -c make' },
      ];
      const a = attributeLayers({ history }, 4, child, 'Dockerfile');
      expect(a.baseLayers).toBe(3);
      expect(a.layers.map((l) => l?.line)).toEqual([undefined, undefined, undefined, 2]);
      history[4].created_by = '/bin/sh -c #(nop) COPY dir:b in /app ';
      const b = attributeLayers({ history }, 4, child, 'Dockerfile');
      expect(b.baseLayers).toBe(1);
      expect(b.layers.map((l) => l && [l.line, l.onbuild])).toEqual([
        undefined,
        [1, 'RUN npm ci'],
        [1, 'COPY . /app'],
        [2, undefined],
      ]);
    });

    it("leave a grandparent's triggers, which ran in the base's build, to the base", () => {
      const history = [
        { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
        nop('ONBUILD COPY . /app'),
        { created_by: '/bin/sh -c #(nop) COPY dir:b in /app ' },
        { created_by: '/bin/sh -c chmod -R a+r /app' },
        // The base's own last step looks like the grandparent's trigger.
        { created_by: '/bin/sh -c #(nop) COPY dir:c in /app ' },
        { created_by: '/bin/sh -c make' },
      ];
      const a = attributeLayers({ history }, 5, child, 'Dockerfile');
      expect(a.baseLayers).toBe(4);
      expect(a.layers.map((l) => l?.line)).toEqual([undefined, undefined, undefined, undefined, 2]);
    });
  });

  describe('a line the image and the Dockerfile do not share keeps the build out of the base', () => {
    // buildah-shaped histories: a base of one layer, then the build. Each Dockerfile differs from the build by one line.
    const base = [
      { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
      { created_by: '/bin/sh -c #(nop) CMD ["sh"]', empty_layer: true },
    ];
    const copyA = { created_by: '/bin/sh -c #(nop) COPY file:1 in /a ' };
    const copyC = { created_by: '/bin/sh -c #(nop) COPY file:2 in /c ' };
    const lines = (text: string, own: { created_by: string; empty_layer?: boolean }[]) => {
      const history = [...base, ...own];
      const a = attributeLayers({ history }, history.filter((h) => !h.empty_layer).length, text, 'Dockerfile');
      return [a.baseLayers, a.layers.map((l) => l?.line)];
    };

    it('an ENV or RUN added to the Dockerfile after the build', () => {
      expect(lines('FROM b\nCOPY a /a\nENV X=1\nCOPY c /c\n', [copyA, copyC])).toEqual([1, [undefined, 2, 4]]);
      expect(lines('FROM b\nCOPY a /a\nRUN make\nCOPY c /c\n', [copyA, copyC])).toEqual([1, [undefined, 2, 4]]);
    });

    it('a RUN or COPY removed from it: that layer is unattributed, the ones above still the build’s', () => {
      const run = { created_by: '/bin/sh -c make' };
      expect(lines('FROM b\nCOPY a /a\nCOPY c /c\n', [copyA, run, copyC])).toEqual([1, [undefined, 2, undefined, 3]]);
      const add = { created_by: '/bin/sh -c #(nop) ADD file:3 in /opt/ ' };
      expect(lines('FROM b\nADD t.tar /opt/\nRUN make\n', [add, copyA, run])).toEqual([
        1,
        [undefined, 2, undefined, 3],
      ]);
    });

    it('a step the builder added (a LABEL) between the last layer and the CMD', () => {
      const label = { created_by: '/bin/sh -c #(nop) LABEL io.example=1', empty_layer: true };
      const cmd = { created_by: '/bin/sh -c #(nop) CMD ["x"]', empty_layer: true };
      expect(lines('FROM b\nCOPY a /a\nCMD ["x"]\n', [copyA, label, cmd])).toEqual([1, [undefined, 2]]);
    });
  });

  describe('a Dockerfile whose RUN, COPY and ADD lines are none of the image’s does not line up', () => {
    // Another image's Dockerfile shares its closing CMD (or USER, EXPOSE) with the image by keyword only. Taken as a
    // match, everything below that CMD was the base's: the image's own layers read as base, and the budgets on "your
    // layers" had none to measure. Histories as buildah writes them (multiarch: debian-base, then ARG, RUN, CMD).
    const base = [
      { created_by: '/bin/sh -c #(nop) ADD file:a in / ' },
      { created_by: '/bin/sh -c #(nop) CMD ["bash"]', empty_layer: true },
    ];
    const own = [
      { created_by: '/bin/sh -c #(nop) ARG TARGETARCH', comment: 'FROM debian-base', empty_layer: true },
      { created_by: "|1 TARGETARCH=amd64 /bin/sh -c printf 'arch' > /etc/arch" },
      { created_by: '/bin/sh -c #(nop) CMD ["cat", "/etc/arch"]', empty_layer: true },
    ];
    const classic = [
      { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
      { created_by: '/bin/sh -c #(nop)  CMD ["app"]', empty_layer: true },
    ];
    const buildkit = [
      { created_by: 'LABEL a=1', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created_by: 'CMD ["app"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    ];
    const attribute = (text: string, steps: { created_by: string; empty_layer?: boolean }[]) => {
      const history = [...base, ...steps];
      const a = attributeLayers({ history }, history.filter((h) => !h.empty_layer).length, text, 'Dockerfile');
      return { matched: a.matched, baseLayers: a.baseLayers, lines: a.layers.map((l) => l?.line) };
    };
    const unmatched = { matched: false, baseLayers: 0, lines: [undefined, undefined] };

    it.each([
      [
        'a final stage with a RUN and a COPY (slim)',
        'FROM b AS build\nRUN make\nFROM b\nRUN apt-get install -y curl\nCOPY --from=build /out/ /app/\nWORKDIR /app\nUSER app\nCMD ["python3", "/app/app.py"]\n',
        own,
        unmatched,
      ],
      ['a COPY, then the USER and CMD', 'FROM b\nCOPY . /app\nUSER app\nCMD ["x"]\n', own, unmatched],
      [
        'an ADD and the CMD (the base’s own Dockerfile)',
        'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n',
        own,
        unmatched,
      ],
      [
        'the image’s own Dockerfile still lines up',
        'FROM b\nARG TARGETARCH\nRUN printf \'arch\' > /etc/arch\nCMD ["cat", "/etc/arch"]\n',
        own,
        { matched: true, baseLayers: 1, lines: [undefined, 3] },
      ],
      [
        'a Dockerfile of metadata only (classic builder): the image is the base and its settings',
        'FROM b\nENV A=1\nCMD ["app"]\n',
        classic,
        { matched: true, baseLayers: 1, lines: [undefined] },
      ],
      [
        'a Dockerfile of metadata only (BuildKit)',
        'FROM b\nLABEL a=1\nCMD ["app"]\n',
        buildkit,
        { matched: true, baseLayers: 1, lines: [undefined] },
      ],
    ])('%s', (_name, text, steps, expected) => {
      expect(attribute(text, steps)).toEqual(expected);
    });
  });

  it('says so when history and layers do not line up', () => {
    const a = attributeLayers({ history: [{ created_by: 'x' }] }, 2, 'FROM scratch\nCOPY a /\n', 'Dockerfile');
    expect(a.matched).toBe(false);
    expect(a.layers).toEqual([undefined, undefined]);
  });
});

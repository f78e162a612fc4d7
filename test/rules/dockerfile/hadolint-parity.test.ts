// hadolint parity for DF200-DF250: every hadolint id assigned to this block is covered by exactly one registered rule that
// declares it `same`, whole Dockerfiles get the hadolint ids hadolint would report, and hadolint's pragmas silence them.
import { dockerfileRules } from '../../../rules/index.js';
import { lintText } from '../../../src/lint/engine.js';
import type { DockerfileRule } from '../../../src/report/rule.js';

const IDS = [
  'DL3001',
  'DL3010',
  'DL3011',
  'DL3012',
  'DL3014',
  'DL3021',
  'DL3022',
  'DL3023',
  'DL3024',
  'DL3026',
  'DL3027',
  'DL3028',
  'DL3029',
  'DL3030',
  'DL3033',
  'DL3034',
  'DL3035',
  'DL3037',
  'DL3038',
  'DL3041',
  'DL3043',
  'DL3044',
  'DL3045',
  'DL3046',
  'DL3047',
  'DL3048',
  'DL3061',
  'DL3062',
  'DL3063',
  'DL3064',
  'DL3065',
  'DL3066',
  'DL3067',
  'DL4003',
  'DL4004',
  'DL4005',
  'DL4006',
  // DF240-DF250: the label-schema rules, DL1001 and DL3057.
  'DL3049',
  'DL3050',
  'DL3051',
  'DL3052',
  'DL3053',
  'DL3054',
  'DL3055',
  'DL3056',
  'DL3058',
  'DL1001',
  'DL3057',
];

let rules: DockerfileRule[] = [];
const aliasOf = new Map<string, string>();

beforeAll(async () => {
  // DF200-DF250 is the hadolint block; the codes after it are BuildKit's checks and others.
  const codes = Object.keys(dockerfileRules).filter((code) => /^DF2([0-4]\d|50)$/.test(code));
  rules = [];
  for (const code of codes) rules.push(await dockerfileRules[code]());
  for (const rule of rules) {
    for (const source of rule.meta.sources)
      if (source.tool === 'hadolint' && source.relation === 'same') aliasOf.set(rule.meta.code, source.id);
  }
});

/** The hadolint ids (with lines) our rules report for this Dockerfile, as hadolint would list them. */
function hadolintIds(text: string, options: Record<string, Record<string, unknown>> = {}): string[] {
  const findings = lintText(text, 'Dockerfile', rules, { ruleOptions: options }).findings;
  return findings.map((f) => `${aliasOf.get(f.code)}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`).sort();
}

describe('hadolint parity (DF200-DF250)', () => {
  it('covers each assigned hadolint id with exactly one rule that declares it the same', () => {
    // Given the registered rules of this block, when their hadolint aliases are collected
    const ids = [...aliasOf.values()].sort();
    // Then every id appears once and nothing else is claimed
    expect(ids).toEqual([...IDS].sort());
    for (const rule of rules) expect(rule.meta.code).toMatch(/^DF2\d\d$/);
  });

  it('uses hadolint default severities (style included)', () => {
    const expected: Record<string, string> = {
      DL3001: 'info',
      DL3010: 'info',
      DL3011: 'error',
      DL3012: 'error',
      DL3014: 'warning',
      DL3021: 'error',
      DL3022: 'warning',
      DL3023: 'error',
      DL3024: 'error',
      DL3026: 'error',
      DL3027: 'warning',
      DL3028: 'warning',
      DL3029: 'warning',
      DL3030: 'warning',
      DL3033: 'warning',
      DL3034: 'warning',
      DL3035: 'warning',
      DL3037: 'warning',
      DL3038: 'warning',
      DL3041: 'warning',
      DL3043: 'error',
      DL3044: 'error',
      DL3045: 'warning',
      DL3046: 'warning',
      DL3047: 'info',
      DL3048: 'style',
      DL3061: 'error',
      DL3062: 'warning',
      DL3063: 'warning',
      DL3064: 'warning',
      DL3065: 'warning',
      DL3066: 'info',
      DL3067: 'warning',
      DL4003: 'warning',
      DL4004: 'error',
      DL4005: 'warning',
      DL4006: 'warning',
      DL3049: 'info',
      DL3050: 'info',
      DL3051: 'warning',
      DL3052: 'warning',
      DL3053: 'warning',
      DL3054: 'warning',
      DL3055: 'warning',
      DL3056: 'warning',
      DL3058: 'warning',
      // hadolint's `ignore`: not recommended (off until a severity is configured), info when turned on without one.
      DL1001: 'info',
      DL3057: 'info',
    };
    const actual = Object.fromEntries(rules.map((rule) => [aliasOf.get(rule.meta.code), rule.meta.defaultSeverity]));
    expect(actual).toEqual(expected);
  });

  it('reports what hadolint reports on a Debian Dockerfile with many problems', () => {
    const text = [
      'LABEL Maintainer=me', // 1 DL3061, DL3048
      'FROM debian:12 AS build', // 2
      'ARG GITHUB_TOKEN', // 3 DL3064
      'ENV APP=/app BIN=$APP/bin', // 4 DL3044
      'COPY a.sh b.sh bin', // 5 DL3021, DL3045
      'RUN apt update && apt-get install curl', // 6 DL3027, DL3014
      'RUN wget https://example.com/x.tgz | tar xz', // 7 DL3047, DL4006
      'RUN useradd -u 1234567 app && ln -sf /bin/bash /bin/sh', // 8 DL3046, DL4005
      'EXPOSE 99999', // 9 DL3011
      'CMD a', // 10
      'CMD b', // 11 DL4003
      'FROM debian:12 AS build', // 12 DL3024
      'COPY --from=build /x /x', // 13 DL3023
      'COPY --from=nowhere /y /y', // 14 DL3022
      'USER app', // 15 DL3066
    ].join('\n');
    // Stage `build` (line 12) is the last stage, so the size rule DL3046 on line 8 (an earlier, unused stage) stays quiet.
    expect(hadolintIds(text)).toEqual(
      [
        'DL3061@1',
        'DL3048@1',
        'DL3064@3',
        'DL3044@4',
        'DL3021@5',
        'DL3045@5',
        'DL3027@6',
        'DL3014@6',
        'DL3047@7',
        'DL4006@7',
        'DL4005@8',
        'DL3011@9',
        'DL4003@11',
        'DL3024@12',
        'DL3023@13',
        'DL3022@14',
        'DL3066@15',
      ].sort(),
    );
  });

  it('reports what hadolint reports on RPM, Ruby, Go and platform cases', () => {
    const text = [
      'FROM --platform=linux/amd64 centos:7 AS context', // 1 DL3029, DL3063
      'RUN yum install httpd && dnf install nginx', // 2 DL3030, DL3033, DL3038, DL3041
      'RUN zypper install vim && zypper dup', // 3 DL3034, DL3037, DL3035
      'RUN gem install rails && go install example.com/tool', // 4 DL3028, DL3062
      'RUN top', // 5 DL3001
      'HEALTHCHECK CMD a', // 6
      'HEALTHCHECK CMD b', // 7 DL3012
      'ENTRYPOINT a', // 8
      'ENTRYPOINT b', // 9 DL4004
      'ONBUILD ONBUILD RUN x', // 10 DL3043
      'FROM --platform=$TARGETPLATFORM registry.example.org/base:1', // 11 DL3065, DL3026
      'COPY app.tar /tmp/', // 12 DL3010
      'RUN tar -xf /tmp/app.tar && useradd -u 1234567 app', // 13 DL3046
      'COPY --from=context / /', // 14 DL3067
      'USER 1000',
    ].join('\n');
    expect(hadolintIds(text, { DF209: { trustedRegistries: ['docker.io'] } })).toEqual(
      [
        'DL3029@1',
        'DL3063@1',
        'DL3030@2',
        'DL3033@2',
        'DL3038@2',
        'DL3041@2',
        'DL3034@3',
        'DL3037@3',
        'DL3035@3',
        'DL3028@4',
        'DL3062@4',
        'DL3001@5',
        'DL3012@7',
        'DL4004@9',
        'DL3043@10',
        'DL3065@11',
        'DL3026@11',
        'DL3010@12',
        'DL3046@13',
        'DL3067@14',
      ].sort(),
    );
  });

  it('honours hadolint ignore pragmas: next instruction, global, and comma lists with a reason', () => {
    // Given hadolint pragmas above the offending instructions
    const text = [
      'FROM debian:12',
      '# hadolint global ignore=DL3047',
      '# hadolint ignore=DL3014,DL3027 # legacy script',
      'RUN apt update && apt-get install curl',
      'RUN wget https://example.com/x',
      'RUN apt-get install vim',
    ].join('\n');
    // Then only the instruction without a pragma is reported, and only for the id not globally ignored
    expect(hadolintIds(text)).toEqual(['DL3014@6']);
  });

  it('honours a global hadolint pragma on the very first line', () => {
    const text = [
      '# hadolint global ignore=DL3014,DL4006',
      'FROM debian:12',
      'RUN apt-get install curl | tee /log',
      'RUN apt install vim',
    ].join('\n');
    expect(hadolintIds(text)).toEqual(['DL3027@4']);
  });

  it('reports the label-schema ids hadolint reports, honours their pragmas, and DL1001 only when turned on', () => {
    // Given a label schema for every label rule and a Dockerfile whose build stage is only copied from
    const labelSchema = {
      version: 'semver',
      created: 'rfc3339',
      license: 'spdx',
      revision: 'hash',
      authors: 'email',
      docs: 'url',
      title: 'text',
    };
    const options = Object.fromEntries(
      ['DF240', 'DF241', 'DF242', 'DF243', 'DF244', 'DF245', 'DF246', 'DF247', 'DF248'].map((code) => [
        code,
        { labelSchema, strictLabels: true },
      ]),
    );
    const text = [
      'FROM golang:1.22 AS build', // 1 (only copied from: no DL3049)
      'FROM debian:12', // 2 DL3049 x2 (docs, title)
      'LABEL version=1.0 created=2024-05-01 license=mit revision=abc authors=me other=x', // 3 DL3050, DL3053, DL3054, DL3055, DL3056, DL3058
      '# hadolint ignore=DL3056', // 4
      'LABEL version=latest', // 5 (DL3056 ignored)
      'COPY --from=build /app /app',
    ].join('\n');
    expect(hadolintIds(text, options)).toEqual(
      ['DL3049@2', 'DL3049@2', 'DL3050@3', 'DL3053@3', 'DL3054@3', 'DL3055@3', 'DL3056@3', 'DL3058@3'].sort(),
    );
    // DL1001 has hadolint's severity ignore: off by default, reported at the pragma once a severity is configured
    expect(
      lintText(text, 'Dockerfile', rules, { ruleOptions: options, severities: { DF249: 'warning' } })
        .findings.filter((f) => f.code === 'DF249')
        .map((f) => f.location.kind === 'dockerfile' && f.location.line),
    ).toEqual([4]);
  });

  it('reports DL3057 only when turned on, at the FROM of each stage without a HEALTHCHECK, pragma honoured', () => {
    const text = [
      'FROM golang:1.22 AS build', // 1 DL3057 (build stages are checked too)
      'RUN go build -o /out/app .',
      'FROM debian:12 AS base', // 3
      'HEALTHCHECK NONE',
      'FROM base', // 5 (inherits the HEALTHCHECK of base)
      'COPY --from=build /out/app /app',
      '# hadolint ignore=DL3057',
      'FROM debian:12', // 8 (DL3057 ignored)
    ].join('\n');
    expect(hadolintIds(text).filter((id) => id.startsWith('DL3057'))).toEqual([]);
    expect(
      lintText(text, 'Dockerfile', rules, { severities: { DF250: 'warning' } })
        .findings.filter((f) => f.code === 'DF250')
        .map((f) => f.location.kind === 'dockerfile' && f.location.line),
    ).toEqual([1]);
  });

  it('honours our own pragma with the ballast code or the hadolint id', () => {
    const text = [
      'FROM debian:12',
      '# ballast-ignore DF204 vendored',
      'RUN apt-get install curl',
      '# ballast-ignore DL3014',
      'RUN apt-get install vim',
      'RUN apt-get install git',
    ].join('\n');
    expect(hadolintIds(text)).toEqual(['DL3014@6']);
  });
});

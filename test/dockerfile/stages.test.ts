import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages, substitute } from '../../src/dockerfile/stages.js';

describe('analyzeStages', () => {
  it('knows which stages reach the final image and which are used later', () => {
    // Given stages used as a base, through COPY --from (name and index), RUN --mount from=, and one unused
    const parsed = parseDockerfile(
      [
        'FROM alpine:3.20 AS base', // 0
        'FROM base AS deps', // 1: built FROM base
        'FROM alpine:3.20 AS unused', // 2
        'FROM alpine:3.20 AS assets', // 3: mounted
        'FROM golang:1.22', // 4: copied by index
        'FROM deps', // 5: final
        'COPY --from=4 /out /out',
        'RUN --mount=type=bind,from=assets,target=/a cp -r /a /srv',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    expect(model.baseStage).toEqual([undefined, 0, undefined, undefined, undefined, 1]);
    expect(model.reachesFinal).toEqual([true, true, false, true, true, true]);
    expect(model.usedLater).toEqual([true, true, false, true, true, false]);
    expect(model.stageByRef('ASSETS')).toBe(3);
    expect(model.stageByRef('7')).toBeUndefined();
  });

  it('resolves ARG and ENV per stage: globals only through a redeclared ARG, ENV inherited through FROM <stage>', () => {
    const parsed = parseDockerfile(
      [
        'ARG VERSION=1.2 BASE=alpine',
        'FROM ${BASE}:3.20 AS one',
        'ENV APP_HOME=/srv/app PATH=$APP_HOME/bin',
        'ARG VERSION',
        'RUN echo one',
        'FROM one',
        'RUN echo two',
        'FROM alpine:3.20',
        'RUN echo three',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    const at = (line: number) => model.variablesAt[parsed.instructions.find((i) => i.line === line)!.index];
    expect(model.globalArgs).toEqual({ VERSION: '1.2', BASE: 'alpine' });
    expect(parsed.stages[0].baseImage).toBe('${BASE}:3.20');
    expect(at(5)).toEqual({ APP_HOME: '/srv/app', PATH: '/srv/app/bin', VERSION: '1.2' });
    expect(at(7)).toMatchObject({ APP_HOME: '/srv/app' });
    expect(at(9)).toEqual({});
  });

  it('substitutes ${VAR:-default}, ${VAR:+alt} and leaves unknown variables as written', () => {
    const vars = { A: 'a', EMPTY: '' };
    expect(substitute('$A ${A} ${B:-b} ${EMPTY:-e} ${EMPTY-e} ${A:+x} ${B:+x}|$UNKNOWN', vars)).toBe('a a b e  x |$UNKNOWN');
  });
});

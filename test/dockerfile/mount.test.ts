import { mountsOf } from '../../src/dockerfile/mount.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';

function mounts(run: string) {
  const parsed = parseDockerfile(`FROM alpine:3.20\n${run}\n`, 'Dockerfile');
  return mountsOf(parsed.instructions[1]).map(({ type, target, source, from }) => ({ type, target, source, from }));
}

describe('mountsOf', () => {
  it('reads every name the builder takes for the target and the source', () => {
    expect(
      mounts(
        'RUN --mount=type=cache,target=/a --mount=type=cache,dst=/b --mount=type=bind,destination=/c,src=/s,from=build true',
      ),
    ).toEqual([
      { type: 'cache', target: '/a', source: undefined, from: undefined },
      { type: 'cache', target: '/b', source: undefined, from: undefined },
      { type: 'bind', target: '/c', source: '/s', from: 'build' },
    ]);
  });

  it('reads option names and the type in any case, and a mount without a type as a bind mount', () => {
    // The builder lower-cases both: `TYPE=Cache,Target=/root/.npm` is a cache mount at /root/.npm.
    expect(mounts('RUN --mount=TYPE=Cache,Target=/root/.npm --mount=SOURCE=/x,DST=/y,FROM=build npm ci')).toEqual([
      { type: 'cache', target: '/root/.npm', source: undefined, from: undefined },
      { type: 'bind', target: '/y', source: '/x', from: 'build' },
    ]);
  });

  it('gives an empty target for a mount that names none, and leaves other flags out', () => {
    expect(mounts('RUN --network=none --mount=type=secret,id=tok cat /run/secrets/tok')).toEqual([
      { type: 'secret', target: '', source: undefined, from: undefined },
    ]);
  });
});

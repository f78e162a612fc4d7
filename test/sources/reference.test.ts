// Docker's reference grammar (distribution/reference), and the WWW-Authenticate parsing the registry client needs.
import { familiarName, formatReference, parseReference, registryApiHost } from '../../src/image/reference.js';
import { parseChallenges, parseTokenResponse, tokenRequest } from '../../src/sources/registry/auth.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['node', 'docker.io', 'library/node', 'latest', undefined],
    ['node:20', 'docker.io', 'library/node', '20', undefined],
    ['library/node:20', 'docker.io', 'library/node', '20', undefined],
    ['docker.io/ubuntu', 'docker.io', 'library/ubuntu', 'latest', undefined],
    ['index.docker.io/library/ubuntu:22.04', 'docker.io', 'library/ubuntu', '22.04', undefined],
    ['bitnami/redis', 'docker.io', 'bitnami/redis', 'latest', undefined],
    ['localhost/app', 'localhost', 'app', 'latest', undefined],
    ['localhost:5000/x', 'localhost:5000', 'x', 'latest', undefined],
    ['127.0.0.1:5000/team/app:v1.2', '127.0.0.1:5000', 'team/app', 'v1.2', undefined],
    ['ghcr.io/org/app', 'ghcr.io', 'org/app', 'latest', undefined],
    ['Registry/app', 'Registry', 'app', 'latest', undefined],
    ['[::1]:5000/app', '[::1]:5000', 'app', 'latest', undefined],
    ['localhost:65535/app', 'localhost:65535', 'app', 'latest', undefined],
    ['localhost:1/app', 'localhost:1', 'app', 'latest', undefined],
    ['a__b/c.d/e--f', 'docker.io', 'a__b/c.d/e--f', 'latest', undefined],
    [`node@${D}`, 'docker.io', 'library/node', undefined, D],
  ])('%s', (text, registry, repository, tag, digest) => {
    expect(parseReference(text)).toEqual({ registry, repository, tag, digest });
  });

  // With tag and digest the digest decides, as in Docker; the tag is kept apart, as written (bases lists its variants).
  it.each([
    [`node:20@${D}`, 'docker.io', 'library/node', '20'],
    [`localhost:5000/x:1@${D}`, 'localhost:5000', 'x', '1'],
  ])('%s', (text, registry, repository, writtenTag) => {
    expect(parseReference(text)).toStrictEqual({ registry, repository, digest: D, writtenTag });
  });

  it.each([
    ['', /empty/],
    ['Node', /lowercase/],
    ['bad ref', /"bad ref" is not a valid path component/],
    ['node:', /not a valid tag/],
    ['node:-x', /not a valid tag/],
    [`node:${'t'.repeat(129)}`, /not a valid tag/],
    ['node@sha256:abc', /not a digest/],
    [`node@sha256:${'A'.repeat(64)}`, /64 lowercase hex/],
    ['node@notadigest', /not a digest/],
    ['a' + '/b'.repeat(130), /longer than 255/],
    ['a..b', /not a valid path component/],
    ['-a', /not a valid path component/],
    ['a'.repeat(64).replace(/a/g, 'f'), /image ID/],
    ['host:5000/', /not a valid path component/],
    ['127.0.0.1:99999/slim:latest', /99999 is not a port \(ports are 1 to 65535\)/],
    ['localhost:65536/app', /65536 is not a port/],
    ['localhost:0/app', /0 is not a port/],
    ['[::1]:70000/app', /70000 is not a port/],
  ])('rejects %s', (text, why) => {
    expect(() => parseReference(text)).toThrow(why);
  });

  it('rejects a user name and password before the registry without repeating them', () => {
    const parse = (): unknown => parseReference('alice:Pa55-w0rd@127.0.0.1:5000/team/app:1');
    expect(parse).toThrow(
      /invalid image reference "…@127\.0\.0\.1:5000\/team\/app:1": it holds a user name or password/,
    );
    expect(parse).toThrow(expect.objectContaining({ hint: expect.stringContaining('--password-stdin') }));
    expect(parse).not.toThrow(/Pa55-w0rd|alice/);
    expect(() => parseReference('alice@ghcr.io/org/app')).toThrow(/"…@ghcr\.io\/org\/app"/);
  });

  it('formats full and familiar names', () => {
    expect(formatReference(parseReference('node:20'))).toBe('docker.io/library/node:20');
    expect(familiarName(parseReference('docker.io/library/node:20'))).toBe('node:20');
    expect(familiarName(parseReference('bitnami/redis'))).toBe('bitnami/redis:latest');
    expect(familiarName(parseReference('ghcr.io/o/a:1'))).toBe('ghcr.io/o/a:1');
  });

  it('maps Docker Hub to its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('WWW-Authenticate challenges', () => {
  it('parses a Bearer challenge whose quoted scope holds commas', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull,push',
        },
      },
    ]);
  });

  it('parses several challenges, unquoted values and Basic', () => {
    expect(
      parseChallenges(['Basic realm="Registry Realm"', 'Bearer realm=https://a/token, error=invalid_token']),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://a/token', error: 'invalid_token' } },
    ]);
  });

  it('builds anonymous, Basic and refresh-token requests', () => {
    const challenge = { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'svc' } };
    const anonymous = tokenRequest(challenge, 'repository:a/b:pull', undefined);
    expect(anonymous.url.toString()).toBe('https://auth.example/token?service=svc&scope=repository%3Aa%2Fb%3Apull');
    expect(anonymous.headers).toEqual({});
    const basic = tokenRequest(challenge, 'repository:a/b:pull', { username: 'u', password: 'p', origin: 'x' });
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const refresh = tokenRequest(challenge, 'repository:a/b:pull', { identityToken: 'rt', origin: 'x' });
    expect(refresh.method).toBe('POST');
    expect(new URLSearchParams(refresh.body).get('grant_type')).toBe('refresh_token');
  });

  it('reads token or access_token, with a 60 s default lifetime, and tells no token from not JSON', () => {
    expect(parseTokenResponse('{"access_token":"t"}', 0)).toEqual({ token: 't', expiresAtMs: 50_000 });
    expect(parseTokenResponse('{"token":"t","expires_in":300}', 0)).toEqual({ token: 't', expiresAtMs: 290_000 });
    expect(parseTokenResponse('{}', 0)).toBe('no-token');
    expect(parseTokenResponse('null', 0)).toBe('no-token');
    expect(parseTokenResponse('<html>', 0)).toBe('not-json');
  });
});

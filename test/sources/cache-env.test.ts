// BALLAST_CACHE_MAX_BYTES is a size like every other size in ballast (`30MB`, `1GiB`, bytes), and one that is not
// a size is an error naming the variable: ignoring it would leave the cache uncapped at the default.
import { formatError } from '../../src/errors.js';
import { analyze } from '../../src/services/analyze.js';
import { cacheMaxBytesFromEnv, DEFAULT_CACHE_MAX_BYTES } from '../../src/sources/registry/cache.js';
import { openImage } from '../../src/sources/resolve.js';

describe('BALLAST_CACHE_MAX_BYTES', () => {
  it.each([
    ['30MB', 30_000_000],
    ['1GiB', 2 ** 30],
    ['123456', 123_456],
    ['', DEFAULT_CACHE_MAX_BYTES],
    [undefined, DEFAULT_CACHE_MAX_BYTES],
  ])('%s is %d bytes', (text, bytes) => {
    expect(cacheMaxBytesFromEnv({ BALLAST_CACHE_MAX_BYTES: text })).toBe(bytes);
  });

  it.each(['garbage', '30 parsecs', '0', '-5'])('%s is an error with a hint, before any request', async (text) => {
    // Port 1 on loopback: nothing there, so an error about the registry would mean the variable was not checked.
    const error = await openImage('docker://127.0.0.1:1/app:1', {
      env: { HOME: '/nonexistent', BALLAST_CACHE_MAX_BYTES: text },
    }).catch((e: unknown) => e);
    expect(formatError(error)).toBe(
      `error: BALLAST_CACHE_MAX_BYTES=${text} is not a size (hint: give bytes or a size such as 10GB or 500MiB, ` +
        'or unset it for the default (10 GiB); --no-cache skips the cache)',
    );
  });
});

describe('BALLAST_LAYER_CACHE_MAX_BYTES and BALLAST_RESULT_CACHE_MAX_BYTES', () => {
  it('read sizes as BALLAST_CACHE_MAX_BYTES does', () => {
    expect(cacheMaxBytesFromEnv({ BALLAST_LAYER_CACHE_MAX_BYTES: '2GB' }, 'BALLAST_LAYER_CACHE_MAX_BYTES', 1)).toBe(
      2e9,
    );
    expect(cacheMaxBytesFromEnv({}, 'BALLAST_RESULT_CACHE_MAX_BYTES', 256 * 2 ** 20)).toBe(256 * 2 ** 20);
  });

  it.each(['BALLAST_LAYER_CACHE_MAX_BYTES', 'BALLAST_RESULT_CACHE_MAX_BYTES'])(
    '%s that is not a size is an error naming it (it was ignored: the default cap applied)',
    async (name) => {
      const error = await analyze({
        image: 'examples/demo/demo.tar',
        workers: 0,
        env: { HOME: '/nonexistent', [name]: '30 parsecs' },
      }).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(new RegExp(`^error: ${name}=30 parsecs is not a size \\(hint: `));
    },
  );
});

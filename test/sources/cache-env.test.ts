// BALLAST_CACHE_MAX_BYTES is a size like every other size in ballast (`30MB`, `1GiB`, bytes), and one that is not
// a size is an error naming the variable: ignoring it would leave the cache uncapped at the default.
import { formatError } from '../../src/errors.js';
import { DEFAULT_CACHE_MAX_BYTES } from '../../src/sources/registry/cache.js';
import { cacheMaxBytesFromEnv } from '../../src/sources/remote.js';
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

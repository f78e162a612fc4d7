// Which zstd decoders this test run has: zstd-napi is an optional dependency (a native build), and the walk's
// in-place decoder (src/image/sync-decoder.ts) exists only with it.
import { createRequire } from 'node:module';
import { zstdBackend } from '../../src/image/compression.js';

const require = createRequire(import.meta.url);

/** Whether zstd-napi loads and is the backend in use (not forced off by BALLAST_ZSTD_BACKEND, nor Node's own zstd). */
export function nativeZstdInUse(): boolean {
  try {
    require('zstd-napi');
    return zstdBackend() === 'zstd-napi';
  } catch {
    return false;
  }
}

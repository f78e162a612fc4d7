// Jest setup (every test file): a fresh, empty ballast cache folder, so the blob and layer result caches never
// read or write the developer's own cache and no test sees another test file's entries. Child processes the
// tests spawn inherit it through the environment. A test that wants a cache of its own passes `cacheDir`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.BALLAST_CACHE_DIR = mkdtempSync(join(tmpdir(), 'ballast-test-cache-'));

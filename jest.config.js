// jest runs in ESM mode (ink is ESM-only): ts-jest's ESM preset plus node --experimental-vm-modules (see package.json).
/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/helpers/run-tmp-setup.mjs',
  globalTeardown: '<rootDir>/test/helpers/run-tmp-teardown.mjs',
  setupFiles: ['<rootDir>/test/helpers/cache-env.ts'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
};

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^@gin-deploy/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@gin-deploy/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
  testTimeout: 60_000,
  // The bundled actions and the real components (registry, Prometheus, the cluster) are slow to
  // start; one worker per core keeps the shared machine responsive.
  maxWorkers: 2,
};

import { defineConfig } from 'vitest/config'

// Two projects: `unit` (pure modules and the fakes' own tests; no build, seconds) and `e2e` (the built
// server, databases, monitoring tools and the browser). `npm test` runs both; `npm run test:unit` one.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/fakes/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**', 'tests/fakes/**'],
          // Builds .output once (when stale) before any test starts a server.
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
  },
})

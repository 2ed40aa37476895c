import { defineConfig } from 'vitest/config';

// The console in a real browser (Debian's chromium): `npm run test:browser`, kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

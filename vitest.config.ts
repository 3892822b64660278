import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Cross-process determinism tests spawn child Node processes; give them room on 2-core CI.
    testTimeout: 60_000,
  },
});

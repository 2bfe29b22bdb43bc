import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

// Component tests in jsdom, beside the components as `*.test.tsx`: node's test runner, which
// takes every `*.test.ts` under apps/, never sees them.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.tsx'],
      setupFiles: ['./vitest.setup.ts'],
      restoreMocks: true,
      // Two shared cores: one worker keeps a run small and its timings steady.
      maxWorkers: 1,
      // A jsdom render with user events takes well under a second alone, but several on a busy
      // machine; the timeout only catches a test that hangs.
      testTimeout: 30_000,
    },
  }),
);

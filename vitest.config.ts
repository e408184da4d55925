import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.js';

// Three projects: unit (TypeScript sources only, no build, no processes), integration and browser (real processes
// from dist/; their global setup starts Azurite, the Key Vault stand-in and the reference service once per run).
// Files run in parallel: most of their time is spent waiting on child processes and timers, not on the CPU.
const GLOBAL_SETUP = ['test/integration/helpers/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: Number(process.env.TEST_WORKERS) || 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: GLOBAL_SETUP } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: GLOBAL_SETUP } },
    ],
  },
});

// Unit tests sit beside the code; cross-room tests live in tests/. Native modules (SQLCipher,
// keytar, argon2) are safest in forked workers, so every file runs in its own process.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'server/**/*.test.ts',
      'tests/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'renderer/src/**/*.test.ts',
    ],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a state (a dialog closed, a sync event arrived); its default 1 s is a
    // race against a busy 2-core CI machine. Waiting longer only delays a real failure's report.
    expect: { poll: { timeout: 20_000 } },
    reporters: ['default'],
  },
});

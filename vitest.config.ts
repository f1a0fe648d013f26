import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus runs many short conformance runs; their TTL waits overlap across files.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // In CI every test is listed, so a skipped backend shows its reason in the log.
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
})

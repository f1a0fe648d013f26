import type { Reporter } from './reporter.js'

/**
 * The run as JSON (schemaVersion 1): tool, store, startedAt, durationMs, capabilities, timing,
 * summary {passed, failed, warned, skipped} and one entry per check
 * {id, group, level, status, title, message?, durationMs, ...details}.
 */
export const jsonReporter: Reporter = {
  render: (report, { gate }) => `${JSON.stringify({ ...report, gate }, null, 2)}\n`,
}

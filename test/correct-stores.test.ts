import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { runConformance } from '../src/api/run-conformance.js'

const store = (name: string) => fileURLToPath(new URL(`./stores/correct/${name}`, import.meta.url))

/**
 * A false failure costs a store author as much as a missed bug: correct stores must come out
 * with no failure and no warning, including a slow one and one with whole-second expiry.
 */
describe.concurrent('correct stores pass every check', () => {
  test.each([
    ['express-session MemoryStore', 'memory'],
    ['the reference store', store('reference-store.ts')],
    ['a store whose every call takes 150 ms', store('slow-store.ts')],
    [
      'a store with whole-second expiry relative to now, like Redis (detected, not declared)',
      store('seconds-store.ts'),
    ],
    ['a store that rounds expiry up to wall-clock seconds, like connect-pg-simple', store('ceil-seconds-store.ts')],
    [
      'a store that rounds expiry to the nearest wall-clock second, like express-mysql-session',
      store('round-seconds-store.ts'),
    ],
    ['a store on a real Redis that names its backend, so the fault checks proxy it', store('redis-backed-store.ts')],
  ])('%s', async (_name, spec) => {
    const report = await runConformance({ store: spec })
    const problems = report.results.filter((result) => result.status === 'fail' || result.status === 'warn')
    expect(problems).toEqual([])
    // In-process stores have no backend to fail: the fault checks say so, and nothing else is skipped.
    const skipped = report.results.filter((result) => result.status === 'skip')
    const inProcess = !spec.endsWith('redis-backed-store.ts')
    expect(skipped.filter((result) => !(inProcess && result.reason === 'no-faults'))).toEqual([])
  })
})

/**
 * Whether a wall-clock-second store's expiries fall early or late in their second is luck of the
 * run; repeat the TTL checks so a granularity misdetection cannot hide behind a lucky phase.
 */
describe.concurrent('second-rounding stores pass the TTL checks whatever the phase', () => {
  const runs = Array.from({ length: 4 }, (_, i) => i + 1)
  test.each(
    runs.flatMap((run) => [
      [`ceil, run ${run}`, store('ceil-seconds-store.ts')],
      [`round, run ${run}`, store('round-seconds-store.ts')],
    ]),
  )('%s', async (_name, spec) => {
    const report = await runConformance({ store: spec, only: ['ttl'] })
    expect(report.timing).toMatchObject({ granularityMs: 1000, granularitySource: 'detected' })
    expect(report.results.filter((result) => result.status === 'fail')).toEqual([])
  })
})

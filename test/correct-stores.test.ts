import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { runConformance } from '../src/run-conformance.js'

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
    ['a store with whole-second expiry (detected, not declared)', store('seconds-store.ts')],
  ])('%s', async (_name, spec) => {
    const report = await runConformance({ store: spec })
    const problems = report.results.filter((result) => result.status === 'fail' || result.status === 'warn')
    expect(problems).toEqual([])
    expect(report.summary.skipped).toBe(0)
  })
})

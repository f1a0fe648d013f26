import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { startVitest } from 'vitest/node'
import { storeConformance } from '../src/vitest.js'
import referenceStore from './stores/correct/reference-store.js'

// What a store author writes: one vitest test per check, from the same definitions as the CLI.
storeConformance(referenceStore, { name: 'reference store' })
storeConformance('memory', { only: ['core', 'ttl'] })

interface Outcome {
  readonly state: string
  readonly annotations: readonly string[]
  readonly errors: readonly string[]
}

/**
 * Runs a fixture of the entry in a vitest of its own (no config, no output) and returns each
 * test's outcome by its full name: whether a test passes is what is under test here.
 */
async function runEntry(file: string): Promise<Map<string, Outcome>> {
  const exitCode = process.exitCode
  const root = fileURLToPath(new URL('./fixtures/vitest-entry/', import.meta.url))
  const vitest = await startVitest('test', [], { root, config: false, include: [file], watch: false, reporters: [{}] })
  try {
    const tests = vitest.state.getTestModules().flatMap((module) => [...module.children.allTests()])
    return new Map(
      tests.map((entry) => {
        const result = entry.result()
        const errors = result.state === 'failed' ? result.errors.map((error) => error.message) : []
        const annotations = entry.annotations().map((annotation) => `${annotation.type}: ${annotation.message}`)
        return [entry.fullName, { state: result.state, annotations, errors }]
      }),
    )
  } finally {
    await vitest.close()
    // The inner run's failures are its verdict, not this process's.
    process.exitCode = exitCode
  }
}

describe("the entry's gate is the CLI's", () => {
  test('a recommended failure passes annotated, fails with strict; a required failure always fails', async () => {
    const outcomes = await runEntry('gate.conformance.ts')
    const outcome = (suite: string, check: string) => {
      const found = [...outcomes].find(([name]) => name.startsWith(`store-conformance: ${suite} > ${check}:`))
      if (!found) throw new Error(`no test for ${check} in ${suite}: ${[...outcomes.keys()].join(', ')}`)
      return found[1]
    }
    const run = (suite: string) =>
      outcomes.get(`store-conformance: ${suite} > the run itself: nothing escaped the store, cleanup succeeded`)

    const below = outcome('recommended failure', 'touch.missing-no-error')
    expect(below.state).toBe('passed')
    expect(below.annotations).toHaveLength(1)
    expect(below.annotations[0]).toContain(
      'warning: deviation (recommended check, below the required gate: does not fail the run; strict mode fails on it)',
    )
    expect(below.annotations[0]).toMatch(/impact: /)
    expect(run('recommended failure')?.state).toBe('passed')

    const strict = outcome('recommended failure, strict', 'touch.missing-no-error')
    expect(strict.state).toBe('failed')
    expect(strict.annotations).toEqual([])
    expect(strict.errors.join('\n')).toMatch(/impact: /)
    expect(run('recommended failure, strict')?.state).toBe('passed')

    for (const suite of ['required failure', 'required failure, strict']) {
      const required = outcome(suite, 'get.miss-returns-nothing')
      expect(required.state).toBe('failed')
      expect(required.errors.join('\n')).toMatch(/impact: +express-session passes any get\(\) error to next\(err\)/)
    }
    // Every other check passed, skipped or was annotated: only the two strict-or-required failures fail.
    const failed = [...outcomes].filter(([, entry]) => entry.state === 'failed').map(([name]) => name.split(' > ')[0])
    expect(failed.sort()).toEqual([
      'store-conformance: recommended failure, strict',
      'store-conformance: required failure',
      'store-conformance: required failure, strict',
    ])
  })
})

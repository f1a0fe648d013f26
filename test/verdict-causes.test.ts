import type session from 'express-session'
import { describe, expect, test } from 'vitest'
import { toProvider } from '../src/api/load-store.js'
import { runConformance } from '../src/api/run-conformance.js'
import { defineCheck } from '../src/core/define-check.js'
import type { RunReport } from '../src/core/types.js'
import { brokenStores } from './stores/broken/index.js'
import { type Callback, ReferenceStore } from './stores/correct/reference-store.js'

const run = (name: string, create: () => object, options: { only?: string[]; timeoutMs?: number } = {}) =>
  runConformance({
    store: toProvider(name, { create, capabilities: { ttlGranularityMs: 0 } }),
    timeoutMs: options.timeoutMs ?? 500,
    only: options.only,
  })

const broken = (name: string) => {
  const store = brokenStores.find((entry) => entry.name === name)
  if (!store) throw new Error(`no broken store ${name}`)
  return store.create
}

const result = (report: RunReport, id: string) => report.results.find((entry) => entry.id === id)

/** Each failure names what was observed, once, where it happens. */
describe.concurrent('messages that name the real cause', () => {
  test('a defect seen through a seeding helper is reported once; the checks that needed it say so', async () => {
    const report = await run('set-rejects-expired', broken('set-rejects-expired'))
    expect(result(report, 'ttl.past-expiry-not-returned')).toMatchObject({ status: 'fail' })
    for (const id of ['all.lists-live', 'length.counts-live', 'clear.empties-store', 'touch.does-not-revive-expired']) {
      expect(result(report, id), id).toMatchObject({
        status: 'skip',
        reason: 'prerequisite',
        message: expect.stringMatching(/set\(\) of an already-expired session failed.*ttl\.past-expiry-not-returned/),
      })
    }
  })

  test('when the check that owns the defect did not run, the one that met it fails: never lost', async () => {
    const report = await run('set-rejects-expired', broken('set-rejects-expired'), { only: ['all.lists-live'] })
    expect(result(report, 'all.lists-live')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('ttl.past-expiry-not-returned did not report it'),
    })
  })

  test('a store that never expires is told so, not to declare a granularity', async () => {
    const report = await run('never-expires', broken('never-expires'), { only: ['ttl.expires-on-time'] })
    const failure = result(report, 'ttl.expires-on-time')
    expect(failure).toMatchObject({ status: 'fail', message: expect.stringContaining('does not expire it on time') })
    expect(failure?.message).not.toContain('ttlGranularityMs')
  })

  test('a store whose expiry is coarser than it declared is told to declare it', async () => {
    // Keeps each session 1.5 s past its expiry: not never, but later than a millisecond store may.
    const late = () =>
      new (class extends ReferenceStore {
        protected override isExpired(entry: { expiresAt: number | null }): boolean {
          return entry.expiresAt !== null && entry.expiresAt + 1500 <= Date.now()
        }
      })()
    const report = await run('late-by-1.5-s', late, { only: ['ttl.expires-on-time'] })
    expect(result(report, 'ttl.expires-on-time')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('declare ttlGranularityMs'),
    })
  })

  test('an express request that hangs names the store call it waits on', async () => {
    const getHangs = () =>
      new (class extends ReferenceStore {
        override get(_sid: string, _callback: Callback) {}
      })()
    const report = await run('get-hangs', getHangs, { only: ['express.session-round-trip'], timeoutMs: 200 })
    expect(result(report, 'express.session-round-trip')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/GET \/session got no response; store calls still waiting for a callback: get/),
    })
  })

  test('clear() is not blamed on another writer when what is left is the run’s own sessions', async () => {
    const keepsEverything = () =>
      new (class extends ReferenceStore {
        override destroy(_sid: string, callback?: Callback) {
          setImmediate(() => callback?.(null))
        }
      })()
    const report = await run('destroy-does-nothing', keepsEverything, { only: ['core', 'clear'] })
    expect(result(report, 'clear.empties-store')).toMatchObject({
      status: 'skip',
      reason: 'unsafe',
      message: expect.stringContaining("this run's own sessions, still there after destroy()"),
    })
  })
})

describe.concurrent('no verdict without evidence', () => {
  test('a check that can never decide is inconclusive after three attempts, never a pass', async () => {
    let attempts = 0
    const undecidable = defineCheck({
      id: 'timing.undecidable',
      group: 'ttl',
      level: 'required',
      levelReason: 'a test check',
      title: 'a check whose timing never decides',
      impact: 'none',
      async run(ctx) {
        attempts = ctx.attempt
        ctx.inconclusive('the machine was too busy to tell')
      },
    })
    const report = await runConformance({
      store: toProvider('reference', { create: () => new ReferenceStore() }),
      checks: [undecidable],
    })
    expect(attempts).toBe(3)
    expect(result(report, 'timing.undecidable')).toMatchObject({
      status: 'skip',
      reason: 'inconclusive',
      message: expect.stringContaining('inconclusive after 3 attempt(s), never a pass'),
    })
  })

  test('a store without touch() that keeps sessions forever is not told it needs one', async () => {
    const keepsForever = () => {
      const store = new (class extends ReferenceStore {
        protected override expiryOf(): number | null {
          return null
        }
      })()
      Object.defineProperty(store, 'touch', { value: undefined })
      return store as session.Store
    }
    const report = await run('no-touch-no-expiry', keepsForever, { only: ['touch.present-when-expiring'] })
    expect(result(report, 'touch.present-when-expiring')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('does not expire sessions'),
    })
  })
})

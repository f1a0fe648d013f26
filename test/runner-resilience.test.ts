import session from 'express-session'
import { expect, test } from 'vitest'
import { toProvider } from '../src/api/load-store.js'
import { runConformance } from '../src/api/run-conformance.js'
import type { RunReport } from '../src/core/types.js'
import { runFailed } from '../src/core/verdict.js'
import { type Callback, ReferenceStore } from './stores/correct/reference-store.js'

const run = (name: string, create: () => object, timeoutMs = 200) =>
  runConformance({ store: toProvider(name, { create, capabilities: { ttlGranularityMs: 0 } }), timeoutMs })

const result = (report: RunReport, id: string) => report.results.find((entry) => entry.id === id)

/** However a store misbehaves, the run finishes (the test timeout is the bound) and says why. */
test('a store that never calls back: every call times out, the run finishes', { timeout: 30_000 }, async () => {
  const hang = () => {}
  const report = await run('hangs', () =>
    Object.assign(Object.create(session.Store.prototype) as object, {
      get: hang,
      set: hang,
      destroy: hang,
      touch: hang,
    }),
  )
  expect(result(report, 'callbacks.timely')).toMatchObject({
    status: 'fail',
    message: expect.stringContaining('did not call back within 200 ms'),
  })
  expect(result(report, 'set.round-trip')).toMatchObject({ status: 'fail', impact: expect.stringContaining('hangs') })
  expect(result(report, 'express.session-round-trip')).toMatchObject({ status: 'fail' })
})

test('a store that throws from a timer: the exception fails the check that was running', async () => {
  class TimerThrows extends ReferenceStore {
    override set(sid: string, sess: session.SessionData, callback?: Callback) {
      super.set(sid, sess, callback)
      setTimeout(() => {
        throw new Error('boom from a timer')
      }, 5)
    }
  }
  const ambushed = await runConformance({
    store: toProvider('timer-throws', { create: () => new TimerThrows(), capabilities: { ttlGranularityMs: 0 } }),
    only: ['set.round-trip', 'destroy.unknown-id'],
  })
  expect(result(ambushed, 'set.round-trip')).toMatchObject({
    status: 'fail',
    message: expect.stringContaining('uncaught exception from the store: Error: boom from a timer'),
  })
  // destroy.unknown-id never calls set(): nothing is attributed to it.
  expect(result(ambushed, 'destroy.unknown-id')).toMatchObject({ status: 'pass' })
})

test('a store that calls back twice: exactly-once fails once, the run finishes', async () => {
  class Twice extends ReferenceStore {
    override get(sid: string, callback: Callback) {
      super.get(sid, (err, value) => {
        callback(err, value)
        callback(err, value)
      })
    }
  }
  const report = await run('twice', () => new Twice())
  expect(result(report, 'callbacks.exactly-once')).toMatchObject({
    status: 'fail',
    message: expect.stringContaining('get (hit) called back 2 times'),
  })
})

test('a promise rejected by a store method is reported against the check that called it', async () => {
  class Rejects extends ReferenceStore {
    // async on purpose, as promise-returning stores (connect-redis 9) are
    override async destroy(sid: string, callback?: Callback) {
      super.destroy(sid, callback)
      throw new Error('rejected after calling back')
    }
  }
  const report = await run('rejects', () => new Rejects())
  expect(result(report, 'destroy.unknown-id')).toMatchObject({
    status: 'fail',
    message: expect.stringContaining('rejected promise from destroy()'),
  })
})

test('an error that escapes the store outside any check fails the run', async () => {
  class ThrowsLater extends ReferenceStore {
    constructor() {
      super()
      // A background job started by the constructor, as a pruning timer is.
      setTimeout(() => {
        throw new Error('background pruning failed')
      }, 5)
    }
  }
  const report = await run('throws-later', () => new ThrowsLater())
  // Once per instance the run made (its own, the second connection's, the misbehaving check's):
  // never blamed on a check that happened to be calling the store.
  expect(report.strayErrors?.length).toBeGreaterThan(0)
  expect(new Set(report.strayErrors)).toEqual(new Set(['uncaught exception: background pruning failed']))
  expect(report.results.filter((result) => result.status === 'fail')).toEqual([])
  expect(runFailed(report)).toBe(true)
})

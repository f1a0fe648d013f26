import session from 'express-session'
import { describe, expect, test } from 'vitest'
import { measure } from '../bench/measure.js'
import { OPERATIONS, prepareOperation, storeCalls } from '../bench/operations.js'
import { expressSession } from '../src/run-conformance.js'

const sessionCount = (store: session.MemoryStore) => Object.keys((store as unknown as { sessions: object }).sessions).length

describe.concurrent('each operation runs against a real store and leaves nothing behind', () => {
  test.each(OPERATIONS)('%s', async (operation) => {
    const store = new session.MemoryStore()
    const prepared = await prepareOperation(operation, { target: storeCalls(store as never), store: store as never, expressSession, payloadBytes: 4096, poolSize: 20 })
    const result = await measure(operation, prepared.fn, { timeMs: 20, iterations: 30, warmupMs: 5, ...(prepared.beforeEach ? { beforeEach: prepared.beforeEach } : {}) })
    expect(result.latency.samples).toBeGreaterThanOrEqual(30)
    await prepared.cleanup()
    expect(sessionCount(store)).toBe(0)
  })
})

test('get-hit reads sessions that are there; get-miss ones that are not', async () => {
  const store = new session.MemoryStore()
  const seen: unknown[] = []
  const original = store.get.bind(store)
  store.get = (sid, callback) => original(sid, (err, value) => (seen.push(value), callback(err, value)))
  for (const operation of ['get-hit', 'get-miss'] as const) {
    const prepared = await prepareOperation(operation, { target: storeCalls(store as never), store: store as never, expressSession, payloadBytes: 256, poolSize: 5 })
    seen.length = 0
    for (let i = 0; i < 10; i++) await prepared.fn()
    expect(seen.every((value) => (operation === 'get-hit' ? value != null : value == null))).toBe(true)
    await prepared.cleanup()
  }
})

import session from 'express-session'
import { describe, expect, test } from 'vitest'
import { measure } from '../src/bench/measure.js'
import { type BenchOperation, OPERATIONS, prepareOperation } from '../src/bench/operations.js'
import { Workspace } from '../src/bench/workspace.js'
import { expressSession } from '../src/core/express-session.js'
import { storeCalls } from '../src/core/store-calls.js'

const sessionCount = (store: session.MemoryStore) =>
  Object.keys((store as unknown as { sessions: object }).sessions).length

/** A MemoryStore that records what each call was asked and answered. */
function recordingStore() {
  const store = new session.MemoryStore()
  const calls: { method: string; sid: string; found?: boolean }[] = []
  const get = store.get.bind(store)
  const set = store.set.bind(store)
  const touch = store.touch.bind(store)
  const destroy = store.destroy.bind(store)
  store.get = (sid, callback) =>
    get(sid, (err, value) => {
      calls.push({ method: 'get', sid, found: value != null })
      callback(err, value)
    })
  store.set = (sid, value, callback) => {
    calls.push({ method: 'set', sid })
    set(sid, value, callback)
  }
  store.touch = (sid, value, callback) => {
    calls.push({ method: 'touch', sid })
    touch(sid, value, callback)
  }
  store.destroy = (sid, callback) => {
    calls.push({ method: 'destroy', sid })
    destroy(sid, callback)
  }
  return { store, calls }
}

const workspaceOn = (store: session.MemoryStore, poolSize = 20) =>
  new Workspace({
    calls: storeCalls(store as never),
    store: store as never,
    expressSession,
    payloadBytes: 1024,
    poolSize,
  })

describe.concurrent('every operation runs against a real store, and the workspace leaves nothing behind', () => {
  test.each([...OPERATIONS, 'mix:read-heavy', 'mix:write-heavy'] as BenchOperation[])('%s', async (operation) => {
    const store = new session.MemoryStore()
    const workspace = workspaceOn(store)
    const prepared = await prepareOperation(operation, workspace)
    const result = await measure(operation, prepared.fn, {
      timeMs: 20,
      iterations: 30,
      warmupMs: 5,
      ...(prepared.beforeEach ? { beforeEach: prepared.beforeEach } : {}),
    })
    expect(result.latency.samples).toBeGreaterThanOrEqual(30)
    await workspace.cleanup()
    expect(sessionCount(store)).toBe(0)
  })
})

test('get-hit reads sessions that are there; get-miss ones that are not', async () => {
  const { store, calls } = recordingStore()
  const workspace = workspaceOn(store, 5)
  for (const operation of ['get-hit', 'get-miss'] as const) {
    const prepared = await prepareOperation(operation, workspace)
    calls.length = 0
    for (let i = 0; i < 10; i++) await prepared.fn()
    expect(calls.map((call) => call.found)).toEqual(Array(10).fill(operation === 'get-hit'))
  }
  await workspace.cleanup()
})

test('destroy removes the sessions set-new wrote, and writes more only when they run out', async () => {
  const { store, calls } = recordingStore()
  const workspace = workspaceOn(store)
  const setNew = await prepareOperation('set-new', workspace)
  for (let i = 0; i < 3; i++) {
    await setNew.beforeEach?.()
    await setNew.fn()
  }
  const destroy = await prepareOperation('destroy', workspace)
  calls.length = 0
  for (let i = 0; i < 5; i++) {
    await destroy.beforeEach?.()
    await destroy.fn()
  }
  // Three spares are taken as they are; the next two are written first (untimed), then destroyed.
  expect(calls.map((call) => call.method)).toEqual([
    'destroy',
    'destroy',
    'destroy',
    'set',
    'destroy',
    'set',
    'destroy',
  ])
  expect(sessionCount(store)).toBe(0)
})

test('a request mix reads then touches or sets, in the proportion asked for', async () => {
  const { store, calls } = recordingStore()
  const workspace = workspaceOn(store)
  const prepared = await prepareOperation('mix:reads:80', workspace)
  calls.length = 0
  for (let i = 0; i < 1000; i++) await prepared.fn()
  const methods = calls.map((call) => call.method)
  expect(methods.filter((method) => method === 'get')).toHaveLength(1000)
  const touches = methods.filter((method) => method === 'touch').length
  expect(touches + methods.filter((method) => method === 'set').length).toBe(1000)
  // Seeded: the same 1000 draws every time, so the share is exact for this seed and close to 80 %.
  expect(touches / 1000).toBeGreaterThan(0.75)
  expect(touches / 1000).toBeLessThan(0.85)
  await workspace.cleanup()
  expect(sessionCount(store)).toBe(0)
})

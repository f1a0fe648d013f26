import session from 'express-session'
import { expect, test } from 'vitest'
import { toProvider } from '../src/api/load-store.js'
import { runConformance } from '../src/api/run-conformance.js'
import type { SessionStore } from '../src/core/types.js'
import { checks } from '../src/suites/index.js'

const provider = (store: session.MemoryStore) =>
  toProvider('memory', { create: () => store, capabilities: { ttlGranularityMs: 0 } })
const count = (store: session.MemoryStore) =>
  new Promise<number>((resolve) => store.length((_err, n) => resolve(n ?? -1)))
const load = (store: session.MemoryStore, sid: string) =>
  new Promise((resolve) => store.get(sid, (_err, sess) => resolve(sess)))
/** A session the run did not create, as another application would have stored it. */
const foreignSession = (data: Record<string, unknown> = {}) =>
  ({
    cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000), httpOnly: true, path: '/' },
    ...data,
  }) as never

test('a run leaves nothing behind in the store', async () => {
  const store = new session.MemoryStore()
  await runConformance({ store: provider(store) })
  expect(Object.keys((store as unknown as { sessions: object }).sessions)).toEqual([])
})

test('a store that already held sessions keeps them: clear() is skipped, not run', async () => {
  const store = new session.MemoryStore()
  await new Promise((resolve) => store.set('someone-elses-session', foreignSession({ user: 'bob' }), resolve))
  const report = await runConformance({ store: provider(store) })
  expect(report.results.find((result) => result.id === 'clear.empties-store')).toMatchObject({
    status: 'skip',
    reason: 'unsafe',
    message: expect.stringContaining('the store held 1 session(s) before the run; pass --allow-clear'),
  })
  expect(await load(store, 'someone-elses-session')).toMatchObject({ user: 'bob' })
  expect(await count(store)).toBe(1)
})

test('--allow-clear runs clear() on a store that held data', async () => {
  const store = new session.MemoryStore()
  await new Promise((resolve) => store.set('disposable', foreignSession(), resolve))
  const report = await runConformance({ store: provider(store), allowClear: true, only: ['clear'] })
  expect(report.results.find((result) => result.id === 'clear.empties-store')).toMatchObject({ status: 'pass' })
})

test('a store without length() or all() never has clear() run on it', async () => {
  const store = new session.MemoryStore() as unknown as SessionStore
  const report = await runConformance({
    store: toProvider('blind', {
      create: () => store,
      capabilities: { length: false, all: false, ttlGranularityMs: 0 },
    }),
    only: ['clear'],
  })
  expect(report.results.find((result) => result.id === 'clear.empties-store')).toMatchObject({
    status: 'skip',
    reason: 'unsafe',
    message: expect.stringContaining('cannot tell whether the store held other data'),
  })
})

test('a capability declared absent skips its checks with the reason, never a silent pass', async () => {
  const report = await runConformance({
    store: toProvider('no-touch', {
      create: () => new session.MemoryStore(),
      capabilities: { touch: false, ttlGranularityMs: 0 },
    }),
    only: ['touch', 'ttl'],
  })
  const selected = (check: (typeof checks)[number]) => ['touch', 'ttl'].includes(check.group)
  const needsTouch = new Set(
    checks.filter((check) => selected(check) && check.requires.includes('touch')).map((check) => check.id),
  )
  const touchChecks = report.results.filter((result) => needsTouch.has(result.id))
  expect(touchChecks.length).toBeGreaterThan(0)
  for (const result of touchChecks)
    expect(result).toMatchObject({
      status: 'skip',
      reason: 'capability',
      message: 'the store does not implement touch()',
    })
})

test('clear() is skipped when another writer adds sessions during the run', async () => {
  const store = new session.MemoryStore()
  const originalSet = store.set.bind(store)
  let intruded = false
  store.set = (sid, sess, callback) => {
    if (!intruded) {
      intruded = true
      originalSet('another-writers-session', foreignSession({ user: 'carol' }))
    }
    originalSet(sid, sess, callback)
  }
  const report = await runConformance({ store: provider(store) })
  expect(report.results.find((result) => result.id === 'clear.empties-store')).toMatchObject({
    status: 'skip',
    reason: 'unsafe',
    message: expect.stringContaining('another writer is using the store'),
  })
  expect(await load(store, 'another-writers-session')).toMatchObject({ user: 'carol' })
})

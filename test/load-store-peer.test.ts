import session from 'express-session'
import { expect, test } from 'vitest'
import { toProvider } from '../src/api/load-store.js'
import { ConformanceError } from '../src/core/errors.js'
import { expressSession } from '../src/core/express-session.js'
import type { SessionStore } from '../src/core/types.js'

test('a factory export gives peers: each a distinct store made the same way', async () => {
  const provider = toProvider('factory', () => new session.MemoryStore())
  const store = await provider.create(expressSession)
  const peer = await provider.peer?.(expressSession)
  expect(peer?.store).toBeInstanceOf(session.MemoryStore)
  expect(peer?.store).not.toBe(store)
  await peer?.close()
})

test('a Store class export gives peers', async () => {
  const provider = toProvider('class', session.MemoryStore)
  const peer = await provider.peer?.(expressSession)
  expect(peer?.store).toBeInstanceOf(session.MemoryStore)
})

test("an object export's peer is let go with the module's close()", async () => {
  const closed: SessionStore[] = []
  const provider = toProvider('object', {
    create: () => new session.MemoryStore(),
    close: (store: SessionStore) => void closed.push(store),
  })
  const peer = await provider.peer?.(expressSession)
  expect(closed).toEqual([])
  await peer?.close()
  expect(closed).toHaveLength(1)
  expect(closed[0]).toBe(peer?.store)
})

test('a peer is made through createStore: a factory that fails is a clear error', async () => {
  let calls = 0
  const provider = toProvider('second-fails', () => {
    if (++calls > 1) throw new Error('no second connection')
    return new session.MemoryStore()
  })
  await provider.create(expressSession)
  const failure = provider.peer?.(expressSession)
  await expect(failure).rejects.toBeInstanceOf(ConformanceError)
  await expect(failure).rejects.toThrow(/second-fails: the store factory threw: no second connection/)
})

test('an instance export has no peer: it is the only store there is', () => {
  expect(toProvider('instance', new session.MemoryStore()).peer).toBeUndefined()
})

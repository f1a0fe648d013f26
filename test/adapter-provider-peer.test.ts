import { expect, test } from 'vitest'
import { adapterProvider } from '../src/api/adapter-provider.js'
import { loadAdapter } from '../src/backends/index.js'
import { expressSession } from '../src/core/express-session.js'

test("a built-in's provider offers what its opened store offers, once create() has opened it", async () => {
  const provider = adapterProvider(await loadAdapter('file'))
  expect(provider.peer).toBeUndefined()
  const store = await provider.create(expressSession)
  try {
    const peer = await provider.peer?.(expressSession)
    expect(peer?.store).toBeDefined()
    expect(peer?.store).not.toBe(store)
    await peer?.close()
    // Files hold no expiry of their own.
    expect(provider.backendExpiry).toBeUndefined()
  } finally {
    await provider.close?.(store)
  }
})

test('an in-process store has no peer: another instance would share nothing', async () => {
  const provider = adapterProvider(await loadAdapter('memory'))
  const store = await provider.create(expressSession)
  expect(provider.peer).toBeUndefined()
  expect(provider.backendExpiry).toBeUndefined()
  await provider.close?.(store)
})

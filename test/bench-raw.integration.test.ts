import { describe, expect, test } from 'vitest'
import { isRequired, requiredList } from '../src/api/required.js'
import { backendOf, builtinAdapterNames, loadAdapter, openRawBaseline } from '../src/backends/index.js'
import type { OpenedStore, RawBaseline } from '../src/backends/types.js'
import { BackendUnavailableError } from '../src/backends/unavailable.js'
import { expressSession } from '../src/core/express-session.js'

const required = requiredList([])

/** What the baseline wrote that is left after its close(), asked of the backend by its own leftover probe. */
async function leftovers(name: string, url: string, raw: RawBaseline): Promise<string[]> {
  const probe = backendOf(name)?.leftovers
  if (probe) return probe(url, raw.namespace, ['kept'])
  // In process, the Map is the namespace: nothing outside it to ask, so ask the closed baseline itself.
  return (await raw.get('kept')) === undefined ? [] : ['kept']
}

describe.concurrent('each raw baseline does the plain operations on its store’s backend, then removes its data', () => {
  test.for(builtinAdapterNames)('%s', async (name, context) => {
    const adapter = await loadAdapter(name)
    let opened: OpenedStore
    try {
      opened = await adapter.open({ session: expressSession })
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      expect(isRequired(required, name, adapter.backend), `${name} is required here: ${error.message}`).toBe(false)
      return context.skip(error.message)
    }
    try {
      const raw = await openRawBaseline(name, opened)
      if (!raw) throw new Error(`${name} has no raw baseline`)
      const closed = { done: false }
      context.onTestFinished(() => (closed.done ? undefined : raw.close()))
      const session = {
        cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000).toISOString() },
        user: 'ada',
        cart: ['ü', '😀'],
      }
      expect(await raw.get('missing')).toBeUndefined()
      await raw.set('one', session)
      expect(await raw.get('one')).toEqual(session)
      await raw.touch('one', session)
      expect(await raw.get('one')).toEqual(session)
      await raw.set('one', { ...session, user: 'grace' })
      expect(await raw.get('one')).toMatchObject({ user: 'grace' })
      await raw.destroy('one')
      expect(await raw.get('one')).toBeUndefined()
      // 64 in flight on one id, as the bench's mixes do: a read never sees half a write.
      const large = { ...session, cart: Array.from({ length: 2000 }, (_, i) => `item ${i}`) }
      await raw.set('busy', large)
      for (let round = 0; round < 10; round++) {
        const reads = await Promise.all(
          Array.from({ length: 64 }, (_, i) => (i % 2 ? raw.set('busy', large) : raw.get('busy'))),
        )
        for (const read of reads.filter((_, i) => i % 2 === 0)) expect(read).toEqual(large)
      }
      await raw.destroy('busy')
      await raw.set('kept', session)
      closed.done = true
      await raw.close()
      expect(await leftovers(name, opened.backend?.url ?? '', raw), `${raw.namespace} was left behind`).toEqual([])
    } finally {
      await opened.close()
    }
  })
})

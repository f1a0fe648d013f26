import { mkdtemp, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { OpenedStore } from '../adapters/_adapter.js'
import { runToken } from '../adapters/_packages.js'
import { deleteKeysUnder } from '../adapters/redis.js'
import type { StoreCalls } from './operations.js'

const TTL_SECONDS = 3600

/**
 * The same backend without the store: the plain operations a store boils down to, each still
 * serialising to JSON and back (any store must). The store's time over this is its overhead.
 */
export interface RawBaseline extends StoreCalls {
  /** What the baseline does, in words (shown in reports). */
  readonly describes: string
  close(): Promise<void>
}

/** A raw baseline for the built-in store `name`, or undefined where there is none yet. */
export async function openRawBaseline(name: string, opened: OpenedStore): Promise<RawBaseline | undefined> {
  switch (name) {
    case 'memory':
    case 'memorystore':
      return memoryBaseline()
    case 'file':
      return fileBaseline()
    case 'redis':
      return opened.backend ? redisBaseline(opened.backend.url) : undefined
    default:
      return undefined
  }
}

/** JSON into and out of a Map, deferred like MemoryStore's callbacks. */
function memoryBaseline(): RawBaseline {
  const map = new Map<string, string>()
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
  return {
    describes: 'JSON.stringify/parse into a Map',
    get: async (sid) => {
      await tick()
      const text = map.get(sid)
      return text === undefined ? undefined : JSON.parse(text)
    },
    set: async (sid, session) => void (await tick(), map.set(sid, JSON.stringify(session))),
    touch: async (sid) => void (await tick(), map.has(sid)),
    destroy: async (sid) => void (await tick(), map.delete(sid)),
    close: async () => map.clear(),
  }
}

/** fs.writeFile/readFile of JSON files in a temp directory; touch is utimes. */
async function fileBaseline(): Promise<RawBaseline> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-raw-file-'))
  const file = (sid: string) => path.join(dir, `${sid}.json`)
  return {
    describes: 'fs.writeFile/readFile of JSON files',
    get: async (sid) => {
      try {
        return JSON.parse(await readFile(file(sid), 'utf8'))
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined
        throw error
      }
    },
    set: (sid, session) => writeFile(file(sid), JSON.stringify(session)),
    touch: async (sid) => {
      const now = new Date()
      await utimes(file(sid), now, now).catch(() => {})
    },
    destroy: (sid) => unlink(file(sid)).catch(() => {}),
    close: () => rm(dir, { recursive: true, force: true }),
  }
}

/** node-redis GET / SET EX / EXPIRE / DEL on the same server, under a prefix of its own. */
async function redisBaseline(url: string): Promise<RawBaseline> {
  const { createClient } = await import('redis')
  const client = createClient({ url, disableOfflineQueue: true })
  client.on('error', () => {})
  await client.connect()
  const prefix = `sc-raw-${runToken()}:`
  return {
    describes: 'node-redis GET, SET EX, EXPIRE, DEL',
    get: async (sid) => {
      const text = await client.get(prefix + sid)
      return text === null ? undefined : JSON.parse(text)
    },
    set: async (sid, session) => void (await client.set(prefix + sid, JSON.stringify(session), { EX: TTL_SECONDS })),
    touch: async (sid) => void (await client.expire(prefix + sid, TTL_SECONDS)),
    destroy: async (sid) => void (await client.del(prefix + sid)),
    close: async () => {
      await deleteKeysUnder(client, prefix)
      await client.close()
    },
  }
}

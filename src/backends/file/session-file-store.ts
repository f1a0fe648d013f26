import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { SessionStore } from '../../core/types.js'
import { ownedTempDir } from '../_temp-dirs.js'
import { defineAdapter } from '../define.js'
import { importPackages } from '../packages.js'
import { namesOutside } from './outside.js'

type FileStoreFactory = (session: unknown) => new (options: object) => SessionStore

/** session-file-store: one JSON file per session in a directory. */
export const sessionFileStore = defineAdapter({
  name: 'file',
  package: 'session-file-store',
  pinned: {
    retries: '0: the default 5 retries of 50–100 ms make every miss cost ~300 ms and log "will retry"',
    reapInterval: '-1: no background reaper timer; expiry is checked on read',
    logFn: 'silenced: the store logs every miss',
  },
  // Expiry is __lastAccess + originalMaxAge, compared in milliseconds.
  capabilities: { ttlGranularityMs: 0 },
  isolation: 'a temporary directory per run, removed at close',
  // No backendExpiry: the files carry no expiry of their own; the store computes it on read.
  async open({ session }) {
    const [{ default: factory }] = await importPackages<[{ default: FileStoreFactory }]>('file', [
      { name: 'session-file-store', range: '^1.5' },
    ])
    const FileStore = factory(session)
    // The store's own directory inside the run's, so the owner mark is not one of its files.
    const dir = await ownedTempDir('file-store')
    const sessions = path.join(dir, 'sessions')
    await mkdir(sessions)
    // The run's store and each peer: another FileStore on the same directory.
    const connect = () => new FileStore({ path: sessions, retries: 0, reapInterval: -1, logFn: () => {} })
    return {
      store: connect(),
      namespace: dir,
      close: () => rm(dir, { recursive: true, force: true }),
      // Without a reaper timer, a FileStore holds nothing to let go.
      peer: async () => ({ store: connect(), close: async () => {} }),
      // The store joins the id into a path: what a hostile id reached is beside or above its directory.
      outsideNamespace: (marker) => namesOutside(sessions, dir, marker),
    }
  },
})

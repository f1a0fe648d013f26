import { runToken } from '../../core/token.js'
import type { Cleanup } from '../_cleanup.js'
import { openOnServer } from '../_open-on-server.js'
import { peerOpener } from '../_peers.js'
import { defineAdapter } from '../define.js'
import { connectMongoStore, importMongoPackages, MONGO_COLLECTION } from './connect.js'
import { mongoExpiry, type SessionDocument } from './expiry.js'
import { mongoNamesOutside } from './outside.js'
import { mongoServer } from './server.js'

/** connect-mongo with the official driver: one document per session, expiry as a Date. */
export const connectMongo = defineAdapter({
  name: 'mongo',
  package: 'connect-mongo',
  backend: mongoServer.kind,
  pinned: {
    dbName: 'unique per run (sc_<token>), dropped at close',
    touchAfter: '0 (the default): every touch() writes, so touch behaviour is measured, not skipped',
    autoRemove: "'disabled': no TTL index or timer during the run; expiry is filtered on read",
    stringify: 'true (the default): sessions are stored as JSON strings',
  },
  // The document's expires is a Date: millisecond resolution.
  capabilities: { ttlGranularityMs: 0 },
  isolation: 'a database sc_<token> unique per run, dropped at close',
  async open({ url }) {
    const packages = await importMongoPackages()
    return openOnServer(mongoServer, url, async (backend, cleanup) => {
      const dbName = `sc_${runToken()}`
      const connect = (steps: Cleanup, url = backend.url) => connectMongoStore(packages, url, dbName, steps)
      const { client, store } = await connect(cleanup)
      cleanup.add(`drop database ${dbName}`, () => client.db(dbName).dropDatabase())
      return {
        store,
        namespace: dbName,
        peer: peerOpener(cleanup, connect),
        backendExpiry: (sid) => mongoExpiry(client.db(dbName).collection<SessionDocument>(MONGO_COLLECTION), sid),
        outsideNamespace: (marker) => mongoNamesOutside(client, dbName, MONGO_COLLECTION, marker),
      }
    })
  },
})

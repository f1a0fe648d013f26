import { runToken } from '../../core/token.js'
import type { SessionStore } from '../../core/types.js'
import { openOnServer } from '../_open-on-server.js'
import { importPackage } from '../_packages.js'
import { defineAdapter } from '../define.js'
import { mongoServer } from './server.js'

type MongoDb = typeof import('mongodb')
type ConnectMongo = { default: { create(options: object): SessionStore & { close(): Promise<void> } } }

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
    const [{ MongoClient }, connectMongo] = await Promise.all([
      importPackage<MongoDb>('mongodb', 'mongo'),
      importPackage<ConnectMongo>('connect-mongo', 'mongo'),
    ])
    return openOnServer(mongoServer, url, async (backend, cleanup) => {
      const client = await new MongoClient(backend.url, { serverSelectionTimeoutMS: 5000 }).connect()
      cleanup.add('disconnect from mongo', () => client.close())
      const dbName = `sc_${runToken()}`
      cleanup.add(`drop database ${dbName}`, () => client.db(dbName).dropDatabase())
      const options = {
        client,
        dbName,
        collectionName: 'sessions',
        touchAfter: 0,
        autoRemove: 'disabled',
        stringify: true,
      }
      const store = connectMongo.default.create(options)
      return { store, namespace: dbName }
    })
  },
})

import { serverUrl } from '../_raw-baseline.js'
import { defineBackend } from '../define.js'
import { connectMongo } from './connect-mongo.js'
import { databaseLeft } from './leftovers.js'
import { mongoNamespaces, removeMongoNamespace } from './namespaces.js'
import { mongoBaseline } from './raw-baseline.js'
import { mongoServer } from './server.js'

/** MongoDB: connect-mongo on the official driver; the raw baseline is the driver itself. */
export const mongo = defineBackend({
  name: 'mongo',
  server: mongoServer,
  stores: [connectMongo],
  rawBaseline: (opened) => mongoBaseline(serverUrl(opened)),
  leftovers: databaseLeft,
  namespaces: mongoNamespaces,
  removeNamespace: removeMongoNamespace,
})

import { serverUrl } from '../_raw-baseline.js'
import { defineBackend } from '../define.js'
import { connectPgSimple } from './connect-pg-simple.js'
import { schemaLeft } from './leftovers.js'
import { postgresNamespaces, removePostgresNamespace } from './namespaces.js'
import { postgresBaseline } from './raw-baseline.js'
import { postgresServer } from './server.js'

/** PostgreSQL: connect-pg-simple on node-postgres; the raw baseline runs its statements on pg. */
export const postgres = defineBackend({
  name: 'postgres',
  server: postgresServer,
  stores: [connectPgSimple],
  rawBaseline: (opened) => postgresBaseline(serverUrl(opened)),
  leftovers: schemaLeft,
  namespaces: postgresNamespaces,
  removeNamespace: removePostgresNamespace,
})

import { serverUrl } from '../_raw-baseline.js'
import { defineBackend } from '../define.js'
import { expressMysqlSession } from './express-mysql-session.js'
import { tableLeft } from './leftovers.js'
import { mysqlNamespaces, removeMysqlNamespace } from './namespaces.js'
import { mysqlBaseline } from './raw-baseline.js'
import { mysqlServer } from './server.js'

/** MySQL or MariaDB: express-mysql-session on mysql2; the raw baseline runs its statements on mysql2. */
export const mysql = defineBackend({
  name: 'mysql',
  server: mysqlServer,
  stores: [expressMysqlSession],
  rawBaseline: (opened) => mysqlBaseline(serverUrl(opened)),
  leftovers: tableLeft,
  namespaces: mysqlNamespaces,
  removeNamespace: removeMysqlNamespace,
})

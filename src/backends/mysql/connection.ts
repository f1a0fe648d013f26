import { ConformanceError } from '../../core/errors.js'

/** One set of connection options for the store, its cleanup and the raw baseline; a URL must name its database. */
export function mysqlConnectionOptions(url: string) {
  const target = new URL(url)
  const database = decodeURIComponent(target.pathname.slice(1))
  if (!database) {
    throw new ConformanceError(
      'SC_BAD_OPTION',
      'the MySQL URL must name a database, e.g. mysql://root@127.0.0.1:3306/test',
    )
  }
  return {
    host: target.hostname,
    port: Number(target.port || 3306),
    user: decodeURIComponent(target.username || 'root'),
    password: decodeURIComponent(target.password),
    database,
  }
}

import type { MongoClient } from 'mongodb'
import type { SessionStore } from '../../core/types.js'
import type { Cleanup } from '../_cleanup.js'
import { importPackages } from '../packages.js'

type ConnectMongo = { default: { create(options: object): SessionStore & { close(): Promise<void> } } }

/** The collection connect-mongo is given in the run's database. */
export const MONGO_COLLECTION = 'sessions'

/** The official driver and connect-mongo, imported once per open. */
export interface MongoPackages {
  readonly mongodb: typeof import('mongodb')
  readonly connectMongo: ConnectMongo
}

export async function importMongoPackages(): Promise<MongoPackages> {
  const [mongodb, connectMongo] = await importPackages<[typeof import('mongodb'), ConnectMongo]>('mongo', [
    { name: 'mongodb', range: '^6' },
    { name: 'connect-mongo', range: '^6' },
  ])
  return { mongodb, connectMongo }
}

/**
 * A MongoClient of its own, connected, and a MongoStore on it in `dbName`: how the run's store
 * and each of its peers are made. `cleanup` learns how to close the client.
 */
export async function connectMongoStore(
  { mongodb, connectMongo }: MongoPackages,
  url: string,
  dbName: string,
  cleanup: Cleanup,
): Promise<{ client: MongoClient; store: SessionStore }> {
  const client = new mongodb.MongoClient(url, { serverSelectionTimeoutMS: 5000 })
  // Registered before connecting: close() also lets go of a client that never connected.
  cleanup.add('disconnect from mongo', () => client.close())
  await client.connect()
  const store = connectMongo.default.create({
    client,
    dbName,
    collectionName: MONGO_COLLECTION,
    touchAfter: 0,
    autoRemove: 'disabled',
    stringify: true,
  })
  return { client, store }
}

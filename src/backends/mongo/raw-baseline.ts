import { runToken } from '../../core/token.js'
import { fromJson, RAW_TTL_SECONDS } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'

interface SessionDocument {
  _id: string
  session: string
  expires: Date
}

/**
 * The official driver doing what connect-mongo does (findOne with an expiry filter, updateOne
 * with upsert, updateOne of expires, deleteOne) on JSON strings, in a database of its own that is
 * dropped at close.
 */
export async function mongoBaseline(url: string): Promise<RawBaseline> {
  const { MongoClient } = await import('mongodb')
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect()
  const db = client.db(`sc_raw_${runToken()}`)
  const sessions = db.collection<SessionDocument>('sessions')
  const expires = () => new Date(Date.now() + RAW_TTL_SECONDS * 1000)
  return {
    describes: 'mongodb driver findOne, updateOne (upsert), updateOne, deleteOne',
    namespace: db.databaseName,
    get: async (sid) => fromJson((await sessions.findOne({ _id: sid, expires: { $gt: new Date() } }))?.session),
    set: async (sid, session) => {
      await sessions.updateOne(
        { _id: sid },
        { $set: { session: JSON.stringify(session), expires: expires() } },
        { upsert: true },
      )
    },
    touch: async (sid) => void (await sessions.updateOne({ _id: sid }, { $set: { expires: expires() } })),
    destroy: async (sid) => void (await sessions.deleteOne({ _id: sid })),
    close: async () => {
      try {
        await db.dropDatabase()
      } finally {
        await client.close()
      }
    },
  }
}

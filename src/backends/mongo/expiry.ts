import type { Collection } from 'mongodb'

/** A session document as connect-mongo writes it: _id is the sid (no transformId is pinned). */
export interface SessionDocument {
  _id: string
  session: string
  expires?: Date
}

/**
 * The `expires` field of `sid`'s document in epoch ms: null where the document has none (the
 * store reads those as never expiring), undefined without a document.
 */
export async function mongoExpiry(
  sessions: Collection<SessionDocument>,
  sid: string,
): Promise<number | null | undefined> {
  const found = await sessions.findOne({ _id: sid }, { projection: { _id: 0, expires: 1 } })
  if (!found) return undefined
  return found.expires instanceof Date ? found.expires.getTime() : null
}

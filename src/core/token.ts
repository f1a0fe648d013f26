import { randomBytes } from 'node:crypto'

/**
 * A token for namespaces (key prefixes, schema, table, database and directory names): when it
 * was made, in seconds base 36 (six characters until 2038, seven after), then six random hex digits. The time
 * lets `store-conformance clean` tell an abandoned namespace from one a run is using now.
 */
export function runToken(now = Date.now()): string {
  return `${Math.floor(now / 1000).toString(36)}${randomBytes(3).toString('hex')}`
}

/** This tool's namespace names: `sc-`/`sc_`, an optional role (`raw`, `sessions`, `bench`), the token. */
const NAMESPACE = /^sc[-_](?:[a-z]+[-_])*([0-9a-z]{6,7})[0-9a-f]{6}(?:[-_:]|$)/

/** When the namespace `name` was made; undefined if it is not this tool's or its token has no time. */
export function namespaceCreatedAt(name: string): Date | undefined {
  const time = NAMESPACE.exec(name)?.[1]
  if (time === undefined) return undefined
  const seconds = Number.parseInt(time, 36)
  // From 2020 on: anything earlier is an older, time-less token that happened to match.
  return seconds > 1_577_836_800 ? new Date(seconds * 1000) : undefined
}

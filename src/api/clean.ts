import { BACKEND_KINDS, backends } from '../backends/index.js'
import { envUrl } from '../backends/provision.js'
import type { BackendModule } from '../backends/types.js'
import { ConformanceError, messageOf } from '../core/errors.js'
import { redactCredentials } from '../core/redact.js'
import { namespaceCreatedAt } from '../core/token.js'

/** Below this, a namespace may belong to a run going on now: `clean` never touches it. */
export const MIN_CLEAN_AGE_MS = 10 * 60_000
export const DEFAULT_CLEAN_AGE_MS = 60 * 60_000

export interface CleanOptions {
  /** Backend kinds to look at (redis, postgres, …). @default every one with a URL in the environment */
  readonly backends?: readonly string[]
  /** The URL of the one backend named (as --url); wins over the environment. */
  readonly url?: string
  /** Only namespaces made longer ago than this are stale. @default 1 hour; at least 10 minutes */
  readonly olderThanMs?: number
  /** Remove the stale namespaces; without it they are only listed. @default false */
  readonly remove?: boolean
  readonly env?: NodeJS.ProcessEnv
  readonly now?: number
}

/** One namespace found, and what became of it. */
export interface FoundNamespace {
  readonly backend: string
  readonly namespace: string
  /** When its run made it, from the time in its token; absent for names without one. */
  readonly createdAt?: string
  readonly action: 'removed' | 'stale' | 'too-recent' | 'age-unknown' | 'failed'
  readonly error?: string
}

export interface CleanReport {
  readonly namespaces: readonly FoundNamespace[]
  /** Backends not looked at, and why (no URL, cannot list keys, did not answer). */
  readonly skipped: readonly { readonly backend: string; readonly reason: string }[]
}

/**
 * Finds what interrupted runs left on shared servers: key prefixes, schemas, tables and databases
 * named by this tool (`sc-`, `sc_`) whose token says they were made longer ago than the minimum
 * age. It lists them, and removes them only when asked. Names without a time (from older
 * versions) are listed and never removed: nothing says they are abandoned.
 */
export async function cleanNamespaces(options: CleanOptions = {}): Promise<CleanReport> {
  const olderThanMs = options.olderThanMs ?? DEFAULT_CLEAN_AGE_MS
  if (!(olderThanMs >= MIN_CLEAN_AGE_MS)) {
    throw new ConformanceError('SC_BAD_OPTION', `the minimum age is ${MIN_CLEAN_AGE_MS / 60_000} minutes`)
  }
  const chosen = chooseBackends(options)
  const now = options.now ?? Date.now()
  const namespaces: FoundNamespace[] = []
  const skipped: { backend: string; reason: string }[] = []
  for (const backend of chosen) {
    const url = urlOf(backend, options)
    if (!backend.namespaces || !backend.removeNamespace) {
      skipped.push({ backend: backend.name, reason: 'its keys cannot be listed; they expire with their TTL' })
      continue
    }
    if (url === undefined) {
      const vars = backend.server?.envVars.join('/') ?? 'a URL'
      skipped.push({ backend: backend.name, reason: `no ${vars} set (servers this tool starts are its own)` })
      continue
    }
    try {
      for (const namespace of await backend.namespaces(url)) {
        namespaces.push(await judge(backend, url, namespace, { now, olderThanMs, remove: options.remove === true }))
      }
    } catch (error) {
      skipped.push({ backend: backend.name, reason: `did not answer: ${redactCredentials(messageOf(error))}` })
    }
  }
  return { namespaces, skipped }
}

async function judge(
  backend: BackendModule,
  url: string,
  namespace: string,
  rule: { now: number; olderThanMs: number; remove: boolean },
): Promise<FoundNamespace> {
  const created = namespaceCreatedAt(namespace)
  const found = { backend: backend.name, namespace, createdAt: created?.toISOString() }
  if (!created) return { ...found, action: 'age-unknown' }
  if (rule.now - created.getTime() < rule.olderThanMs) return { ...found, action: 'too-recent' }
  if (!rule.remove) return { ...found, action: 'stale' }
  try {
    await backend.removeNamespace?.(url, namespace)
    return { ...found, action: 'removed' }
  } catch (error) {
    return { ...found, action: 'failed', error: redactCredentials(messageOf(error)) }
  }
}

function chooseBackends(options: CleanOptions): BackendModule[] {
  const names = options.backends?.length ? options.backends : BACKEND_KINDS
  const unknown = names.filter((name) => !BACKEND_KINDS.includes(name))
  if (unknown.length > 0) {
    throw new ConformanceError('SC_BAD_OPTION', `unknown backend: ${unknown.join(', ')} (${BACKEND_KINDS.join(', ')})`)
  }
  if (options.url !== undefined && names.length !== 1) {
    throw new ConformanceError('SC_BAD_OPTION', '--url needs exactly one backend named, e.g. clean redis --url …')
  }
  return backends.filter((backend) => names.includes(backend.name))
}

function urlOf(backend: BackendModule, options: CleanOptions): string | undefined {
  if (options.url !== undefined) return options.url
  return backend.server && envUrl(backend.server, options.env)?.url
}

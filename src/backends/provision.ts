import { withDeadline } from '../core/deadline.js'
import { ConformanceError, firstLineOf } from '../core/errors.js'
import { redactCredentials } from '../core/redact.js'
import type { Backend, ServerSpec } from './types.js'
import { BackendUnavailableError } from './unavailable.js'

const PING_TIMEOUT_MS = 5000

export interface ProvisionOptions {
  /** An explicit URL (from a CLI flag); wins over the environment. */
  readonly url?: string
  readonly env?: NodeJS.ProcessEnv
  /** Leave out the container step (tests of the fallback order). */
  readonly containers?: boolean
}

/**
 * Finds or starts a backend, in this order: an explicit URL (flag, then the spec's environment
 * variables); a server binary on PATH, started on a free port; a container, when a runtime
 * answers. A URL that does not answer, or a server that will not start, is an error within
 * seconds. When nothing is there, BackendUnavailableError says what was tried and what would help.
 */
export async function provisionBackend(spec: ServerSpec, options: ProvisionOptions = {}): Promise<Backend> {
  const fromEnv = envUrl(spec, options.env)
  const explicit = options.url ? { name: 'the --url flag', url: options.url } : fromEnv
  if (explicit?.url) {
    const { url, name } = explicit
    try {
      const version = await pingWithin(spec, url, PING_TIMEOUT_MS)
      return { kind: spec.kind, url, source: 'env', version, stop: async () => {} }
    } catch (error) {
      throw new ConformanceError(
        'SC_BACKEND_UNREACHABLE',
        `${spec.kind} at ${redact(url)} (from ${name}) does not answer: ${firstLineOf(error)}`,
        { cause: error },
      )
    }
  }
  const tried = [`no ${spec.envVars.join('/')} set`]
  // What starts servers is loaded only when one may have to be started.
  if (spec.binary) {
    const { onPath, startLocalServer } = await import('./_local-server.js')
    if (await onPath(spec.binary.command)) return startLocalServer(spec)
    tried.push(`no ${spec.binary.command} on PATH`)
  }
  if (spec.container && options.containers !== false) {
    const { containerRuntimeAvailable, startContainer } = await import('./_container.js')
    const runtime = await containerRuntimeAvailable()
    if (runtime === 'available') return startContainer(spec)
    tried.push(CONTAINER_UNAVAILABLE[runtime])
  }
  throw new BackendUnavailableError(spec.kind, `${tried.join(', ')}; ${spec.hint}`)
}

const CONTAINER_UNAVAILABLE = {
  'no-testcontainers': 'testcontainers is not installed (npm install --save-dev testcontainers@11)',
  'unsupported-testcontainers':
    'the installed testcontainers is not version 11 (npm install --save-dev testcontainers@11)',
  'no-runtime': 'no container runtime answers',
} as const

/** The first of the spec's environment variables that holds a URL, and its name. */
export function envUrl(
  spec: ServerSpec,
  env: NodeJS.ProcessEnv = process.env,
): { name: string; url: string } | undefined {
  for (const name of spec.envVars) {
    const url = env[name]
    if (url) return { name, url }
  }
  return undefined
}

/**
 * A ping with a hard deadline: a server that accepts the connection and then says nothing must
 * not hang the run (each spec's ping also cleans up after itself when it gives up).
 */
export function pingWithin(spec: ServerSpec, url: string, timeoutMs: number): Promise<string> {
  return withDeadline(spec.ping(url, timeoutMs), timeoutMs + 500, `no answer within ${timeoutMs} ms`)
}

/** Hides a password in a URL before it is printed. */
export const redact = redactCredentials

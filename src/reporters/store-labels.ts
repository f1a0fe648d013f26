import type { StoreInfo } from '../core/types.js'
import { describeSource } from './backend-source.js'

/** `connect-redis@9.0.0`, or `—` for a store that is not a package (a user's module, MemoryStore's own). */
export function packageLabel({ package: name, version }: Pick<StoreInfo, 'package' | 'version'>): string {
  return name ? `${name}@${version ?? '?'}` : '—'
}

/**
 * `redis 7.0.15 (local server started for the run)`: a backend in words, as every report names it.
 * `ownServerHint` adds, for a server the tool started, the variable that points at one's own.
 */
export function backendLabel(backend: NonNullable<StoreInfo['backend']>, { ownServerHint = false } = {}): string {
  const { kind, version, source, envVar } = backend
  const started = source === 'local-binary' || source === 'container'
  const hint = ownServerHint && envVar && started ? `; set ${envVar} to use yours` : ''
  return `${kind}${version ? ` ${version}` : ''} (${describeSource(source)}${hint})`
}

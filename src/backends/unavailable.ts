import { ConformanceError } from '../core/errors.js'

/**
 * No backend could be found or started. Not a usage error: the run reports the store's checks as
 * skipped with this reason, unless the backend is required (--require), which fails the run.
 */
export class BackendUnavailableError extends ConformanceError {
  constructor(
    readonly kind: string,
    readonly reason: string,
  ) {
    super('SC_BACKEND_UNAVAILABLE', `${kind} is not available: ${reason}`)
    this.name = 'BackendUnavailableError'
  }
}

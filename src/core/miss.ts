import { codeOf } from './errors.js'

/**
 * Whether an error from get() means "no such session": express-session treats ENOENT that way
 * (index.js, the store.get callback), which file stores rely on.
 */
export function isMissError(error: unknown): boolean {
  return codeOf(error) === 'ENOENT'
}

import { ConformanceError, codeOf, messageOf } from '../core/errors.js'

/**
 * Imports a store or driver package an adapter needs. They are optional peers of this package
 * (nobody needs every driver), so a missing one is a clear error naming the install command.
 */
export async function importPackage<T>(name: string, adapter: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (error) {
    if (codeOf(error) !== 'ERR_MODULE_NOT_FOUND') throw error
    // Name the package that is really missing: it may be a dependency of `name`'s (mongodb for connect-mongo).
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(messageOf(error))?.[1] ?? name
    const pkg = missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : (missing.split('/')[0] as string)
    throw new ConformanceError(
      'SC_ADAPTER_DEPENDENCY_MISSING',
      `the ${adapter} adapter needs ${pkg}: npm install --save-dev ${pkg}`,
      {
        cause: error,
      },
    )
  }
}

import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ConformanceError } from '../src/errors.js'

const require = createRequire(import.meta.url)

/**
 * Imports a store or driver package the adapter needs. They are optional peers of this package
 * (nobody needs every driver), so a missing one is a clear error naming the install command.
 */
export async function importPackage<T>(name: string, adapter: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      // Name the package that is really missing: it may be a dependency of `name`'s (mongodb for connect-mongo).
      const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1] ?? name
      const pkg = missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : (missing.split('/')[0] as string)
      throw new ConformanceError('SC_ADAPTER_DEPENDENCY_MISSING', `the ${adapter} adapter needs ${pkg}: npm install --save-dev ${pkg}`, { cause: error })
    }
    throw error
  }
}

/** The installed version of a package, read from its package.json (found from its entry point). */
export function packageVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name))
    while (dir !== path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
        if (pkg.name === name && pkg.version) return pkg.version
      } catch {
        // No package.json at this level: keep climbing.
      }
      dir = path.dirname(dir)
    }
  } catch {
    // Not resolvable from here.
  }
  return 'unknown'
}

/** A short random token for namespaces: key prefixes, schema, table and directory names. */
export function runToken(): string {
  return randomBytes(4).toString('hex')
}

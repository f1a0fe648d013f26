import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import semver from 'semver'

const require = createRequire(import.meta.url)

/**
 * The version of `name` that an import from this package would load, read from its package.json
 * without importing it: the node_modules folders Node's resolution searches, nearest first. This
 * works for ESM-only packages and for packages whose `exports` hide package.json.
 */
export function installedVersion(name: string): string | undefined {
  for (const dir of require.resolve.paths(name) ?? []) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, name, 'package.json'), 'utf8')) as { version?: unknown }
      if (typeof pkg.version === 'string') return pkg.version
    } catch {
      // Not in this folder: the resolution looks in the next one up.
    }
  }
  return undefined
}

/**
 * The installed version of an optional peer (all have the range "*", so npm never refuses an
 * install) and whether the range this tool is written for takes it; undefined where not installed.
 */
export function installedFor(name: string, range: string): { version: string; supported: boolean } | undefined {
  const version = installedVersion(name)
  if (version === undefined) return undefined
  return { version, supported: semver.satisfies(version, range, { includePrerelease: true }) }
}

/** The installed version of a package, for reports: 'unknown' where it is not installed. */
export function packageVersion(name: string): string {
  return installedVersion(name) ?? 'unknown'
}

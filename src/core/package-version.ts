import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** The installed version of a package, read from its package.json (found from its entry point). */
export function packageVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name))
    while (dir !== path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name?: string
          version?: string
        }
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

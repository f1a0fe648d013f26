import { readFileSync } from 'node:fs'

/** The package's name and version, read from package.json (up from src/core or dist/src/core). */
function readPackage(): { name: string; version: string } {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'store-conformance' && pkg.version) return { name: pkg.name, version: pkg.version }
    } catch {
      // Try the next location.
    }
  }
  return { name: 'store-conformance', version: '0.0.0' }
}

export const tool = readPackage()

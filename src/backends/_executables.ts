import { accessSync, constants, readdirSync } from 'node:fs'
import path from 'node:path'

/**
 * Finding a server's binaries where packages put them, PATH or not: PostgreSQL's Debian packages
 * keep initdb and postgres in /usr/lib/postgresql/<version>/bin, MariaDB's server is in /usr/sbin.
 * Synchronous, because a spec's `command` is a plain property that provisioning reads.
 */

/** PATH's directories, in order. */
export function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)
}

/** The first of `dirs` that holds every one of `names` as an executable: one installation's tools. */
export function dirHolding(names: readonly string[], dirs: readonly string[]): string | undefined {
  return dirs.find((dir) => names.every((name) => isExecutable(path.join(dir, name))))
}

/** `<parent>/<version>/<sub>` for each version directory there, the highest version first. */
export function versionedDirs(parent: string, sub: string): string[] {
  const versions = readdirOrNone(parent).filter((name) => /^\d+(\.\d+)*$/.test(name))
  return versions
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((version) => path.join(parent, version, sub))
}

/**
 * A getter's worth of lookup, done once: `find()` runs on first use, not when the spec's module is
 * imported (the registry imports every backend).
 */
export function lookedUpOnce<T>(find: () => T): () => T {
  let found: { readonly value: T } | undefined
  return () => {
    found ??= { value: find() }
    return found.value
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function readdirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

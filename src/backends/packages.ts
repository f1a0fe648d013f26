import semver from 'semver'
import { ConformanceError, codeOf, messageOf } from '../core/errors.js'
import { installedFor } from '../core/package-version.js'

/**
 * A package an adapter is made of, and the versions the adapter is written and tested for. Every
 * such package is an optional peer with the range "*", so installing this tool never conflicts
 * with whatever major a project has; the range is enforced here, when the adapter opens.
 */
export interface PackageNeed {
  readonly name: string
  readonly range: string
  /** What to import, when it is not the package's main entry (mysql2/promise). */
  readonly entry?: string
}

/**
 * Imports the packages `adapter` needs, in order, after checking all of them first: every missing
 * package and every unsupported version is named in one error, with one install command.
 */
export async function importPackages<Modules extends readonly unknown[]>(
  adapter: string,
  needs: { readonly [K in keyof Modules]: PackageNeed },
): Promise<Modules> {
  assertInstalled(adapter, needs)
  return (await Promise.all(needs.map((need) => importPackage(need, adapter)))) as unknown as Modules
}

/** Throws SC_ADAPTER_DEPENDENCY_MISSING or _VERSION unless every package is installed in a supported version. */
export function assertInstalled(adapter: string, needs: readonly PackageNeed[]): void {
  const found = needs.map((need) => ({ need, installed: installedFor(need.name, need.range) }))
  const missing = found.filter(({ installed }) => installed === undefined).map(({ need }) => need)
  if (missing.length > 0) {
    throw new ConformanceError(
      'SC_ADAPTER_DEPENDENCY_MISSING',
      `the ${adapter} adapter needs ${andList(missing.map((need) => need.name))}: ${installCommand(missing)}`,
    )
  }
  const unsupported = found.filter(({ installed }) => installed?.supported === false)
  if (unsupported.length > 0) {
    const installed = andList(unsupported.map(({ need, installed }) => `${need.name} ${installed?.version}`))
    const wanted = andList(unsupported.map(({ need }) => `${need.name} ${need.range}`))
    throw new ConformanceError(
      'SC_ADAPTER_DEPENDENCY_VERSION',
      `the ${adapter} adapter is written for ${wanted}, and this project has ${installed}: ` +
        `${installCommand(unsupported.map(({ need }) => need))}, or test the version you have ` +
        'through a store module of your own (npx store-conformance ./my-store.js)',
    )
  }
}

async function importPackage(need: PackageNeed, adapter: string): Promise<unknown> {
  try {
    return await import(need.entry ?? need.name)
  } catch (error) {
    if (codeOf(error) !== 'ERR_MODULE_NOT_FOUND') throw error
    // A dependency of the package's own is missing (a broken install): name that one.
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(messageOf(error))?.[1] ?? need.name
    const pkg = missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : (missing.split('/')[0] as string)
    throw new ConformanceError(
      'SC_ADAPTER_DEPENDENCY_MISSING',
      `the ${adapter} adapter needs ${pkg}: npm install --save-dev ${pkg}`,
      { cause: error },
    )
  }
}

/** `npm install --save-dev redis@5 connect-redis@9`: each at the newest release of its supported major. */
function installCommand(needs: readonly PackageNeed[]): string {
  const specs = needs.map((need) => `${need.name}@${semver.minVersion(need.range)?.major ?? 'latest'}`)
  return `npm install --save-dev ${specs.join(' ')}`
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

import { BACKEND_KINDS, builtinAdapterNames } from '../backends/index.js'
import { ConformanceError } from '../core/errors.js'

/**
 * Whether an unavailable backend fails the run: `--require redis,postgres` (or
 * STORE_CONFORMANCE_REQUIRE) names backend kinds or store names; `all` names every one.
 */
export function isRequired(required: readonly string[], store: string, backend: string | undefined): boolean {
  return required.includes('all') || required.includes(store) || (backend !== undefined && required.includes(backend))
}

/**
 * Whether an unavailable backend fails a run: `require` as given when it is a boolean; as a list,
 * only for a built-in store it names (by store or backend kind).
 */
export function unavailableFails(
  require: boolean | readonly string[] = false,
  store: { readonly name: string; readonly builtin: boolean; readonly backend: string | undefined },
): boolean {
  if (typeof require === 'boolean') return require
  return store.builtin && isRequired(require, store.name, store.backend)
}

/**
 * The list from the flag and the environment variable together. A name that is neither a store,
 * a backend kind nor `all` is a typo, and a typo must not let a CI gate pass by skipping.
 */
export function requiredList(flag: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.STORE_CONFORMANCE_REQUIRE ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const names = [...new Set([...flag, ...fromEnv])]
  const known = new Set(['all', ...builtinAdapterNames, ...BACKEND_KINDS])
  const unknown = names.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    const what = `unknown store or backend: ${unknown.join(', ')} (known: ${[...known].join(', ')})`
    throw new ConformanceError('SC_BAD_OPTION', `--require/STORE_CONFORMANCE_REQUIRE: ${what}`)
  }
  return names
}

/**
 * Whether an unavailable backend fails the run: `--require redis,postgres` (or
 * STORE_CONFORMANCE_REQUIRE) names backend kinds or store names; `all` names every one.
 */
export function isRequired(required: readonly string[], store: string, backend: string | undefined): boolean {
  return required.includes('all') || required.includes(store) || (backend !== undefined && required.includes(backend))
}

/** The list from the flag and the environment variable together. */
export function requiredList(flag: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.STORE_CONFORMANCE_REQUIRE ?? '').split(',').map((entry) => entry.trim()).filter(Boolean)
  return [...new Set([...flag, ...fromEnv])]
}

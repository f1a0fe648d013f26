/**
 * Built-ins a store must not replace: the checks, the runner and the reporters rely on them, so a
 * store that patches `Array.prototype.filter` or `JSON.stringify` could forge its own verdict.
 * Adding a property (a polyfill) is allowed; replacing or deleting one that was there is not.
 */
const WATCHED: Readonly<Record<string, unknown>> = {
  Object,
  Function,
  Array,
  String,
  Number,
  Boolean,
  Symbol,
  BigInt,
  Date,
  RegExp,
  Error,
  Promise,
  Map,
  Set,
  WeakMap,
  WeakSet,
  JSON,
  Math,
  Reflect,
  Buffer,
  AbortController,
  AbortSignal,
  setTimeout,
  clearTimeout,
  setImmediate,
  queueMicrotask,
  structuredClone,
}

/** Settings libraries legitimately change, which no check depends on. */
const TOLERATED = new Set(['Error.stackTraceLimit', 'Error.prepareStackTrace'])

// Captured when this module loads (before any store), and used with plain loops: a store that
// patched Reflect, Object.entries or the array iterator cannot hide its own patch.
const { apply, getOwnPropertyDescriptor, ownKeys } = Reflect
const { is, keys } = Object
const stringReplace = String.prototype.replace

interface Entry {
  readonly name: string
  readonly descriptor: PropertyDescriptor | undefined
}

/** The own properties of every watched built-in and its prototype, as they are now. */
export function snapshotIntrinsics(): readonly Entry[] {
  const entries: Entry[] = []
  const add = (name: string, descriptor: PropertyDescriptor | undefined) => {
    entries[entries.length] = { name, descriptor }
  }
  const names = keys(WATCHED)
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const value = WATCHED[name]
    add(`globalThis.${name}`, getOwnPropertyDescriptor(globalThis, name))
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue
    const prototype = (value as { prototype?: unknown }).prototype
    const targets: [string, object][] = [[name, value]]
    if (typeof prototype === 'object' && prototype !== null) targets[1] = [`${name}.prototype`, prototype]
    for (let t = 0; t < targets.length; t++) {
      const [label, target] = targets[t] as [string, object]
      const own = ownKeys(target)
      for (let k = 0; k < own.length; k++) {
        const key = own[k] as string | symbol
        add(`${label}.${String(key)}`, getOwnPropertyDescriptor(target, key))
      }
    }
  }
  return entries
}

/** The watched built-ins that were replaced or removed since `before`, by name. */
export function changedIntrinsics(before: readonly Entry[]): string[] {
  const after = snapshotIntrinsics()
  const now = new Map<string, PropertyDescriptor | undefined>()
  for (let i = 0; i < after.length; i++) {
    const entry = after[i] as Entry
    now.set(entry.name, entry.descriptor)
  }
  const changed: string[] = []
  for (let i = 0; i < before.length; i++) {
    const { name, descriptor } = before[i] as Entry
    if (TOLERATED.has(name) || !descriptor) continue
    const current = now.get(name)
    if (!current || !sameDescriptor(descriptor, current)) {
      changed[changed.length] = apply(stringReplace, name, [/^globalThis\./, '']) as string
    }
  }
  return changed
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  // Numbers and strings (Number.MAX_VALUE) compare by value, functions and accessors by identity.
  return is(a.value, b.value) && is(a.get, b.get) && is(a.set, b.set)
}

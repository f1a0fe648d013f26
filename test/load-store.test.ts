import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { createStore, loadStoreModule } from '../src/api/load-store.js'
import { runConformance } from '../src/api/run-conformance.js'
import { ConformanceError } from '../src/core/errors.js'
import { expressSession } from '../src/core/express-session.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/modules/${name}`, import.meta.url))

describe('store modules load in every supported shape, without a build step', () => {
  test.each([
    ['a factory function (CommonJS)', 'factory.cjs'],
    ['an object with create and close (ESM default export)', 'object.mjs'],
    ['an object spelled as named exports', 'named-exports.mjs'],
    ['a Store instance (.js as ESM)', 'instance.js'],
    ['a TypeScript factory', 'typed-store.ts'],
    ['a Store subclass exported directly', 'class-export.cjs'],
  ])('%s', async (_shape, file) => {
    const provider = await loadStoreModule(fixture(file))
    const store = await createStore(provider, expressSession)
    expect(typeof store.get).toBe('function')
  })

  test('a path relative to cwd resolves', async () => {
    const provider = await loadStoreModule(
      './factory.cjs',
      fileURLToPath(new URL('./fixtures/modules/', import.meta.url)),
    )
    expect(provider.capabilities).toEqual({ ttlGranularityMs: 0 })
  })

  test('a store from another copy of express-session (not instanceof ours) passes on behaviour', async () => {
    const report = await runConformance({ store: fixture('foreign-copy.cjs'), ttlGranularityMs: 0 })
    expect(report.results.filter((result) => result.status === 'fail')).toEqual([])
  })
})

describe('bad store modules are one clear error with a code', () => {
  test.each([
    ['a missing file', './does-not-exist.js', 'SC_MODULE_NOT_FOUND', /no store module at \.\/does-not-exist\.js/],
    [
      'a module with nothing usable',
      fixture('nothing-usable.cjs'),
      'SC_MODULE_NO_STORE',
      /exports nothing usable \(got an object with hello\)/,
    ],
    ['a module that does not parse', fixture('syntax-error.cjs'), 'SC_MODULE_LOAD_FAILED', /could not load/],
    [
      'a factory that throws',
      fixture('factory-throws.cjs'),
      'SC_STORE_CREATE_FAILED',
      /the store factory threw: cannot connect to the backend/,
    ],
    [
      'a factory that returns a class',
      fixture('returns-class.cjs'),
      'SC_STORE_CREATE_FAILED',
      /returned a Store class, not an instance/,
    ],
  ])('%s', async (_case, spec, code, message) => {
    const error = await runConformance({ store: spec }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConformanceError)
    expect(error).toMatchObject({ code })
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })
})

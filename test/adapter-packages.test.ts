import { expect, test } from 'vitest'
import { assertInstalled, importPackages } from '../src/backends/packages.js'
import { installedVersion } from '../src/core/package-version.js'

test('every package an adapter misses is named in one line, with one install command', () => {
  expect(() =>
    assertInstalled('example', [
      { name: 'sc-no-such-store', range: '^9' },
      { name: 'redis', range: '^5' },
      { name: '@sc-no-such/driver', range: '^1.6' },
    ]),
  ).toThrow(
    expect.objectContaining({
      code: 'SC_ADAPTER_DEPENDENCY_MISSING',
      message:
        'the example adapter needs sc-no-such-store and @sc-no-such/driver: ' +
        'npm install --save-dev sc-no-such-store@9 @sc-no-such/driver@1',
    }),
  )
})

test('an installed major the adapter is not written for is named with the one it is, before anything loads', () => {
  const redis = installedVersion('redis')
  expect(redis).toMatch(/^\d+\.\d+\.\d+/)
  expect(() => assertInstalled('example', [{ name: 'redis', range: '^99' }])).toThrow(
    expect.objectContaining({
      code: 'SC_ADAPTER_DEPENDENCY_VERSION',
      message: expect.stringContaining(
        `the example adapter is written for redis ^99, and this project has redis ${redis}: ` +
          'npm install --save-dev redis@99, or test the version you have through a store module of your own',
      ),
    }),
  )
})

test('supported packages load in the order asked, an ESM-only one and a subpath entry included', async () => {
  const [connectRedis, mysql2] = await importPackages<[{ RedisStore: unknown }, { createPool: unknown }]>('example', [
    { name: 'connect-redis', range: '>=9' },
    { name: 'mysql2', range: '^3', entry: 'mysql2/promise' },
  ])
  expect(typeof connectRedis.RedisStore).toBe('function')
  expect(typeof mysql2.createPool).toBe('function')
})

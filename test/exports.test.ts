import { expect, test } from 'vitest'

// The public runtime surface: a change here is an API change and should be deliberate.
test('the package entry exports exactly the documented API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CheckFailure",
      "ConformanceError",
      "adapterProvider",
      "builtinAdapterNames",
      "builtinAdapters",
      "catalogueJson",
      "catalogueMarkdown",
      "catalogueText",
      "checks",
      "createStore",
      "defineCheck",
      "expressSession",
      "gatingFailures",
      "isConformanceError",
      "loadStoreModule",
      "matrixJson",
      "matrixMarkdown",
      "reporterNames",
      "reporters",
      "resolveCapabilities",
      "runConformance",
      "runFailed",
      "runMatrix",
      "selectChecks",
      "summarize",
      "toProvider",
    ]
  `)
})

test('the vitest entry exports storeConformance', async () => {
  expect(Object.keys(await import('../src/vitest.js'))).toEqual(['storeConformance'])
})

import { expect, test } from 'vitest'

// The public runtime surface: a change here is an API change and should be deliberate.
test('the package entry exports exactly the documented API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CheckFailure",
      "ConformanceError",
      "adapterProvider",
      "benchFailed",
      "benchFormats",
      "benchStores",
      "builtinAdapterNames",
      "builtinAdapters",
      "catalogueFormats",
      "catalogueJson",
      "catalogueMarkdown",
      "catalogueText",
      "checks",
      "cleanNamespaces",
      "createStore",
      "defineCheck",
      "defineGroup",
      "expressSession",
      "gatingFailures",
      "isConformanceError",
      "loadStoreModule",
      "matrixFormats",
      "matrixJson",
      "matrixMarkdown",
      "matrixProblems",
      "moduleAdapter",
      "readBenchBaseline",
      "reporterNames",
      "reporters",
      "resolveCapabilities",
      "runBench",
      "runBenchSuite",
      "runConformance",
      "runFailed",
      "runHttpBench",
      "runMatrix",
      "runProblems",
      "selectChecks",
      "summarize",
      "toProvider",
      "writeBenchReports",
      "writeMatrixReports",
    ]
  `)
})

test('the vitest entry exports storeConformance', async () => {
  expect(Object.keys(await import('../src/vitest.js'))).toEqual(['storeConformance'])
})

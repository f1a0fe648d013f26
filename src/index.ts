/** The programmatic API: the CLI is a thin layer over these. */

export { adapterProvider } from './api/adapter-provider.js'
export type { WrittenBench } from './api/bench-files.js'
export { benchFailed, readBenchBaseline, writeBenchReports } from './api/bench-files.js'
export { benchStores, moduleAdapter } from './api/bench-stores.js'
export type { BenchSuiteOptions } from './api/bench-suite.js'
export { runBenchSuite } from './api/bench-suite.js'
export { type CleanOptions, type CleanReport, cleanNamespaces, type FoundNamespace } from './api/clean.js'
export type { HttpBenchOptions, HttpStore } from './api/http-bench/run-http-bench.js'
export { runHttpBench } from './api/http-bench/run-http-bench.js'
export { createStore, loadStoreModule, toProvider } from './api/load-store.js'
export { writeMatrixReports } from './api/matrix-files.js'
export { runConformance } from './api/run-conformance.js'
export type { MatrixOptions } from './api/run-matrix.js'
export { matrixProblems, runMatrix } from './api/run-matrix.js'
export type { RunOptions } from './api/run-options.js'
export { builtinAdapterNames, builtinAdapters } from './backends/index.js'
export type { Adapter, AdapterOpenOptions, OpenedStore, RawBaseline } from './backends/types.js'
export type { BenchOptions } from './bench/bench-options.js'
export type { CellComparison } from './bench/compare.js'
export type { HttpCell, HttpReport } from './bench/http/report.js'
export type { Interval } from './bench/interval.js'
export type { BenchCell, BenchReport, BenchStore } from './bench/report.js'
export { runBench } from './bench/run-bench.js'
export { resolveCapabilities } from './core/capabilities.js'
export type { CheckDefinition } from './core/define-check.js'
export { defineCheck, defineGroup } from './core/define-check.js'
export type { ErrorCode } from './core/errors.js'
export { CheckFailure, ConformanceError, isConformanceError } from './core/errors.js'
export { expressSession } from './core/express-session.js'
export { selectChecks } from './core/select-checks.js'
export type {
  CallOutcome,
  Capability,
  Check,
  CheckContext,
  CheckGroup,
  CheckResult,
  CheckStatus,
  CookieSpec,
  DeclaredCapabilities,
  ExpressSessionModule,
  FailResult,
  Gate,
  Level,
  MatrixReport,
  PassResult,
  ResolvedCapabilities,
  RunObserver,
  RunProblem,
  RunProblemKind,
  RunReport,
  RunSummary,
  SessionStore,
  SkipReason,
  SkipResult,
  StoreDriver,
  StoreInfo,
  StoreModuleObject,
  StoreProvider,
  StoreTiming,
  WarnResult,
} from './core/types.js'
export { gatingFailures, runFailed, runProblems, summarize } from './core/verdict.js'
export { catalogueJson, catalogueMarkdown, catalogueText } from './reporters/catalogue.js'
export type {
  BenchRenderOptions,
  MatrixRenderOptions,
  RenderOptions,
  Reporter,
  ReporterName,
} from './reporters/index.js'
export { benchFormats, catalogueFormats, matrixFormats, reporterNames, reporters } from './reporters/index.js'
export { matrixJson, matrixMarkdown } from './reporters/matrix.js'
export { checks } from './suites/index.js'

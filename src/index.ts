/** The programmatic API: the CLI is a thin layer over these. */
export { checks } from '../suites/index.js'
export { resolveCapabilities } from './capabilities.js'
export { catalogueJson, catalogueMarkdown, catalogueText } from './catalogue.js'
export { defineCheck } from './define-check.js'
export { CheckFailure, ConformanceError, isConformanceError } from './errors.js'
export { createStore, loadStoreModule, toProvider } from './load-store.js'
export { reporterNames, reporters } from './reporters/index.js'
export { expressSession, gatingFailures, runConformance, runFailed, summarize } from './run-conformance.js'
export { selectChecks } from './select-checks.js'
export { adapterProvider } from './adapter-provider.js'
export { runMatrix } from './matrix/run-matrix.js'
export { matrixJson, matrixMarkdown } from './matrix/render-matrix.js'
export { builtinAdapterNames, builtinAdapters } from '../adapters/index.js'
export type { ErrorCode } from './errors.js'
export type { Adapter, AdapterOpenOptions, OpenedStore } from '../adapters/index.js'
export type { MatrixOptions, MatrixReport } from './matrix/run-matrix.js'
export type { RenderOptions, Reporter, ReporterName } from './reporters/index.js'
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
  PassResult,
  ResolvedCapabilities,
  RunObserver,
  RunOptions,
  RunReport,
  RunSummary,
  SessionStore,
  SkipReason,
  SkipResult,
  StoreInfo,
  StoreDriver,
  StoreModuleObject,
  StoreProvider,
  StoreTiming,
  WarnResult,
} from './types.js'

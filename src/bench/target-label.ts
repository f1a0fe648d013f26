import type { BenchTarget } from './report.js'

/** How reports and progress name a target: the store, its raw baseline, or the harness's no-op. */
export function targetLabel({ store, target }: { readonly store: string; readonly target: BenchTarget }): string {
  return target === 'raw' ? `${store} (raw)` : target === 'harness' ? `${store} (harness)` : store
}

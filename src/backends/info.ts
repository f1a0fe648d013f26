import { packageVersion } from '../core/package-version.js'
import type { StoreInfo } from '../core/types.js'
import type { Adapter } from './types.js'

/** What reports say about a built-in store: its package and installed version, pinned options, isolation. */
export function adapterInfo(adapter: Adapter): Pick<StoreInfo, 'package' | 'version' | 'pinned' | 'isolation'> {
  return {
    ...(adapter.package ? { package: adapter.package, version: packageVersion(adapter.package) } : {}),
    pinned: adapter.pinned,
    isolation: adapter.isolation,
  }
}

import { createRequire } from 'node:module'
import type { ExpressSessionModule } from './types.js'

/** The express-session module this package depends on: passed to factories and used to build sessions. */
export const expressSession = createRequire(import.meta.url)('express-session') as ExpressSessionModule

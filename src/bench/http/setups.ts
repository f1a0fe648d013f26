/**
 * What the HTTP bench puts in front of the same Express app: no session at all, cookie-session
 * (the whole session in a signed cookie), or express-session on a store. "cookie-session or a
 * server-side store?" is the choice the express-session docs put to every user; the first two
 * are the baselines every store is read against.
 */
export type HttpSetup =
  | { readonly kind: 'no-session'; readonly name: 'no-session' }
  | { readonly kind: 'cookie-session'; readonly name: 'cookie-session' }
  | {
      readonly kind: 'store'
      /** The store's name in the report. */
      readonly name: string
      /** What the app process opens: a built-in name, or the absolute path of a store module. */
      readonly spec: string
      readonly url?: string | undefined
    }

export const NO_SESSION: HttpSetup = { kind: 'no-session', name: 'no-session' }
export const COOKIE_SESSION: HttpSetup = { kind: 'cookie-session', name: 'cookie-session' }

/** What the app process is told: the setup, the session payload, and where relative paths resolve. */
export interface AppConfig {
  readonly setup: HttpSetup
  readonly payloadBytes: number
  readonly cwd: string
}

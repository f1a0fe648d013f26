/** Backends the built-in adapters need, and how each one was provided for a run. */
export const BACKEND_KINDS = ['redis', 'mongo', 'postgres', 'mysql', 'memcached'] as const
export type BackendKind = (typeof BACKEND_KINDS)[number]

/** Where a backend came from, in provisioning order. */
export type BackendSource = 'env' | 'local-binary' | 'container'

/** A running backend a store can connect to. */
export interface Backend {
  readonly kind: BackendKind
  /** Connection URL (redis://, mongodb://, postgres://, mysql://, memcached host:port). */
  readonly url: string
  readonly source: BackendSource
  /** The server's own version string, as it reports it. */
  readonly version: string
  /** For a server started for the run: its process id and temp directory. */
  readonly pid?: number | undefined
  readonly dir?: string
  /** Stops what provisioning started (nothing for an env URL). */
  stop(): Promise<void>
}

/** How to find, start and recognise one kind of backend. */
export interface BackendSpec {
  readonly kind: BackendKind
  /** Environment variables holding a URL, in order of preference. */
  readonly envVars: readonly string[]
  /** A server binary to start on a free loopback port in a temp directory. */
  readonly binary?: {
    readonly command: string
    args(port: number, dir: string): string[]
    url(port: number): string
  }
  /** A container image (pinned) for testcontainers. */
  readonly container?: {
    readonly image: string
    readonly port: number
    readonly env?: Readonly<Record<string, string>>
    readonly command?: readonly string[]
    url(host: string, port: number): string
  }
  /** Connects, asks the server for its version, disconnects; throws if it cannot. */
  ping(url: string, timeoutMs: number): Promise<string>
  /** How to make this backend available, for the skip message. */
  readonly hint: string
}

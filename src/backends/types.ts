import type { DeclaredCapabilities, ExpressSessionModule, PeerStore, SessionStore, StoreCalls } from '../core/types.js'

/** Where a server came from, in provisioning order. */
export type BackendSource = 'env' | 'local-binary' | 'container'

/** A running server a store can connect to. */
export interface Backend {
  /** The backend's name (redis, postgres, …). */
  readonly kind: string
  /** Connection URL (redis://, mongodb://, postgres://, mysql://, memcached host:port). */
  readonly url: string
  readonly source: BackendSource
  /** The server's own version string, as it reports it. */
  readonly version: string
  /** For a server started for the run: its process id and temp directory. */
  readonly pid?: number | undefined
  readonly dir?: string
  /** For a server the tool started itself: signals to its processes (the process-level faults). */
  readonly control?: ServerControl
  /** Stops what provisioning started (nothing for an env URL). */
  stop(): Promise<void>
}

/**
 * Process-level faults on a server this tool started (a local binary): real signals to the real
 * server, so a store meets a backend that stops answering or goes away exactly as in production.
 */
export interface ServerControl {
  /** SIGSTOP to every process of the server: connections stay open and nothing answers. */
  pause(): Promise<void>
  /** SIGCONT: the server answers again, what was sent meanwhile included. */
  resume(): Promise<void>
  /** SIGKILL: open connections are reset and new ones refused until restart(). */
  kill(): Promise<void>
  /** Starts the server again on the same port and directory; resolves once it answers a ping. */
  restart(): Promise<void>
  /** Whether what was written before kill() is there after restart() (the server persists it). */
  readonly keepsData: boolean
}

/** How to find, start and recognise one kind of server. */
export interface ServerSpec {
  readonly kind: string
  /** Environment variables holding a URL, in order of preference. */
  readonly envVars: readonly string[]
  /** A server binary to start on a free loopback port in a temp directory. */
  readonly binary?: {
    /** A name looked up on PATH, or an absolute path. */
    readonly command: string
    args(port: number, dir: string): string[]
    url(port: number): string
    /**
     * Prepares the directory before the first start (initdb, mariadb-install-db). `run` runs a
     * step in the directory as the server will run, and rejects with the step's last output line.
     */
    init?(dir: string, run: (command: string, args: readonly string[], input?: string) => Promise<void>): Promise<void>
    /** The user to run as when this process is root, for a server that refuses root (PostgreSQL). */
    readonly rootRunsAs?: string
    /** The signal that stops it promptly with clients still connected; SIGTERM unless said. */
    readonly stopSignal?: NodeJS.Signals
    /** How long init and start may take together; 10 s unless said. */
    readonly startTimeoutMs?: number
    /** Whether what was written is still there after a SIGKILL and a restart (ServerControl.keepsData). */
    readonly keepsData?: boolean
  }
  /** A pinned container image for testcontainers; docker-compose.yml runs the same one (a test checks). */
  readonly container?: {
    readonly image: string
    readonly port: number
    readonly env?: Readonly<Record<string, string>>
    readonly command?: readonly string[]
    url(host: string, port: number): string
  }
  /** Connects, asks the server for its version, disconnects; throws if it cannot. */
  ping(url: string, timeoutMs: number): Promise<string>
  /**
   * Which server process answers at `url`: a Redis run_id, PostgreSQL's start time. It changes
   * when the server restarts, so a run can tell a backend that lost its data from a store that
   * did. A number is a start time in seconds, compared with a second's tolerance.
   */
  instance?(url: string, timeoutMs: number): Promise<string>
  /** How to make this backend available, for the skip message. */
  readonly hint: string
}

export interface AdapterOpenOptions {
  readonly session: ExpressSessionModule
  /** An explicit backend URL (CLI flag); otherwise the environment and provisioning decide. */
  readonly url?: string | undefined
}

/** A store opened inside a namespace of its own, ready for a run. */
export interface OpenedStore {
  readonly store: SessionStore
  readonly backend?: Backend
  /** The namespace the run writes in: its key prefix, schema, table, database or directory. */
  readonly namespace?: string
  /** Removes the namespace (keys, table, directory), closes clients, stops what was started. */
  close(): Promise<void>
  /**
   * Another store on the same namespace through a client of its own (another app process, as it
   * were); its close() disconnects that client only. Absent for in-process stores whose instances
   * share nothing (MemoryStore).
   */
  peer?(options?: PeerOptions): Promise<PeerStore>
  /** When the backend will drop `sid`'s entry (epoch ms; null: never); undefined if it cannot tell. */
  backendExpiry?(
    sid: string,
  ): Promise<
    number | null | undefined
  > /** Names outside the namespace that contain `marker` (see StoreProvider.outsideNamespace). */
  outsideNamespace?(marker: string): Promise<readonly string[] | undefined>
}

/** How a peer connects: `url` reaches the same server another way (through a fault proxy). */
export interface PeerOptions {
  readonly url?: string
}

/**
 * One built-in store: which package it measures, the options it pins (and why), what it can do,
 * how it keeps to its own namespace on a shared server, and how it cleans up.
 */
export interface Adapter {
  readonly name: string
  /** The npm package under test; its installed version is reported. Absent for a user's store module. */
  readonly package?: string
  /** The server it needs (a backend name), if any. */
  readonly backend?: string
  /** Options that change what the store does per request, each with the reason it is pinned. */
  readonly pinned: Readonly<Record<string, string>>
  readonly capabilities: DeclaredCapabilities
  /** How the adapter stays inside its own namespace. */
  readonly isolation: string
  /** A store module's declared backend (`upstream` as a URL): the server whose raw client it is benched against. */
  readonly upstream?: string
  open(options: AdapterOpenOptions): Promise<OpenedStore>
}

/**
 * The same backend without the store: the plain operations a store boils down to, each still
 * serialising to JSON and back (any store must). The store's time over this is its overhead.
 */
export interface RawBaseline extends StoreCalls {
  /** What the baseline does, in words (shown in reports). */
  readonly describes: string
  /** Where it writes: its key prefix, schema, table or directory, removed at close. */
  readonly namespace: string
  /** Removes what it wrote (its own namespace) and disconnects. */
  close(): Promise<void>
}

/**
 * One backend folder: everything about one backend in one place. The registry (index.ts) lists
 * the folders; the built-in stores, the bench's raw baselines and the tests all come from here.
 */
export interface BackendModule {
  /** A server kind (redis, postgres, …), which --require accepts, or an in-process one (memory, file). */
  readonly name: string
  /** How the server is found or started: URL, local binary, container image. None in-process. */
  readonly server?: ServerSpec
  /** The built-in stores on this backend, in the order reports list them. */
  readonly stores: readonly Adapter[]
  /** The backend's own client doing the plain operations, measured next to each of its stores. */
  rawBaseline?(opened: OpenedStore): Promise<RawBaseline> | RawBaseline
  /**
   * For tests: what of a namespace is still there (keys, the schema, the table, the database, the
   * directory). `keys` are ids to look for where the backend cannot list its keys.
   */
  leftovers?(url: string, namespace: string, keys?: readonly string[]): Promise<string[]>
  /** This tool's namespaces at `url` (names from `sc-`/`sc_`), for `clean`; absent where keys cannot be listed. */
  namespaces?(url: string): Promise<string[]>
  /** Removes one namespace `namespaces` listed. */
  removeNamespace?(url: string, namespace: string): Promise<void>
}

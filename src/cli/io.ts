/** Where the CLI reads and writes: injected, so tests run it in-process without a terminal. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
  readonly cwd: string
}

/** Exit codes: 0 nothing failed at the gate, 1 something did, 2 bad usage or a store that cannot be loaded. */
export const EXIT = { pass: 0, fail: 1, usage: 2 } as const

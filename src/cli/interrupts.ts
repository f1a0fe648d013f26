import type { CliIo } from './io.js'

/** The exit code of a process ended by a signal, as shells report it: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const
type HandledSignal = keyof typeof SIGNAL_EXIT

/**
 * Ctrl-C and SIGTERM while a command runs. The first aborts the command's signal: the checks
 * stop, what the run wrote is removed (each step within its deadline) and the command returns;
 * the CLI then exits 130 or 143. A second one quits at once, saying what may be left behind.
 */
export class Interrupts {
  readonly #controller = new AbortController()
  #received: HandledSignal | undefined
  /** What the running command may leave behind if it is cut short now (refined as it learns). */
  leftBehind = 'what the run wrote (key prefixes sc-<token>, schemas and tables sc_<token>, temp directories)'

  constructor(
    readonly io: CliIo,
    readonly quit: (code: number) => never = process.exit,
  ) {
    for (const signal of Object.keys(SIGNAL_EXIT) as HandledSignal[]) process.on(signal, this.#on)
    // SIGUSR1 would open Node's inspector in this process, which decides the exit code; the
    // store's process can send it. A listener keeps the inspector shut.
    process.on('SIGUSR1', ignore)
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** 130 or 143 once a signal arrived, else undefined. */
  get exitCode(): number | undefined {
    return this.#received && SIGNAL_EXIT[this.#received]
  }

  dispose(): void {
    for (const signal of Object.keys(SIGNAL_EXIT)) process.off(signal, this.#on)
    process.off('SIGUSR1', ignore)
  }

  readonly #on = (signal: HandledSignal): void => {
    if (this.#received) {
      this.io.stderr.write(
        `\nstore-conformance: ${signal} again: quitting at once; may be left behind: ${this.leftBehind}\n`,
      )
      this.quit(SIGNAL_EXIT[signal])
    }
    this.#received = signal
    this.io.stderr.write(
      `\nstore-conformance: ${signal}: stopping the checks and removing what the run wrote ` +
        '(press Ctrl-C again to quit at once)\n',
    )
    this.#controller.abort(signal)
  }
}

const ignore = () => {}

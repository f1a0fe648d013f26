import { withDeadline } from '../core/deadline.js'
import { messageOf } from '../core/errors.js'

/**
 * Undo steps, registered as resources are acquired and run in reverse. Every step runs even when
 * an earlier one fails, each within a deadline, and the failures are reported together, naming
 * what may have been left behind.
 */
export class Cleanup {
  readonly #steps: { label: string; run: () => unknown }[] = []

  constructor(readonly stepTimeoutMs = 10_000) {}

  add(label: string, run: () => unknown): void {
    this.#steps.push({ label, run })
  }

  async run(): Promise<void> {
    const failures: string[] = []
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await withDeadline(
          Promise.resolve().then(step.run),
          this.stepTimeoutMs,
          `did not finish within ${this.stepTimeoutMs} ms`,
        )
      } catch (error) {
        failures.push(`${step.label}: ${messageOf(error)}`)
      }
    }
    if (failures.length > 0) throw new Error(`cleanup incomplete: ${failures.join('; ')}`)
  }

  /** Runs `open`; if it throws, undoes whatever was registered so far, then rethrows. */
  async guard<T>(open: () => Promise<T>): Promise<T> {
    try {
      return await open()
    } catch (error) {
      await this.run().catch(() => {})
      throw error
    }
  }
}

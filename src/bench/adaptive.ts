import { performance } from 'node:perf_hooks'
import { type Headline, headlineValue, overheadOf } from './cells.js'
import { isResolved, MIN_WINDOWS, medianInterval } from './interval.js'
import type { Measurement } from './measure.js'

/**
 * Pairs of windows a cell gets in each round. Measured on `bench memory file redis` twice: three
 * per round, 51 of 84 × raw ratios inside the other run's interval; one per round, 63 of 84 but
 * a third of the cells resolved (a turn's warm-up weighs more); two, 64 of 84 and 53–63 of 176
 * cells resolved in the same time.
 */
export const PAIRS_PER_ROUND = 2

export interface AdaptiveOptions {
  /** A cell is done once every tracked figure's 95 % interval is within ±this % of it. */
  readonly targetPct: number
  /** Sampling time cap for one cell (ms), over all its rounds: reached, the cell is reported unresolved. */
  readonly capMs: number
  readonly signal?: AbortSignal | undefined
  /** Called before each cell's turn in a round, with how many cells are done. */
  readonly onTurn?: (cell: number, round: number, done: number) => void
  readonly now?: () => number
}

/** The two sides of a cell: a store, and the same backend's raw client when it has one. */
export interface Sides<T> {
  readonly store: T
  readonly raw?: T | undefined
}

/** Where a window falls in the sampling. */
export interface WindowAt {
  /** The side's windows so far (0-based, across rounds). */
  readonly window: number
  /** The round: a side may prepare afresh each one (new picks, a new seed). */
  readonly round: number
  /** The side's first window of this turn: another cell ran since its last, so it warms up again. */
  readonly firstOfTurn: boolean
}

/** One window of one side. A side whose target failed throws WindowFailed, which ends its cell. */
export type MeasureWindow = (at: WindowAt) => Promise<Measurement>

/** A cell to sample: its sides, and the figure its stop rule tracks (see cells.ts, Headline). */
export interface CellToSample {
  readonly sides: Sides<MeasureWindow>
  readonly headline: Headline
}

/** What sampling took for one cell: each side's windows, in the order measured. */
export interface Sampled {
  readonly store: readonly Measurement[]
  readonly raw?: readonly Measurement[]
  /** Every tracked interval reached the target before the cap. */
  readonly resolved: boolean
  /** A window failed, ending the cell early. */
  readonly failed: boolean
  readonly elapsedMs: number
}

/** Thrown by a side whose window failed (after it recorded why): the cell stops there. */
export class WindowFailed extends Error {}

/**
 * Samples cells until their figures are known to ±`targetPct` % at 95 %, as criterion.rs and
 * BenchmarkDotNet do, or until each one's cap. The cells are sampled in rounds, two pairs
 * of windows per cell per round, and a cell leaves once it is steady: so a cell's windows come from
 * moments minutes apart in a long run, and its interval holds what changes over a run (the
 * machine's speed, a file system's caches, which sessions are hot), not only what changes
 * between adjacent windows — intervals from adjacent windows alone were half as wide as the
 * differences between two runs. Within a cell a store and its raw baseline alternate in ABBA
 * order (store, raw, raw, store, …), so the machine's drift moves both sides of a pair alike.
 */
export async function sampleInRounds(cells: readonly CellToSample[], options: AdaptiveOptions): Promise<Sampled[]> {
  const now = options.now ?? (() => performance.now())
  const states = cells.map(() => ({ store: [] as Measurement[], raw: [] as Measurement[], elapsedMs: 0, done: false }))
  const results: Sampled[] = new Array(cells.length)
  for (let round = 0; states.some((state) => !state.done); round++) {
    for (const index of rotation(cells.length, round)) {
      const state = states[index] as (typeof states)[number]
      if (state.done) continue
      const { sides, headline } = cells[index] as CellToSample
      options.signal?.throwIfAborted()
      options.onTurn?.(index, round, states.filter((entry) => entry.done).length)
      const started = now()
      let failed = false
      const turnStart = { store: state.store.length, raw: state.raw.length }
      const at = (side: 'store' | 'raw') => {
        const window = state[side].length
        return { window, round, firstOfTurn: window === turnStart[side] }
      }
      try {
        for (let pair = 0; pair < PAIRS_PER_ROUND; pair++) {
          const storeFirst = state.store.length % 2 === 0
          if (storeFirst || !sides.raw) state.store.push(await sides.store(at('store')))
          if (sides.raw) state.raw.push(await sides.raw(at('raw')))
          if (!storeFirst && sides.raw) state.store.push(await sides.store(at('store')))
        }
      } catch (error) {
        if (!(error instanceof WindowFailed)) throw error
        failed = true
      }
      state.elapsedMs += now() - started
      const sampled = { store: state.store, ...(sides.raw ? { raw: state.raw } : {}) }
      const enough = state.store.length >= MIN_WINDOWS && (!sides.raw || state.raw.length >= MIN_WINDOWS)
      const resolved = !failed && enough && isSteady(sampled, options.targetPct, headline)
      if (failed || resolved || (enough && state.elapsedMs >= options.capMs)) {
        state.done = true
        results[index] = { ...sampled, resolved, failed, elapsedMs: state.elapsedMs }
      }
    }
  }
  return results
}

/** 0 … n − 1 starting at `by` (wrapping), so no cell is always sampled first in a round. */
function rotation(n: number, by: number): number[] {
  return Array.from({ length: n }, (_, index) => (index + by) % n)
}

/**
 * The stop rule: the headline figure (p50, or a mix's mean) of each side and, with a raw
 * baseline, their pair-by-pair ratio, each within ±`targetPct` %. Percentiles further out are
 * reported with their intervals but do not hold the cell: p99 needs far more windows to narrow,
 * and a default run has to end.
 */
export function isSteady(
  sampled: Pick<Sampled, 'store' | 'raw'>,
  targetPct: number,
  headline: Headline = 'p50',
): boolean {
  const { store, raw } = sampled
  const steady = (windows: readonly Measurement[]) =>
    isResolved(medianInterval(windows.map((window) => headlineValue(window, headline))), targetPct)
  if (!steady(store)) return false
  return !raw || (steady(raw) && isResolved(overheadOf(store, raw, headline), targetPct))
}

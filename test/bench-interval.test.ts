import { describe, expect, test } from 'vitest'
import { isSteady, sampleInRounds, WindowFailed } from '../src/bench/adaptive.js'
import { figuresOf, overheadOf } from '../src/bench/cells.js'
import { MIN_WINDOWS, mapInterval, medianInterval } from '../src/bench/interval.js'
import { latencyFigures, P999_MIN_SAMPLES } from '../src/bench/latency.js'
import { windowOf } from './support/bench-fixtures.js'

const ranks = (n: number) => {
  const interval = medianInterval(Array.from({ length: n }, (_, index) => index + 1))
  return [interval.low, interval.high]
}

describe('the 95 % interval of a median (order statistics)', () => {
  test('uses the ranks of the binomial table (Conover, Practical Nonparametric Statistics, table A3)', () => {
    expect(ranks(6)).toEqual([1, 6])
    expect(ranks(8)).toEqual([1, 8])
    expect(ranks(9)).toEqual([2, 8])
    expect(ranks(10)).toEqual([2, 9])
    expect(ranks(12)).toEqual([3, 10])
    expect(ranks(20)).toEqual([6, 15])
    expect(ranks(30)).toEqual([10, 21])
    expect(ranks(100)).toEqual([40, 61])
  })

  test('needs six values: below that not even [min, max] covers the median 95 % of the time', () => {
    expect(MIN_WINDOWS).toBe(6)
    expect(() => medianInterval([1, 2, 3, 4, 5])).toThrow(/needs 6 values, got 5/)
  })

  test('quotes the wider side relative to the estimate, and is not moved by one wild window', () => {
    const interval = medianInterval([10, 10.2, 9.9, 10.1, 9.8, 10, 250])
    expect(interval).toMatchObject({ estimate: 10, low: 9.8, high: 250, n: 7 })
    const many = medianInterval([...Array.from({ length: 19 }, (_, index) => 10 + (index % 5) / 10), 250])
    expect(many.estimate).toBeCloseTo(10.2, 10)
    expect(many.halfWidthPct).toBeLessThan(3)
    expect(mapInterval(many, (ms) => 1000 / ms)).toMatchObject({ low: 1000 / many.high, high: 1000 / many.low })
  })
})

describe('percentiles from an HDR histogram', () => {
  test('are exact to three significant digits', () => {
    const figures = latencyFigures(Array.from({ length: 1000 }, (_, index) => (index + 1) / 1000))
    expect(figures.samples).toBe(1000)
    for (const [percentile, expected] of [
      [figures.p50, 0.5],
      [figures.p90, 0.9],
      [figures.p99, 0.99],
      [figures.p999 as number, 0.999],
    ] as const)
      expect(Math.abs(percentile - expected) / expected).toBeLessThan(0.001)
  })

  test('p99.9 only when there are enough samples for it to mean something', () => {
    expect(latencyFigures(Array.from({ length: P999_MIN_SAMPLES - 1 }, () => 1)).p999).toBeUndefined()
    expect(latencyFigures(Array.from({ length: P999_MIN_SAMPLES }, () => 1)).p999).toBeCloseTo(1, 2)
  })
})

/** Windows from a list of values, one per call, as sampleInRounds asks for them. */
function feed(values: readonly number[], order: string[], name: string) {
  let next = 0
  return async () => {
    order.push(name)
    return windowOf(values[next++ % values.length] as number)
  }
}

describe('adaptive sampling in rounds', () => {
  test('a steady cell leaves after two rounds, its sides alternating ABBA; a noisy one stays', async () => {
    const order: string[] = []
    const noisy: string[] = []
    const [steady, unsteady] = await sampleInRounds(
      [
        {
          headline: 'p50',
          sides: { store: feed([2, 2.02, 1.98], order, 'S'), raw: feed([1, 1.01, 0.99], order, 'R') },
        },
        { headline: 'p50', sides: { store: feed([1, 1.6, 0.7, 1.3, 0.9], noisy, 'N') } },
      ],
      // The clock ticks once per noisy window: the steady cell takes no time, the noisy one its cap.
      { targetPct: 5, capMs: 30, now: () => noisy.length },
    )
    expect(steady).toMatchObject({ resolved: true, failed: false })
    expect(steady?.store).toHaveLength(MIN_WINDOWS)
    expect(order.join('')).toBe('SRRSSRRSSRRS')
    expect(unsteady?.resolved).toBe(false)
  })

  test('a noisy cell goes on round after round until its cap, then is reported unresolved', async () => {
    let clock = 0
    const noisy = [1, 1.6, 0.7, 1.3, 0.9, 1.8, 0.6]
    const [sampled] = await sampleInRounds(
      [{ headline: 'p50', sides: { store: async () => windowOf(noisy[clock++ % noisy.length] as number) } }],
      { targetPct: 5, capMs: 20, now: () => clock },
    )
    expect(sampled?.resolved).toBe(false)
    // Two windows a round (no raw side), the cap checked after each turn.
    expect(sampled?.store).toHaveLength(20)
    expect(figuresOf(sampled?.store ?? []).p50.halfWidthPct).toBeGreaterThan(5)
  })

  test('a side is told the round, so it can prepare afresh; a failed window ends the cell', async () => {
    const rounds: number[] = []
    const [failing, other] = await sampleInRounds(
      [
        {
          headline: 'p50',
          sides: {
            store: async ({ window, round }) => {
              rounds.push(round)
              if (window === 4) throw new WindowFailed()
              return windowOf(1)
            },
          },
        },
        { headline: 'p50', sides: { store: async () => windowOf(1) } },
      ],
      { targetPct: 5, capMs: 60_000 },
    )
    expect(rounds).toEqual([0, 0, 1, 1, 2])
    expect(failing).toMatchObject({ failed: true, resolved: false })
    expect(failing?.store).toHaveLength(4)
    expect(other).toMatchObject({ failed: false, resolved: true })
  })

  test('the ratio is taken pair by pair: a machine drifting 2× between pairs leaves it steady', async () => {
    // Both sides slow down together, as on a machine whose speed drifts over seconds.
    const speed = [1, 1.4, 2, 1.2, 1.8, 1, 1.5, 2, 1.1, 1.3]
    const store = speed.map((factor) => windowOf(3 * factor))
    const raw = speed.map((factor) => windowOf(factor))
    expect(figuresOf(store).p50.halfWidthPct).toBeGreaterThan(20)
    expect(overheadOf(store, raw)).toMatchObject({ estimate: 3, low: 3, high: 3, halfWidthPct: 0 })
    expect(isSteady({ store, raw }, 5)).toBe(false)
  })

  test('a request mix is tracked by its mean: at an even split its median jumps between the two kinds', () => {
    // Each window: half 1 ms reads and half 3 ms writes; which side of the middle the median falls on varies.
    const windows = [1, 3, 1, 3, 3, 1, 1, 3].map((p50) => ({
      ...windowOf(p50),
      latency: { ...windowOf(p50).latency, mean: 2 },
    }))
    expect(isSteady({ store: windows }, 5, 'p50')).toBe(false)
    expect(isSteady({ store: windows }, 5, 'mean')).toBe(true)
  })
})

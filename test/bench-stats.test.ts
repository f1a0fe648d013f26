import { describe, expect, test } from 'vitest'
import {
  acrossRuns,
  compareRuns,
  mannWhitneyU,
  P999_MIN_SAMPLES,
  smallestPValue,
  summarizeLatency,
  tCritical95,
} from '../src/bench/stats.js'

describe('latency summary', () => {
  test('percentiles interpolate linearly between samples (R-7, as numpy)', () => {
    const summary = summarizeLatency([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    expect(summary).toMatchObject({ samples: 10, min: 1, max: 10, mean: 5.5, p50: 5.5, p90: 9.1 })
    expect(summary.p99).toBeCloseTo(9.91, 10)
  })

  test('the margin of error uses the t distribution', () => {
    const summary = summarizeLatency([2, 4, 4, 4, 5, 5, 7, 9])
    // sd = 2.138, sem = 0.756, t(7) = 2.365
    expect(summary.sd).toBeCloseTo(2.13809, 4)
    expect(summary.moe).toBeCloseTo(2.365 * (2.13809 / Math.sqrt(8)), 4)
    expect(summary.rme).toBeCloseTo((summary.moe / 5) * 100, 8)
    expect(tCritical95(1)).toBe(12.706)
    expect(tCritical95(500)).toBe(1.96)
  })

  test('p99.9 only when there are enough samples for it to mean something', () => {
    expect(summarizeLatency(Array.from({ length: P999_MIN_SAMPLES - 1 }, (_, i) => i)).p999).toBeUndefined()
    expect(summarizeLatency(Array.from({ length: P999_MIN_SAMPLES }, (_, i) => i)).p999).toBeCloseTo(998.001, 6)
  })

  test('runs combine by median and spread, never by averaging percentiles', () => {
    expect(acrossRuns([1.0, 1.2, 0.9, 5.0, 1.1])).toEqual({
      runs: 5,
      median: 1.1,
      min: 0.9,
      max: 5.0,
      spreadPct: ((5.0 - 0.9) / 1.1) * 100,
    })
  })
})

describe('Mann–Whitney U matches SciPy', () => {
  test('exact, complete separation: p = 2 / C(10, 5)', () => {
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({ u: 0, p: 2 / 252, method: 'exact' })
  })

  test('exact, interleaved samples (scipy: U = 7, p = 0.09307359307359307)', () => {
    const result = mannWhitneyU([1.1, 2.3, 3.2, 4.8, 5.5, 6.1], [2.0, 5.0, 7.3, 8.8, 9.1, 9.9])
    expect(result.u).toBe(7)
    expect(result.p).toBeCloseTo(0.09307359307359307, 12)
  })

  test('with ties: normal approximation, tie and continuity corrections (scipy: U = 3.5, p = 0.00467773498)', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [3, 4, 4, 5, 5, 5, 6, 6])
    expect(result).toMatchObject({ u: 3.5, method: 'normal' })
    expect(result.p).toBeCloseTo(0.0046777349810472576, 6)
  })

  test('the exact distribution agrees with enumerating every ordering', () => {
    const a = [3, 8, 11, 20]
    const b = [1, 5, 9, 14, 17]
    const pooled = [...a, ...b]
    const uOf = (first: number[], second: number[]) =>
      first.reduce((sum, x) => sum + second.filter((y) => y < x).length, 0)
    const observed = uOf(a, b)
    const all: number[] = []
    const choose = (start: number, picked: number[]) => {
      if (picked.length === a.length) {
        const first = picked.map((i) => pooled[i] as number)
        all.push(
          uOf(
            first,
            pooled.filter((_, i) => !picked.includes(i)),
          ),
        )
        return
      }
      for (let i = start; i < pooled.length; i++) choose(i + 1, [...picked, i])
    }
    choose(0, [])
    const below = all.filter((u) => u <= observed).length
    const above = all.filter((u) => u >= observed).length
    expect(mannWhitneyU(a, b).p).toBeCloseTo(Math.min(1, (2 * Math.min(below, above)) / all.length), 12)
  })
})

describe('the regression decision', () => {
  const baseline = [1.0, 1.02, 0.98, 1.01, 0.99]

  test('a large, consistent slowdown is a regression', () => {
    expect(compareRuns(baseline, [1.3, 1.32, 1.28, 1.31, 1.29])).toMatchObject({
      verdict: 'regression',
      method: 'exact',
    })
  })

  test('a large, consistent speed-up is an improvement', () => {
    expect(compareRuns(baseline, [0.7, 0.72, 0.68, 0.71, 0.69]).verdict).toBe('improvement')
  })

  test('a significant but small change is no change', () => {
    expect(compareRuns(baseline, [1.05, 1.06, 1.04, 1.05, 1.07]).verdict).toBe('no-change')
  })

  test('a large change the noise cannot confirm is inconclusive, not a failure', () => {
    const result = compareRuns(baseline, [0.6, 2.4, 0.9, 1.8, 1.6])
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toMatch(/not significant/)
  })

  test('too few runs to ever be significant say so', () => {
    expect(smallestPValue(3, 3)).toBeCloseTo(0.1, 12)
    const result = compareRuns([1, 1.01, 0.99], [1.5, 1.52, 1.49])
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason: expect.stringContaining('cannot reach p < 0.05: add runs'),
    })
  })
})

import { expect, test } from 'vitest'
import { figuresOf, overheadOf } from '../src/bench/cells.js'
import { compareBench, compareIntervals, parseBaseline } from '../src/bench/compare.js'
import type { BenchCell, BenchReport } from '../src/bench/report.js'
import { EMPTY_REPORT, windowOf } from './support/bench-fixtures.js'

/**
 * A report with one store cell and its raw twin, from per-window p50s: the store's windows are
 * `store`, the raw client's `raw` (the store's own figure when omitted, i.e. × raw 1).
 */
function report(store: readonly number[], raw: readonly number[] = store.map(() => 1)): BenchReport {
  const storeWindows = store.map(windowOf)
  const rawWindows = raw.map(windowOf)
  const cell = (target: BenchCell['target'], windows: typeof storeWindows): BenchCell => ({
    store: 'memory',
    target,
    operation: 'get-hit',
    payload: '4KB',
    concurrency: 1,
    windows,
    headline: 'p50',
    resolved: true,
    elapsedMs: 100,
    ...figuresOf(windows),
    ...(target === 'store' ? { overhead: overheadOf(storeWindows, rawWindows) } : {}),
  })
  return {
    ...EMPTY_REPORT,
    stores: [{ name: 'memory' }],
    cells: [cell('store', storeWindows), cell('raw', rawWindows)],
  }
}

const steady = [1.0, 1.02, 0.98, 1.01, 0.99, 1.0]

test('a run compared with itself has no change', () => {
  const run = report(steady)
  expect(compareBench(run, run).map((entry) => entry.comparison)).toEqual([
    expect.objectContaining({ verdict: 'no-change', reproduced: true }),
  ])
})

test('store cells are gated on the × raw ratio, so a machine at another speed is not a regression', () => {
  // Everything 30 % slower, store and raw client alike: the machine, not the store.
  const slowerMachine = report(
    steady.map((ms) => ms * 1.3),
    steady.map(() => 1.3),
  )
  const [only, ...rest] = compareBench(report(steady), slowerMachine)
  expect(rest).toEqual([])
  expect(only).toMatchObject({ store: 'memory', comparison: { verdict: 'no-change', figure: 'overhead' } })
  // The store alone 30 % slower, its raw client not: a regression, with the interval of the change.
  const [regressed] = compareBench(report(steady), report(steady.map((ms) => ms * 1.3)))
  expect(regressed?.comparison).toMatchObject({ verdict: 'regression', figure: 'overhead', reproduced: false })
  expect(regressed?.comparison.low).toBeGreaterThan(1)
  expect(regressed?.comparison.ratio).toBeCloseTo(1.3, 10)
})

test('a large change whose intervals overlap is inconclusive, never a failure', () => {
  const baseline = { estimate: 1, low: 0.7, high: 1.4, halfWidthPct: 40, n: 6 }
  const current = { estimate: 1.2, low: 0.9, high: 1.6, halfWidthPct: 33, n: 6 }
  expect(compareIntervals(baseline, current, 'p50')).toMatchObject({
    verdict: 'inconclusive',
    reason: expect.stringMatching(/intervals overlap/),
  })
  const narrow = { estimate: 1, low: 0.98, high: 1.02, halfWidthPct: 2, n: 20 }
  const faster = { estimate: 0.8, low: 0.78, high: 0.82, halfWidthPct: 2.5, n: 20 }
  expect(compareIntervals(narrow, faster, 'p50').verdict).toBe('improvement')
  expect(compareIntervals(narrow, { ...narrow, estimate: 1.05 }, 'p50').verdict).toBe('no-change')
})

test('cells missing from the baseline are not compared', () => {
  const baseline = report(steady)
  const elsewhere = { ...baseline, cells: baseline.cells.map((cell) => ({ ...cell, payload: '64KB' as const })) }
  expect(compareBench(elsewhere, report(steady))).toEqual([])
})

test('only a bench report of this schema is accepted as a baseline', () => {
  expect(() => parseBaseline('not json', 'x.json')).toThrow(/x\.json is not JSON/)
  expect(() => parseBaseline('{"schemaVersion": 9, "cells": []}', 'x.json')).toThrow(
    /not a store-conformance bench report/,
  )
  expect(() => parseBaseline('{"schemaVersion": 1, "cells": []}', 'x.json')).toThrow(
    /schema 1 report, from before figures had intervals: regenerate it/,
  )
  expect(parseBaseline(JSON.stringify(report(steady)), 'x.json').cells).toHaveLength(2)
})

test('a baseline whose cells lack intervals is refused when it is read, before anything is measured', () => {
  const broken = report(steady)
  const withoutP50 = { ...broken, cells: [broken.cells[0], { ...broken.cells[1], p50: undefined }] }
  expect(() => parseBaseline(JSON.stringify(withoutP50), 'x.json')).toThrow(
    /x\.json: cell 2 is not a bench cell with intervals/,
  )
  const badOverhead = { ...broken, cells: [{ ...broken.cells[0], overhead: { estimate: 'fast' } }] }
  expect(() => parseBaseline(JSON.stringify(badOverhead), 'x.json')).toThrow(/cell 1 is not a bench cell/)
})

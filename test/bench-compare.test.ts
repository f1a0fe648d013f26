import { expect, test } from 'vitest'
import { compareBench, parseBaseline } from '../src/bench/compare.js'
import type { BenchCell, BenchReport } from '../src/bench/report.js'
import { acrossRuns, summarizeLatency } from '../src/bench/stats.js'

/** A report with one store cell (and its raw twin) whose runs had these p50s. */
function report(p50s: readonly number[], target: BenchCell['target'] = 'store'): BenchReport {
  const runs = p50s.map((p50) => ({
    latency: { ...summarizeLatency([p50]), p50 },
    concurrency: 1,
    wallMs: 1,
    busyMs: 1,
    opsPerSec: 1,
    gc: { count: 0, totalMs: 0 },
  }))
  const cell = (t: BenchCell['target']): BenchCell => ({
    store: 'memory',
    target: t,
    operation: 'get-hit',
    payload: '4KB',
    concurrency: 1,
    runs,
    p50: acrossRuns(p50s),
    p90: acrossRuns(p50s),
    p99: acrossRuns(p50s),
    opsPerSec: acrossRuns(p50s),
  })
  return {
    schemaVersion: 1,
    tool: { name: 'store-conformance', version: '0' },
    generatedAt: '',
    environment: { node: '', platform: '', cpu: '', cpus: 1, tinybench: '6', expressSession: '1' },
    settings: {
      runs: p50s.length,
      timeMs: 1,
      warmupMs: 0,
      operations: ['get-hit'],
      payloads: ['4KB'],
      concurrency: [1],
      closedLoop: true,
      loadPayload: '4KB',
      mixes: [],
      poolSize: 1,
    },
    stores: [{ name: 'memory' }],
    cells: [cell(target), cell('raw')],
    growth: [],
    failures: [],
  }
}

test('a run compared with itself has no change', () => {
  const run = report([1.0, 1.02, 0.98, 1.01, 0.99])
  expect(compareBench(run, run).map((entry) => entry.comparison.verdict)).toEqual(['no-change'])
})

test('store cells are compared on their per-run p50s; raw cells are not gated', () => {
  const [only, ...rest] = compareBench(report([1.0, 1.02, 0.98, 1.01, 0.99]), report([1.3, 1.32, 1.28, 1.31, 1.29]))
  expect(rest).toEqual([])
  expect(only).toMatchObject({
    store: 'memory',
    operation: 'get-hit',
    payload: '4KB',
    concurrency: 1,
    comparison: { verdict: 'regression' },
  })
})

test('cells missing from the baseline are not compared', () => {
  expect(compareBench(report([1, 1, 1], 'raw'), report([2, 2, 2]))).toEqual([])
})

test('only a bench report is accepted as a baseline', () => {
  expect(() => parseBaseline('not json', 'x.json')).toThrow(/x\.json is not JSON/)
  expect(() => parseBaseline('{"schemaVersion": 2, "cells": []}', 'x.json')).toThrow(
    /not a store-conformance bench report/,
  )
  expect(parseBaseline(JSON.stringify(report([1])), 'x.json').cells).toHaveLength(2)
})

test('a baseline whose cells lack per-run p50s is refused when it is read, before anything is measured', () => {
  const broken = report([1, 1])
  const withoutRuns = { ...broken, cells: [broken.cells[0], { ...broken.cells[1], runs: undefined }] }
  expect(() => parseBaseline(JSON.stringify(withoutRuns), 'x.json')).toThrow(
    /x\.json: cell 2 is not a bench cell with per-run p50s/,
  )
  const withoutP50 = { ...broken, cells: [{ ...broken.cells[0], runs: [{ latency: {} }] }] }
  expect(() => parseBaseline(JSON.stringify(withoutP50), 'x.json')).toThrow(/cell 1 is not a bench cell/)
})

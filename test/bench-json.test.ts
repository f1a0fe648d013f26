import { expect, test } from 'vitest'
import { parseBaseline } from '../src/bench/compare.js'
import { runBench } from '../src/bench/run-bench.js'
import { benchJson } from '../src/reporters/bench/json.js'
import { TINY_BENCH } from './support/bench-fixtures.js'

test('bench.json holds the whole report, a line per cell, 6 significant digits, and reads as a baseline', async () => {
  const report = await runBench({
    stores: ['memory'],
    ...TINY_BENCH,
    growth: [10],
  })
  const text = benchJson(report)
  const back = parseBaseline(text, 'bench.json')
  expect(Object.keys(back)).toEqual(Object.keys(report))
  expect(back.cells).toHaveLength(report.cells.length)
  const cellLines = text.split('\n').filter((line) => line.startsWith('    {"store":'))
  expect(cellLines).toHaveLength(report.cells.length + report.growth.length)
  const p50 = report.cells[0]?.windows[0]?.latency.p50 as number
  expect(back.cells[0]?.windows[0]?.latency.p50).toBe(Number(p50.toPrecision(6)))
  expect(back.cells[0]?.p50.estimate).toBe(Number(report.cells[0]?.p50.estimate.toPrecision(6)))
})

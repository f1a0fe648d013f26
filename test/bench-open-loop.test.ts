import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { startApp } from '../src/api/http-bench/app-server.js'
import { runHttpBench } from '../src/api/http-bench/run-http-bench.js'
import { loadWindow } from '../src/bench/http/load.js'
import { openLoadWindow } from '../src/bench/http/open-load.js'
import { HTTP_SCENARIOS, type HttpScenario } from '../src/bench/http/scenarios.js'
import { kneeOf } from '../src/bench/knee.js'
import { measure } from '../src/bench/measure.js'
import { openLoop } from '../src/bench/open-loop.js'
import { runBench } from '../src/bench/run-bench.js'
import { benchMarkdown } from '../src/reporters/bench/markdown.js'
import { TINY_BENCH, TINY_HTTP } from './support/bench-fixtures.js'

const browse = HTTP_SCENARIOS.find((scenario) => scenario.name === 'browse') as HttpScenario

/** A target that answers on the next turn, except while paused: then every call waits for the pause to end. */
function pausable() {
  let resumeAt = 0
  return {
    call: () =>
      new Promise<void>((resolve) => {
        const wait = resumeAt - performance.now()
        if (wait > 0) setTimeout(resolve, wait)
        else setImmediate(resolve)
      }),
    pause(ms: number) {
      resumeAt = performance.now() + ms
    },
  }
}

describe('coordinated omission', () => {
  test('a target that pauses for 1 s shows in the open loop’s p99, not in a closed loop’s', {
    timeout: 30_000,
  }, async () => {
    const closedTarget = pausable()
    const pausing = sleep(1000).then(() => closedTarget.pause(1000))
    const closed = await measure('closed', closedTarget.call, { timeMs: 3000, warmupMs: 0, maxWallMs: 3000 })
    await pausing
    // One call in flight waited out the pause: one sample in many thousands.
    expect(closed.latency.max).toBeGreaterThan(900)
    expect(closed.latency.p99).toBeLessThan(50)

    const openTarget = pausable()
    setTimeout(() => openTarget.pause(1000), 1000)
    const open = await openLoop(openTarget.call, { ratePerSec: 1000, durationMs: 3000 })
    // Every call due during the pause waited for it, timed from when it was due: a third of them.
    expect(open.latency.p99).toBeGreaterThan(900)
    expect(open.latency.p50).toBeLessThan(50)
    expect(open.offeredPerSec).toBe(1000)
    expect(open.peakInFlight).toBeGreaterThan(900)
    expect(open.saturated).toBe(false)
  })

  test('a real server stopped for 1 s (SIGSTOP, SIGCONT): the open loop sees it, autocannon’s closed loop does not', {
    timeout: 60_000,
  }, async () => {
    const app = await startApp({ setup: { kind: 'no-session', name: 'no-session' }, payloadBytes: 256, cwd: '.' })
    const stopFor1s = async () => {
      await sleep(1000)
      process.kill(app.pid, 'SIGSTOP')
      await sleep(1000)
      process.kill(app.pid, 'SIGCONT')
    }
    try {
      await loadWindow(app.url, browse, { connections: 8, durationMs: 1000, timeoutMs: 10_000 }) // warm-up
      const [closed] = await Promise.all([
        loadWindow(app.url, browse, { connections: 8, durationMs: 3000, timeoutMs: 10_000 }),
        stopFor1s(),
      ])
      expect(closed.latency.max).toBeGreaterThan(900)
      expect(closed.latency.p99).toBeLessThan(200)
      const [open] = await Promise.all([
        openLoadWindow(app.url, browse, { ratePerSec: 500, durationMs: 3000, timeoutMs: 10_000 }),
        stopFor1s(),
      ])
      expect(open.latency.p99).toBeGreaterThan(900)
      expect(open.latency.p50).toBeLessThan(200)
    } finally {
      process.kill(app.pid, 'SIGCONT')
      await app.stop()
    }
  })

  test('a target that cannot keep up is reported saturated instead of piling up calls without end', async () => {
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 50))
    const window = await openLoop(slow, { ratePerSec: 10_000, durationMs: 500, maxInFlight: 100 })
    expect(window.saturated).toBe(true)
    expect(window.peakInFlight).toBe(100)
  })
})

describe('saturation sweeps', () => {
  const point = (ratePerSec: number, served: number, saturated = false) => ({
    ratePerSec,
    opsPerSec: { estimate: served, low: served, high: served, halfWidthPct: 0, n: 6 },
    saturated,
  })

  test('the knee is the highest rate kept up with, every lower one kept up with too', () => {
    expect(kneeOf([point(1000, 1000), point(4000, 3990), point(2000, 1999)])).toBe(4000)
    expect(kneeOf([point(1000, 1000), point(2000, 1500), point(4000, 3990)])).toBe(1000)
    expect(kneeOf([point(1000, 1000), point(2000, 2000, true)])).toBe(1000)
    expect(kneeOf([point(1000, 500)])).toBeUndefined()
  })

  test('store calls at constant rates: the store and its raw client at each rate, with × raw', async () => {
    const report = await runBench({
      stores: ['memory'],
      ...TINY_BENCH,
      rates: [4000, 500],
      windowMs: 5,
      cellCapMs: 1,
    })
    expect(report.settings.openLoop).toEqual({ rates: [500, 4000], operation: 'get-hit', windowMs: 40 })
    expect(report.openLoop.map((cell) => `${cell.target} ${cell.ratePerSec}`)).toEqual([
      'store 500',
      'raw 500',
      'store 4000',
      'raw 4000',
    ])
    for (const cell of report.openLoop) {
      expect(cell.windows.length).toBeGreaterThanOrEqual(6)
      expect(cell.windows.every((window) => window.offeredPerSec === cell.ratePerSec)).toBe(true)
      expect(cell.overhead !== undefined).toBe(cell.target === 'store')
    }
    const markdown = benchMarkdown(report)
    expect(markdown).toMatch(/## Open loop: get-hit at constant rates \(256B\)/)
    expect(markdown).toMatch(/^- \*\*memory\*\* (kept up|fell behind)/m)
    expect(markdown).toMatch(/^\| memory \| 500 \| [\d,]+ ±[\d.]+ %†?( \(saturated\))? \| /m)
  })

  test('whole requests at constant rates: every setup, no-session included', { timeout: 60_000 }, async () => {
    const http = await runHttpBench({
      ...TINY_HTTP,
      rates: [200],
    })
    expect(http.settings.openLoop).toEqual({ rates: [200], scenario: 'browse', windowMs: 80 })
    expect(http.openLoop.map((cell) => `${cell.setup} ${cell.ratePerSec}`)).toEqual([
      'no-session 200',
      'cookie-session 200',
      'memory 200',
    ])
  })
})

/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from 'vitest'
import { runHttpBench } from '../src/api/http-bench/run-http-bench.js'
import { runBench } from '../src/bench/run-bench.js'
import { benchHtml } from '../src/reporters/bench/html.js'
import { TINY_HTTP } from './support/bench-fixtures.js'

const CHROMIUM = '/usr/bin/chromium'

/** The HTML report is checked the way a person sees it: rendered in headless Chromium. */
test('the HTML report renders its charts in a browser, with no network', { timeout: 60_000 }, async (context) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: scripts/ci-services.sh installs it`)
    context.skip(`${CHROMIUM} is not installed (apt-get install chromium)`)
  }
  const report = await runBench({
    stores: ['memory'],
    operations: ['get-hit', 'set-new'],
    payloads: ['256B', '4KB'],
    concurrency: [1, 4],
    windowMs: 2,
    cellCapMs: 30,
    growth: [20, 50],
  })
  const http = await runHttpBench(TINY_HTTP)
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-bench-html-'))
  context.onTestFinished(() => rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'bench.html')
  await writeFile(file, benchHtml({ ...report, http }))

  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    // A laptop's width: the page must not scroll sideways (wide tables scroll inside their own box).
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const requests: string[] = []
    const errors: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(pathToFileURL(file).href)
    await page.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 10_000 })
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((canvas) => {
        const { width, height } = canvas
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray()
        let painted = 0
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) painted++
        return { id: canvas.id, width, painted }
      }),
    )
    expect(errors).toEqual([])
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('7')
    expect(drawn.map((chart) => chart.id)).toEqual([
      'latency',
      'tail',
      'overhead',
      'throughput',
      'growth',
      'http-throughput',
      'http-latency',
    ])
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(100)
      expect(chart.painted, `${chart.id} has nothing drawn`).toBeGreaterThan(1000)
    }
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
    await page.screenshot({ path: path.join(dir, 'bench.png'), fullPage: true })
  } finally {
    await browser.close()
  }
})

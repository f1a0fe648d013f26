import { describe, expect, test } from 'vitest'
import { parseMix } from '../src/bench/mix.js'
import { PAYLOAD_BYTES, sessionData } from '../src/bench/payloads.js'
import { zipfSampler } from '../src/bench/zipf.js'

const storedBytes = (data: Record<string, unknown>) =>
  JSON.stringify({
    ...data,
    cookie: { originalMaxAge: 3_600_000, expires: new Date().toISOString(), httpOnly: true, path: '/' },
  }).length

describe('payloads', () => {
  test.each(Object.entries(PAYLOAD_BYTES))('%s sessions store within 2 %% of their size', (_name, bytes) => {
    const size = storedBytes(sessionData(bytes))
    expect(Math.abs(size - bytes) / bytes).toBeLessThan(0.02)
  })

  test('the same seed gives the same session', () => {
    expect(sessionData(4096, 7)).toEqual(sessionData(4096, 7))
    expect(sessionData(4096, 7)).not.toEqual(sessionData(4096, 8))
  })
})

describe('zipf ids', () => {
  test('popularity falls off as 1/k^s: rank 1 about twice rank 2, ten times rank 10', () => {
    const next = zipfSampler(1000, { seed: 42 })
    const counts = new Array<number>(1000).fill(0)
    for (let i = 0; i < 200_000; i++) {
      const k = next()
      counts[k] = (counts[k] ?? 0) + 1
    }
    const [first = 0, second = 0] = counts
    const tenth = counts[9] ?? 0
    expect(first / second).toBeGreaterThan(1.8)
    expect(first / second).toBeLessThan(2.2)
    expect(first / tenth).toBeGreaterThan(8.5)
    expect(first / tenth).toBeLessThan(11.5)
  })

  test('deterministic for a seed, and always in range', () => {
    const a = zipfSampler(50, { seed: 3 })
    const b = zipfSampler(50, { seed: 3 })
    const drawn = Array.from({ length: 1000 }, () => a())
    expect(drawn).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...drawn)).toBeLessThan(50)
  })
})

describe('request mixes', () => {
  test('named and custom mixes', () => {
    expect(parseMix('read-heavy')).toEqual({ name: 'read-heavy', readShare: 0.9 })
    expect(parseMix('reads:75')).toEqual({ name: 'reads:75', readShare: 0.75 })
    expect(() => parseMix('reads:150')).toThrow(/unknown mix/)
    expect(() => parseMix('mostly-reads')).toThrow(/unknown mix/)
  })
})

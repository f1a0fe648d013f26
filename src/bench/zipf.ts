import { seededRandom } from './random.js'

/**
 * Picks indexes 0..n-1 with Zipf-distributed popularity (index 0 the most popular), as real
 * session traffic is skewed; exponent 0.99 is YCSB's default. Sampling is a binary search in the
 * precomputed CDF, so it costs the same for any n.
 */
export function zipfSampler(n: number, options: { exponent?: number; seed?: number } = {}): () => number {
  if (!(n >= 1)) throw new RangeError('zipfSampler needs at least one item')
  const exponent = options.exponent ?? 0.99
  const random = seededRandom(options.seed ?? 1)
  const cdf = new Float64Array(n)
  let total = 0
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** exponent
  for (let k = 0; k < n; k++) cdf[k] = (cdf[k] as number) / total
  return () => {
    const target = random()
    let low = 0
    let high = n - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((cdf[middle] as number) < target) low = middle + 1
      else high = middle
    }
    return low
  }
}

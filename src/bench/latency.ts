import * as hdr from 'hdr-histogram-js'

/** Percentiles are exact to this many significant digits (HDR histogram; 3 = within 0.1 %). */
export const SIGNIFICANT_DIGITS = 3
/** p99.9 is reported only from this many samples on; below that it is just the largest value. */
export const P999_MIN_SAMPLES = 1000

/** Latencies are recorded in nanoseconds: integers, as HDR histograms count. Up to an hour. */
const HIGHEST_NS = 3_600_000_000_000

/** One window's latency distribution (ms), its percentiles from an HDR histogram. */
export interface LatencyFigures {
  readonly samples: number
  readonly min: number
  readonly max: number
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly p999?: number
}

/** Records latencies (ms) into an HDR histogram and reads its percentiles back. */
export function latencyFigures(samplesMs: Iterable<number>): LatencyFigures {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_NS,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  })
  try {
    for (const ms of samplesMs) histogram.recordValue(Math.min(HIGHEST_NS, Math.max(1, Math.round(ms * 1e6))))
    const samples = histogram.totalCount
    if (samples === 0) throw new RangeError('no samples to summarise')
    const at = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1e6
    return {
      samples,
      min: histogram.minNonZeroValue / 1e6,
      max: histogram.maxValue / 1e6,
      mean: histogram.mean / 1e6,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      ...(samples >= P999_MIN_SAMPLES ? { p999: at(99.9) } : {}),
    }
  } finally {
    histogram.destroy()
  }
}

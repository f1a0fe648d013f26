import type { BenchReport } from '../../bench/report.js'
import { formatDuration } from './format.js'

/** How far the machine itself drifted during the run, so nobody reads the machine as the store. */
export function steadinessLine(report: BenchReport): string {
  const steadiness = report.steadiness
  if (!steadiness) return ''
  const range = `${formatDuration(steadiness.p50.min)}–${formatDuration(steadiness.p50.max)}`
  const verdict =
    steadiness.drift > STEADY_DRIFT
      ? `**the machine was not steady**: the same work took up to ${Math.round((steadiness.drift - 1) * 100)} % ` +
        "longer at times, so differences of that order between runs or stores are the machine's, not the store's."
      : 'the machine was steady.'
  const probe = `${steadiness.task}, timed ${steadiness.p50.samples} times across the run`
  return `Machine steadiness (${probe}): p50 ${range}; ${verdict}`
}

/** Drift above this (max ÷ min of the probe's p50s) is worth a warning. */
const STEADY_DRIFT = 1.1

import { cpus } from 'node:os'

/** Where results were produced, for reports that compare stores or runs. */
export interface Environment {
  readonly node: string
  readonly platform: string
  readonly cpu: string
  readonly cpus: number
}

export function environment(): Environment {
  const cpu = cpus()
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cpus: cpu.length,
  }
}

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

/**
 * The layers, bottom first. A module may import modules of its own unit and of units in lower
 * layers, never of a higher layer nor of another unit in its own layer (suites and backends do
 * not know each other). A file or folder whose name starts with `_` is private to the folder that
 * holds it (and that folder's subfolders).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/core'],
  ['src/suites', 'src/backends'],
  ['src/bench'],
  ['src/reporters'],
  ['src/api'],
  ['src/cli', 'src/index.ts', 'src/vitest.ts'],
]

interface Edge {
  readonly from: string
  readonly to: string
}

/** Which unit of which layer a repository path belongs to, if any. */
function unitOf(file: string): { unit: string; layer: number } | undefined {
  for (const [layer, units] of LAYERS.entries()) {
    const unit = units.find((entry) => file === entry || file.startsWith(`${entry}/`))
    if (unit) return { unit, layer }
  }
  return undefined
}

/** The folder a private path is private to, if `file` is private to one. */
function privateTo(file: string): string | undefined {
  const segments = file.split('/')
  const index = segments.findIndex((segment) => segment.startsWith('_'))
  return index < 0 ? undefined : segments.slice(0, index).join('/')
}

/** Every import that breaks a rule, in words. */
function violations(edges: readonly Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const found: string[] = []
    const owner = privateTo(to)
    if (owner !== undefined && !from.startsWith(`${owner}/`)) found.push(`${from} → ${to}: private to ${owner}/`)
    const source = unitOf(from)
    const target = unitOf(to)
    if (source && target && source.unit !== target.unit) {
      if (target.layer > source.layer)
        found.push(`${from} → ${to}: ${source.unit} may not import ${target.unit}, a higher layer`)
      if (target.layer === source.layer)
        found.push(`${from} → ${to}: ${source.unit} and ${target.unit} are in one layer`)
    }
    return found
  })
}

const root = fileURLToPath(new URL('..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(relative)
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [relative] : []
  })
}

/** Every relative import (static, re-export, type-only and dynamic) of the project's own code. */
function projectEdges(): Edge[] {
  return ['src', 'test', 'scripts'].flatMap(sourceFiles).flatMap((from) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, from), 'utf8'), true, true)
    return importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from, to: path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '.ts') }))
  })
}

describe('the layers', () => {
  test('no module imports a higher layer, a sibling unit, or another folder’s private files', () => {
    const edges = projectEdges()
    expect(edges.length).toBeGreaterThan(200)
    expect(violations(edges)).toEqual([])
  })

  test('the rules catch each kind of violation', () => {
    expect(
      violations([
        { from: 'src/core/runner/run-checks.ts', to: 'src/suites/index.ts' },
        { from: 'src/suites/ttl.ts', to: 'src/backends/index.ts' },
        { from: 'src/index.ts', to: 'src/cli/main.ts' },
        { from: 'src/api/run-matrix.ts', to: 'src/backends/_cleanup.ts' },
        { from: 'test/cli.test.ts', to: 'src/suites/_seed.ts' },
      ]),
    ).toEqual([
      'src/core/runner/run-checks.ts → src/suites/index.ts: src/core may not import src/suites, a higher layer',
      'src/suites/ttl.ts → src/backends/index.ts: src/suites and src/backends are in one layer',
      'src/index.ts → src/cli/main.ts: src/index.ts and src/cli are in one layer',
      'src/api/run-matrix.ts → src/backends/_cleanup.ts: private to src/backends/',
      'test/cli.test.ts → src/suites/_seed.ts: private to src/suites/',
    ])
    expect(
      violations([
        { from: 'src/backends/redis/connect-redis.ts', to: 'src/backends/_cleanup.ts' },
        { from: 'src/suites/ttl.ts', to: 'src/core/runner/timing.ts' },
        { from: 'src/cli/main.ts', to: 'src/api/run-conformance.ts' },
        { from: 'test/cli.test.ts', to: 'src/cli/main.ts' },
      ]),
    ).toEqual([])
  })
})

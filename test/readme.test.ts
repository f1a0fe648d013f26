import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { renderReadmeBlocks } from '../scripts/readme-blocks.js'

test("the README's generated blocks (catalogue, bench excerpt) match their sources (npm run docs)", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  expect(renderReadmeBlocks(readme)).toBe(readme)
})

import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { renderReadmeBlocks } from '../scripts/readme-blocks.js'

test('the README check catalogue matches the check definitions (npm run docs regenerates it)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  expect(renderReadmeBlocks(readme)).toBe(readme)
})

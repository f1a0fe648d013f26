/**
 * Regenerates the generated blocks of README.md from the check definitions, so the catalogue
 * there cannot drift (a test compares them). Run with `npm run docs`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { renderReadmeBlocks } from './readme-blocks.js'

const file = new URL('../README.md', import.meta.url)
const current = readFileSync(file, 'utf8')
const next = renderReadmeBlocks(current)
if (next !== current) writeFileSync(file, next)
console.log(next === current ? 'README.md is up to date' : 'README.md updated')

/**
 * The line-length limit, for what the formatter cannot break (long strings and test titles):
 * Biome formats to the same width but leaves such lines as they are, and has no lint rule for it.
 * Run by `npm run lint`; exits 1 naming every line over the limit.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The formatter's lineWidth in biome.json: one number for both. */
const limit = (JSON.parse(readFileSync('biome.json', 'utf8')) as { formatter: { lineWidth: number } }).formatter
  .lineWidth
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => /\.(ts|js|mjs|cjs|sh)$/.test(file) && !file.startsWith('test/fixtures/modules/'))

const long = files.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) =>
      [...line].length > limit ? [`${file}:${index + 1}: ${[...line].length} characters`] : [],
    ),
)
if (long.length > 0) {
  console.error(`${long.length} line(s) over ${limit} characters:\n${long.join('\n')}`)
  process.exit(1)
}
console.log(`${files.length} files, every line within ${limit} characters`)

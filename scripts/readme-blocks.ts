import { readFileSync } from 'node:fs'
import type { BenchReport } from '../src/bench/report.js'
import { benchExcerptMarkdown } from '../src/reporters/bench/excerpt.js'
import { catalogueMarkdown } from '../src/reporters/catalogue.js'
import { checks } from '../src/suites/index.js'

/** The published bench run (npm run bench:publish) the README quotes. */
const publishedBench = () =>
  JSON.parse(readFileSync(new URL('../reports/bench/bench.json', import.meta.url), 'utf8')) as BenchReport

/** Generated README blocks, each between `<!-- name:start -->` and `<!-- name:end -->`. */
const blocks: Record<string, () => string> = {
  catalogue: () => catalogueMarkdown(checks),
  'bench-excerpt': () => benchExcerptMarkdown(publishedBench()),
}

export function renderReadmeBlocks(readme: string): string {
  let text = readme
  for (const [name, render] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`)
    text = `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`
  }
  return text
}

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { FileFormat } from '../reporters/index.js'
import { writeFileAtomic } from './write-file-atomic.js'

/** Every format of a report written into `dir`, in map order: the paths and the texts, by format name. */
export async function writeFormats<Report, Options>(
  dir: string,
  formats: Record<string, FileFormat<Report, Options>>,
  report: Report,
  options: Options,
): Promise<{ files: string[]; texts: Record<string, string> }> {
  await mkdir(dir, { recursive: true })
  const files: string[] = []
  const texts: Record<string, string> = {}
  for (const [name, format] of Object.entries(formats)) {
    const file = path.join(dir, format.file)
    texts[name] = format.render(report, options)
    await writeFileAtomic(file, texts[name])
    files.push(file)
  }
  return { files, texts }
}

import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./cli-from-source.ts', import.meta.url))

/** The CLI in a process of its own (from source), for real signals. */
export class CliProcess {
  readonly child: ChildProcess
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString()
    })
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })))
  }

  /** Resolves with the match once stderr shows `pattern`; rejects if the process ends first. */
  async waitForStderr(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this.stderr)
      if (match) return match
      const next = new Promise<'data'>((resolve) => this.child.stderr?.once('data', () => resolve('data')))
      const ended = await Promise.race([next, this.exited.then(() => 'exit' as const)])
      if (ended === 'exit' && !pattern.exec(this.stderr)) {
        throw new Error(`the CLI ended before printing ${pattern}:\n${this.stderr}`)
      }
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal)
  }
}

/** Every live process descended from `pid`, read from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The parent pid is the 4th field, after the command name in parentheses (which may hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(Number(entry), Number(fields[1]))
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = []
  const visit = (parent: number) => {
    for (const [child, of] of parents) {
      if (of === parent && !found.includes(child)) {
        found.push(child)
        visit(child)
      }
    }
  }
  visit(pid)
  return found
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return condition()
}

import { type ChildProcess, spawn } from 'node:child_process'

/**
 * A small Node process between this one and a server it starts: it starts the server, and when
 * this process is gone, however it went (SIGKILL included: its end of the guard's stdin closes),
 * it kills the server and removes its directory. Linux's PR_SET_PDEATHSIG, which Node does not
 * offer, done with a pipe. It reports the server's pid on fd 3 and forwards SIGTERM to it.
 */
const GUARD = `
const { spawn } = require('node:child_process')
const { rmSync, writeSync } = require('node:fs')
const [dir, command, ...args] = process.argv.slice(1)
const server = spawn(command, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] })
server.on('error', (error) => { console.error(error.message); process.exit(127) })
if (server.pid) writeSync(3, server.pid + '\\n')
let orphaned = false
server.on('exit', (code, signal) => {
  if (orphaned) rmSync(dir, { recursive: true, force: true })
  process.exit(code ?? (signal ? 1 : 0))
})
process.on('SIGTERM', () => server.kill('SIGTERM'))
process.stdin.on('end', () => { orphaned = true; server.kill('SIGKILL') })
process.stdin.resume()
`

export interface GuardedServer {
  /** The guard: its stdout and stderr carry the server's, its exit is the server's. */
  readonly guard: ChildProcess
  /** The server's own pid, once started. */
  readonly serverPid: Promise<number | undefined>
}

export function spawnGuarded(command: string, args: readonly string[], dir: string): GuardedServer {
  const guard = spawn(process.execPath, ['-e', GUARD, dir, command, ...args], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  })
  const serverPid = new Promise<number | undefined>((resolve) => {
    const pidPipe = guard.stdio[3]
    let text = ''
    pidPipe?.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(Number(text.trim()))
    })
    pidPipe?.on('close', () => resolve(undefined))
    guard.once('exit', () => resolve(undefined))
  })
  return { guard, serverPid }
}

import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout } from '../core/timers.js'

/**
 * Signals to a server and every process it forked. A process group is not enough: PostgreSQL's
 * postmaster forks a process per connection and each makes itself a group (and session) leader,
 * so a signal to the postmaster's group reaches none of them. The tree is read from /proc (ppid);
 * where there is none (macOS), the tree is the server's own process.
 */

/** `root` and its descendants, root first. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const pid of procPids()) {
    const parent = Number(statFields(pid)?.[1])
    if (parent) children.set(parent, [...(children.get(parent) ?? []), pid])
  }
  const tree = [root]
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index] as number) ?? []))
  return tree
}

/** `signal` to each of `pids`, quietly: one may have gone meanwhile. */
export function signalEach(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // Gone already.
    }
  }
}

/**
 * SIGSTOP to the server, then, once it is stopped (a stopped postmaster forks no new backend),
 * to all it forked; resolves once every one is stopped: a paused server answers nothing.
 */
export async function stopTree(root: number, timeoutMs: number): Promise<number[]> {
  signalEach([root], 'SIGSTOP')
  await until([root], stoppedOrGone, timeoutMs, 'did not stop')
  const tree = processTree(root)
  signalEach(tree, 'SIGSTOP')
  await until(tree, stoppedOrGone, timeoutMs, 'did not stop')
  return tree
}

/** SIGCONT to the server and all it forked; resolves once none is stopped. */
export async function continueTree(root: number, timeoutMs: number): Promise<void> {
  const tree = processTree(root)
  signalEach(tree, 'SIGCONT')
  await until(tree, (state) => state !== 'T', timeoutMs, 'did not continue')
}

/**
 * SIGKILL to the server and all it forked, frozen first so that none is forked in between nor
 * orphaned before it is found; resolves once all are gone, and with them what they held (the
 * port, PostgreSQL's shared memory, InnoDB's file locks): it can start again in the same directory.
 */
export async function killTree(root: number, timeoutMs: number): Promise<void> {
  const tree = await stopTree(root, timeoutMs)
  signalEach(tree, 'SIGKILL')
  await until(tree, (state) => state === undefined, timeoutMs, 'did not go')
}

/**
 * A process's state letter (R, S, T, …), undefined once it is gone; a zombie counts as gone (it
 * holds nothing, and an init that does not reap would keep it forever). Without /proc: 'R' while
 * kill() reaches it, which tells gone from not gone only.
 */
function stateOf(pid: number): string | undefined {
  const fields = statFields(pid)
  if (fields === undefined) return hasProc ? undefined : signalable(pid) ? 'R' : undefined
  const state = fields[0]
  return state === 'Z' || state === 'X' ? undefined : state
}

const stoppedOrGone = (state: string | undefined) => state === 'T' || state === undefined || !hasProc

/** Polls the states of `pids` until each satisfies `done`. */
async function until(
  pids: readonly number[],
  done: (state: string | undefined) => boolean,
  timeoutMs: number,
  failure: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const waiting = pids.filter((pid) => !done(stateOf(pid)))
    if (waiting.length === 0) return
    if (Date.now() > deadline) throw new Error(`process ${waiting.join(', ')} ${failure} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self')
    return true
  } catch {
    return false
  }
})()

function procPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
  } catch {
    return []
  }
}

/** /proc/<pid>/stat after the command name (which may hold spaces): state, ppid, pgrp, … */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

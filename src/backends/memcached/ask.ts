import { Socket } from 'node:net'

/** One text-protocol command over a plain socket; resolves with the reply once `end` is seen. */
export function ask(hostPort: string, command: string, end: RegExp, timeoutMs: number): Promise<string> {
  const [host = '127.0.0.1', port = '11211'] = hostPort.split(':')
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    let answer = ''
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.once('error', reject)
    socket.once('close', () => reject(new Error(`the connection closed without a reply to ${command}`)))
    socket.on('data', (chunk) => {
      answer += chunk.toString()
      if (end.test(answer)) {
        socket.end()
        resolve(answer)
      }
    })
    socket.connect(Number(port), host, () => socket.write(`${command}\r\n`))
  })
}

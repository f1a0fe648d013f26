import { describe, expect, test } from 'vitest'
import { commands } from '../src/cli/options.js'
import { parseCli } from '../src/cli/parse-cli.js'
import { DEFAULT_TIMEOUT_MS } from '../src/core/limits.js'

const help = (...argv: string[]) => {
  const command = parseCli([...argv, '--help'], '1.2.3')
  if (command.kind !== 'help') throw new Error(`expected help, got ${command.kind}`)
  return command.text
}

describe('the help is generated from the option declarations', () => {
  test.for([
    ['run', []],
    ['matrix', ['matrix']],
    ['bench', ['bench']],
  ] as const)('%s --help lists every option it declares, with its default', ([name, argv]) => {
    const text = help(...argv)
    for (const option of Object.values(commands[name].options)) {
      const line = text.split('\n').find((entry) => entry.trimStart().startsWith(`${option.flag} `))
      expect(line, option.flag).toContain(option.description)
      if (option.default !== undefined) expect(line).toMatch(/\(default: [^)]+\)$/)
    }
  })

  test('a default is the constant the API uses, not a copy', () => {
    expect(help()).toMatch(new RegExp(`--timeout <ms> +Per-call timeout in ms \\(default: ${DEFAULT_TIMEOUT_MS}\\)`))
  })

  test('the default command lists the commands; --version prints the version, with or without a command', () => {
    expect(help()).toMatch(/Commands:\n {2}\[store\] .*\n {2}matrix \[\.\.\.stores\] .*\n {2}bench \[\.\.\.stores\] /)
    expect(parseCli(['--version'], '1.2.3')).toMatchObject({
      kind: 'version',
      text: expect.stringMatching(/^store-conformance\/1\.2\.3 /),
    })
    expect(parseCli(['bench', '--version'], '1.2.3')).toMatchObject({
      kind: 'version',
      text: expect.stringContaining('1.2.3'),
    })
  })
})

describe('parsing', () => {
  test('flags reach the command as declared: lists split, numbers checked, defaults applied', () => {
    expect(parseCli(['memory', '--only', 'core,ttl', '--only', 'touch', '--allow-clear'], '1.2.3')).toMatchObject({
      kind: 'run',
      store: 'memory',
      flags: { only: ['core', 'ttl', 'touch'], skip: [], allowClear: true, reporter: [], timeoutMs: undefined },
    })
    expect(parseCli(['bench', '--quick', '--growth'], '1.2.3')).toMatchObject({
      kind: 'bench',
      stores: ['memory'],
      flags: { quick: true, runs: undefined, growth: [1000, 10_000, 100_000], outDir: '.store-conformance' },
    })
  })

  test('--list and --all select their commands', () => {
    expect(parseCli(['--list', '--reporter', 'json'], '1.2.3')).toMatchObject({
      kind: 'list',
      flags: { reporter: ['json'] },
    })
    expect(parseCli(['redis', '--all'], '1.2.3')).toMatchObject({
      kind: 'matrix',
      stores: ['redis'],
      flags: { outDir: 'reports' },
    })
  })

  test('bench takes --url, --require and --timeout as a run does, and --out-dir where a run takes --out', () => {
    const argv = ['bench', 'redis', '--url', 'redis://127.0.0.1:6390', '--require', 'redis', '--timeout', '2000']
    expect(parseCli(argv, '1.2.3')).toMatchObject({
      kind: 'bench',
      flags: { url: 'redis://127.0.0.1:6390', require: ['redis'], timeoutMs: 2000 },
    })
    expect(() => parseCli(['bench', '--out', 'reports/bench'], '1.2.3')).toThrow(
      'bench writes three files into a directory: use --out-dir reports/bench',
    )
    expect(() => parseCli(['bench', '--timeout', '-5'], '1.2.3')).toThrow(/--timeout must be/)
  })

  test('--reporter repeats, and every name is checked', () => {
    expect(parseCli(['memory', '--reporter', 'tty', '--reporter', 'junit,github'], '1.2.3')).toMatchObject({
      flags: { reporter: ['tty', 'junit', 'github'] },
    })
    expect(() => parseCli(['memory', '--reporter', 'tty', '--reporter', 'xml'], '1.2.3')).toThrow(
      /--reporter must be one of tty, json, junit, markdown, github, got "xml"/,
    )
  })
})

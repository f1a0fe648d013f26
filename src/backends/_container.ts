import { withDeadline } from '../core/deadline.js'
import { installedFor } from '../core/package-version.js'
import type { Backend, ServerSpec } from './types.js'

const PROBE_TIMEOUT_MS = 3000
/** The testcontainers majors this module is written for (an optional peer with the range "*"). */
const TESTCONTAINERS_RANGE = '^11'

/**
 * Whether a container runtime answers. testcontainers throws "Could not find a working container
 * runtime strategy" when none does, and retries on every call; probe once, with a time limit.
 */
export async function containerRuntimeAvailable(): Promise<
  'available' | 'no-runtime' | 'no-testcontainers' | 'unsupported-testcontainers'
> {
  const installed = installedFor('testcontainers', TESTCONTAINERS_RANGE)
  if (installed === undefined) return 'no-testcontainers'
  if (!installed.supported) return 'unsupported-testcontainers'
  let testcontainers: typeof import('testcontainers')
  try {
    testcontainers = await import('testcontainers')
  } catch {
    return 'no-testcontainers'
  }
  const answers = await withDeadline(testcontainers.getContainerRuntimeClient(), PROBE_TIMEOUT_MS, 'no answer').then(
    () => true,
    () => false,
  )
  return answers ? 'available' : 'no-runtime'
}

/** Starts the spec's pinned image and waits for its port; the handle stops the container. */
export async function startContainer(spec: ServerSpec): Promise<Backend> {
  const image = spec.container
  if (!image) throw new Error(`${spec.kind} has no container image`)
  const { GenericContainer, Wait } = await import('testcontainers')
  let builder = new GenericContainer(image.image)
    .withExposedPorts(image.port)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000)
  if (image.env) builder = builder.withEnvironment({ ...image.env })
  if (image.command) builder = builder.withCommand([...image.command])
  const container = await builder.start()
  try {
    const url = image.url(container.getHost(), container.getMappedPort(image.port))
    const version = await withDeadline(spec.ping(url, 30_000), 31_000, 'no answer within 30 s')
    return { kind: spec.kind, url, source: 'container', version, stop: async () => void (await container.stop()) }
  } catch (error) {
    await container.stop().catch(() => {})
    throw error
  }
}

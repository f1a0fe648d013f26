import type { Backend, BackendSpec } from './backend.js'

const PROBE_TIMEOUT_MS = 3000

/**
 * Whether a container runtime answers. testcontainers throws "Could not find a working container
 * runtime strategy" when none does, and retries on every call; probe once, with a time limit.
 */
export async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers')
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)))
    const answer = await Promise.race([getContainerRuntimeClient().then(() => true, () => false), timeout])
    clearTimeout(timer)
    return answer
  } catch {
    return false
  }
}

/** Starts the spec's pinned image and waits for its port; the handle stops the container. */
export async function startContainer(spec: BackendSpec): Promise<Backend> {
  const image = spec.container
  if (!image) throw new Error(`${spec.kind} has no container image`)
  const { GenericContainer, Wait } = await import('testcontainers')
  let builder = new GenericContainer(image.image).withExposedPorts(image.port).withWaitStrategy(Wait.forListeningPorts()).withStartupTimeout(120_000)
  if (image.env) builder = builder.withEnvironment({ ...image.env })
  if (image.command) builder = builder.withCommand([...image.command])
  const container = await builder.start()
  const url = image.url(container.getHost(), container.getMappedPort(image.port))
  const version = await spec.ping(url, 30_000)
  return { kind: spec.kind, url, source: 'container', version, stop: async () => void (await container.stop()) }
}

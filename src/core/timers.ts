/**
 * The timer functions as they were when the harness loaded, before any store: the runner's
 * deadlines and waits use these, so a store that replaces the global setTimeout (a fake clock, a
 * broken polyfill) cannot stop a hung call from timing out. Replacing them is reported as
 * tampering at the end of the run (core/intrinsics.ts).
 */
export const { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate } = globalThis

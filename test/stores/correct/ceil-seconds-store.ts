import { CeilSecondsStore } from './wall-clock-seconds-stores.js'

export default { create: () => new CeilSecondsStore() }

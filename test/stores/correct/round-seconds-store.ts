import { RoundSecondsStore } from './wall-clock-seconds-stores.js'

export default { create: () => new RoundSecondsStore() }

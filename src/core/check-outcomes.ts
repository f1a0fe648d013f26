/**
 * What a check can end with besides a pass or a CheckFailure. Both say the check reached no
 * verdict of its own, and why; neither is ever a pass.
 */

/**
 * The observation could not decide: the machine was too slow for a timing precondition (a read
 * landed after the deadline it was meant to beat). The runner measures again; if every attempt is
 * inconclusive the check is reported as such, never as passed.
 */
export class Inconclusive extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'Inconclusive'
  }
}

/**
 * The check could not set up its situation because of a defect another check owns (`owner`):
 * reported there, once; this check says it depended on it. If the owner did not fail (it was not
 * selected, or passed by luck), the runner turns this into a failure, so the defect is never lost.
 */
export class PrerequisiteFailure extends Error {
  constructor(
    readonly owner: string,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause })
    this.name = 'PrerequisiteFailure'
  }
}

/** Raised when a newer enable/disable overtook an enable that was still waiting for the device. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}

import { AppError } from '../errors/AppError.ts';

/** A bus was used after `close()`. Clients see `unavailable`; the message is for logs. */
export class BusClosedError extends AppError {
  constructor() {
    super('unavailable');
    this.name = 'BusClosedError';
    this.message = 'the bus is closed';
  }
}

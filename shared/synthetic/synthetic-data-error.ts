// The generator's one error: options it cannot build a ward from. Says which option and why.
import { WardlineError } from '../errors/index.js';

export class SyntheticDataError extends WardlineError<'INVALID_GENERATOR_OPTIONS'> {
  override readonly name = 'SyntheticDataError';

  constructor(message: string) {
    super('INVALID_GENERATOR_OPTIONS', message);
  }
}

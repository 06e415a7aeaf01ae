// The generator's one error: options it cannot build a ward from. Says which option and why.

export class SyntheticDataError extends Error {
  readonly code = 'INVALID_GENERATOR_OPTIONS' as const;

  constructor(message: string) {
    super(message);
    this.name = 'SyntheticDataError';
  }
}

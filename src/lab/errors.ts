// The one error type the lab throws: a message a user can act on, plus a machine-readable code.

export type LabErrorCode =
  | 'not-root'
  | 'frr-missing'
  | 'bad-option'
  | 'already-up'
  | 'not-up'
  | 'address-in-use'
  | 'command-failed'
  | 'daemon-failed';

export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    readonly code: LabErrorCode,
    message: string,
  ) {
    super(message);
  }
}

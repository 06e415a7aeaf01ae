// The host's own error: the pieces it composes do not belong together (the machine policy names
// another hub or ward than this workstation's enrollment), or the loopback server cannot serve the
// window, or a request needs the hub on a workstation that is not enrolled at one, or a conflict to
// settle is not there (already settled), or the machine policy forbids printing, or another running
// host holds the data folder, or the workstation is not set up yet (first start), or an export
// of the audit view cannot be saved (no save dialog here, or the file could not be written). (An off-ward chart's refusals are electron/off-ward's OffWardError.)
import { WardlineError } from '../../shared/errors/index.js';

export type HostErrorCode =
  | 'HUB_MISMATCH'
  | 'WARD_MISMATCH'
  | 'RENDERER_MISSING'
  | 'LOOPBACK_UNAVAILABLE'
  | 'NOT_ENROLLED'
  | 'CONFLICT_NOT_FOUND'
  | 'PRINTING_DISABLED'
  | 'NOT_IN_CACHE'
  | 'DATA_DIR_IN_USE'
  | 'NOT_SET_UP'
  | 'SETTING_UP'
  | 'EXPORT_UNAVAILABLE'
  | 'EXPORT_FAILED';

export class HostError extends WardlineError<HostErrorCode> {
  override readonly name = 'HostError';

  constructor(code: HostErrorCode, message: string) {
    super(code, message);
  }
}

// The off-ward channel: chart:open-off-ward opens a patient's chart from outside this ward by
// break-the-glass (electron/off-ward does the work, guarded and audited there).
import { openOffWardChart, type OffWardChartOptions } from '../off-ward/index.js';
import type { IpcHandler } from './ipc-router.js';

export interface OffWardHandlers {
  readonly 'chart:open-off-ward': IpcHandler<'chart:open-off-ward'>;
}

export function offWardHandlers(options: OffWardChartOptions): OffWardHandlers {
  return {
    'chart:open-off-ward': (request) => openOffWardChart(options, request),
  };
}

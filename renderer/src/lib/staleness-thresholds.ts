// The staleness thresholds in force (the policy's, sent by the host with its sync status), for any
// screen that says how old a patient's data is; Wardline's defaults until the first status arrives.
// And whether syncs refresh the data now (false in downtime or while sync is stopped).
import { createContext, useContext } from 'react';
import { DEFAULT_DATA_STALENESS, type StalenessThresholds } from '../../../shared/staleness/index.js';

export const StalenessThresholdsContext = createContext<StalenessThresholds>(DEFAULT_DATA_STALENESS);

export function useStalenessThresholds(): StalenessThresholds {
  return useContext(StalenessThresholdsContext);
}

export const DataUpdatingContext = createContext<boolean>(true);

/** Whether syncs refresh the ward's data now; true until the first status arrives. */
export function useDataUpdating(): boolean {
  return useContext(DataUpdatingContext);
}

// The staleness thresholds in force (the policy's, sent by the host with its sync status), for any
// screen that says how old a patient's data is; Wardline's defaults until the first status arrives.
// Beside them, whether the hub confirms the data now (sync online): until it does, nothing is "up to date";
// and the ward's data as of the banner shows, so a screen that shows a patient's asks again when it moves.
import { createContext, useContext } from 'react';
import { DEFAULT_DATA_STALENESS, type StalenessThresholds } from '../../../shared/staleness/index.js';

export const StalenessThresholdsContext = createContext<StalenessThresholds>(DEFAULT_DATA_STALENESS);

export function useStalenessThresholds(): StalenessThresholds {
  return useContext(StalenessThresholdsContext);
}

/** Whether the hub confirms the data now (sync cycles succeed); false until the first status says so. */
export const HubConfirmsDataContext = createContext<boolean>(false);

export function useHubConfirmsData(): boolean {
  return useContext(HubConfirmsDataContext);
}

/** The ward's data as of, as the banner shows it (the sync status's); undefined until the first status arrives. */
export const WardDataAsOfContext = createContext<string | null | undefined>(undefined);

export function useWardDataAsOf(): string | null | undefined {
  return useContext(WardDataAsOfContext);
}

// An open chart's "data as of", kept as true as the banner's: the summary's when the chart opened,
// then the host's answer to sync:patient-freshness (the patient's data as of and staleness only, no
// chart data, so no audited re-read of the chart) each time the ward's data as of in the banner
// moves (a sync cycle brought the data up to date, seen by event or by the banner's poll).
import { useEffect, useState } from 'react';
import { call, hostApi } from '../../host-api.js';
import { useWardDataAsOf } from '../../lib/staleness-thresholds.js';

export function usePatientDataAsOf(patientId: string, fromSummary: string | null): string | null {
  const wardDataAsOf = useWardDataAsOf();
  const [asked, setAsked] = useState<{ readonly patientId: string; readonly dataAsOf: string | null } | null>(null);
  useEffect(() => {
    if (wardDataAsOf === undefined) return undefined;
    let live = true;
    call(hostApi().sync.patientFreshness({ patientId })).then(
      (freshness) => {
        // Null: the chart cache does not track the patient (a chart opened from another ward); keep the summary's.
        if (live && freshness !== null) setAsked({ patientId, dataAsOf: freshness.dataAsOf });
      },
      () => {
        // Keep what is shown; a locked session is handled by the purge watcher.
      },
    );
    return () => {
      live = false;
    };
  }, [patientId, wardDataAsOf]);
  return asked !== null && asked.patientId === patientId ? asked.dataAsOf : fromSummary;
}

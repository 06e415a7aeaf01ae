// The patient chart: the banner always on top, then tabs (Summary, Vital signs, MAR, Labs, Notes,
// Problems, Medications — those the role may read). The summary is loaded first and alone, so the
// banner and the Summary tab are interactive at once; trends, the MAR and notes load when their tab
// opens. Documentation (vital signs, administrations, notes, corrections) is offered to roles that
// may document, on a chart the host says may be documented here (`readOnly`): an emergency copy of a
// patient on another ward offers none of it and says why instead, so nothing is typed in vain.
// The open chart shows what the vault holds: on every sync:changed (a cycle wrote or deleted data, a
// local write) and after a save, the summary and the open views reload in place (refreshKey; each a
// refresh, so the host records one chart-read per opening). A patient the vault no longer holds
// (discharged, transferred and purged) leaves the screen: it says so, and shows nothing of the chart.
// The patient's name takes the focus on opening.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Button, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { READ_ONLY_CHART_TEXT } from '../../../../shared/access/index.js';
import type { ChartSummaryData, SessionViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import type { AdministrationTarget } from '../documentation/administration-target.js';
import { RecordAdministrationDialog } from '../documentation/record-administration-dialog.js';
import { RecordVitalsDialog } from '../documentation/record-vitals-dialog.js';
import { WriteNoteDialog } from '../documentation/write-note-dialog.js';
import { PrintMarButton } from '../print/print-mar-button.js';
import { markChartInteractive } from './chart-interactive-mark.js';
import { visibleTabs, type ChartTabId } from './chart-tabs.js';
import { storedTab, storeTab } from './chart-view-state.js';
import { EmergencyAccessPanel } from './emergency-access-panel.js';
import { grantFor, rememberGrant } from './emergency-grants.js';
import { LabsTab } from './labs-tab.js';
import { MarTab } from './mar-tab.js';
import { RecordedEntries } from './recorded-entries.js';
import { MedicationsTab } from './medications-tab.js';
import { NotesTab } from './notes-tab.js';
import { PatientBanner } from './patient-banner.js';
import { PendingDocumentation, savedNotice, useDeliveries, usePendingDocumentation, type SavedEntry } from './pending-documentation.js';
import { ProblemsTab } from './problems-tab.js';
import { isRolePermitted } from './role-permissions.js';
import { SummaryTab } from './summary-tab.js';
import { useChartRead } from './use-chart-read.js';
import '../../styles/chart.css';

// The plots (recharts) load with the Vital signs tab, not with the chart: the banner and the
// Summary do not wait for them. They are fetched in the background once the chart is interactive.
const loadVitalsTab = () => import('./vitals-tab.js');
const VitalsTab = lazy(async () => ({ default: (await loadVitalsTab()).VitalsTab }));

export interface ChartScreenProps {
  patientId: string;
  session: SessionViewData;
  onBack: () => void;
  onNextPatient: () => void;
  onPreviousPatient: () => void;
}

export function ChartScreen(props: ChartScreenProps): React.JSX.Element {
  const { patientId, session, onBack, onNextPatient, onPreviousPatient } = props;
  const [refreshKey, setRefreshKey] = useState(0);
  const refreshChart = useCallback(() => setRefreshKey((k) => k + 1), []);
  useEffect(() => hostApi().sync.onChanged(refreshChart), [refreshChart]);
  const { loaded, reload } = useChartRead(patientId, refreshKey, (refresh) => call(hostApi().chart.summary({ patientId, refresh })));
  return (
    <section className="screen" aria-label="Patient chart">
      <nav className="toolbar" aria-label="Chart navigation">
        <Button className="button" onPress={onBack}>
          Back to census
        </Button>
        <Button className="button" onPress={onPreviousPatient}>
          Previous patient
        </Button>
        <Button className="button" onPress={onNextPatient}>
          Next patient
        </Button>
      </nav>
      {loaded.state === 'loading' ? (
        <p className="loading" role="status">
          Opening the chart…
        </p>
      ) : null}
      {loaded.state === 'failed' && loaded.error.code === 'BTG_REQUIRED' ? (
        <EmergencyAccessPanel
          key={patientId}
          patientId={patientId}
          explanation={loaded.error.message}
          onGranted={(expiresAt) => {
            rememberGrant(patientId, expiresAt);
            reload();
          }}
          onCancel={onBack}
        />
      ) : null}
      {loaded.state === 'failed' && loaded.error.code !== 'BTG_REQUIRED' ? (
        <div className="card" role="alert">
          <p className="text-danger">{loaded.error.message}</p>
          <Button className="button button--secondary" onPress={reload}>
            Try again
          </Button>
        </div>
      ) : null}
      {loaded.state === 'ready' && loaded.value === null ? (
        <div className="card" role="alert">
          <p>
            This patient is no longer on this ward: their chart is not on this workstation. They may have been discharged or moved to
            another ward since the last sync.
          </p>
          <Button className="button button--secondary" onPress={onBack}>
            Back to census
          </Button>
        </div>
      ) : null}
      {loaded.state === 'ready' && loaded.value !== null ? (
        <ChartBody
          key={patientId}
          summary={loaded.value}
          session={session}
          expiresAt={grantFor(patientId)}
          refreshKey={refreshKey}
          onDocumented={refreshChart}
        />
      ) : null}
    </section>
  );
}

function ChartBody(props: {
  summary: ChartSummaryData;
  session: SessionViewData;
  expiresAt: string | null;
  /** Moves on every sync:changed and after a save: the open views reload in place. */
  refreshKey: number;
  /** Reloads the chart (summary and views), so every tab shows what was just documented. */
  onDocumented: () => void;
}): React.JSX.Element {
  const { summary, session, expiresAt, refreshKey, onDocumented } = props;
  const patientId = summary.patient.id;
  const role = session.role;
  const tabs = visibleTabs(role);
  const [tab, setTab] = useState<ChartTabId>(() => {
    const stored = storedTab(session.sessionId, patientId);
    return stored !== null && tabs.some((t) => t.id === stored) ? stored : 'summary';
  });
  const [vitalsOpen, setVitalsOpen] = useState(false);
  const [noteOpen, setNoteOpen] = useState(false);
  const [administration, setAdministration] = useState<AdministrationTarget | null>(null);
  const [saved, setSaved] = useState<SavedEntry | null>(null);
  const { pending, reloadPending } = usePendingDocumentation(patientId);
  const deliveries = useDeliveries(pending);

  // The opened chart's heading (the patient's name) takes the focus, so a screen reader announces
  // whose chart this is and the keyboard starts from the top of it. Once per patient (the body is
  // keyed by patient), not after a dialog closes.
  useEffect(() => {
    document.getElementById('chart-patient-name')?.focus();
  }, []);

  useEffect(() => {
    markChartInteractive();
    const prefetch = (): void => {
      void loadVitalsTab().catch(() => undefined);
    };
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(prefetch, { timeout: 2_000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(prefetch, 200);
    return () => clearTimeout(timer);
  }, []);
  useEffect(() => {
    storeTab(session.sessionId, patientId, tab);
  }, [session.sessionId, patientId, tab]);

  // The host's word on this chart (an emergency copy of a patient on another ward is read only), then the role's.
  const documentable = summary.readOnly === null;
  const mayDocumentVitals = documentable && isRolePermitted(role, 'document:vital-signs');
  const mayDocumentAdministration = documentable && isRolePermitted(role, 'document:medication-administration');
  const mayDocumentNotes = documentable && isRolePermitted(role, 'document:note');
  const record = mayDocumentAdministration ? setAdministration : null;
  const afterSave = (what: string) => (): void => {
    setSaved({ what, pendingAtSave: pending });
    reloadPending();
    onDocumented();
  };
  const patientLabel = `${summary.patient.name}${summary.patient.mrn === null ? '' : `, MRN ${summary.patient.mrn}`}`;

  return (
    <>
      <PatientBanner
        summary={summary}
        role={role}
        headingId="chart-patient-name"
        emergencyAccess={expiresAt === null ? null : { expiresAt }}
      />
      <div className="toolbar" role="group" aria-label="Chart actions">
        {summary.readOnly === null ? null : (
          <p className="message message--warning" role="note">
            {READ_ONLY_CHART_TEXT[summary.readOnly]}
          </p>
        )}
        {mayDocumentVitals ? (
          <Button className="button button--primary" onPress={() => setVitalsOpen(true)}>
            Record vital signs
          </Button>
        ) : null}
        {isRolePermitted(role, 'print') && isRolePermitted(role, 'category:read:medication') ? (
          <PrintMarButton scope={{ patientId }} />
        ) : null}
        <p className="confirmation" role="status">
          {savedNotice(saved, pending)}
        </p>
      </div>
      <PendingDocumentation pending={pending} />
      <Tabs className="tabs" selectedKey={tab} onSelectionChange={(key) => setTab(key as ChartTabId)}>
        <TabList className="tabs__list" aria-label="Chart sections">
          {tabs.map((t) => (
            <Tab key={t.id} id={t.id} className="tabs__tab">
              {t.label}
            </Tab>
          ))}
        </TabList>
        <TabPanel id="summary" className="tabs__panel">
          <SummaryTab summary={summary} role={role} />
        </TabPanel>
        {tabs.some((t) => t.id === 'vitals') ? (
          <TabPanel id="vitals" className="tabs__panel">
            <Suspense fallback={<p role="status">Loading the plots…</p>}>
              <VitalsTab patientId={patientId} refreshKey={refreshKey} />
            </Suspense>
            <RecordedEntries
              patientId={patientId}
              patientLabel={patientLabel}
              kind="Observation"
              role={role}
              documentable={documentable}
              refreshKey={refreshKey}
              deliveries={deliveries}
              onAmended={afterSave('Correction')}
            />
          </TabPanel>
        ) : null}
        {tabs.some((t) => t.id === 'mar') ? (
          <TabPanel id="mar" className="tabs__panel">
            <MarTab patientId={patientId} refreshKey={refreshKey} onRecord={record} />
            <RecordedEntries
              patientId={patientId}
              patientLabel={patientLabel}
              kind="MedicationAdministration"
              role={role}
              documentable={documentable}
              refreshKey={refreshKey}
              deliveries={deliveries}
              onAmended={afterSave('Correction')}
            />
          </TabPanel>
        ) : null}
        {tabs.some((t) => t.id === 'labs') ? (
          <TabPanel id="labs" className="tabs__panel">
            <LabsTab labs={summary.labs ?? []} />
          </TabPanel>
        ) : null}
        {tabs.some((t) => t.id === 'notes') ? (
          <TabPanel id="notes" className="tabs__panel">
            <NotesTab patientId={patientId} refreshKey={refreshKey} onWriteNote={mayDocumentNotes ? () => setNoteOpen(true) : null} />
          </TabPanel>
        ) : null}
        {tabs.some((t) => t.id === 'problems') ? (
          <TabPanel id="problems" className="tabs__panel">
            <ProblemsTab problems={summary.problems ?? []} />
          </TabPanel>
        ) : null}
        {tabs.some((t) => t.id === 'medications') ? (
          <TabPanel id="medications" className="tabs__panel">
            <MedicationsTab
              medications={summary.medications ?? []}
              onRecordAdministration={record === null ? null : (order) => record({ order, scheduledAt: null })}
            />
          </TabPanel>
        ) : null}
      </Tabs>
      {mayDocumentVitals ? (
        <RecordVitalsDialog
          patientId={patientId}
          patientLabel={patientLabel}
          isOpen={vitalsOpen}
          onClose={() => setVitalsOpen(false)}
          onSaved={afterSave('Vital signs')}
        />
      ) : null}
      {mayDocumentNotes ? (
        <WriteNoteDialog
          patientId={patientId}
          patientLabel={patientLabel}
          isOpen={noteOpen}
          onClose={() => setNoteOpen(false)}
          onSaved={afterSave('Note')}
        />
      ) : null}
      {mayDocumentAdministration ? (
        <RecordAdministrationDialog
          chart={summary}
          target={administration}
          onClose={() => setAdministration(null)}
          onSaved={afterSave('Administration')}
        />
      ) : null}
    </>
  );
}

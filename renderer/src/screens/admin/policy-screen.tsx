// The machine policy in force (policy:view), read only: hub, ward, time limits in minutes and
// hours, printing, updates, who signed it and which settings fell back to defaults.
import { Button } from 'react-aria-components';
import type { PolicyViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { useHostCall } from '../chart/use-host-call.js';
import { durationText } from './duration-text.js';

const DEFAULTABLE_NAMES: Readonly<Record<string, string>> = {
  idleTimeoutMs: 'Lock after inactivity',
  sessionLimitMs: 'Session limit',
  offlineGraceMs: 'Offline sign-in allowed for',
  staleAmberMs: 'Data shown as ageing after',
  staleRedMs: 'Data shown as old after',
  printingAllowed: 'Printing',
  updates: 'Updates',
  pins: 'Hub certificate pins',
  staleness: 'Data age thresholds',
  'session.maxLockedSessions': 'Locked sessions kept',
  'session.breakTheGlassMinutes': 'Emergency access lasts',
  'cache.daysBeforeAdmission': 'Chart history kept before admission',
  'audit.retentionDays': 'Audit entries kept after upload',
  'medication.administrationWindowMinutes': 'Dose on time within',
};

function Fact({ term, children }: { term: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function PolicyFacts({ policy }: { policy: PolicyViewData }): React.JSX.Element {
  return (
    <dl className="facts facts--wide">
      <Fact term="Issued">{formatDateTime(policy.issued)}</Fact>
      <Fact term="Signed by">{policy.signedBy}</Fact>
      <Fact term="Hub">{policy.hubUrl}</Fact>
      <Fact term="Ward">{policy.ward}</Fact>
      <Fact term="Lock after inactivity">{durationText(policy.idleTimeoutMs)}</Fact>
      <Fact term="Session limit">{durationText(policy.sessionLimitMs)}</Fact>
      <Fact term="Offline sign-in allowed for">{durationText(policy.offlineGraceMs)}</Fact>
      <Fact term="Locked sessions kept">{policy.maxLockedSessions}</Fact>
      <Fact term="Emergency access lasts">{durationText(policy.breakTheGlassMs)}</Fact>
      <Fact term="Chart history kept before admission">{policy.cacheDaysBeforeAdmission} days</Fact>
      <Fact term="Audit entries kept after the hub has them">{durationText(policy.auditRetentionMs)}</Fact>
      <Fact term="Dose on time within">{durationText(policy.administrationWindowMs)} either side of its scheduled time</Fact>
      <Fact term="Allergy classes added by the site">{policy.allergyClassesAdded}</Fact>
      <Fact term="Data shown as ageing (amber) after">{durationText(policy.staleAmberMs)}</Fact>
      <Fact term="Data shown as old (red) after">{durationText(policy.staleRedMs)}</Fact>
      <Fact term="Printing">{policy.printingAllowed ? 'Allowed' : 'Turned off'}</Fact>
      <Fact term="Save the MAR as a PDF file">
        {policy.saveAsPdfAllowed ? "Allowed (in Wardline's printouts folder, removed by wipe)" : 'Not allowed: the print dialog only'}
      </Fact>
      <Fact term="Updates">{policy.updates.enabled ? `On, channel ${policy.updates.channel} (${policy.updates.url})` : 'Off'}</Fact>
      <Fact term="Hub certificate pins">
        {policy.pins.length === 0 ? (
          'None'
        ) : (
          <ul className="list mono">
            {policy.pins.map((pin) => (
              <li key={pin}>{pin}</li>
            ))}
          </ul>
        )}
      </Fact>
      <Fact term="Settings at their default">
        {policy.defaulted.length === 0
          ? 'None: every setting is set by the policy'
          : policy.defaulted.map((d) => DEFAULTABLE_NAMES[d] ?? d).join(', ')}
      </Fact>
    </dl>
  );
}

export function PolicyScreen(): React.JSX.Element {
  const { loaded, reload } = useHostCall('policy', () => call(hostApi().policy.view()));
  return (
    <section className="screen" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Policy in force</h2>
      <p>The settings IT set for this workstation. They are read only here; IT changes them by issuing a new signed policy.</p>
      {loaded.state === 'loading' ? <p aria-live="polite">Loading the policy…</p> : null}
      {loaded.state === 'failed' ? (
        <div role="alert">
          <p className="text-danger">{loaded.error.message}</p>
          <Button className="button button--secondary" onPress={reload}>
            Try again
          </Button>
        </div>
      ) : null}
      {loaded.state === 'ready' ? <PolicyFacts policy={loaded.value} /> : null}
    </section>
  );
}

// What the host's five-rights check found, in the administration dialog: the hard stops, said
// plainly (the dose cannot be recorded), and for each deviation that needs one, a choice of coded
// reasons (shared/medication-safety's lists).
import type { AdministrationVerdictData } from '../../../../shared/contract/index.js';
import {
  ALLERGY_REASONS,
  DOSE_REASONS,
  TIMING_REASONS,
  TIMING_MARK_LABELS,
  type CodedReason,
  type ReasonCheck,
} from '../../../../shared/medication-safety/index.js';
import { ChoiceGroup } from '../chart/choice-group.js';

const REASON_LISTS: Readonly<Record<ReasonCheck, readonly CodedReason[]>> = {
  dose: DOSE_REASONS,
  time: TIMING_REASONS,
  allergy: ALLERGY_REASONS,
};

export function HardStops(props: { verdict: AdministrationVerdictData; stopRef?: React.Ref<HTMLDivElement> }): React.JSX.Element | null {
  const { verdict, stopRef } = props;
  if (verdict.hardStops.length === 0) return null;
  return (
    <div ref={stopRef} className="message message--error" role="alert" tabIndex={-1}>
      <p className="message__title">This dose cannot be recorded</p>
      <ul>
        {verdict.hardStops.map((stop) => (
          <li key={stop.code}>{stop.message}</li>
        ))}
      </ul>
    </div>
  );
}

export function ReasonChoices(props: {
  verdict: AdministrationVerdictData;
  reasons: Partial<Record<ReasonCheck, string>>;
  onChange: (check: ReasonCheck, code: string) => void;
  errors: Partial<Record<ReasonCheck, string>>;
  groupRefs: Readonly<Record<ReasonCheck, React.Ref<HTMLDivElement>>>;
}): React.JSX.Element | null {
  const { verdict, reasons, onChange, errors, groupRefs } = props;
  if (verdict.reasonsNeeded.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="administration-reasons-heading">
      <h3 id="administration-reasons-heading">
        Reasons needed{verdict.timing === 'early' || verdict.timing === 'late' ? ` (marked ${TIMING_MARK_LABELS[verdict.timing]})` : ''}
      </h3>
      {verdict.reasonsNeeded.map((request) => (
        <div key={request.check} ref={groupRefs[request.check]}>
          <ChoiceGroup
            label={`${request.message} Why?`}
            choices={REASON_LISTS[request.check].map((reason) => ({ id: reason.code, label: reason.label }))}
            value={reasons[request.check] ?? null}
            onChange={(code) => onChange(request.check, code)}
            error={errors[request.check]}
            orientation="vertical"
          />
        </div>
      ))}
    </section>
  );
}

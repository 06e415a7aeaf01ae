// The coded reason and the justification every emergency access (break-the-glass) needs: shared
// by the chart's prompt and the off-ward dialog. The justification takes at least 10 characters.
import { FieldError, Label, Text, TextArea, TextField } from 'react-aria-components';
import { ChoiceGroup } from './choice-group.js';

export const EMERGENCY_REASONS = [
  { id: 'ETREAT', label: 'Emergency treatment' },
  { id: 'COC', label: 'Continuity of care' },
  { id: 'TREAT', label: 'Treatment' },
] as const;

export type EmergencyReasonCode = (typeof EMERGENCY_REASONS)[number]['id'];

export const MIN_JUSTIFICATION = 10;

export interface EmergencyReason {
  readonly reasonCode: EmergencyReasonCode | null;
  readonly reasonText: string;
}

export function emergencyReasonProblems(value: EmergencyReason): { reasonCode?: string; reasonText?: string } {
  const problems: { reasonCode?: string; reasonText?: string } = {};
  if (value.reasonCode === null) problems.reasonCode = 'Choose the reason for access.';
  const length = value.reasonText.trim().length;
  if (length < MIN_JUSTIFICATION) problems.reasonText = `Explain why you need this chart (at least ${MIN_JUSTIFICATION} characters).`;
  else if (length > 500) problems.reasonText = 'The justification is too long (500 characters at most).';
  return problems;
}

export function EmergencyReasonFields(props: {
  value: EmergencyReason;
  onChange: (value: EmergencyReason) => void;
  problems: { reasonCode?: string; reasonText?: string } | null;
}): React.JSX.Element {
  const { value, onChange, problems } = props;
  return (
    <>
      <ChoiceGroup
        label="Reason for access"
        choices={EMERGENCY_REASONS}
        value={value.reasonCode}
        onChange={(reasonCode) => onChange({ ...value, reasonCode })}
        error={problems?.reasonCode}
        orientation="vertical"
      />
      <TextField
        className="field"
        value={value.reasonText}
        onChange={(reasonText) => onChange({ ...value, reasonText })}
        isInvalid={problems?.reasonText !== undefined}
        isRequired
      >
        <Label>Justification</Label>
        <TextArea className="input input--textarea" rows={3} maxLength={500} />
        <Text slot="description" className="hint">
          At least {MIN_JUSTIFICATION} characters. Your name, the reason and the time are recorded.
        </Text>
        <FieldError className="field__error">{problems?.reasonText}</FieldError>
      </TextField>
    </>
  );
}

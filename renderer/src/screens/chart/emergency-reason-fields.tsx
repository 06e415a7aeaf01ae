// The coded reason and the justification every emergency access (break-the-glass) needs: shared
// by the chart's prompt and the off-ward dialog. The justification takes at least 10 characters.
import { FieldError, Label, Text, TextArea, TextField } from 'react-aria-components';
import {
  BTG_JUSTIFICATION_MAX,
  BTG_JUSTIFICATION_MIN,
  BTG_REASONS,
  type BreakTheGlassReasonCode,
} from '../../../../shared/access/index.js';
import { ChoiceGroup } from './choice-group.js';

/** The reasons (shared/access) as the choice group offers them. */
const REASON_CHOICES = BTG_REASONS.map((reason) => ({ id: reason.code, label: reason.label }));

export interface EmergencyReason {
  readonly reasonCode: BreakTheGlassReasonCode | null;
  readonly reasonText: string;
}

export function emergencyReasonProblems(value: EmergencyReason): { reasonCode?: string; reasonText?: string } {
  const problems: { reasonCode?: string; reasonText?: string } = {};
  if (value.reasonCode === null) problems.reasonCode = 'Choose the reason for access.';
  const length = value.reasonText.trim().length;
  if (length < BTG_JUSTIFICATION_MIN)
    problems.reasonText = `Explain why you need this chart (at least ${BTG_JUSTIFICATION_MIN} characters).`;
  else if (length > BTG_JUSTIFICATION_MAX)
    problems.reasonText = `The justification is too long (${BTG_JUSTIFICATION_MAX} characters at most).`;
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
        choices={REASON_CHOICES}
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
        <TextArea className="input input--textarea" rows={3} maxLength={BTG_JUSTIFICATION_MAX} />
        <Text slot="description" className="hint">
          At least {BTG_JUSTIFICATION_MIN} characters. Your name, the reason and the time are recorded.
        </Text>
        <FieldError className="field__error">{problems?.reasonText}</FieldError>
      </TextField>
    </>
  );
}

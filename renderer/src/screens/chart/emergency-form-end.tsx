// The end of every emergency-access form (the chart's prompt and the off-ward dialog): the refusal,
// if any, then the one button that opens the chart and Cancel.
import { Button } from 'react-aria-components';

export function EmergencyFormEnd({ failure, busy, onCancel }: { failure: string | null; busy: boolean; onCancel: () => void }) {
  return (
    <>
      {failure !== null ? (
        <p role="alert" className="text-danger">
          {failure}
        </p>
      ) : null}
      <div className="actions">
        <Button type="submit" className="button button--danger" isDisabled={busy}>
          Open chart with emergency access
        </Button>
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
      </div>
    </>
  );
}

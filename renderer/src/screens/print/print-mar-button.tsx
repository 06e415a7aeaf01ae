// "Print MAR": asks the host for the downtime MAR and medication list (one patient or the ward, the
// last 24 hours to the next 24 hours) marked with who printed it and how old the data is. The host
// audits every print and sends it on its way: to the OS print dialog (Electron), to its printouts
// folder where the machine policy allows saving as PDF, or back here (evaluation mode), where it is
// shown from memory. Never a download: no patient data file is left on a shared PC.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { PrintedDocumentData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { asHostError } from '../chart/use-host-call.js';
import { PrintPreviewDialog } from './print-preview-dialog.js';
import { deliveredText, marPrintRequest, printedSummary, printFailureText, type PrintScope } from './print-request.js';

type PrintState =
  | { readonly state: 'idle' }
  | { readonly state: 'busy' }
  | { readonly state: 'done'; readonly text: string; readonly preview: { base64: string; summary: string } | null }
  | { readonly state: 'failed'; readonly text: string };

function doneState(printed: PrintedDocumentData): PrintState {
  return {
    state: 'done',
    text: deliveredText(printed),
    preview: printed.delivery === 'in-page' ? { base64: printed.base64, summary: `MAR (${printedSummary(printed)})` } : null,
  };
}

export function PrintMarButton(props: { scope: { patientId: string } | { ward: true }; label?: string }): React.JSX.Element {
  const { scope, label } = props;
  const [status, setStatus] = useState<PrintState>({ state: 'idle' });
  const print = (): void => {
    setStatus({ state: 'busy' });
    const request = marPrintRequest(scope as PrintScope, new Date());
    call(hostApi().print.mar(request))
      .then((printed) => setStatus(doneState(printed)))
      .catch((error: unknown) => {
        const failure = asHostError(error);
        setStatus({ state: 'failed', text: printFailureText(failure.code, failure.message) });
      });
  };
  const closePreview = (): void => setStatus((current) => (current.state === 'done' ? { ...current, preview: null } : current));
  return (
    <div className="actions">
      <Button className="button button--secondary" onPress={print} isDisabled={status.state === 'busy'}>
        {label ?? ('ward' in scope ? 'Print ward MAR' : 'Print MAR')}
      </Button>
      <p className="confirmation" role="status">
        {status.state === 'busy' ? 'Preparing the MAR…' : status.state === 'done' ? status.text : ''}
      </p>
      {status.state === 'failed' ? (
        <p className="text-danger" role="alert">
          {status.text}
        </p>
      ) : null}
      {status.state === 'done' && status.preview !== null ? (
        <PrintPreviewDialog base64={status.preview.base64} summary={status.preview.summary} onClose={closePreview} />
      ) : null}
    </div>
  );
}

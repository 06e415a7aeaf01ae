// "Print MAR": asks the host for the downtime MAR and medication list (one patient or the ward, the
// last 24 hours to the next 24 hours) as a PDF marked with who printed it and how old the data is,
// then hands it to the browser as a download. The host audits every print.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { call, hostApi } from '../../host-api.js';
import { asHostError } from '../chart/use-host-call.js';
import { downloadPdf } from './pdf-download.js';
import { marPrintRequest, printedSummary, printFailureText, type PrintScope } from './print-request.js';

type PrintState =
  | { readonly state: 'idle' }
  | { readonly state: 'busy' }
  | { readonly state: 'done'; readonly text: string }
  | { readonly state: 'failed'; readonly text: string };

export function PrintMarButton(props: { scope: { patientId: string } | { ward: true }; label?: string }): React.JSX.Element {
  const { scope, label } = props;
  const [status, setStatus] = useState<PrintState>({ state: 'idle' });
  const print = (): void => {
    setStatus({ state: 'busy' });
    const request = marPrintRequest(scope as PrintScope, new Date());
    call(hostApi().print.mar(request))
      .then((printed) => {
        downloadPdf(printed.base64, printed.fileName);
        setStatus({ state: 'done', text: `MAR PDF ready (${printedSummary(printed)}), saved as ${printed.fileName}.` });
      })
      .catch((error: unknown) => {
        const failure = asHostError(error);
        setStatus({ state: 'failed', text: printFailureText(failure.code, failure.message) });
      });
  };
  return (
    <div className="actions">
      <Button className="button button--secondary" onPress={print} isDisabled={status.state === 'busy'}>
        {label ?? ('ward' in scope ? 'Print ward MAR (PDF)' : 'Print MAR (PDF)')}
      </Button>
      <p className="confirmation" role="status">
        {status.state === 'busy' ? 'Preparing the PDF…' : status.state === 'done' ? status.text : ''}
      </p>
      {status.state === 'failed' ? (
        <p className="text-danger" role="alert">
          {status.text}
        </p>
      ) : null}
    </div>
  );
}

// The printed MAR shown in the page from memory (evaluation mode in a browser): the browser's own PDF
// viewer in a frame over a blob: URL, with its print button. Nothing is downloaded or saved; the
// URL is revoked when the dialog closes.
import { useEffect, useState } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { pdfObjectUrl } from './pdf-in-memory.js';

export function PrintPreviewDialog(props: { base64: string; summary: string; onClose: () => void }): React.JSX.Element {
  const { base64, onClose } = props;
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = pdfObjectUrl(base64);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [base64]);
  return (
    <Modal isOpen onOpenChange={(open) => (open ? undefined : onClose())} isDismissable className="modal modal--wide">
      <Dialog className="dialog">
        <Heading slot="title">Downtime MAR</Heading>
        <p>
          {props.summary}. Print it with the viewer&apos;s print button; it is not saved on this computer and is gone when you close this.
        </p>
        {url === null ? null : <iframe className="print-preview" title="Downtime MAR (PDF)" src={url} />}
        <div className="actions">
          <Button slot="close" className="button button--primary">
            Close
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}

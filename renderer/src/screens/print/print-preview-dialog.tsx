// The printed MAR shown in the page from memory (evaluation mode in a browser): the browser's own PDF
// viewer in a frame over a blob: URL, with its print button. Nothing is downloaded or saved; the
// URL is revoked when the dialog closes.
import { useEffect, useRef } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { pdfObjectUrl } from './pdf-in-memory.js';

export function PrintPreviewDialog(props: { base64: string; summary: string; onClose: () => void }): React.JSX.Element {
  const { base64, onClose } = props;
  const frame = useRef<HTMLIFrameElement>(null);
  // The frame is pointed at a fresh URL over the bytes, revoked when the preview goes.
  useEffect(() => {
    const url = pdfObjectUrl(base64);
    if (frame.current !== null) frame.current.src = url;
    return () => URL.revokeObjectURL(url);
  }, [base64]);
  return (
    <Modal isOpen onOpenChange={(open) => (open ? undefined : onClose())} isDismissable className="modal modal--wide">
      <Dialog className="dialog">
        <Heading slot="title">Downtime MAR</Heading>
        <p>
          {props.summary}. Print it with the viewer&apos;s print button; it is not saved on this computer and is gone when you close this.
        </p>
        <iframe ref={frame} className="print-preview" title="Downtime MAR (PDF)" />
        <div className="actions">
          <Button slot="close" className="button button--primary">
            Close
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}

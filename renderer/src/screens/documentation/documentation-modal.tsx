// The modal every documentation dialog opens in (record vital signs, record an administration, amend
// an entry): dismissable, closed by Escape or outside press through onClose, its form mounted only
// while open so each opening starts from a fresh form.
import type React from 'react';
import { Dialog, Modal, ModalOverlay } from 'react-aria-components';

export function DocumentationModal(props: {
  isOpen: boolean;
  onClose: () => void;
  /** The id of the form's heading, which names the dialog. */
  labelledBy: string;
  wide?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  const { isOpen, onClose, labelledBy, wide = false, children } = props;
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      isDismissable
    >
      <Modal className={wide ? 'modal modal--wide' : 'modal'}>
        <Dialog className="dialog" aria-labelledby={labelledBy}>
          {isOpen ? children : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

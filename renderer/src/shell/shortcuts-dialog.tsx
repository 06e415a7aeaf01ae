// The "Keyboard shortcuts" help dialog ("?"), listing the one shortcut table.
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { SHORTCUTS } from './shortcuts.js';

export function ShortcutsDialog(props: { isOpen: boolean; onOpenChange: (open: boolean) => void }): React.JSX.Element {
  return (
    <Modal isOpen={props.isOpen} onOpenChange={props.onOpenChange} isDismissable className="modal">
      <Dialog className="dialog">
        <Heading slot="title">Keyboard shortcuts</Heading>
        <table className="shortcut-table">
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.id}>
                <td>
                  <kbd>{s.label}</kbd>
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <Button slot="close" className="button button--primary">
            Close
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}

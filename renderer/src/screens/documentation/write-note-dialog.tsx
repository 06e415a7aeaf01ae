// "Write note": a modal form → chart:record-note. Plain text with an optional title, checked against
// the contract's note schema (the one length rule) before it is sent. The note goes to this
// workstation's outbox; the Notes tab then shows it at once, pending upload. The host files it as the
// writer's kind of note (a physician's progress note, a nurse's nursing note).
import { useRef, useState } from 'react';
import { Button, FieldError, Form, Heading, Input, Label, Text, TextArea, TextField } from 'react-aria-components';
import { NOTE_MAX_CHARS, NOTE_TITLE_MAX_CHARS, noteEntrySchema } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { asHostError } from '../chart/use-host-call.js';
import { DocumentationModal } from './documentation-modal.js';

export function WriteNoteDialog(props: {
  patientId: string;
  patientLabel: string;
  isOpen: boolean;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { isOpen, onClose } = props;
  return (
    <DocumentationModal isOpen={isOpen} onClose={onClose} labelledBy="write-note-title" wide>
      <NoteForm {...props} />
    </DocumentationModal>
  );
}

function NoteForm({
  patientId,
  patientLabel,
  onClose,
  onSaved,
}: {
  patientId: string;
  patientLabel: string;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const textInput = useRef<HTMLTextAreaElement>(null);

  const save = (): void => {
    const entry = noteEntrySchema.safeParse({ text, ...(title.trim() === '' ? {} : { title: title.trim() }) });
    if (!entry.success) {
      setTextError(text.trim() === '' ? 'Write the note before saving it.' : `A note holds at most ${NOTE_MAX_CHARS} characters.`);
      textInput.current?.focus();
      return;
    }
    setTextError(null);
    setFailure(null);
    setBusy(true);
    call(hostApi().chart.recordNote({ patientId, note: entry.data }))
      .then(() => {
        onSaved();
        onClose();
      })
      .catch((error: unknown) => {
        setFailure(asHostError(error).message);
        setBusy(false);
      });
  };

  return (
    <>
      <Heading slot="title" id="write-note-title">
        Write note
      </Heading>
      <p className="dialog__patient">For {patientLabel}</p>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <TextField className="field" value={title} onChange={setTitle} maxLength={NOTE_TITLE_MAX_CHARS}>
          <Label>Title (optional)</Label>
          <Input className="input" autoComplete="off" />
        </TextField>
        <TextField
          className="field"
          value={text}
          onChange={(value) => {
            setText(value);
            // The error goes as soon as there is something to save.
            if (value.trim() !== '') setTextError(null);
          }}
          isInvalid={textError !== null}
          maxLength={NOTE_MAX_CHARS}
          autoFocus
          isRequired
        >
          <Label>Note</Label>
          <TextArea ref={textInput} className="input input--textarea" rows={10} />
          <Text slot="description" className="hint">
            Saved on this workstation first, and sent to the hub as soon as it can be reached.
          </Text>
          <FieldError className="field__error">{textError}</FieldError>
        </TextField>
        {failure !== null ? (
          <p role="alert" className="message message--error">
            {failure}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" className="button button--primary" isDisabled={busy}>
            Save note
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </Form>
    </>
  );
}

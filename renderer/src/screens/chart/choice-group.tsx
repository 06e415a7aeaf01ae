// A small set of mutually exclusive choices as big toggle buttons (React Aria ToggleButtonGroup in
// single selection: a radiogroup of radio buttons, arrow keys move between them), with a visible
// label and an error message tied to the group.
import { useId } from 'react';
import { ToggleButton, ToggleButtonGroup, type Key } from 'react-aria-components';

export interface Choice<K extends string> {
  readonly id: K;
  readonly label: string;
}

export function ChoiceGroup<K extends string>(props: {
  label: string;
  /** Label read by screen readers only (the table around it already says what is chosen). */
  labelHidden?: boolean;
  choices: readonly Choice<K>[];
  value: K | null;
  onChange: (value: K) => void;
  error?: string | undefined;
  orientation?: 'horizontal' | 'vertical';
}): React.JSX.Element {
  const { label, labelHidden = false, choices, value, onChange, error, orientation = 'horizontal' } = props;
  const id = useId();
  const labelId = `${id}-label`;
  const errorId = `${id}-error`;
  const select = (keys: Set<Key>): void => {
    const [first] = [...keys];
    const chosen = choices.find((c) => c.id === first);
    if (chosen !== undefined) onChange(chosen.id);
  };
  return (
    <div className="field">
      <span id={labelId} className={labelHidden ? 'visually-hidden' : 'choice__label'}>
        {label}
      </span>
      <ToggleButtonGroup
        className={`choice choice--${orientation}`}
        selectionMode="single"
        disallowEmptySelection
        orientation={orientation}
        selectedKeys={value === null ? [] : [value]}
        onSelectionChange={select}
        aria-labelledby={labelId}
        aria-describedby={error === undefined ? undefined : errorId}
      >
        {choices.map((choice) => (
          <ToggleButton key={choice.id} id={choice.id} className="choice__option">
            {choice.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {error === undefined ? null : (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

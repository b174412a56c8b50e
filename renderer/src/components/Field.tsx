// Labelled form controls with their error underneath, tied together for screen readers.
import { useId, type ReactNode } from 'react';

interface BaseProps {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
}

function describedBy(hintId: string, errorId: string, p: BaseProps): string | undefined {
  const ids = [p.hint ? hintId : null, p.error ? errorId : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Extras(props: { p: BaseProps; hintId: string; errorId: string }): ReactNode {
  const { p } = props;
  return (
    <>
      {p.hint ? (
        <span className="hint" id={props.hintId}>
          {p.hint}
        </span>
      ) : null}
      {p.error ? (
        <span className="field-error" id={props.errorId} data-testid={`error-${p.name}`}>
          {p.error}
        </span>
      ) : null}
    </>
  );
}

export function TextField(
  props: BaseProps & {
    value: string;
    onChange(value: string): void;
    type?: 'text' | 'password' | 'date' | 'datetime-local' | 'search' | 'number';
    autoComplete?: string;
    autoFocus?: boolean;
    multiline?: boolean;
    min?: number;
    max?: number;
    spellCheck?: boolean;
    readOnly?: boolean;
    /** The id of a <datalist> of suggestions. */
    list?: string;
    maxLength?: number;
  },
): ReactNode {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: props.name,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(hintId, errorId, props),
    required: props.required,
    autoFocus: props.autoFocus,
    spellCheck: props.spellCheck,
    readOnly: props.readOnly,
    maxLength: props.maxLength,
    'data-testid': `field-${props.name}`,
  };
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          list={props.list}
          min={props.min}
          max={props.max}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <Extras p={props} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function SelectField(
  props: BaseProps & {
    value: string;
    onChange(value: string): void;
    options: readonly { value: string; label: string }[];
  },
): ReactNode {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, props)}
        required={props.required}
        data-testid={`field-${props.name}`}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extras p={props} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function CheckField(
  props: BaseProps & { checked: boolean; onChange(checked: boolean): void },
): ReactNode {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field check">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        aria-describedby={describedBy(hintId, errorId, props)}
        data-testid={`field-${props.name}`}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      <Extras p={props} hintId={hintId} errorId={errorId} />
    </div>
  );
}

import type {
  InputHTMLAttributes,
  ReactNode,
  Ref,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';

// Labelled form fields for both the staff console and the traveller pages: one label, one control,
// an optional hint and error that are read out with the control (aria-describedby).

/** The element id of a form field's key ('trips/0/arrival' -> 'f-trips-0-arrival'). */
export const fieldId = (key: string) => `f-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** aria-describedby of a control with a hint and/or an error; undefined when it has neither. */
export function describedBy(id: string, error: string | undefined, hint = false): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="field-error" id={`${id}-error`} data-testid={`error-${id}`}>
      {error}
    </p>
  );
}

/** What a field hands its control: the id its label points at, and the invalid/described-by state. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A field is found by its key (`name`: the input's name, data-field, and the id fieldId(name)) or an id. */
type Identity = { name: string; id?: string } | { name?: undefined; id: string };

interface FrameProps {
  label: ReactNode;
  /** Marks the label "(optional)". */
  optional?: boolean;
  hint?: ReactNode;
  /**
   * Where the hint stands: above the control as a paragraph (the traveller pages), or below it as a
   * line of small print (the staff console's convention).
   */
  hintBelow?: boolean;
  /** A message next to the control; it also marks the control invalid. */
  error?: string;
  /** Marks the control invalid where the message is shown elsewhere (a notice above the form). */
  invalid?: boolean;
  /** Classes besides "field" (field-narrow). */
  fieldClass?: string;
}

type FieldProps = FrameProps & Identity & { children: (control: ControlProps) => ReactNode };

/** The frame of every field: label, hint, the control the caller renders, error. */
export function Field({
  label,
  optional,
  hint,
  hintBelow,
  error,
  invalid,
  fieldClass,
  children,
  ...who
}: FieldProps) {
  const id = who.id ?? fieldId(who.name ?? '');
  const control: ControlProps = {
    id,
    'aria-invalid': error || invalid ? true : undefined,
    'aria-describedby': describedBy(id, error, !!hint),
  };
  return (
    <div className={fieldClass ? `field ${fieldClass}` : 'field'} data-field={who.name}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {hint && !hintBelow ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children(control)}
      {hint && hintBelow ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** Props of a field with a text value: the frame's, the identity, the control's own attributes. */
type ValueFieldProps<A> = FrameProps &
  Identity &
  Omit<A, 'onChange' | 'value' | 'id' | 'name'> & {
    value: string;
    onChange: (value: string) => void;
  };

/**
 * Separates what the frame shows from what the control receives: the control gets the frame's id
 * and aria state, its name and value, an onChange that hands over the text, and its own attributes.
 */
function split<A>(props: ValueFieldProps<A>) {
  const { label, optional, hint, hintBelow, error, invalid, fieldClass, id, name, value, onChange, ...rest } =
    props;
  const who: Identity = name !== undefined ? { name, id } : { id: id ?? '' };
  const attributes = (control: ControlProps) => ({
    ...control,
    name,
    value,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    ...rest,
  });
  return { frame: { label, optional, hint, hintBelow, error, invalid, fieldClass, ...who }, attributes };
}

/** A labelled input (`ref` reaches the input: a React 19 prop). */
export function TextField(
  props: ValueFieldProps<InputHTMLAttributes<HTMLInputElement>> & { ref?: Ref<HTMLInputElement> },
) {
  const { frame, attributes } = split(props);
  return <Field {...frame}>{(control) => <input {...attributes(control)} />}</Field>;
}

/** A labelled select; its children are the options. */
export function SelectField(props: ValueFieldProps<SelectHTMLAttributes<HTMLSelectElement>>) {
  const { frame, attributes } = split(props);
  return <Field {...frame}>{(control) => <select {...attributes(control)} />}</Field>;
}

/** A labelled textarea. */
export function TextAreaField(props: ValueFieldProps<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  const { frame, attributes } = split(props);
  return <Field {...frame}>{(control) => <textarea {...attributes(control)} />}</Field>;
}

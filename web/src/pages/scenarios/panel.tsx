// The properties panel: the selected step's fields grouped in sections, or,
// with nothing selected, the scenario's own settings (name, bots, triggers).
// Every value is read through the safe readers, every input is labelled, and
// every "where next" is a select of the existing steps.
import { createContext, useContext, useMemo, useState, type ChangeEvent, type ComponentProps, type ReactNode } from 'react';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import type { BotView } from '../../api/types';
import {
  ANSWER_KINDS,
  DURATION_UNITS,
  formatDuration,
  isKnownKind,
  isLinkButton,
  kindInfo,
  list,
  MEDIA_KINDS,
  nodeLabel,
  num,
  OPS,
  rec,
  splitDuration,
  splitShares,
  str,
  target,
  TRIGGER_KINDS,
} from './scenario';
import type { EditorDoc, EditorNode, EditorTrigger, LooseStep, ProblemView } from './types';

// ---- problems on the inputs ---------------------------------------------------

/**
 * The validator's problems of what the panel shows, by field ("text",
 * "buttons[2].label", "triggers[0].value", …). An input given a `field` marks
 * itself invalid and shows the message under it; the list at the top stays.
 */
const ProblemsContext = createContext<ReadonlyMap<string, string[]>>(new Map());

function problemsByField(problems: ProblemView[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) map.set(p.field, [...(map.get(p.field) ?? []), p.message]);
  return map;
}

/** The problem message(s) for `field`, or null. */
function useFieldProblem(field: string | undefined): string | null {
  const map = useContext(ProblemsContext);
  const messages = field === undefined ? undefined : map.get(field);
  return messages && messages.length > 0 ? messages.join(' ') : null;
}

/** A problem of a whole list (e.g. "choices", "branches"), shown under it. */
function GroupProblem({ field }: { field: string }) {
  const problem = useFieldProblem(field);
  return problem ? <p className="field-error">{problem}</p> : null;
}

function ProblemsProvider({ problems, children }: { problems: ProblemView[]; children: ReactNode }) {
  const map = useMemo(() => problemsByField(problems), [problems]);
  return <ProblemsContext.Provider value={map}>{children}</ProblemsContext.Provider>;
}

// ---- small inputs ------------------------------------------------------------

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="sc-section" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function TextArea({
  label,
  value,
  onChange,
  hint,
  rows = 3,
  placeholder,
  field,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  rows?: number;
  placeholder?: string;
  field?: string;
}) {
  const error = useFieldProblem(field);
  return (
    <TextAreaField
      label={label}
      hint={hint}
      error={error}
      rows={rows}
      value={value}
      placeholder={placeholder}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

function Select({
  label,
  value,
  onChange,
  hint,
  field,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  field?: string;
  children: ReactNode;
}) {
  const error = useFieldProblem(field);
  return (
    <SelectField label={label} hint={hint} error={error} value={value} onChange={(e) => onChange(e.target.value)}>
      {children}
    </SelectField>
  );
}

/** The shared TextField, marked with the problem of `field` (after its own error, if any). */
function TextInput({ field, error, ...props }: ComponentProps<typeof TextField> & { field?: string }) {
  const problem = useFieldProblem(field);
  return <TextField {...props} error={[error, problem].filter(Boolean).join(' ') || null} />;
}

/** A number input that lets the user type freely and commits only numbers. */
function NumberField({
  label,
  value,
  onChange,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
  hint,
  integer = true,
  field,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  hint?: string;
  integer?: boolean;
  field?: string;
}) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // Changed from outside (undo, another field): show the new value.
    setShown(value);
    if (Number(text) !== value) setText(String(value));
  }
  const parsed = text.trim() === '' ? NaN : Number(text.trim().replace(',', '.'));
  const bad = !Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed));
  return (
    <TextInput
      field={field}
      label={label}
      inputMode={integer ? 'numeric' : 'decimal'}
      value={text}
      hint={hint}
      error={bad ? `Enter ${integer ? 'a whole number' : 'a number'}${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` of at least ${min}`}.` : null}
      onChange={(e: ChangeEvent<HTMLInputElement>) => {
        const t = e.target.value;
        setText(t);
        const n = Number(t.trim().replace(',', '.'));
        if (t.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) {
          setShown(n);
          onChange(n);
        }
      }}
    />
  );
}

function TargetSelect({
  label,
  value,
  nodes,
  selfId,
  onChange,
  emptyLabel = '— end —',
  hint,
  field,
}: {
  label: string;
  value: string | null;
  nodes: EditorNode[];
  selfId?: string;
  onChange: (v: string | null) => void;
  emptyLabel?: string;
  hint?: ReactNode;
  field?: string;
}) {
  const v = value ?? '';
  const missing = v !== '' && !nodes.some((n) => n.id === v);
  return (
    <Select label={label} value={v} onChange={(x) => onChange(x || null)} hint={hint} field={field}>
      <option value="">{emptyLabel}</option>
      {nodes.map((n) => (
        <option key={n.id} value={n.id}>
          {nodeLabel(n)}
          {n.id === selfId ? ' (this step)' : ''}
        </option>
      ))}
      {missing && <option value={v}>{v} (missing step)</option>}
    </Select>
  );
}

function MediaFields({ step, onStep, idPrefix }: { step: LooseStep; onStep: StepChange; idPrefix: string }) {
  const media = step.media === null || step.media === undefined ? null : rec(step.media);
  return (
    <>
      <Select
        label="Media"
        value={media ? str(media.kind) : ''}
        onChange={(k) => onStep({ ...step, media: k ? { kind: k, file_id: media ? str(media.file_id) : '' } : null }, null)}
      >
        <option value="">No media</option>
        {MEDIA_KINDS.map((k) => (
          <option key={k} value={k}>
            {k.replace('_', ' ')}
          </option>
        ))}
        {media && str(media.kind) && !(MEDIA_KINDS as readonly string[]).includes(str(media.kind)) && (
          <option value={str(media.kind)}>{str(media.kind)}</option>
        )}
      </Select>
      {media && (
        <TextInput
          field="media.file_id"
          label="File ID"
          value={str(media.file_id)}
          hint="A Telegram file_id this bot can send (copy it from a message in the Inbox)."
          onChange={(e) => onStep({ ...step, media: { ...media, file_id: e.target.value } }, `${idPrefix}.file_id`)}
        />
      )}
    </>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-ghost btn-sm btn-danger-text" aria-label={label} title={label} onClick={onClick}>
      Remove
    </button>
  );
}

function VariablesHint({ variables }: { variables: string[] }) {
  return (
    <>
      Variables: {variables.map((v) => `{${v}}`).join(' ')}
    </>
  );
}

// ---- the selected step ---------------------------------------------------------

/** A step edit; `key` groups typing in one field into one undo step. */
type StepChange = (step: LooseStep, key: string | null) => void;

interface StepFormProps {
  node: EditorNode;
  step: LooseStep;
  nodes: EditorNode[];
  variables: string[];
  onStep: StepChange;
}

export function NodePanel({
  node,
  nodes,
  problems,
  variables,
  readOnly,
  onStep,
  onDelete,
  onClose,
}: {
  node: EditorNode;
  nodes: EditorNode[];
  problems: ProblemView[];
  variables: string[];
  readOnly: boolean;
  onStep: StepChange;
  onDelete: () => void;
  onClose: () => void;
}) {
  const info = kindInfo(node.step.kind);
  const props: StepFormProps = { node, step: node.step, nodes, variables, onStep };
  return (
    <div className="sc-panel" data-node-id={node.id}>
      <div className="sc-panel-head">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
          ← Scenario settings
        </button>
      </div>
      <h2 className="sc-panel-title" style={{ borderColor: info.color }}>
        <span aria-hidden="true">{info.icon}</span> {info.label} <span className="sc-node-id">{node.id}</span>
      </h2>
      {problems.length > 0 && (
        <div className="sc-panel-problems" role="alert">
          <strong>Fix before publishing:</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      <form aria-label={`${info.label} ${node.id} properties`} onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={readOnly} className="sc-fieldset">
          <ProblemsProvider problems={problems}>
            <StepForm {...props} />
          </ProblemsProvider>
        </fieldset>
      </form>
      {!readOnly && (
        <div className="sc-panel-foot">
          <button type="button" className="btn btn-secondary btn-sm btn-danger-text" onClick={onDelete}>
            Delete this step
          </button>
        </div>
      )}
    </div>
  );
}

function StepForm(props: StepFormProps) {
  const kind = props.step.kind;
  if (!isKnownKind(kind)) return <UnknownStep step={props.step} />;
  switch (kind) {
    case 'message':
      return <MessageForm {...props} />;
    case 'question':
      return <QuestionForm {...props} />;
    case 'condition':
      return <ConditionForm {...props} />;
    case 'delay':
      return <DelayForm {...props} />;
    case 'search':
      return <SearchForm {...props} />;
    case 'create_request':
      return <CreateRequestForm {...props} />;
    case 'channel_post':
      return <ChannelPostForm {...props} />;
    case 'offer':
      return <OfferForm {...props} />;
    case 'handoff':
      return <HandoffForm {...props} />;
    case 'split':
      return <SplitForm {...props} />;
    case 'ask_contact':
      return <AskContactForm {...props} />;
    case 'jump':
      return <JumpForm {...props} />;
    case 'end':
      return (
        <Section title="Where next">
          <p className="muted small">The scenario stops here. The buyer can start it again with a trigger.</p>
        </Section>
      );
  }
}

function UnknownStep({ step }: { step: LooseStep }) {
  let json = '';
  try {
    json = JSON.stringify(step, null, 2);
  } catch {
    json = '(cannot be shown)';
  }
  return (
    <Section title="Unknown step">
      <p className="small">
        This editor does not know steps of the kind “{step.kind || 'none'}”. It is kept as it is; delete it if it is not
        needed.
      </p>
      <pre className="sc-json">{json}</pre>
    </Section>
  );
}

/** Setters shared by the forms: `text(key)` for typing, `pick(key)` for selects. */
function setters({ node, step, onStep }: StepFormProps) {
  return {
    text: (key: string) => (v: string) => onStep({ ...step, [key]: v }, `${node.id}.${key}`),
    pick: (key: string) => (v: unknown) => onStep({ ...step, [key]: v }, null),
  };
}

function NextSelect({ node, step, nodes, onStep, label = 'Next step', field = 'next', hint }: StepFormProps & { label?: string; field?: string; hint?: ReactNode }) {
  return (
    <TargetSelect
      label={label}
      value={target(step[field])}
      nodes={nodes}
      selfId={node.id}
      hint={hint}
      field={field}
      onChange={(v) => onStep({ ...step, [field]: v }, null)}
    />
  );
}

function MessageForm(props: StepFormProps) {
  const { node, step, nodes, variables, onStep } = props;
  const { text, pick } = setters(props);
  const buttons = list(step.buttons).map(rec);
  const setButton = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, buttons: buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  const waits = buttons.some((b) => !isLinkButton(b) && target(b.next));
  return (
    <>
      <Section title="Content">
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} rows={4} />
        <MediaFields step={step} onStep={onStep} idPrefix={node.id} />
      </Section>
      <Section title="Buttons">
        {buttons.length === 0 && <p className="muted small">No buttons.</p>}
        {buttons.map((b, i) => {
          const isLink = isLinkButton(b);
          return (
            <div className="sc-item" key={i}>
              <TextInput field={`buttons[${i}].label`} label={`Button ${i + 1} label`} value={str(b.label)} onChange={(e) => setButton(i, { label: e.target.value }, `${node.id}.btn${i}.label`)} />
              <Select
                label={`Button ${i + 1} action`}
                value={isLink ? 'url' : 'step'}
                onChange={(v) => setButton(i, v === 'url' ? { url: 'https://', next: null } : { url: null }, null)}
              >
                <option value="step">Go to a step</option>
                <option value="url">Open a link</option>
              </Select>
              {isLink ? (
                <TextInput field={`buttons[${i}].url`} label={`Button ${i + 1} URL`} value={str(b.url)} onChange={(e) => setButton(i, { url: e.target.value }, `${node.id}.btn${i}.url`)} />
              ) : (
                <TargetSelect
                  label={`Button ${i + 1} next step`}
                  value={target(b.next)}
                  nodes={nodes}
                  selfId={node.id}
                  field={`buttons[${i}].next`}
                  onChange={(v) => setButton(i, { next: v }, null)}
                />
              )}
              <RemoveButton label={`Remove button ${i + 1}`} onClick={() => onStep({ ...step, buttons: buttons.filter((_, j) => j !== i) }, null)} />
            </div>
          );
        })}
        <GroupProblem field="buttons" />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onStep({ ...step, buttons: [...buttons, { label: `Option ${buttons.length + 1}`, next: null, url: null }] }, null)}
        >
          Add button
        </button>
        <Select label="Keyboard" value={str(step.keyboard) || 'inline'} onChange={pick('keyboard')} hint="Links work only in inline buttons.">
          <option value="inline">Inline: buttons under the message</option>
          <option value="reply">Reply: buttons instead of the keyboard</option>
        </Select>
      </Section>
      <Section title="Where next">
        <NextSelect
          {...props}
          hint={waits ? 'The bot waits for a button press; this is used only when the message has no such buttons.' : 'Goes straight on after sending.'}
        />
      </Section>
    </>
  );
}

function QuestionForm(props: StepFormProps) {
  const { node, step, variables, onStep } = props;
  const { text, pick } = setters(props);
  const answer = str(step.answer) || 'text';
  const choices = list(step.choices).map(str);
  const setChoices = (c: string[], key: string | null) => onStep({ ...step, choices: c }, key);
  return (
    <>
      <Section title="Content">
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} />
      </Section>
      <Section title="Answer">
        <TextInput
          field="variable"
          label="Variable"
          value={str(step.variable)}
          onChange={(e) => text('variable')(e.target.value)}
          hint={`The answer is saved as {${str(step.variable) || 'variable'}} for later steps.`}
        />
        <Select label="Answer type" value={answer} onChange={pick('answer')}>
          {ANSWER_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'choice' ? 'choice (buttons)' : k}
            </option>
          ))}
          {!(ANSWER_KINDS as readonly string[]).includes(answer) && <option value={answer}>{answer}</option>}
        </Select>
        {answer === 'choice' && (
          <div className="sc-sublist">
            {choices.map((c, i) => (
              <div className="sc-inline" key={i}>
                <TextInput grow field={`choices[${i}]`} label={`Choice ${i + 1}`} value={c} onChange={(e) => setChoices(choices.map((x, j) => (j === i ? e.target.value : x)), `${node.id}.choice${i}`)} />
                <RemoveButton label={`Remove choice ${i + 1}`} onClick={() => setChoices(choices.filter((_, j) => j !== i), null)} />
              </div>
            ))}
            <GroupProblem field="choices" />
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setChoices([...choices, ''], null)}>
              Add choice
            </button>
          </div>
        )}
        <TextArea label="Retry text" field="retry_text" value={str(step.retry_text)} onChange={text('retry_text')} rows={2} hint="Sent when the answer does not fit the type; empty = ask again." />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function ConditionForm(props: StepFormProps) {
  const { node, step, nodes, onStep } = props;
  const branches = list(step.branches).map(rec);
  const setBranch = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, branches: branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  return (
    <>
      <Section title="Branches">
        <p className="muted small">The first branch that holds wins.</p>
        {branches.map((b, i) => {
          const op = str(b.op) || 'eq';
          const needsValue = OPS.find((o) => o.op === op)?.needsValue ?? true;
          return (
            <div className="sc-item" key={i}>
              <TextInput field={`branches[${i}].variable`} label={`Branch ${i + 1} variable`} value={str(b.variable)} onChange={(e) => setBranch(i, { variable: e.target.value }, `${node.id}.br${i}.var`)} />
              <Select label={`Branch ${i + 1} operator`} value={op} onChange={(v) => setBranch(i, { op: v }, null)}>
                {OPS.map((o) => (
                  <option key={o.op} value={o.op}>
                    {o.label} ({o.op})
                  </option>
                ))}
                {!OPS.some((o) => o.op === op) && <option value={op}>{op}</option>}
              </Select>
              {needsValue && (
                <TextInput field={`branches[${i}].value`} label={`Branch ${i + 1} value`} value={str(b.value)} onChange={(e) => setBranch(i, { value: e.target.value }, `${node.id}.br${i}.value`)} />
              )}
              <TargetSelect label={`Branch ${i + 1} next step`} field={`branches[${i}].next`} value={target(b.next)} nodes={nodes} selfId={node.id} onChange={(v) => setBranch(i, { next: v }, null)} />
              <RemoveButton label={`Remove branch ${i + 1}`} onClick={() => onStep({ ...step, branches: branches.filter((_, j) => j !== i) }, null)} />
            </div>
          );
        })}
        <GroupProblem field="branches" />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onStep({ ...step, branches: [...branches, { variable: '', op: 'eq', value: '', next: null }] }, null)}
        >
          Add branch
        </button>
      </Section>
      <Section title="Where next">
        <NextSelect {...props} label="Otherwise" field="otherwise" hint="When no branch holds." />
      </Section>
    </>
  );
}

function DelayForm(props: StepFormProps) {
  const { node, step, onStep } = props;
  const seconds = Math.max(0, Math.round(num(step.seconds)));
  const [unit, setUnit] = useState(() => splitDuration(seconds).unit);
  const size = DURATION_UNITS.find((u) => u.unit === unit)?.seconds ?? 60;
  return (
    <>
      <Section title="Timing">
        <div className="sc-inline">
          <NumberField
            label="Wait"
            field="seconds"
            value={seconds / size}
            integer={false}
            onChange={(v) => onStep({ ...step, seconds: Math.round(v * size) }, `${node.id}.seconds`)}
            hint={`= ${formatDuration(seconds)}`}
          />
          <Select
            label="Unit"
            value={unit}
            onChange={(u) => {
              const value = seconds / size;
              const newSize = DURATION_UNITS.find((x) => x.unit === u)?.seconds ?? 60;
              setUnit(u);
              onStep({ ...step, seconds: Math.round(value * newSize) }, null);
            }}
          >
            {DURATION_UNITS.map((u) => (
              <option key={u.unit} value={u.unit}>
                {u.label}
              </option>
            ))}
          </Select>
        </div>
      </Section>
      <Section title="Where next">
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function VarField({ props, field, label, hint }: { props: StepFormProps; field: string; label: string; hint?: string }) {
  const { text } = setters(props);
  return <TextInput field={field} label={label} value={str(props.step[field])} placeholder="variable name" hint={hint} onChange={(e) => text(field)(e.target.value)} />;
}

function SearchForm(props: StepFormProps) {
  const { node, step, onStep } = props;
  return (
    <>
      <Section title="Filters">
        <p className="muted small">Each filter takes its value from a variable; leave it empty for no filter.</p>
        <VarField props={props} field="make_var" label="Make variable" />
        <VarField props={props} field="model_var" label="Model variable" />
        <VarField props={props} field="budget_var" label="Budget variable" hint="Maximum price." />
        <VarField props={props} field="year_var" label="Year variable" hint="Minimum year." />
        <NumberField label="Limit" field="limit" value={num(step.limit, 5)} min={1} max={10} hint="How many car cards at most (1–10)." onChange={(v) => onStep({ ...step, limit: v }, `${node.id}.limit`)} />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} label="Next step" hint="After the car cards are sent." />
        <NextSelect {...props} label="When nothing matches" field="no_match" />
      </Section>
    </>
  );
}

function CreateRequestForm(props: StepFormProps) {
  const { text } = setters(props);
  return (
    <>
      <Section title="Request">
        <p className="muted small">Creates a car request from the buyer's answers; make and model are needed at run time.</p>
        <VarField props={props} field="make_var" label="Make variable" />
        <VarField props={props} field="model_var" label="Model variable" />
        <VarField props={props} field="year_var" label="Year variable" />
        <VarField props={props} field="budget_var" label="Budget variable" />
        <TextArea label="Note" value={str(props.step.note)} onChange={text('note')} rows={2} hint={<VariablesHint variables={props.variables} />} />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function ChannelPostForm(props: StepFormProps) {
  const { node, step, variables, onStep } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title="Content">
        <TextInput label="Channel" field="channel" value={str(step.channel)} placeholder="@mychannel" hint="@channel or its -100… id; the bot must be an admin there." onChange={(e) => text('channel')(e.target.value)} />
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} />
        <MediaFields step={step} onStep={onStep} idPrefix={node.id} />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function OfferForm(props: StepFormProps) {
  const { step, variables } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title="Content">
        <TextInput label="Listing ID" field="listing_id" value={str(step.listing_id)} hint="The car's id, from its page in the Inventory." onChange={(e) => text('listing_id')(e.target.value)} />
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
        <TextInput label="Button label" field="button_label" value={str(step.button_label)} onChange={(e) => text('button_label')(e.target.value)} />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} label="When booked" field="booked" hint="Where a press of the button leads." />
        <NextSelect {...props} hint="Goes on without waiting when nothing is chosen for “When booked”." />
      </Section>
    </>
  );
}

function HandoffForm(props: StepFormProps) {
  const { node, step, variables, onStep } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title="Content">
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
      </Section>
      <Section title="Timing">
        <NumberField
          label="Quiet minutes"
          value={num(step.quiet_minutes)}
          hint="The bot stays quiet this long; 0 = until a manager releases the conversation."
          onChange={(v) => onStep({ ...step, quiet_minutes: v }, `${node.id}.quiet`)}
        />
      </Section>
    </>
  );
}

function SplitForm(props: StepFormProps) {
  const { node, step, nodes, onStep } = props;
  const branches = list(step.branches).map(rec);
  const shares = splitShares(branches);
  const setBranch = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, branches: branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  return (
    <Section title="Branches">
      {branches.map((b, i) => (
        <div className="sc-item" key={i}>
          <NumberField
            label={`Branch ${i + 1} weight`}
            value={num(b.weight)}
            hint={`${shares[i]}% of buyers`}
            onChange={(v) => setBranch(i, { weight: v }, `${node.id}.split${i}`)}
          />
          <TargetSelect label={`Branch ${i + 1} next step`} field={`branches[${i}].next`} value={target(b.next)} nodes={nodes} selfId={node.id} onChange={(v) => setBranch(i, { next: v }, null)} />
          <RemoveButton label={`Remove branch ${i + 1}`} onClick={() => onStep({ ...step, branches: branches.filter((_, j) => j !== i) }, null)} />
        </div>
      ))}
      <GroupProblem field="branches" />
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => onStep({ ...step, branches: [...branches, { weight: 50, next: null }] }, null)}>
        Add branch
      </button>
    </Section>
  );
}

function AskContactForm(props: StepFormProps) {
  const { step, variables } = props;
  const { text, pick } = setters(props);
  return (
    <>
      <Section title="Content">
        <TextArea label="Text" field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
        <Select label="Request" value={str(step.request) || 'phone'} onChange={pick('request')}>
          <option value="phone">Phone number</option>
          <option value="location">Location</option>
        </Select>
        <TextInput label="Button label" field="button_label" value={str(step.button_label)} onChange={(e) => text('button_label')(e.target.value)} />
      </Section>
      <Section title="Answer">
        <TextInput
          field="variable"
          label="Variable"
          value={str(step.variable)}
          hint="Where the phone number (or “lat,lon”) is saved."
          onChange={(e) => text('variable')(e.target.value)}
        />
      </Section>
      <Section title="Where next">
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function JumpForm(props: StepFormProps) {
  const { node, step, nodes, onStep } = props;
  return (
    <Section title="Where next">
      <TargetSelect
        label="Jump to"
        value={target(step.target)}
        nodes={nodes}
        selfId={node.id}
        emptyLabel="— choose a step —"
        field="target"
        onChange={(v) => onStep({ ...step, target: v ?? '' }, null)}
      />
    </Section>
  );
}

// ---- the scenario itself -----------------------------------------------------

export function ScenarioPanel({
  doc,
  bots,
  botsError,
  problems,
  readOnly,
  onDoc,
  onSelectNode,
}: {
  doc: EditorDoc;
  bots: BotView[] | null;
  botsError: string | null;
  problems: ProblemView[];
  readOnly: boolean;
  onDoc: (fn: (d: EditorDoc) => EditorDoc, key: string | null) => void;
  onSelectNode: (id: string) => void;
}) {
  const { draft } = doc;
  const setTriggers = (fn: (t: EditorTrigger[]) => EditorTrigger[], key: string | null) =>
    onDoc((d) => ({ ...d, draft: { ...d.draft, triggers: fn(d.draft.triggers) } }), key);
  const setTrigger = (i: number, patch: Partial<EditorTrigger>, key: string | null) =>
    setTriggers((ts) => ts.map((t, j) => (j === i ? { ...t, ...patch } : t)), key);
  const knownBotIds = new Set((bots ?? []).map((b) => b.id));
  const toggleBot = (id: number, on: boolean) =>
    onDoc((d) => ({ ...d, bot_ids: on ? [...d.bot_ids.filter((b) => b !== id), id] : d.bot_ids.filter((b) => b !== id) }), null);

  return (
    <div className="sc-panel">
      <h2 className="sc-panel-title">Scenario settings</h2>
      {problems.length > 0 && (
        <div className="sc-panel-problems" role="alert">
          <strong>Fix before publishing:</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      <ProblemsProvider problems={problems}>
        <form aria-label="Scenario settings" onSubmit={(e) => e.preventDefault()}>
          <fieldset disabled={readOnly} className="sc-fieldset">
            <Section title="Scenario">
              <TextField
                label="Name"
                value={doc.name}
                maxLength={80}
                error={doc.name.trim() ? null : 'Enter a name.'}
                onChange={(e) => {
                  const v = e.target.value;
                  onDoc((d) => ({ ...d, name: v }), 'name');
                }}
              />
              <fieldset className="sc-bots">
                <legend className="field-label">Bots</legend>
                {botsError && <p className="field-error">Could not load the bots: {botsError}</p>}
                {bots && bots.length === 0 && <p className="muted small">No bots are connected yet.</p>}
                {(bots ?? []).map((b) => (
                  <label key={b.id} className="sc-check">
                    <input type="checkbox" checked={doc.bot_ids.includes(b.id)} onChange={(e) => toggleBot(b.id, e.target.checked)} />@{b.username}
                  </label>
                ))}
                {bots &&
                  doc.bot_ids
                    .filter((id) => !knownBotIds.has(id))
                    .map((id) => (
                      <label key={id} className="sc-check">
                        <input type="checkbox" checked onChange={() => toggleBot(id, false)} />
                        Bot {id} (no longer connected)
                      </label>
                    ))}
                <span className="field-hint">None ticked: the scenario runs on every bot of the workspace.</span>
              </fieldset>
            </Section>
            <Section title="Triggers">
              <p className="muted small">What starts the scenario for a buyer who is not in one.</p>
              {draft.triggers.map((t, i) => {
                const info = TRIGGER_KINDS.find((k) => k.kind === t.kind);
                return (
                  <div className="sc-item" key={i}>
                    <SelectField label={`Trigger ${i + 1} kind`} value={t.kind} onChange={(e) => setTrigger(i, { kind: e.target.value }, null)}>
                      {TRIGGER_KINDS.map((k) => (
                        <option key={k.kind} value={k.kind}>
                          {k.label}
                        </option>
                      ))}
                      {!info && <option value={t.kind}>{t.kind}</option>}
                    </SelectField>
                    <TextInput
                      field={`triggers[${i}].value`}
                      label={`Trigger ${i + 1} ${(info?.valueLabel ?? 'value').toLowerCase()}`}
                      value={t.value}
                      hint={info?.hint}
                      onChange={(e) => setTrigger(i, { value: e.target.value }, `trigger${i}.value`)}
                    />
                    <TargetSelect
                      label={`Trigger ${i + 1} start step`}
                      value={t.node || null}
                      nodes={draft.nodes}
                      emptyLabel="— choose a step —"
                      field={`triggers[${i}].node`}
                      onChange={(v) => setTrigger(i, { node: v ?? '' }, null)}
                    />
                    <RemoveButton label={`Remove trigger ${i + 1}`} onClick={() => setTriggers((ts) => ts.filter((_, j) => j !== i), null)} />
                  </div>
                );
              })}
              <GroupProblem field="triggers" />
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() =>
                  setTriggers(
                    (ts) => [...ts, { kind: ts.some((t) => t.kind === 'start') ? 'keyword' : 'start', value: '', node: draft.nodes[0]?.id ?? '' }],
                    null,
                  )
                }
              >
                Add trigger
              </button>
            </Section>
          </fieldset>
        </form>
        <Section title="Steps">
          <GroupProblem field="nodes" />
          {draft.nodes.length === 0 ? (
            <p className="muted small">No steps yet: add one from the toolbar above the canvas.</p>
          ) : (
            <ul className="sc-step-list">
              {draft.nodes.map((n) => (
                <li key={n.id}>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onSelectNode(n.id)}>
                    {nodeLabel(n)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </ProblemsProvider>
    </div>
  );
}

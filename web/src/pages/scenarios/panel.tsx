// The properties panel: the selected step's fields grouped in sections, or,
// with nothing selected, the scenario's own settings (name, bots, triggers).
// Every value is read through the safe readers, every input is labelled, and
// every "where next" is a select of the existing steps.
import { ArrowLeft } from 'lucide-react';
import { createContext, useContext, useMemo, useState, type ChangeEvent, type ComponentProps, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import type { BotView } from '../../api/types';
import { i18n } from '../../i18n';
import { BotScope } from './BotScope';
import { KindIcon } from './kindIcons';
import {
  ANSWER_KINDS,
  DURATION_UNITS,
  formatDuration,
  isKnownKind,
  isLinkButton,
  kindInfo,
  list,
  MEDIA_KINDS,
  mediaName,
  nodeLabel,
  num,
  OPS,
  problemText,
  rec,
  splitDuration,
  splitShares,
  str,
  target,
  TRIGGER_KINDS,
} from './scenario';
import type { EditorDoc, EditorNode, EditorTrigger, LooseStep, ProblemView } from './types';

/** A new condition branch compares with "equals". */
const DEFAULT_OP = 'eq';

// ---- problems on the inputs ---------------------------------------------------

/**
 * The validator's problems of what the panel shows, by field ("text",
 * "buttons[2].label", "triggers[0].value", …). An input given a `field` marks
 * itself invalid and shows the message under it; the list at the top stays.
 */
const ProblemsContext = createContext<ReadonlyMap<string, string[]>>(new Map());

function problemsByField(problems: ProblemView[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) map.set(p.field, [...(map.get(p.field) ?? []), problemText(p)]);
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
  const { t } = useTranslation('scenarios');
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
      error={
        bad
          ? max < Number.MAX_SAFE_INTEGER
            ? t(integer ? 'panel.wholeBetween' : 'panel.numberBetween', { min, max })
            : t(integer ? 'panel.wholeAtLeast' : 'panel.numberAtLeast', { min })
          : null
      }
      onChange={(e: ChangeEvent<HTMLInputElement>) => {
        const typed = e.target.value;
        setText(typed);
        const n = Number(typed.trim().replace(',', '.'));
        if (typed.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) {
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
  emptyLabel = i18n.t('scenarios:panel.end'),
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
          {n.id === selfId ? i18n.t('scenarios:panel.thisStep', { step: nodeLabel(n) }) : nodeLabel(n)}
        </option>
      ))}
      {missing && <option value={v}>{i18n.t('scenarios:panel.missingStep', { id: v })}</option>}
    </Select>
  );
}

function MediaFields({ step, onStep, idPrefix }: { step: LooseStep; onStep: StepChange; idPrefix: string }) {
  const { t } = useTranslation('scenarios');
  const media = step.media === null || step.media === undefined ? null : rec(step.media);
  return (
    <>
      <Select
        label={t('panel.media')}
        value={media ? str(media.kind) : ''}
        onChange={(k) => onStep({ ...step, media: k ? { kind: k, file_id: media ? str(media.file_id) : '' } : null }, null)}
      >
        <option value="">{t('panel.noMedia')}</option>
        {MEDIA_KINDS.map((k) => (
          <option key={k} value={k}>
            {mediaName(k)}
          </option>
        ))}
        {media && str(media.kind) && !(MEDIA_KINDS as readonly string[]).includes(str(media.kind)) && (
          <option value={str(media.kind)}>{str(media.kind)}</option>
        )}
      </Select>
      {media && (
        <TextInput
          field="media.file_id"
          label={t('panel.fileId')}
          value={str(media.file_id)}
          hint={t('panel.fileIdHint')}
          onChange={(e) => onStep({ ...step, media: { ...media, file_id: e.target.value } }, `${idPrefix}.file_id`)}
        />
      )}
    </>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-ghost btn-sm btn-danger-text" aria-label={label} title={label} onClick={onClick}>
      {i18n.t('common:actions.remove')}
    </button>
  );
}

function VariablesHint({ variables }: { variables: string[] }) {
  return (
    <>{i18n.t('scenarios:panel.variables', { list: variables.map((v) => `{${v}}`).join(' ') })}</>
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
  const { t } = useTranslation('scenarios');
  const info = kindInfo(node.step.kind);
  const props: StepFormProps = { node, step: node.step, nodes, variables, onStep };
  return (
    <div className="sc-panel" data-node-id={node.id}>
      <div className="sc-panel-head">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
          <ArrowLeft size={14} aria-hidden="true" /> {t('panel.settings')}
        </button>
      </div>
      <h2 className="sc-panel-title" style={{ borderColor: info.color }}>
        <KindIcon kind={info.kind} size={18} /> {info.label} <span className="sc-node-id">{node.id}</span>
      </h2>
      {problems.length > 0 && (
        <div className="sc-panel-problems" role="alert">
          <strong>{t('panel.fixBefore')}</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        </div>
      )}
      <form aria-label={t('panel.properties', { kind: info.label, id: node.id })} onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={readOnly} className="sc-fieldset">
          <ProblemsProvider problems={problems}>
            <StepForm {...props} />
          </ProblemsProvider>
        </fieldset>
      </form>
      {!readOnly && (
        <div className="sc-panel-foot">
          <button type="button" className="btn btn-secondary btn-sm btn-danger-text" onClick={onDelete}>
            {t('panel.deleteStep')}
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
        <Section title={i18n.t('scenarios:panel.whereNext')}>
          <p className="muted small">{i18n.t('scenarios:panel.stopsHere')}</p>
        </Section>
      );
  }
}

function UnknownStep({ step }: { step: LooseStep }) {
  let json = '';
  try {
    json = JSON.stringify(step, null, 2);
  } catch {
    json = i18n.t('scenarios:panel.cannotShow');
  }
  return (
    <Section title={i18n.t('scenarios:kinds.unknown.label')}>
      <p className="small">{i18n.t('scenarios:panel.unknownKind', { kind: step.kind || '—' })}</p>
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

function NextSelect({ node, step, nodes, onStep, label = i18n.t('scenarios:panel.nextStep'), field = 'next', hint }: StepFormProps & { label?: string; field?: string; hint?: ReactNode }) {
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
  const { t } = useTranslation('scenarios');
  const { node, step, nodes, variables, onStep } = props;
  const { text, pick } = setters(props);
  const buttons = list(step.buttons).map(rec);
  const setButton = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, buttons: buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  const waits = buttons.some((b) => !isLinkButton(b) && target(b.next));
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} rows={4} />
        <MediaFields step={step} onStep={onStep} idPrefix={node.id} />
      </Section>
      <Section title={t('panel.sections.buttons')}>
        {buttons.length === 0 && <p className="muted small">{t('panel.noButtons')}</p>}
        {buttons.map((b, i) => {
          const isLink = isLinkButton(b);
          return (
            <div className="sc-item" key={i}>
              <TextInput field={`buttons[${i}].label`} label={t('panel.buttonN.label', { n: i + 1 })} value={str(b.label)} onChange={(e) => setButton(i, { label: e.target.value }, `${node.id}.btn${i}.label`)} />
              <Select
                label={t('panel.buttonN.action', { n: i + 1 })}
                value={isLink ? 'url' : 'step'}
                onChange={(v) => setButton(i, v === 'url' ? { url: 'https://', next: null } : { url: null }, null)}
              >
                <option value="step">{t('panel.goToStep')}</option>
                <option value="url">{t('panel.openLink')}</option>
              </Select>
              {isLink ? (
                <TextInput field={`buttons[${i}].url`} label={t('panel.buttonN.url', { n: i + 1 })} value={str(b.url)} onChange={(e) => setButton(i, { url: e.target.value }, `${node.id}.btn${i}.url`)} />
              ) : (
                <TargetSelect
                  label={t('panel.buttonN.next', { n: i + 1 })}
                  value={target(b.next)}
                  nodes={nodes}
                  selfId={node.id}
                  field={`buttons[${i}].next`}
                  onChange={(v) => setButton(i, { next: v }, null)}
                />
              )}
              <RemoveButton label={t('panel.buttonN.remove', { n: i + 1 })} onClick={() => onStep({ ...step, buttons: buttons.filter((_, j) => j !== i) }, null)} />
            </div>
          );
        })}
        <GroupProblem field="buttons" />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onStep({ ...step, buttons: [...buttons, { label: t('panel.optionN', { n: buttons.length + 1 }), next: null, url: null }] }, null)}
        >
          {t('panel.addButton')}
        </button>
        <Select label={t('panel.labels.keyboard')} value={str(step.keyboard) || 'inline'} onChange={pick('keyboard')} hint={t('panel.hints.linksInline')}>
          <option value="inline">{t('panel.inline')}</option>
          <option value="reply">{t('panel.reply')}</option>
        </Select>
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect
          {...props}
          hint={waits ? t('panel.hints.waits') : t('panel.hints.straightOn')}
        />
      </Section>
    </>
  );
}

function QuestionForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, variables, onStep } = props;
  const { text, pick } = setters(props);
  const answer = str(step.answer) || 'text';
  const choices = list(step.choices).map(str);
  const setChoices = (c: string[], key: string | null) => onStep({ ...step, choices: c }, key);
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} />
      </Section>
      <Section title={t('panel.sections.answer')}>
        <TextInput
          field="variable"
          label={t('panel.labels.variable')}
          value={str(step.variable)}
          onChange={(e) => text('variable')(e.target.value)}
          hint={t('panel.hints.savedAs', { variable: `{${str(step.variable) || t('panel.variableWord')}}` })}
        />
        <Select label={t('panel.labels.answerType')} value={answer} onChange={pick('answer')}>
          {ANSWER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`answers.${k}`)}
            </option>
          ))}
          {!(ANSWER_KINDS as readonly string[]).includes(answer) && <option value={answer}>{answer}</option>}
        </Select>
        {answer === 'choice' && (
          <div className="sc-sublist">
            {choices.map((c, i) => (
              <div className="sc-inline" key={i}>
                <TextInput grow field={`choices[${i}]`} label={t('panel.choiceN', { n: i + 1 })} value={c} onChange={(e) => setChoices(choices.map((x, j) => (j === i ? e.target.value : x)), `${node.id}.choice${i}`)} />
                <RemoveButton label={t('panel.removeChoiceN', { n: i + 1 })} onClick={() => setChoices(choices.filter((_, j) => j !== i), null)} />
              </div>
            ))}
            <GroupProblem field="choices" />
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setChoices([...choices, ''], null)}>
              {t('panel.addChoice')}
            </button>
          </div>
        )}
        <TextArea label={t('panel.labels.retryText')} field="retry_text" value={str(step.retry_text)} onChange={text('retry_text')} rows={2} hint={t('panel.hints.retryHint')} />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function ConditionForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, nodes, onStep } = props;
  const branches = list(step.branches).map(rec);
  const setBranch = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, branches: branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  return (
    <>
      <Section title={t('panel.sections.branches')}>
        <p className="muted small">{t('panel.firstBranchWins')}</p>
        {branches.map((b, i) => {
          const op = str(b.op) || DEFAULT_OP;
          const needsValue = OPS.find((o) => o.op === op)?.needsValue ?? true;
          return (
            <div className="sc-item" key={i}>
              <TextInput field={`branches[${i}].variable`} label={t('panel.branchN.variable', { n: i + 1 })} value={str(b.variable)} onChange={(e) => setBranch(i, { variable: e.target.value }, `${node.id}.br${i}.var`)} />
              <Select label={t('panel.branchN.operator', { n: i + 1 })} value={op} onChange={(v) => setBranch(i, { op: v }, null)}>
                {OPS.map((o) => (
                  <option key={o.op} value={o.op}>
                    {o.label}
                  </option>
                ))}
                {!OPS.some((o) => o.op === op) && <option value={op}>{op}</option>}
              </Select>
              {needsValue && (
                <TextInput field={`branches[${i}].value`} label={t('panel.branchN.value', { n: i + 1 })} value={str(b.value)} onChange={(e) => setBranch(i, { value: e.target.value }, `${node.id}.br${i}.value`)} />
              )}
              <TargetSelect label={t('panel.branchN.next', { n: i + 1 })} field={`branches[${i}].next`} value={target(b.next)} nodes={nodes} selfId={node.id} onChange={(v) => setBranch(i, { next: v }, null)} />
              <RemoveButton label={t('panel.branchN.remove', { n: i + 1 })} onClick={() => onStep({ ...step, branches: branches.filter((_, j) => j !== i) }, null)} />
            </div>
          );
        })}
        <GroupProblem field="branches" />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onStep({ ...step, branches: [...branches, { variable: '', op: 'eq', value: '', next: null }] }, null)}
        >
          {t('panel.addBranch')}
        </button>
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} label={t('panel.labels.otherwise')} field="otherwise" hint={t('panel.hints.otherwiseHint')} />
      </Section>
    </>
  );
}

function DelayForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, onStep } = props;
  const seconds = Math.max(0, Math.round(num(step.seconds)));
  const [unit, setUnit] = useState(() => splitDuration(seconds).unit);
  const size = DURATION_UNITS.find((u) => u.unit === unit)?.seconds ?? 60;
  return (
    <>
      <Section title={t('panel.sections.timing')}>
        <div className="sc-inline">
          <NumberField
            label={t('panel.labels.wait')}
            field="seconds"
            value={seconds / size}
            integer={false}
            onChange={(v) => onStep({ ...step, seconds: Math.round(v * size) }, `${node.id}.seconds`)}
            hint={t('panel.equals', { duration: formatDuration(seconds) })}
          />
          <Select
            label={t('panel.labels.unit')}
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
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function VarField({ props, field, label, hint }: { props: StepFormProps; field: string; label: string; hint?: string }) {
  const { t } = useTranslation('scenarios');
  const { text } = setters(props);
  return <TextInput field={field} label={label} value={str(props.step[field])} placeholder={t('panel.variablePlaceholder')} hint={hint} onChange={(e) => text(field)(e.target.value)} />;
}

function SearchForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, onStep } = props;
  return (
    <>
      <Section title={t('panel.sections.filters')}>
        <p className="muted small">{t('panel.filtersHint')}</p>
        <VarField props={props} field="make_var" label={t('panel.labels.makeVar')} />
        <VarField props={props} field="model_var" label={t('panel.labels.modelVar')} />
        <VarField props={props} field="budget_var" label={t('panel.labels.budgetVar')} hint={t('panel.hints.maxPrice')} />
        <VarField props={props} field="year_var" label={t('panel.labels.yearVar')} hint={t('panel.hints.minYear')} />
        <NumberField label={t('panel.labels.limit')} field="limit" value={num(step.limit, 5)} min={1} max={10} hint={t('panel.hints.limitHint')} onChange={(v) => onStep({ ...step, limit: v }, `${node.id}.limit`)} />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} label={t('panel.labels.nextStep')} hint={t('panel.hints.afterCards')} />
        <NextSelect {...props} label={t('panel.labels.noMatch')} field="no_match" />
      </Section>
    </>
  );
}

function CreateRequestForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { text } = setters(props);
  return (
    <>
      <Section title={t('panel.sections.request')}>
        <p className="muted small">{t('panel.requestHint')}</p>
        <VarField props={props} field="make_var" label={t('panel.labels.makeVar')} />
        <VarField props={props} field="model_var" label={t('panel.labels.modelVar')} />
        <VarField props={props} field="year_var" label={t('panel.labels.yearVar')} />
        <VarField props={props} field="budget_var" label={t('panel.labels.budgetVar')} />
        <TextArea label={t('panel.labels.note')} value={str(props.step.note)} onChange={text('note')} rows={2} hint={<VariablesHint variables={props.variables} />} />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function ChannelPostForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, variables, onStep } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextInput label={t('panel.labels.channel')} field="channel" value={str(step.channel)} placeholder={t('panel.channelPlaceholder')} hint={t('panel.hints.channelHint')} onChange={(e) => text('channel')(e.target.value)} />
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} hint={<VariablesHint variables={variables} />} />
        <MediaFields step={step} onStep={onStep} idPrefix={node.id} />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function OfferForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { step, variables } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextInput label={t('panel.labels.listingId')} field="listing_id" value={str(step.listing_id)} hint={t('panel.hints.listingHint')} onChange={(e) => text('listing_id')(e.target.value)} />
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
        <TextInput label={t('panel.labels.buttonLabel')} field="button_label" value={str(step.button_label)} onChange={(e) => text('button_label')(e.target.value)} />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} label={t('panel.labels.whenBooked')} field="booked" hint={t('panel.hints.bookedHint')} />
        <NextSelect {...props} hint={t('panel.hints.nextAfterOffer')} />
      </Section>
    </>
  );
}

function HandoffForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, variables, onStep } = props;
  const { text } = setters(props);
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
      </Section>
      <Section title={t('panel.sections.timing')}>
        <NumberField
          label={t('panel.labels.quietMinutes')}
          value={num(step.quiet_minutes)}
          hint={t('panel.hints.quietHint')}
          onChange={(v) => onStep({ ...step, quiet_minutes: v }, `${node.id}.quiet`)}
        />
      </Section>
    </>
  );
}

function SplitForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, nodes, onStep } = props;
  const branches = list(step.branches).map(rec);
  const shares = splitShares(branches);
  const setBranch = (i: number, patch: Record<string, unknown>, key: string | null) =>
    onStep({ ...step, branches: branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, key);
  return (
    <Section title={t('panel.sections.branches')}>
      {branches.map((b, i) => (
        <div className="sc-item" key={i}>
          <NumberField
            label={t('panel.branchN.weight', { n: i + 1 })}
            value={num(b.weight)}
            hint={t('panel.shareOfBuyers', { share: shares[i] })}
            onChange={(v) => setBranch(i, { weight: v }, `${node.id}.split${i}`)}
          />
          <TargetSelect label={t('panel.branchN.next', { n: i + 1 })} field={`branches[${i}].next`} value={target(b.next)} nodes={nodes} selfId={node.id} onChange={(v) => setBranch(i, { next: v }, null)} />
          <RemoveButton label={t('panel.branchN.remove', { n: i + 1 })} onClick={() => onStep({ ...step, branches: branches.filter((_, j) => j !== i) }, null)} />
        </div>
      ))}
      <GroupProblem field="branches" />
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => onStep({ ...step, branches: [...branches, { weight: 50, next: null }] }, null)}>
        {t('panel.addBranch')}
      </button>
    </Section>
  );
}

function AskContactForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { step, variables } = props;
  const { text, pick } = setters(props);
  return (
    <>
      <Section title={t('panel.sections.content')}>
        <TextArea label={t('panel.labels.text')} field="text" value={str(step.text)} onChange={text('text')} rows={2} hint={<VariablesHint variables={variables} />} />
        <Select label={t('panel.labels.requestWhat')} value={str(step.request) || 'phone'} onChange={pick('request')}>
          <option value="phone">{t('panel.phoneNumber')}</option>
          <option value="location">{t('panel.location')}</option>
        </Select>
        <TextInput label={t('panel.labels.buttonLabel')} field="button_label" value={str(step.button_label)} onChange={(e) => text('button_label')(e.target.value)} />
      </Section>
      <Section title={t('panel.sections.answer')}>
        <TextInput
          field="variable"
          label={t('panel.labels.variable')}
          value={str(step.variable)}
          hint={t('panel.hints.contactVarHint')}
          onChange={(e) => text('variable')(e.target.value)}
        />
      </Section>
      <Section title={t('panel.sections.whereNext')}>
        <NextSelect {...props} />
      </Section>
    </>
  );
}

function JumpForm(props: StepFormProps) {
  const { t } = useTranslation('scenarios');
  const { node, step, nodes, onStep } = props;
  return (
    <Section title={t('panel.sections.whereNext')}>
      <TargetSelect
        label={t('panel.labels.jumpTo')}
        value={target(step.target)}
        nodes={nodes}
        selfId={node.id}
        emptyLabel={t('panel.chooseStep')}
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
  const { t } = useTranslation('scenarios');
  const { draft } = doc;
  const setTriggers = (fn: (t: EditorTrigger[]) => EditorTrigger[], key: string | null) =>
    onDoc((d) => ({ ...d, draft: { ...d.draft, triggers: fn(d.draft.triggers) } }), key);
  const setTrigger = (i: number, patch: Partial<EditorTrigger>, key: string | null) =>
    setTriggers((ts) => ts.map((x, j) => (j === i ? { ...x, ...patch } : x)), key);

  return (
    <div className="sc-panel">
      <h2 className="sc-panel-title">{t('panel.settings')}</h2>
      {problems.length > 0 && (
        <div className="sc-panel-problems" role="alert">
          <strong>{t('panel.fixBefore')}</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        </div>
      )}
      <ProblemsProvider problems={problems}>
        <form aria-label={t('panel.settings')} onSubmit={(e) => e.preventDefault()}>
          <fieldset disabled={readOnly} className="sc-fieldset">
            <Section title={t('panel.sections.scenario')}>
              <TextField
                label={t('panel.labels.name')}
                value={doc.name}
                maxLength={80}
                required
                error={doc.name.trim() ? null : t('panel.nameMissing')}
                onChange={(e) => {
                  const v = e.target.value;
                  onDoc((d) => ({ ...d, name: v }), 'name');
                }}
              />
              <BotScope
                bots={bots}
                botsError={botsError}
                botIds={doc.bot_ids}
                onChange={(ids) => onDoc((d) => ({ ...d, bot_ids: ids }), null)}
              />
            </Section>
            <Section title={t('panel.sections.triggers')}>
              <p className="muted small">{t('panel.triggersHint')}</p>
              {draft.triggers.map((tr, i) => {
                const info = TRIGGER_KINDS.find((k) => k.kind === tr.kind);
                return (
                  <div className="sc-item" key={i}>
                    <SelectField label={t('panel.triggerN.kind', { n: i + 1 })} value={tr.kind} onChange={(e) => setTrigger(i, { kind: e.target.value }, null)}>
                      {TRIGGER_KINDS.map((k) => (
                        <option key={k.kind} value={k.kind}>
                          {k.label}
                        </option>
                      ))}
                      {!info && <option value={tr.kind}>{tr.kind}</option>}
                    </SelectField>
                    <TextInput
                      field={`triggers[${i}].value`}
                      label={t('panel.triggerN.value', { n: i + 1, what: (info?.valueLabel ?? t('panel.valueWord')).toLowerCase() })}
                      value={tr.value}
                      hint={info?.hint}
                      onChange={(e) => setTrigger(i, { value: e.target.value }, `trigger${i}.value`)}
                    />
                    <TargetSelect
                      label={t('panel.triggerN.start', { n: i + 1 })}
                      value={tr.node || null}
                      nodes={draft.nodes}
                      emptyLabel={t('panel.chooseStep')}
                      field={`triggers[${i}].node`}
                      onChange={(v) => setTrigger(i, { node: v ?? '' }, null)}
                    />
                    <RemoveButton label={t('panel.triggerN.remove', { n: i + 1 })} onClick={() => setTriggers((ts) => ts.filter((_, j) => j !== i), null)} />
                  </div>
                );
              })}
              <GroupProblem field="triggers" />
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() =>
                  setTriggers(
                    (ts) => [...ts, { kind: ts.some((x) => x.kind === 'start') ? 'keyword' : 'start', value: '', node: draft.nodes[0]?.id ?? '' }],
                    null,
                  )
                }
              >
                {t('panel.addTrigger')}
              </button>
            </Section>
          </fieldset>
        </form>
        <Section title={t('panel.sections.steps')}>
          <GroupProblem field="nodes" />
          {draft.nodes.length === 0 ? (
            <p className="muted small">{t('panel.noSteps')}</p>
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

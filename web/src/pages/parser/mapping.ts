// The Parser's mapping step without the UI: for each inventory field, what
// feeds it (a detected variable, a fixed value, a CSS selector), the form
// value that gives, and the rules saved for the site.
import type { Fuel, Transmission } from '../../api/types';
import { FUELS, TRANSMISSIONS } from '../inventory/listing';
import { photoRow } from '../inventory/PhotosField';
import { i18n } from '../../i18n';
import { fieldLabel, toDraft, type Draft, type TextKey } from '../inventory/ListingForm';
import type { DetectedView, DraftView, MappingRule, ParserPreview } from '../../api/types';

/** The inventory fields a mapping can feed, in the form's order. */
export const MAP_FIELDS = [
  'make',
  'model',
  'year',
  'price',
  'currency',
  'mileage',
  'mileage_unit',
  'vin',
  'fuel',
  'transmission',
  'body',
  'color',
  'description',
] as const satisfies readonly TextKey[];

export type MapField = (typeof MAP_FIELDS)[number];

/** The most photos an import takes from a page. */
export const MAX_IMPORT_PHOTOS = 12;

export type Choice =
  | { kind: 'none' }
  /** The draft's own value, which no detected row gives as such. */
  | { kind: 'draft' }
  /** `detected[index]`. */
  | { kind: 'row'; index: number }
  | { kind: 'fixed'; value: string }
  | { kind: 'selector'; selector: string };

export type Choices = Record<MapField, Choice>;

/** `Make`, and `Title` for the page title the parser also reports. */
export function variableLabel(field: string): string {
  return field === 'title' ? i18n.t('parser:title_') : fieldLabel(field);
}

/** A draft value as the form holds it (numbers whole, as typed). */
function draftText(d: DraftView, f: MapField): string {
  const v = d[f];
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? String(Math.round(v)) : v;
}

/** A value for field `f` as its input takes it (select fields only take their choices). */
export function formValue(f: MapField, raw: string): string {
  const v = raw.trim();
  if (f === 'mileage_unit') return /^mi/i.test(v) ? 'mi' : 'km';
  if (f === 'fuel') return FUELS.includes(v.toLowerCase() as Fuel) ? v.toLowerCase() : '';
  if (f === 'transmission') return TRANSMISSIONS.includes(v.toLowerCase() as Transmission) ? v.toLowerCase() : '';
  if (f === 'currency') return v.toUpperCase() || 'EUR';
  if (f === 'year' || f === 'price' || f === 'mileage') {
    const n = Number(v.replace(/[\s,]/g, ''));
    return v && Number.isFinite(n) ? String(Math.round(n)) : v;
  }
  return raw;
}

/** The best detected row of `field`: highest confidence; -1 when none. */
function bestRow(detected: DetectedView[], field: string): number {
  let best = -1;
  detected.forEach((d, i) => {
    if (d.field === field && (best < 0 || d.confidence > detected[best].confidence)) best = i;
  });
  return best;
}

/** What feeds each field at first: the site's saved rule, else the detected row the draft took. */
export function initialChoices(p: ParserPreview, saved: MappingRule[]): Choices {
  const out = {} as Choices;
  for (const f of MAP_FIELDS) {
    const rule = saved.find((r) => r.field === f);
    const value = draftText(p.draft, f);
    let choice: Choice | null = null;
    if (rule?.selector) choice = { kind: 'selector', selector: rule.selector };
    else if (rule?.fixed != null) choice = { kind: 'fixed', value: rule.fixed };
    else if (rule?.from) {
      const i = bestRow(p.detected, rule.from);
      if (i >= 0) choice = { kind: 'row', index: i };
    }
    if (!choice) {
      const same = p.detected.findIndex((d) => d.field === f && formValue(f, d.value) === formValue(f, value));
      const i = value ? same : bestRow(p.detected, f);
      choice = i >= 0 ? { kind: 'row', index: i } : value ? { kind: 'draft' } : { kind: 'none' };
    }
    out[f] = choice;
  }
  return out;
}

/** The form value `choice` gives field `f`; null when the form keeps what it has (a selector the server applies). */
export function choiceValue(p: ParserPreview, f: MapField, choice: Choice): string | null {
  switch (choice.kind) {
    case 'none':
      return formValue(f, '');
    case 'draft':
      return formValue(f, draftText(p.draft, f));
    case 'row':
      return formValue(f, p.detected[choice.index]?.value ?? '');
    case 'fixed':
      return formValue(f, choice.value);
    case 'selector':
      return null;
  }
}

/** The import form, prefilled from the preview's draft. */
export function draftFromPreview(p: ParserPreview): Draft {
  const d = toDraft(null);
  for (const f of MAP_FIELDS) {
    const v = draftText(p.draft, f);
    if (v) (d as unknown as Record<string, string>)[f] = formValue(f, v);
  }
  return {
    ...d,
    photos: (p.draft.photos ?? []).slice(0, MAX_IMPORT_PHOTOS).map((u) => photoRow(u)),
    source_url: p.draft.source_url || p.url,
  };
}

/**
 * The rules to remember for the site. A row the saved mapping itself gave
 * (`mapping`) keeps that saved rule; the draft's own values and empty
 * choices are not rules.
 */
export function rulesOf(p: ParserPreview, choices: Choices, saved: MappingRule[]): MappingRule[] {
  const rules: MappingRule[] = [];
  for (const f of MAP_FIELDS) {
    const c = choices[f];
    const rule = { field: f, from: null, selector: null, fixed: null };
    if (c.kind === 'fixed' && c.value.trim()) rules.push({ ...rule, fixed: c.value.trim() });
    else if (c.kind === 'selector' && c.selector.trim()) rules.push({ ...rule, selector: c.selector.trim() });
    else if (c.kind === 'row') {
      const row = p.detected[c.index];
      if (!row) continue;
      if (row.source === 'mapping') {
        const kept = saved.find((r) => r.field === f);
        if (kept) rules.push(kept);
      } else {
        rules.push({ ...rule, from: row.field });
      }
    }
  }
  return rules;
}

// What the Inventory pages share about one listing: the choices of its
// enumerated fields, their names, and how its price and mileage read.
import type { Fuel, ListingStatus, ListingView, MileageUnit, Transmission } from '../../api/types';
import { i18n } from '../../i18n';

export const STATUSES: ListingStatus[] = ['available', 'reserved', 'sold', 'draft'];
export const FUELS: Fuel[] = ['petrol', 'diesel', 'hybrid', 'electric', 'lpg', 'other'];
export const TRANSMISSIONS: Transmission[] = ['manual', 'automatic'];
export const MILEAGE_UNITS: MileageUnit[] = ['km', 'mi'];

/** A status, fuel or gearbox in the user's words (`common:car.*`); an unknown value as it is. */
export function statusLabel(s: string): string {
  return i18n.t(`common:car.status.${s}`, { defaultValue: s });
}
export function fuelLabel(f: string): string {
  return i18n.t(`common:car.fuel.${f}`, { defaultValue: f });
}
export function transmissionLabel(t: string): string {
  return i18n.t(`common:car.transmission.${t}`, { defaultValue: t });
}

export { formatMileage, formatMoney as formatPrice } from '../../i18n/format';

/** `BMW 320d` */
export function listingTitle(l: Pick<ListingView, 'make' | 'model'>): string {
  return `${l.make} ${l.model}`.trim();
}

/** Whether a photo address can be shown as an image preview. */
export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/\S+$/i.test(s.trim());
}

/**
 * A whole number as people type it: `25000`, `25 000`, `25,000` or `25.000`.
 * `null` when empty, `'bad'` when it is not a whole number.
 */
export function wholeNumber(s: string): number | null | 'bad' {
  let t = s.trim().replace(/[\s'’_]/g, '');
  if (!t) return null;
  if (/^\d{1,3}([,.]\d{3})+$/.test(t)) t = t.replace(/[,.]/g, '');
  return /^\d{1,15}$/.test(t) ? Number(t) : 'bad';
}

// What the Inventory pages share about one listing: the choices of its
// enumerated fields, their labels, and how its price and mileage read.
import type { Fuel, ListingStatus, ListingView, MileageUnit, Transmission } from '../../api/types';

export const STATUSES: ListingStatus[] = ['available', 'reserved', 'sold', 'draft'];
export const FUELS: Fuel[] = ['petrol', 'diesel', 'hybrid', 'electric', 'lpg', 'other'];
export const TRANSMISSIONS: Transmission[] = ['manual', 'automatic'];
export const MILEAGE_UNITS: MileageUnit[] = ['km', 'mi'];

export const STATUS_LABELS: Record<ListingStatus, string> = {
  available: 'Available',
  reserved: 'Reserved',
  sold: 'Sold',
  draft: 'Draft',
};

export const FUEL_LABELS: Record<Fuel, string> = {
  petrol: 'Petrol',
  diesel: 'Diesel',
  hybrid: 'Hybrid',
  electric: 'Electric',
  lpg: 'LPG',
  other: 'Other',
};

export const TRANSMISSION_LABELS: Record<Transmission, string> = {
  manual: 'Manual',
  automatic: 'Automatic',
};

/** `€25,000`, in the user's locale; the plain amount and code when the code is not a currency. */
export function formatPrice(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${new Intl.NumberFormat().format(amount)} ${currency}`;
  }
}

export function formatMileage(mileage: number, unit: MileageUnit): string {
  return `${new Intl.NumberFormat().format(mileage)} ${unit}`;
}

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

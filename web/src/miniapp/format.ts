// How a showcase car reads: "2019 BMW X5", its price in its currency, its
// mileage with the unit, and the short facts shown as chips.
import { formatMileage, formatPrice, fuelLabel as fuelName, transmissionLabel as transmissionName } from '../pages/inventory/listing';
import type { ShowcaseCar } from './api';

export { formatPrice };

export function carTitle(c: Pick<ShowcaseCar, 'year' | 'make' | 'model'>): string {
  return [c.year, c.make, c.model].filter((x) => x !== null && x !== undefined && String(x).trim() !== '').join(' ');
}

export function carMileage(c: Pick<ShowcaseCar, 'mileage' | 'mileage_unit'>): string | null {
  if (typeof c.mileage !== 'number') return null;
  return formatMileage(c.mileage, c.mileage_unit);
}

export function fuelLabel(c: Pick<ShowcaseCar, 'fuel'>): string | null {
  return c.fuel ? fuelName(c.fuel) : null;
}

export function transmissionLabel(c: Pick<ShowcaseCar, 'transmission'>): string | null {
  return c.transmission ? transmissionName(c.transmission) : null;
}

/** The chips under a car's title: fuel and transmission, those it has. */
export function carChips(c: Pick<ShowcaseCar, 'fuel' | 'transmission'>): string[] {
  return [fuelLabel(c), transmissionLabel(c)].filter((x): x is string => !!x);
}

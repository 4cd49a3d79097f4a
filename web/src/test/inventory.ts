// Fixtures for the Inventory tests: listings built from the generated types.
import type { ListingView } from '../api/types';

let seq = 0;

/** A listing with every field set; `over` changes some. */
export function listing(over: Partial<ListingView> = {}): ListingView {
  seq += 1;
  const l: ListingView = {
    id: `L${seq}`,
    make: 'BMW',
    model: '320d',
    year: 2019,
    price: 25000,
    currency: 'EUR',
    mileage: 85000,
    mileage_unit: 'km',
    vin: null,
    fuel: 'diesel',
    transmission: 'automatic',
    body: 'Sedan',
    color: 'Black',
    photos: [`https://cdn.dealer.test/${seq}/1.jpg`],
    description: null,
    status: 'available',
    source_url: null,
    created_at: '2025-03-01T12:00:00Z',
    updated_at: '2025-03-02T12:00:00Z',
    warnings: [],
    photo_links: [],
    ...over,
  };
  // Addresses show as they are, as the server answers them.
  if (!over.photo_links) l.photo_links = (l.photos ?? []).map((p) => (typeof p === 'string' ? { thumb: p, full: p } : null));
  return l;
}

export const VIN_WARNING = {
  field: 'vin',
  message: 'the check digit does not match; normal for many European and Asian cars, but check it for a North American one',
};

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { listing, VIN_WARNING } from '../../test/inventory';
import { renderApp } from '../../test/renderApp';

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** The error text shown for the input labelled `label`. */
function errorUnder(label: string | RegExp): string | null {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const el = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('field-error'));
  return el?.textContent ?? null;
}

describe('Add a car', () => {
  it('sends every field, shows the warnings of the saved car, and moves to its address', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    const saved = listing({ id: 'n1', make: 'Volkswagen', model: 'Golf', vin: 'WVWZZZ1KZ8W123456', warnings: [VIN_WARNING] });
    const fetchMock = inboxBackend('manager', (url, init) => {
      if (url === '/api/inventory' && init?.method === 'POST') {
        bodies.push(JSON.parse(init.body as string));
        return jsonResponse(201, saved);
      }
      return undefined;
    });
    const app = renderApp('/inventory/new');
    expect(await screen.findByRole('heading', { name: 'Add a car' })).toBeTruthy();
    for (const group of ['Vehicle', 'Price & mileage', 'Details', 'Photos', 'Description', 'Status']) {
      expect(screen.getByRole('region', { name: group })).toBeTruthy();
    }

    type('Make', ' Volkswagen ');
    type('Model', 'Golf');
    type('Year', '2019');
    type('VIN', 'wvwzzz1kz8w123456');
    type('Price', '18,500');
    fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'USD' } });
    type('Mileage', '42 000');
    fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 'mi' } });
    fireEvent.change(screen.getByLabelText('Fuel'), { target: { value: 'petrol' } });
    type('Body type', 'Hatchback');
    fireEvent.click(screen.getByRole('button', { name: 'Add a photo address' }));
    type('Photo 1 URL (thumbnail)', 'https://cdn.dealer.test/golf/1.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Add a photo address' }));
    type('Photo 2 URL', 'https://cdn.dealer.test/golf/2.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Add a photo address' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Description' }), { target: { value: 'One owner.' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'draft' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add car' }));

    expect(await screen.findByText('Car added to your inventory.')).toBeTruthy();
    expect(bodies).toEqual([
      {
        make: 'Volkswagen',
        model: 'Golf',
        year: 2019,
        price: 18500,
        currency: 'USD',
        mileage: 42000,
        mileage_unit: 'mi',
        vin: 'WVWZZZ1KZ8W123456',
        fuel: 'petrol',
        transmission: null,
        body: 'Hatchback',
        color: null,
        // The empty third row is left out.
        photos: ['https://cdn.dealer.test/golf/1.jpg', 'https://cdn.dealer.test/golf/2.jpg'],
        description: 'One owner.',
        status: 'draft',
        source_url: null,
      },
    ]);
    const warning = screen.getByText(/worth a second look/).closest('.notice')!;
    expect(warning.className).toContain('notice-warn');
    expect(within(warning as HTMLElement).getByText(/VIN: The check digit does not match/)).toBeTruthy();
    await waitFor(() => expect(app.url()).toBe('/inventory/n1'));
    expect(screen.getByText('Car added to your inventory.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Volkswagen Golf 2019' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeTruthy();
    // The saved car came with the answer: no need to fetch it again.
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/inventory/n1')).toBe(false);

    // Adding another car starts from an empty form.
    app.go('/inventory/new');
    expect(await screen.findByRole('heading', { name: 'Add a car' })).toBeTruthy();
    expect((screen.getByLabelText('Make') as HTMLInputElement).value).toBe('');
    expect(screen.queryByText('Car added to your inventory.')).toBeNull();
  });

  it('checks the required fields before sending', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('manager', () => undefined);
    renderApp('/inventory/new');
    fireEvent.click(await screen.findByRole('button', { name: 'Add car' }));
    expect(errorUnder('Make')).toBe('Enter the make, e.g. BMW.');
    expect(errorUnder('Year')).toBe('Enter the model year, e.g. 2019.');
    expect(errorUnder('Price')).toBe('Enter the price in whole units, e.g. 25000.');
    expect(screen.getByText('Check the marked fields.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Make')));
    fireEvent.click(screen.getByRole('button', { name: 'Add a photo address' }));
    type('Photo 1 URL (thumbnail)', 'cdn.dealer.test/1.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Add car' }));
    expect(errorUnder(/Photo 1 URL/)).toBe('Enter an address starting with https://');
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'POST')).toBe(false);
  });

  it('tells a viewer that only managers add cars', async () => {
    setToken('tok');
    inboxBackend('viewer', () => undefined);
    renderApp('/inventory/new');
    expect(await screen.findByText('Only managers can add cars')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add car' })).toBeNull();
  });
});

describe('Edit a car', () => {
  const car = listing({
    id: 'e1',
    make: 'Skoda',
    model: 'Octavia',
    year: 2020,
    photos: ['https://cdn.dealer.test/o/1.jpg', 'https://cdn.dealer.test/o/2.jpg'],
  });

  it('shows a 422 under the field it names', async () => {
    setToken('tok');
    let attempt = 0;
    inboxBackend('admin', (url, init) => {
      if (url === '/api/inventory/e1' && init?.method === 'PUT') {
        attempt += 1;
        return attempt === 1
          ? jsonResponse(422, { error: { code: 'validation', message: 'a VIN never contains I, O or Q', field: 'vin' } })
          : jsonResponse(422, { error: { code: 'validation', message: 'must be an http(s) URL', field: 'photos[1]' } });
      }
      if (url === '/api/inventory/e1') return jsonResponse(200, car);
      return undefined;
    });
    renderApp('/inventory/e1');
    expect(await screen.findByRole('heading', { name: 'Skoda Octavia 2020' })).toBeTruthy();
    expect((screen.getByLabelText('Make') as HTMLInputElement).value).toBe('Skoda');

    type('VIN', 'TMBOOOOOOOOOOOOOO');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(errorUnder('VIN')).toBe('A VIN never contains I, O or Q'));
    expect(screen.getByLabelText('VIN').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Check the marked field (VIN).')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('VIN'));

    // `photos[1]` is the second photo sent, shown under that row.
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(errorUnder('Photo 2 URL')).toBe('Must be an http(s) URL'));
    expect(errorUnder('VIN')).toBeNull();
  });

  it('shows the warnings the saved car comes with', async () => {
    setToken('tok');
    inboxBackend('manager', (url, init) => {
      if (url === '/api/inventory/e1' && init?.method === 'PUT') {
        const body = JSON.parse(init.body as string);
        return jsonResponse(200, { ...car, ...body, warnings: [VIN_WARNING] });
      }
      if (url === '/api/inventory/e1') return jsonResponse(200, car);
      return undefined;
    });
    renderApp('/inventory/e1');
    await screen.findByLabelText('VIN');
    type('VIN', 'WVWZZZ1KZ8W123456');
    expect(screen.queryByText(/worth a second look/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved.')).toBeTruthy();
    expect(screen.getByText(/VIN: The check digit does not match/)).toBeTruthy();
  });

  it('edits the photo list: add, move, remove, with previews', async () => {
    setToken('tok');
    const bodies: { photos: string[] }[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/inventory/e1' && init?.method === 'PUT') {
        const body = JSON.parse(init.body as string);
        bodies.push(body);
        return jsonResponse(200, { ...car, ...body });
      }
      if (url === '/api/inventory/e1') return jsonResponse(200, car);
      return undefined;
    });
    renderApp('/inventory/e1');
    const photos = await screen.findByRole('region', { name: 'Photos' });
    expect([...photos.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual(car.photos);

    fireEvent.click(screen.getByRole('button', { name: 'Add a photo address' }));
    type('Photo 3 URL', 'https://cdn.dealer.test/o/3.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Move photo 3 up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove photo 1' }));
    expect((screen.getByLabelText('Photo 1 URL (thumbnail)') as HTMLInputElement).value).toBe('https://cdn.dealer.test/o/3.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes saved.');
    expect(bodies[0].photos).toEqual(['https://cdn.dealer.test/o/3.jpg', 'https://cdn.dealer.test/o/2.jpg']);
  });

  it('asks before deleting, then goes back to the list', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('manager', (url, init) => {
      if (url === '/api/inventory/e1' && init?.method === 'DELETE') return new Response(null, { status: 204 });
      if (url === '/api/inventory/e1') return jsonResponse(200, car);
      if (url.startsWith('/api/inventory?')) return jsonResponse(200, { items: [], next_cursor: null });
      return undefined;
    });
    const app = renderApp('/inventory/e1');
    const deletes = () => fetchMock.mock.calls.filter(([, i]) => i?.method === 'DELETE').length;

    fireEvent.click(await screen.findByRole('button', { name: 'Delete car' }));
    let dialog = screen.getByRole('dialog', { name: 'Delete this car?' });
    expect(within(dialog).getByText('Skoda Octavia 2020')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(deletes()).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete car' }));
    dialog = screen.getByRole('dialog', { name: 'Delete this car?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No cars in stock yet')).toBeTruthy();
    expect(app.url()).toBe('/inventory');
    expect(deletes()).toBe(1);
  });

  it('shows a viewer the car without a form', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url === '/api/inventory/e1' ? jsonResponse(200, { ...car, vin: 'TMBJJ7NE8L0123456', description: 'Full service history.' }) : undefined,
    );
    renderApp('/inventory/e1');
    expect(await screen.findByRole('heading', { name: 'Skoda Octavia 2020' })).toBeTruthy();
    expect(screen.getByText('TMBJJ7NE8L0123456')).toBeTruthy();
    expect(screen.getByText('Full service history.')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Photo 2 of Skoda Octavia' })).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete car' })).toBeNull();
  });

  it('offers a retry when the car cannot be loaded', async () => {
    setToken('tok');
    let calls = 0;
    inboxBackend('manager', (url) => {
      if (url !== '/api/inventory/e1') return undefined;
      calls += 1;
      // The first load and its two automatic retries fail; the page then offers its own Retry.
      return calls <= 3 ? jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.', field: null } }) : jsonResponse(200, car);
    });
    renderApp('/inventory/e1');
    expect(await screen.findByText('The server had a problem. Please try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'Skoda Octavia 2020' })).toBeTruthy();
  });
});

/**
 * The bucket as the browser sees it: an XMLHttpRequest PUT that reports its
 * progress, answering what `answer` says for each URL.
 */
function fakeBucket(answer: (url: string) => number) {
  const puts: { url: string; headers: Record<string, string>; size: number }[] = [];
  class FakeXhr {
    upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    private url = '';
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(k: string, v: string) {
      this.headers[k] = v;
    }
    abort() {}
    send(body: Blob) {
      puts.push({ url: this.url, headers: this.headers, size: body.size });
      setTimeout(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: body.size / 2, total: body.size });
        this.status = answer(this.url);
        if (this.status === 0) this.onerror?.();
        else this.onload?.();
      }, 0);
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return puts;
}

describe('Car photos from the computer or phone', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('uploads several at once, retries a failed one, reorders them and saves the order', async () => {
    setToken('tok');
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    let failOnce = true;
    const puts = fakeBucket((url) => {
      if (url.includes('F2') && failOnce) {
        failOnce = false;
        return 0; // the connection dropped
      }
      return 200;
    });
    const bodies: { photos: unknown[] }[] = [];
    let next = 0;
    inboxBackend('manager', (url, init) => {
      if (url === '/api/files' && init?.method === 'POST') {
        next += 1;
        const req = JSON.parse(init.body as string);
        return jsonResponse(201, {
          file: { id: `F${next}`, purpose: req.purpose, name: req.file_name, content_type: null, size: req.size, status: 'pending', variants: [], created_at: '2026-01-01T00:00:00Z', expires_at: null, download_url: null, thumb_url: null, large_url: null },
          upload: { method: 'PUT', url: `http://bucket.test/ws/F${next}/original`, headers: { 'content-type': req.content_type, 'x-amz-tagging': 'expiry=1d' }, expires_at: '2026-01-01T00:15:00Z' },
        });
      }
      const done = /^\/api\/files\/(F\d)\/complete$/.exec(url);
      if (done) {
        return jsonResponse(200, { id: done[1], purpose: 'car_photo', name: 'x.jpg', content_type: 'image/jpeg', size: 3, status: 'ready', variants: [], created_at: '2026-01-01T00:00:00Z', expires_at: null, download_url: null, thumb_url: null, large_url: null });
      }
      if (url === '/api/inventory' && init?.method === 'POST') {
        const body = JSON.parse(init.body as string);
        bodies.push(body);
        return jsonResponse(201, listing({ id: 'n9', ...body, photo_links: [null, null] }));
      }
      return undefined;
    });
    renderApp('/inventory/new');
    await screen.findByRole('heading', { name: 'Add a car' });
    type('Make', 'BMW');
    type('Model', 'X3');
    type('Year', '2021');
    type('Price', '28000');
    type('Mileage', '20000');

    const jpeg = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff])], name, { type: 'image/jpeg' });
    const picker = screen.getByLabelText('Choose photos') as HTMLInputElement;
    expect(picker.multiple).toBe(true);
    fireEvent.change(picker, { target: { files: [jpeg('front.jpg'), jpeg('side.jpg'), new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })] } });
    // The program is refused at once; the photos upload straight to the bucket.
    expect(await screen.findByText('setup.exe is not a JPEG, PNG or WebP photo.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove photo 3' }));
    // Saving waits for the uploads.
    await waitFor(() => expect(screen.getAllByRole('alert').some((a) => /did not reach the file store/.test(a.textContent ?? ''))).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Add car' }));
    expect(await screen.findByText('Some photos did not upload: try them again or remove them.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Upload photo 2 again' }));
    await waitFor(() => expect(screen.getAllByText('Uploaded').length).toBe(2));
    expect(puts.map((p) => p.headers['x-amz-tagging'])).toEqual(['expiry=1d', 'expiry=1d', 'expiry=1d']);

    // The side view becomes the cover.
    fireEvent.click(screen.getByRole('button', { name: 'Move photo 2 up' }));
    expect(within(screen.getByRole('list', { name: /Photos in order/ })).getAllByText(/\.jpg$/).map((e) => e.textContent)).toEqual(['side.jpg', 'front.jpg']);
    fireEvent.click(screen.getByRole('button', { name: 'Add car' }));
    expect(await screen.findByText('Car added to your inventory.')).toBeTruthy();
    // The retry was a new upload (F3): the first one's bytes never arrived.
    expect(bodies[0].photos).toEqual([{ file_id: 'F3' }, { file_id: 'F1' }]);
  });
});

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../api/client';
import { jsonResponse, mockFetch } from '../test/http';
import { headerOf } from '../test/inbox';
import { renderApp } from '../test/renderApp';
import type { Showcase, ShowcaseCar } from './api';

// A stand-in for Telegram's WebApp (the real script needs a Telegram client).
const tg = vi.hoisted(() => {
  const button = () => {
    const clicks = new Set<() => void>();
    return {
      text: '',
      clicks,
      setText: vi.fn(function (this: { text: string }, t: string) {
        this.text = t;
        return this;
      }),
      onClick: vi.fn((cb: () => void) => clicks.add(cb)),
      offClick: vi.fn((cb: () => void) => clicks.delete(cb)),
      show: vi.fn(),
      hide: vi.fn(),
      showProgress: vi.fn(),
      hideProgress: vi.fn(),
    };
  };
  return {
    initData: '',
    themeParams: { bg_color: '#18222d', text_color: '#ffffff', button_color: '#2ea6ff', link_color: 'not a colour' } as Record<string, string>,
    ready: vi.fn(),
    expand: vi.fn(),
    isVersionAtLeast: vi.fn(() => true),
    onEvent: vi.fn(),
    offEvent: vi.fn(),
    MainButton: button(),
    BackButton: button(),
    HapticFeedback: { notificationOccurred: vi.fn() },
  };
});
vi.mock('@twa-dev/sdk', () => ({ default: tg }));

const INIT_DATA = 'query_id=AAH&user=%7B%22id%22%3A777000123%2C%22first_name%22%3A%22Mini%22%7D&auth_date=1700000000&hash=abc';

function car(over: Partial<ShowcaseCar> = {}): ShowcaseCar {
  return {
    id: 'c1',
    make: 'BMW',
    model: 'X5',
    year: 2019,
    price: 25000,
    currency: 'EUR',
    mileage: 85000,
    mileage_unit: 'km',
    fuel: 'diesel',
    transmission: 'automatic',
    body: 'SUV',
    color: 'Black',
    description: 'One owner.\nFull service history.',
    photos: ['https://cdn.dealer.test/x5/1.jpg', 'https://cdn.dealer.test/x5/2.jpg'],
    thumbs: ['https://cdn.dealer.test/x5/1.jpg', 'https://cdn.dealer.test/x5/2.jpg'],
    ...over,
  };
}

function showcase(over: Partial<Showcase> = {}): Showcase {
  return { company: 'Demo Motors', slug: 'demo', makes: ['Audi', 'BMW'], items: [car()], next_cursor: null, ...over };
}

const NOT_FOUND = { error: { code: 'not_found', message: 'no such showcase', field: null } };

type Route = (url: string, init: RequestInit | undefined) => Response | undefined;

/** The public API only; anything else is a 404. */
function backend(route: Route) {
  return mockFetch((url, init) => route(url, init) ?? jsonResponse(404, NOT_FOUND));
}

function listCalls(fetchMock: ReturnType<typeof backend>): string[] {
  return fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => /^\/api\/miniapp\/[^/]+(\?|$)/.test(u));
}

beforeEach(() => {
  tg.initData = '';
  for (const b of [tg.MainButton, tg.BackButton]) {
    b.clicks.clear();
    b.text = '';
    for (const f of [b.setText, b.onClick, b.offClick, b.show, b.hide, b.showProgress, b.hideProgress]) f.mockClear();
  }
  tg.HapticFeedback.notificationOccurred.mockClear();
});

describe('Mini App showcase list', () => {
  it('shows the cars with photo, price, mileage and chips, without the dealer session, in Telegram colours', async () => {
    setToken('dealer-token');
    const noPhoto = car({ id: 'c2', make: 'Audi', model: 'A4', year: 2018, photos: [], thumbs: [], mileage: 30000, mileage_unit: 'mi', currency: 'USD', price: 15500, fuel: null, transmission: 'manual' });
    const fetchMock = backend((url) => {
      if (url === '/api/auth/me') return jsonResponse(200, { email: 'o@demo.test', name: 'O', role: 'owner', workspace: null });
      if (url === '/api/miniapp/demo') return jsonResponse(200, showcase({ items: [car(), noPhoto] }));
      return undefined;
    });
    const { container } = renderApp('/m/demo');

    expect(await screen.findByRole('heading', { name: 'Demo Motors' })).toBeTruthy();
    const bmw = screen.getByText('2019 BMW X5').closest('a')!;
    expect(bmw.getAttribute('href')).toBe('/m/demo/c1');
    expect(within(bmw).getByText('€25,000')).toBeTruthy();
    expect(within(bmw).getByText('85,000 km')).toBeTruthy();
    expect(within(bmw).getByText('Diesel')).toBeTruthy();
    expect(within(bmw).getByText('Automatic')).toBeTruthy();
    const img = bmw.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('https://cdn.dealer.test/x5/1.jpg');
    expect(img.getAttribute('loading')).toBe('lazy');

    const audi = screen.getByText('2018 Audi A4').closest('a')!;
    expect(within(audi).getByText('$15,500')).toBeTruthy();
    expect(within(audi).getByText('30,000 mi')).toBeTruthy();
    expect(within(audi).getByText('No photo')).toBeTruthy();
    expect(within(audi).queryByText('Diesel')).toBeNull();

    // The public API is called without the dealer's token.
    const call = fetchMock.mock.calls.find(([u]) => u === '/api/miniapp/demo')!;
    expect(headerOf(call[1], 'Authorization')).toBeUndefined();

    // Telegram was told the app is ready, once, and its theme became CSS variables.
    await waitFor(() => expect(tg.ready).toHaveBeenCalledTimes(1));
    expect(tg.expand).toHaveBeenCalledTimes(1);
    const root = container.querySelector('.ma') as HTMLElement;
    await waitFor(() => expect(root.style.getPropertyValue('--ma-bg')).toBe('#18222d'));
    expect(root.style.getPropertyValue('--ma-btn')).toBe('#2ea6ff');
    // An invalid colour is skipped for the next-best one; missing ones follow the background.
    expect(root.style.getPropertyValue('--ma-link')).toBe('#2ea6ff');
    expect(root.style.getPropertyValue('--ma-bg2')).toBe('#18222d');
    // No main button on the list.
    expect(tg.MainButton.show).not.toHaveBeenCalled();
  });

  it('keeps the filters in the address and sends them to the API', async () => {
    const fetchMock = backend((url) => (url.startsWith('/api/miniapp/demo') ? jsonResponse(200, showcase()) : undefined));
    const app = renderApp('/m/demo?year_min=2015');
    await screen.findByText('2019 BMW X5');
    expect(listCalls(fetchMock)).toEqual(['/api/miniapp/demo?year_min=2015']);
    expect((screen.getByLabelText('Min year') as HTMLInputElement).value).toBe('2015');

    // The make applies at once.
    fireEvent.change(screen.getByLabelText('Make'), { target: { value: 'BMW' } });
    expect(app.url()).toBe('/m/demo?make=BMW&year_min=2015');
    await waitFor(() => expect(listCalls(fetchMock).at(-1)).toBe('/api/miniapp/demo?make=BMW&year_min=2015'));

    // The others when the form is sent; numbers keep their digits only.
    await screen.findByText('2019 BMW X5');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: ' x5 ' } });
    fireEvent.change(screen.getByLabelText('Max price'), { target: { value: '30 000' } });
    fireEvent.change(screen.getByLabelText('Min year'), { target: { value: '2018' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show cars' }));
    expect(app.url()).toBe('/m/demo?make=BMW&q=x5&price_max=30000&year_min=2018');
    await waitFor(() => expect(listCalls(fetchMock).at(-1)).toBe('/api/miniapp/demo?make=BMW&q=x5&price_max=30000&year_min=2018'));

    // Back: the previous filters, in the form and in the request.
    await screen.findByText('2019 BMW X5');
    app.go(-1);
    await waitFor(() => expect(app.url()).toBe('/m/demo?make=BMW&year_min=2015'));
    expect((screen.getByLabelText('Max price') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(listCalls(fetchMock).at(-1)).toBe('/api/miniapp/demo?make=BMW&year_min=2015'));

    fireEvent.click(await screen.findByRole('button', { name: 'Clear' }));
    expect(app.url()).toBe('/m/demo');
  });

  it('loads more cars with the cursor', async () => {
    const fetchMock = backend((url) => {
      if (url === '/api/miniapp/demo?make=BMW') return jsonResponse(200, showcase({ next_cursor: 'CUR 1' }));
      if (url === '/api/miniapp/demo?make=BMW&cursor=CUR+1')
        return jsonResponse(200, showcase({ items: [car({ id: 'c9', model: 'M3', year: 2021 })], next_cursor: null }));
      return undefined;
    });
    renderApp('/m/demo?make=BMW');
    await screen.findByText('2019 BMW X5');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('2021 BMW M3')).toBeTruthy();
    expect(screen.getByText('2019 BMW X5')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(listCalls(fetchMock)).toEqual(['/api/miniapp/demo?make=BMW', '/api/miniapp/demo?make=BMW&cursor=CUR+1']);
  });

  it('says when no car matches, and keeps a linked make selectable', async () => {
    backend((url) => (url.startsWith('/api/miniapp/demo?') ? jsonResponse(200, showcase({ items: [] })) : undefined));
    const app = renderApp('/m/demo?make=Lada');
    expect(await screen.findByText('No cars match')).toBeTruthy();
    // A make from a link that is not in stock stays selectable.
    expect((screen.getByLabelText('Make') as HTMLSelectElement).value).toBe('Lada');
    fireEvent.click(screen.getByRole('button', { name: 'Show all cars' }));
    expect(app.url()).toBe('/m/demo');
  });

  it('says the showcase does not exist for an unknown address', async () => {
    backend(() => undefined);
    renderApp('/m/nope');
    expect(await screen.findByText('This showcase does not exist')).toBeTruthy();
    expect(screen.queryByRole('search')).toBeNull();
  });

  it('offers a retry when the cars cannot be loaded', async () => {
    let attempt = 0;
    backend((url) => {
      if (url !== '/api/miniapp/demo') return undefined;
      attempt += 1;
      // The first load and its two automatic retries fail; the page then offers its own Retry.
      return attempt <= 3 ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try later.', field: null } }) : jsonResponse(200, showcase());
    });
    renderApp('/m/demo');
    expect(await screen.findByText('The service is unavailable for a moment. Please try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('2019 BMW X5')).toBeTruthy();
  });
});

describe('Mini App car page', () => {
  function carBackend(interest: (body: unknown) => Response) {
    const bodies: unknown[] = [];
    const fetchMock = backend((url, init) => {
      if (url === '/api/miniapp/demo') return jsonResponse(200, showcase());
      if (url === '/api/miniapp/demo/cars/c1') return jsonResponse(200, car());
      if (url === '/api/miniapp/demo/interest' && init?.method === 'POST') {
        const body = JSON.parse(init.body as string);
        bodies.push(body);
        return interest(body);
      }
      return undefined;
    });
    return { fetchMock, bodies };
  }

  it('shows the photos and details, and sends the interest with the init data', async () => {
    tg.initData = INIT_DATA;
    const { bodies, fetchMock } = carBackend(() => jsonResponse(201, { created: true, message: 'Thanks, Mini! A manager will write to you here shortly.' }));
    renderApp('/m/demo/c1');

    expect(await screen.findByRole('heading', { name: '2019 BMW X5' })).toBeTruthy();
    expect(screen.getByText('€25,000')).toBeTruthy();
    expect(screen.getByRole('img', { name: '2019 BMW X5, photo 2 of 2' }).getAttribute('src')).toBe('https://cdn.dealer.test/x5/2.jpg');
    expect(screen.getByText('SUV')).toBeTruthy();
    expect(screen.getByText('Black')).toBeTruthy();
    expect(screen.getByText(/Full service history/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'All cars' }).getAttribute('href')).toBe('/m/demo');

    // Inside Telegram: its main button and back button too.
    await waitFor(() => expect(tg.MainButton.show).toHaveBeenCalled());
    expect(tg.MainButton.text).toBe("I'm interested");
    expect(tg.BackButton.show).toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: "I'm interested" }));
    expect(await screen.findByText('Thanks, Mini! A manager will write to you here shortly.')).toBeTruthy();
    expect(bodies).toEqual([{ init_data: INIT_DATA, listing_id: 'c1' }]);
    const post = fetchMock.mock.calls.find(([u]) => u === '/api/miniapp/demo/interest')!;
    expect(headerOf(post[1], 'Authorization')).toBeUndefined();
    expect(tg.HapticFeedback.notificationOccurred).toHaveBeenCalledWith('success');
    expect((screen.getByRole('button', { name: 'Request sent' }) as HTMLButtonElement).disabled).toBe(true);
    expect(tg.MainButton.showProgress).toHaveBeenCalled();
    await waitFor(() => expect(tg.MainButton.hide).toHaveBeenCalled());
  });

  it("sends it from Telegram's main button, and goes back with Telegram's back button", async () => {
    tg.initData = INIT_DATA;
    const { bodies } = carBackend(() => jsonResponse(201, { created: false, message: 'You already asked about this car today.' }));
    const app = renderApp('/m/demo');
    fireEvent.click(await screen.findByText('2019 BMW X5'));
    expect(await screen.findByRole('heading', { name: '2019 BMW X5' })).toBeTruthy();
    expect(app.url()).toBe('/m/demo/c1');

    await waitFor(() => expect(tg.MainButton.clicks.size).toBe(1));
    tg.MainButton.clicks.forEach((cb) => cb());
    expect(await screen.findByText('You already asked about this car today.')).toBeTruthy();
    expect(bodies).toEqual([{ init_data: INIT_DATA, listing_id: 'c1' }]);

    expect(tg.BackButton.clicks.size).toBe(1);
    tg.BackButton.clicks.forEach((cb) => cb());
    await waitFor(() => expect(app.url()).toBe('/m/demo'));
    expect(await screen.findByRole('heading', { name: 'Demo Motors' })).toBeTruthy();
    // Leaving the car page puts Telegram's buttons away.
    expect(tg.MainButton.hide).toHaveBeenCalled();
    expect(tg.BackButton.hide).toHaveBeenCalled();
    expect(tg.MainButton.clicks.size).toBe(0);
    expect(tg.BackButton.clicks.size).toBe(0);
  });

  it('asks to reopen the showcase from the bot when the server refuses the init data', async () => {
    tg.initData = INIT_DATA;
    carBackend(() => jsonResponse(401, { error: { code: 'unauthenticated', message: 'initData is not valid', field: 'init_data' } }));
    renderApp('/m/demo/c1');
    fireEvent.click(await screen.findByRole('button', { name: "I'm interested" }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Please reopen the showcase from the bot/);
    expect(tg.HapticFeedback.notificationOccurred).toHaveBeenCalledWith('error');
    // The buyer was not logged out of anything, nor sent to the dealer login.
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('explains, in a normal browser, that the bot is needed to send interest', async () => {
    const { bodies } = carBackend(() => jsonResponse(201, { created: true, message: 'x' }));
    renderApp('/m/demo/c1');
    fireEvent.click(await screen.findByRole('button', { name: "I'm interested" }));
    expect(await screen.findByText(/open this showcase from the dealer's Telegram bot/)).toBeTruthy();
    expect(bodies).toEqual([]);
    expect(tg.MainButton.show).not.toHaveBeenCalled();
    expect(tg.BackButton.show).not.toHaveBeenCalled();
  });

  it('says when the car is gone', async () => {
    backend(() => undefined);
    renderApp('/m/demo/sold1');
    expect(await screen.findByText('This car is no longer available')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See all cars' }).getAttribute('href')).toBe('/m/demo');
  });
});

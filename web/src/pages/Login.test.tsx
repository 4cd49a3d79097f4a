import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../test/http';
import { renderApp } from '../test/renderApp';

function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

const me = {
  email: 'owner@demo.test',
  name: 'Olga Owner',
  role: 'owner',
  workspace: { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' },
};

describe('Login page', () => {
  it('shows a 422 validation error under the field it names', async () => {
    mockFetch((url) => {
      if (url === '/api/auth/login')
        return jsonResponse(422, { error: { code: 'validation', message: 'Enter a valid e-mail address.', field: 'email' } });
      return jsonResponse(404, {});
    });
    renderApp('/login');
    fillAndSubmit('not-an-email', 'whatever123');

    const msg = await screen.findByText('Enter a valid e-mail address.');
    const email = screen.getByLabelText('E-mail');
    // Right under the e-mail input, and announced as its description.
    expect(email.nextElementSibling).toBe(msg);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('textbox', { name: 'E-mail', description: 'Enter a valid e-mail address.' })).toBe(email);
    // Not under the password, and not as a general error.
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByLabelText('Password').parentElement!.textContent).not.toContain('Enter a valid e-mail');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a 401 as a general error above the form', async () => {
    mockFetch(() =>
      jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password.', field: null } }),
    );
    renderApp('/login');
    fillAndSubmit('owner@demo.test', 'wrong-password');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The e-mail or the password is wrong.');
    expect(screen.getByLabelText('E-mail').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getAllByText('The e-mail or the password is wrong.')).toHaveLength(1);
    // The button is usable again after the failure.
    expect((screen.getByRole('button', { name: 'Log in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a loading state while logging in', async () => {
    let answer: (r: Response) => void = () => undefined;
    mockFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    renderApp('/login');
    fillAndSubmit('owner@demo.test', 'correct-horse-battery');
    const busy = await screen.findByRole('button', { name: 'Logging in…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    answer(jsonResponse(429, { error: { code: 'too_many_attempts', message: 'Too many attempts. Try again in a minute.', field: null } }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/too many failed logins/i);
  });

  it('sends a deep link to login and back to the wanted page after login', async () => {
    mockFetch((url, init) => {
      if (url === '/api/auth/login' && init?.method === 'POST')
        return jsonResponse(200, { token: 'tok', expires_at: '2099-01-01T00:00:00Z', me });
      if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: 'now', schema_version: 1 });
      return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
    });
    renderApp('/integrations');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
    fillAndSubmit('owner@demo.test', 'correct-horse-battery');
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeTruthy();
    expect(screen.getByText('Coming soon')).toBeTruthy();
    expect(screen.getByText('Demo Motors')).toBeTruthy();
  });

  it('sends a reset link to the linked Telegram for the e-mail typed above', async () => {
    const fetch = mockFetch((url) => (url === '/api/password-resets' ? new Response(null, { status: 204 }) : jsonResponse(404, {})));
    renderApp('/login');
    fireEvent.click(screen.getByText('Forgot password?'));
    fireEvent.click(screen.getByRole('button', { name: 'Send a reset link to my Telegram' }));
    // Nothing is sent without an e-mail; the field says why.
    expect(await screen.findByText('Enter your e-mail first.')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: ' mia@demo.test ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send a reset link to my Telegram' }));
    expect((await screen.findByRole('status')).textContent).toContain('If this account has Telegram linked');
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/password-resets');
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'mia@demo.test' });
  });
});

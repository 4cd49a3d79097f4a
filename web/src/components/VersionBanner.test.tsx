import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../test/http';
import { VersionBanner } from './VersionBanner';

const version = (git_sha: string) => ({ git_sha, build_time: '2025-06-01T12:00:00Z', schema_version: 3 });

describe('VersionBanner', () => {
  it('offers a reload when the server runs another build', async () => {
    mockFetch(() => jsonResponse(200, version('bbbbbbbbbbbb')));
    render(<VersionBanner buildSha="aaaaaaaaaaaa" />);
    expect(await screen.findByText('New version available')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });

  it('stays hidden when the server runs this build', async () => {
    const fetchMock = mockFetch(() => jsonResponse(200, version('aaaaaaaaaaaa')));
    render(<VersionBanner buildSha="aaaaaaaaaaaa" />);
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.queryByText('New version available')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
  });

  it('notices a new deploy on the next poll and on window focus', async () => {
    vi.useFakeTimers();
    let sha = 'aaaaaaaaaaaa';
    const fetchMock = mockFetch(() => jsonResponse(200, version(sha)));
    render(<VersionBanner buildSha="aaaaaaaaaaaa" intervalMs={60_000} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.queryByText('New version available')).toBeNull();

    sha = 'cccccccccccc';
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(screen.getByText('New version available')).toBeTruthy();
    const polls = fetchMock.mock.calls.length;

    await act(async () => {
      window.dispatchEvent(new Event('focus'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(fetchMock.mock.calls.length).toBe(polls + 1);
  });
});

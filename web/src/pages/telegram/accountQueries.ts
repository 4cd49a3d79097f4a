// The Telegram accounts list through the query cache: polled while an
// account is on its way somewhere, and written at once with each answer.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { keyOf, useApiQuery } from '../../api/query';
import type { TelegramAccountList, TelegramAccountView } from '../../api/types';
import { ACCOUNTS_PATH, pollInterval } from './account';

/**
 * The workspace's Telegram accounts, asked again every 5 s while one is
 * connecting or half-way through its login and every 30 s otherwise (the
 * list and an account's page share it).
 */
export function useAccounts() {
  return useApiQuery<TelegramAccountList>(ACCOUNTS_PATH, { refetchInterval: (q) => pollInterval(q.state.data) });
}

/** Writes an answer about one account into the cached list at once (the next poll confirms it). */
export function useAccountCache() {
  const client = useQueryClient();
  const put = useCallback(
    (a: TelegramAccountView) =>
      client.setQueryData<TelegramAccountList>(keyOf(ACCOUNTS_PATH), (old) => {
        const items = old?.items ?? [];
        return { items: items.some((x) => x.id === a.id) ? items.map((x) => (x.id === a.id ? a : x)) : [...items, a] };
      }),
    [client],
  );
  const drop = useCallback(
    (id: string) => client.setQueryData<TelegramAccountList>(keyOf(ACCOUNTS_PATH), (old) => ({ items: (old?.items ?? []).filter((x) => x.id !== id) })),
    [client],
  );
  return { put, drop };
}

import { describe, expect, it } from 'vitest';
import type { Notice } from '../../api/types';
import { i18n, setLanguage } from '../../i18n';
import { noticeText } from './notices';

const t = i18n.t.bind(i18n);

describe('B2B notices', () => {
  const own: Notice = { kind: 'match_found', params: { request_id: 'r1', request: 'Toyota RAV4 2019–2021', car: 'Toyota RAV4 2020', partner: null } };
  const partners: Notice = { kind: 'match_found', params: { request_id: 'r1', request: 'Toyota RAV4 2019–2021', car: 'Toyota RAV4 2020', partner: 'Kyiv Cars' } };
  const answered = (accepted: boolean): Notice => ({
    kind: 'offer_answered',
    params: { partner_id: 'ws1', request_id: 'r1', request: 'Toyota RAV4 2019–2021', partner: 'Demo Motors', accepted },
  });

  it('say whose car matched and how an offer was answered, in English and Ukrainian', async () => {
    expect(noticeText(t, own)).toBe('A car from your stock matches your request Toyota RAV4 2019–2021: Toyota RAV4 2020');
    expect(noticeText(t, partners)).toBe('Kyiv Cars has a car for your request Toyota RAV4 2019–2021: Toyota RAV4 2020');
    expect(noticeText(t, answered(true))).toBe('Demo Motors accepted your offer for the request Toyota RAV4 2019–2021');
    expect(noticeText(t, answered(false))).toBe('Demo Motors declined your offer for the request Toyota RAV4 2019–2021');
    await setLanguage('uk', false);
    expect(noticeText(t, partners)).toBe('Kyiv Cars має авто для вашого запиту Toyota RAV4 2019–2021: Toyota RAV4 2020');
    expect(noticeText(t, answered(true))).toBe('Demo Motors приймає вашу пропозицію на запит Toyota RAV4 2019–2021');
  });
});

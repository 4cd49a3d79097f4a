import { describe, expect, it } from 'vitest';
import { pieces } from './linkify';

describe('pieces', () => {
  it('finds links and phone numbers in a message', () => {
    expect(pieces('Call 067 123 45 67 or see https://cars.example/a/1.')).toEqual([
      { kind: 'text', text: 'Call ' },
      { kind: 'phone', text: '067 123 45 67', tel: '0671234567' },
      { kind: 'text', text: ' or see ' },
      { kind: 'link', text: 'https://cars.example/a/1', href: 'https://cars.example/a/1' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps a leading plus and reads www. as a web link', () => {
    expect(pieces('+380 (67) 123-45-67, www.auto.ua')).toEqual([
      { kind: 'phone', text: '+380 (67) 123-45-67', tel: '+380671234567' },
      { kind: 'text', text: ', ' },
      { kind: 'link', text: 'www.auto.ua', href: 'https://www.auto.ua' },
    ]);
  });

  it('leaves years, prices and short numbers as text', () => {
    expect(pieces('BMW 2019, 25 000 EUR')).toEqual([{ kind: 'text', text: 'BMW 2019, 25 000 EUR' }]);
    expect(pieces('RAV4 2019-2021 under $25k')).toEqual([{ kind: 'text', text: 'RAV4 2019-2021 under $25k' }]);
    expect(pieces('БМВ Х5 за 1 200 000 грн або 1.450.000')).toEqual([{ kind: 'text', text: 'БМВ Х5 за 1 200 000 грн або 1.450.000' }]);
  });

  it('still finds phones written in groups of three', () => {
    expect(pieces('067 123 456 7')[0]).toEqual({ kind: 'phone', text: '067 123 456 7', tel: '0671234567' });
    expect(pieces('+380 671 234 567')[0]).toEqual({ kind: 'phone', text: '+380 671 234 567', tel: '+380671234567' });
  });
});

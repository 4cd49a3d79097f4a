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
  });
});

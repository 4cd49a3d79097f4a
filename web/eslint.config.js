// `npm run lint`: every text a user sees goes through a translation key.
// eslint-plugin-i18next reports text written straight into JSX — between
// tags, in a string or template inside JSX, and in the attributes a user
// reads (labels, titles, placeholders, alt texts, hints).
import i18next from 'eslint-plugin-i18next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** The props and attributes whose value a user reads or hears. */
const USER_FACING = [
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
  'confirmLabel',
  'emptyLabel',
  'hint',
  'subtitle',
  'errorTitle',
  'loading',
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/api/schema.d.ts'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    languageOptions: { parser: tseslint.parser },
    plugins: { i18next, 'react-hooks': reactHooks, '@typescript-eslint': tseslint.plugin },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': { exclude: [`^(?!(${USER_FACING.join('|')})$).*$`] },
          // Not words: numbers and punctuation, arrows and dashes, emoji.
          words: { exclude: ['^[\\s\\d!-/:-@\\[-`{-~·…—–→←×•]*$'] },
          callees: { exclude: ['t', 'i18n(ext)?\\.t', 'field', 'eg', 'formatNumber', 'join', 'startsWith', 'endsWith', 'includes', 'querySelector', 'closest'] },
        },
      ],
      'react-hooks/rules-of-hooks': 'error',
    },
  },
);

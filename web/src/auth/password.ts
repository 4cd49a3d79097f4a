// The server's rule for a new password (cartie_domain::validate::new_password),
// checked in the browser too so a short one is named before sending.
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

/** What is wrong with a new password and its confirmation, as `password:rules.*` keys; empty when nothing is. */
export function newPasswordProblems(password: string, confirm: string): { password?: string; confirm?: string } {
  const n = [...password].length;
  const out: { password?: string; confirm?: string } = {};
  if (n < MIN_PASSWORD) out.password = 'rules.tooShort';
  else if (n > MAX_PASSWORD) out.password = 'rules.tooLong';
  if (!confirm) out.confirm = 'rules.confirmMissing';
  else if (confirm !== password) out.confirm = 'rules.mismatch';
  return out;
}

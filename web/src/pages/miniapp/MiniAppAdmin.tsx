export function MiniAppAdmin() {
  return null;
}

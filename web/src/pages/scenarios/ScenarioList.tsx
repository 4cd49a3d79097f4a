export function ScenarioList() {
  return null;
}

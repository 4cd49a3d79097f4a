export function ScenarioEditor() {
  return null;
}

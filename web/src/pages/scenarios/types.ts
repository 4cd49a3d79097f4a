// Names for the scenario API shapes (aliases of the generated schema) and the
// editor's own, deliberately loose, model of a draft.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type ScenarioView = Schemas['ScenarioView'];
export type ScenarioSummary = Schemas['ScenarioSummary'];
export type ScenarioListResponse = Schemas['ScenarioList'];
export type CreateScenarioRequest = Schemas['CreateScenarioRequest'];
export type SaveScenarioRequest = Schemas['SaveScenarioRequest'];
export type TemplateList = Schemas['TemplateList'];
export type TemplateView = Schemas['TemplateView'];
export type ProblemView = Schemas['ProblemView'];
export type ScenarioVersionView = Schemas['ScenarioVersionView'];
export type ScenarioVersionList = Schemas['ScenarioVersionList'];
export type ScenarioAnalytics = Schemas['ScenarioAnalytics'];
export type NodeStats = Schemas['NodeStats'];
export type TestChatRequest = Schemas['TestChatRequest'];
export type TestChatResponse = Schemas['TestChatResponse'];
export type TestReply = Schemas['TestReply'];
export type TestButton = Schemas['TestButton'];
export type TestInputKind = Schemas['TestInputKind'];
export type ApiScenario = Schemas['Scenario'];
export type TriggerKind = Schemas['TriggerKind'];
export type Op = Schemas['Op'];
export type AnswerKind = Schemas['AnswerKind'];
export type MediaKind = Schemas['MediaKind'];
export type ContactRequest = Schemas['ContactRequest'];
export type StepKind = Schemas['Step']['kind'];

/**
 * A step as the editor holds it: the API's tagged `Step`, but read through
 * safe getters only, so a node saved by an older or newer editor (an unknown
 * kind, a field of the wrong type) is shown and kept, never a crash.
 */
export type LooseStep = { kind: string } & Record<string, unknown>;

export interface Position {
  x: number;
  y: number;
}

export interface EditorNode {
  id: string;
  position: Position;
  step: LooseStep;
  [extra: string]: unknown;
}

export interface EditorTrigger {
  kind: string;
  value: string;
  node: string;
  [extra: string]: unknown;
}

export interface Draft {
  triggers: EditorTrigger[];
  nodes: EditorNode[];
}

/** Everything the editor saves: what undo/redo steps through. */
export interface EditorDoc {
  name: string;
  bot_ids: number[];
  draft: Draft;
}

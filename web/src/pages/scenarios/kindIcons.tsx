import {
  CircleStop,
  CornerDownRight,
  Car,
  FilePlus,
  GitBranch,
  Hand,
  HelpCircle,
  Megaphone,
  MessageSquare,
  Search,
  Smartphone,
  Split,
  Timer,
  TriangleAlert,
  type LucideIcon,
} from 'lucide-react';

/** The icon of each kind of step (palette, nodes, the properties panel). */
const ICONS: Record<string, LucideIcon> = {
  message: MessageSquare,
  question: HelpCircle,
  condition: GitBranch,
  delay: Timer,
  search: Search,
  create_request: FilePlus,
  channel_post: Megaphone,
  offer: Car,
  handoff: Hand,
  split: Split,
  ask_contact: Smartphone,
  jump: CornerDownRight,
  end: CircleStop,
};

export function KindIcon({ kind, size = 14 }: { kind: string; size?: number }) {
  const Icon = ICONS[kind] ?? TriangleAlert;
  return <Icon size={size} aria-hidden="true" className="kind-icon" />;
}

import {
  Clapperboard,
  Contact,
  File,
  FileText,
  Film,
  Image,
  MapPin,
  MessageSquare,
  Mic,
  MousePointerClick,
  Music,
  Sticker,
  Video,
  type LucideIcon,
} from 'lucide-react';
import type { MessageKind } from '../../api/types';

/** The icon of each kind of message (the attach menu, reply quotes, file cards). */
export const KIND_ICONS: Partial<Record<MessageKind, LucideIcon>> = {
  text: MessageSquare,
  photo: Image,
  video: Clapperboard,
  animation: Film,
  sticker: Sticker,
  video_note: Video,
  voice: Mic,
  audio: Music,
  document: FileText,
  location: MapPin,
  contact: Contact,
  callback: MousePointerClick,
};

export function KindIcon({ kind, size = 16 }: { kind: MessageKind; size?: number }) {
  const Icon = KIND_ICONS[kind] ?? File;
  return <Icon size={size} aria-hidden="true" className="kind-icon" />;
}

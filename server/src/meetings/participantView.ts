import type { Participant } from '@konvent/protocol';
import type { LiveParticipant } from './MeetingDeps.ts';

/** A live participant as everyone in the meeting sees them (the wire `Participant`). */
export function participantView(p: LiveParticipant): Participant {
  return {
    id: p.id,
    displayName: p.displayName,
    role: p.role,
    presence: p.connectionId === undefined ? 'reconnecting' : 'online',
    joinedAt: p.joinedAt.toISOString(),
    microphone: p.microphone,
    camera: p.camera,
    screen: p.screen,
    mayShare: p.mayShare,
  };
}

import { accountDe } from './account.de.ts';
import { annotationsDe } from './annotations.de.ts';
import { adminDe } from './admin.de.ts';
import { auditDe } from './audit.de.ts';
import { authDe } from './auth.de.ts';
import { breakoutsDe } from './breakouts.de.ts';
import { chatDe } from './chat.de.ts';
import { commonDe } from './common.de.ts';
import type { Messages } from './en.ts';
import { invitationsDe } from './invitations.de.ts';
import { lobbyDe } from './lobby.de.ts';
import { minutesDe } from './minutes.de.ts';
import { mediaDe } from './media.de.ts';
import { locksDe } from './locks.de.ts';
import { meetingDe } from './meeting.de.ts';
import { policyDe } from './policy.de.ts';
import { prejoinDe } from './prejoin.de.ts';
import { presentationDe } from './presentation.de.ts';
import { reportsDe } from './reports.de.ts';
import { shareDe } from './share.de.ts';
import { startDe } from './start.de.ts';
import { whiteboardDe } from './whiteboard.de.ts';

/**
 * German UI strings, assembled from the per-area files; typed against the English catalogue
 * so no key can be missing.
 */
export const de: Messages = {
  ...commonDe,
  ...startDe,
  ...prejoinDe,
  ...meetingDe,
  ...chatDe,
  ...locksDe,
  ...lobbyDe,
  ...policyDe,
  ...invitationsDe,
  ...reportsDe,
  ...shareDe,
  ...presentationDe,
  ...mediaDe,
  ...whiteboardDe,
  ...annotationsDe,
  ...breakoutsDe,
  ...minutesDe,
  ...auditDe,
  ...authDe,
  ...accountDe,
  ...adminDe,
};

import { accountEn } from './account.en.ts';
import { annotationsEn } from './annotations.en.ts';
import { adminEn } from './admin.en.ts';
import { auditEn } from './audit.en.ts';
import { authEn } from './auth.en.ts';
import { breakoutsEn } from './breakouts.en.ts';
import { chatEn } from './chat.en.ts';
import { commonEn } from './common.en.ts';
import { invitationsEn } from './invitations.en.ts';
import { lobbyEn } from './lobby.en.ts';
import { minutesEn } from './minutes.en.ts';
import { mediaEn } from './media.en.ts';
import { locksEn } from './locks.en.ts';
import { meetingEn } from './meeting.en.ts';
import { policyEn } from './policy.en.ts';
import { prejoinEn } from './prejoin.en.ts';
import { presentationEn } from './presentation.en.ts';
import { reportsEn } from './reports.en.ts';
import { shareEn } from './share.en.ts';
import { startEn } from './start.en.ts';
import { whiteboardEn } from './whiteboard.en.ts';

/**
 * English UI strings, one file per area (`<area>.en.ts`) so that each stays readable. This
 * catalogue defines the set of keys: `de.ts` must provide exactly the same keys (a missing
 * or extra key is a type error). `{name}` placeholders are filled by `t(key, { name })`.
 */
export const en = {
  ...commonEn,
  ...startEn,
  ...prejoinEn,
  ...meetingEn,
  ...chatEn,
  ...locksEn,
  ...lobbyEn,
  ...policyEn,
  ...invitationsEn,
  ...reportsEn,
  ...shareEn,
  ...presentationEn,
  ...mediaEn,
  ...whiteboardEn,
  ...annotationsEn,
  ...breakoutsEn,
  ...minutesEn,
  ...auditEn,
  ...authEn,
  ...accountEn,
  ...adminEn,
} as const satisfies Record<string, string>;

/** A key of the UI string catalogue. */
export type MessageKey = keyof typeof en;

/** A complete catalogue for one language: every key, no more, no fewer. */
export type Messages = Record<MessageKey, string>;

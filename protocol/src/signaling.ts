import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { ErrorBody } from './errors.ts';
import {
  AssignableRole,
  ChatMessage,
  Id,
  LobbyEntry,
  MediaSource,
  MeetingInfo,
  MeetingLocks,
  MeetingPolicy,
  Participant,
  ParticipantReport,
  ReportAnswer,
  ReportReason,
  SharedMediaState,
  ShownPresentation,
} from './model.ts';
import {
  MAX_WHITEBOARD_ELEMENTS_PER_UPDATE,
  WhiteboardElement,
  WhiteboardState,
} from './whiteboard.ts';
import { AnnotationPage, AnnotationStroke, AnnotationStrokeInput } from './annotations.ts';
import { BREAKOUT_NOTIFICATIONS, BREAKOUT_REQUESTS, BreakoutState } from './breakouts.ts';
import { MINUTES_NOTIFICATIONS, MINUTES_REQUESTS, MinutesState } from './minutes.ts';

/**
 * mediasoup parameter objects (RTP capabilities, RTP and DTLS parameters) are validated
 * structurally here (a plain JSON object of bounded size) and semantically by mediasoup,
 * which rejects anything it cannot use.
 */
const MediasoupObject = Type.Object({}, { additionalProperties: true });

/** Largest signalling frame the server accepts, in bytes. Larger frames close the socket. */
export const MAX_SIGNALING_FRAME_BYTES = 64 * 1024;
/** Longest chat message, in characters. */
export const MAX_CHAT_TEXT = 4000;

/** Longest message a moderator can show the lobby, in characters. */
export const MAX_LOBBY_MESSAGE = 500;

const Empty = Type.Object({}, { additionalProperties: false });

/** Whom a lobby decision is about: listed people, or everyone waiting (`all: true`). */
const LobbySelection = Type.Union([
  Type.Object(
    { participantIds: Type.Array(Id, { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);
const Ok = Type.Object({}, { additionalProperties: false });

/** Every request a client may send: method name → request data and response data schemas. */
export const REQUESTS = {
  /** Tell the server what the browser's device can receive; consumers follow. */
  'media.setRtpCapabilities': {
    request: Type.Object({ rtpCapabilities: MediasoupObject }, { additionalProperties: false }),
    response: Ok,
  },
  /** Create a WebRTC transport for sending or receiving. */
  'media.createTransport': {
    request: Type.Object(
      { direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]) },
      { additionalProperties: false },
    ),
    response: Type.Object({
      id: Type.String(),
      iceParameters: MediasoupObject,
      iceCandidates: Type.Array(MediasoupObject),
      dtlsParameters: MediasoupObject,
    }),
  },
  /** Finish the DTLS handshake of a transport. */
  'media.connectTransport': {
    request: Type.Object(
      { transportId: Type.String({ maxLength: 64 }), dtlsParameters: MediasoupObject },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Start sending a microphone, camera or screen-share track. */
  'media.produce': {
    request: Type.Object(
      {
        transportId: Type.String({ maxLength: 64 }),
        kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
        source: MediaSource,
        rtpParameters: MediasoupObject,
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ producerId: Type.String() }),
  },
  /** Pause (mute) or resume one of my producers; everyone sees the new state. */
  'media.setProducerPaused': {
    request: Type.Object(
      { producerId: Type.String({ maxLength: 64 }), paused: Type.Boolean() },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Stop one of my producers for good. */
  'media.closeProducer': {
    request: Type.Object(
      { producerId: Type.String({ maxLength: 64 }) },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Whether the tile showing a consumer is visible; invisible consumers are paused. */
  'media.setConsumerVisible': {
    request: Type.Object(
      { consumerId: Type.String({ maxLength: 64 }), visible: Type.Boolean() },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Ask for a simulcast layer (0 = lowest) for a video consumer, e.g. by tile size. */
  'media.setPreferredLayers': {
    request: Type.Object(
      {
        consumerId: Type.String({ maxLength: 64 }),
        spatialLayer: Type.Integer({ minimum: 0, maximum: 2 }),
      },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Send a chat message to everyone, or privately to one participant (`to`). */
  'chat.send': {
    request: Type.Object(
      { text: Type.String({ minLength: 1, maxLength: MAX_CHAT_TEXT }), to: Type.Optional(Id) },
      { additionalProperties: false },
    ),
    response: Type.Object({ message: ChatMessage }),
  },
  /**
   * Delete a chat message (moderators only). It disappears for everyone who could see it
   * (`chat.deleted`), never comes back in history, and its text is erased at rest.
   */
  'moderation.deleteChat': {
    request: Type.Object({ messageId: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /** Leave the meeting; the server closes the socket after answering. */
  'meeting.leave': { request: Empty, response: Ok },
  /** End the meeting for everyone (moderators only). */
  'meeting.end': { request: Empty, response: Ok },
  /** Mute one participant: the server pauses their microphone (moderators only). */
  'moderation.mute': {
    request: Type.Object({ participantId: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /** Mute everyone but the caller (moderators only). */
  'moderation.muteAll': { request: Empty, response: Ok },
  /** Stop one participant's camera: the server closes its producer (moderators only). */
  'moderation.stopCamera': {
    request: Type.Object({ participantId: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /**
   * Ask the moderators for the right to share my screen (anyone who may not share yet);
   * moderators receive `share.requested`.
   */
  'share.request': { request: Empty, response: Ok },
  /**
   * Grant or revoke someone's right to share their screen (moderators only); revoking
   * stops a share they are running unless their role lets them share anyway.
   */
  'moderation.allowShare': {
    request: Type.Object(
      { participantId: Id, allowed: Type.Boolean() },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Stop someone's screen share: the server closes its producer (moderators only). */
  'moderation.stopShare': {
    request: Type.Object({ participantId: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /**
   * Change whiteboard elements (only the changed ones; moderators, presenters and people a
   * moderator allowed to draw). Merged by version; the others receive `whiteboard.changed`.
   */
  'whiteboard.update': {
    request: Type.Object(
      {
        elements: Type.Array(WhiteboardElement, {
          minItems: 1,
          maxItems: MAX_WHITEBOARD_ELEMENTS_PER_UPDATE,
        }),
      },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Grant or revoke someone's right to draw on the whiteboard (moderators only). */
  'moderation.allowDraw': {
    request: Type.Object(
      { participantId: Id, allowed: Type.Boolean() },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Remove a participant; with `ban`, their browser cannot join this meeting again. */
  'moderation.remove': {
    request: Type.Object(
      { participantId: Id, ban: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Give a participant another role (moderators only; the last moderator stays one). */
  'moderation.setRole': {
    request: Type.Object(
      { participantId: Id, role: AssignableRole },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /**
   * Changes some of the meeting's locks (moderators only); the others stay as they are.
   * Everyone receives `meeting.locksChanged` with the full state.
   */
  'moderation.setLocks': {
    request: Type.Object(
      { locks: Type.Partial(MeetingLocks, { additionalProperties: false }) },
      { additionalProperties: false },
    ),
    response: Type.Object({ locks: MeetingLocks }),
  },
  /**
   * Admit people waiting in the lobby (moderators only): the listed ones, or with `all`
   * everyone waiting. Unknown or no-longer-waiting ids are skipped; the answer names who
   * was admitted.
   */
  'lobby.admit': {
    request: LobbySelection,
    response: Type.Object({ admitted: Type.Array(Id) }),
  },
  /** Deny people waiting in the lobby (moderators only); they are told and their socket closes. */
  'lobby.deny': {
    request: LobbySelection,
    response: Type.Object({ denied: Type.Array(Id) }),
  },
  /** Show everyone waiting in the lobby a message (moderators only); empty text clears it. */
  'lobby.message': {
    request: Type.Object(
      { text: Type.String({ maxLength: MAX_LOBBY_MESSAGE }) },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Report another participant to the meeting's moderators (anyone in the meeting). */
  'meeting.report': {
    request: Type.Object(
      {
        participantId: Id,
        reason: ReportReason,
        text: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ reportId: Id }),
  },
  /**
   * Answer a report (moderators only): dismiss it, or mute, remove or ban the reported
   * participant. The reporter is told the report was handled (not how).
   */
  'moderation.answerReport': {
    request: Type.Object({ reportId: Id, answer: ReportAnswer }, { additionalProperties: false }),
    response: Ok,
  },
  /**
   * Show an uploaded presentation to everyone, or turn its page (presenters and
   * moderators). Everyone receives `presentation.changed`.
   */
  'presentation.show': {
    request: Type.Object(
      { presentationId: Id, page: Type.Integer({ minimum: 1, maximum: 100_000 }) },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Stop showing the presentation (presenters and moderators). */
  'presentation.close': { request: Empty, response: Ok },
  /**
   * Shared media (presenters and moderators): show an uploaded audio or video file to
   * everyone, paused at the start. Everyone receives `media.changed`.
   */
  'media.show': {
    request: Type.Object({ mediaId: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /**
   * Play, pause or seek the shown media for everyone (presenters and moderators). `position`
   * (seconds) is where to play or pause from; without it, from where it is now.
   */
  'media.control': {
    request: Type.Object(
      {
        action: Type.Union([Type.Literal('play'), Type.Literal('pause'), Type.Literal('seek')]),
        position: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
      },
      { additionalProperties: false },
    ),
    response: Ok,
  },

  // Annotations on presentation pages (issue 6, item 4). Only on the presentation shown now
  // (any of its pages); who may draw on the whiteboard may annotate. Everyone receives
  // `annotation.added`/`removed`/`cleared`; the shown page's strokes come with the welcome
  // and every `presentation.changed`.
  /** Add a stroke to a page; the answer is the stroke as stored (author, time). */
  'annotation.add': {
    request: Type.Object(
      { ...AnnotationPage, stroke: AnnotationStrokeInput },
      { additionalProperties: false },
    ),
    response: Type.Object({ stroke: AnnotationStroke }),
  },
  /** Remove one stroke: one's own, or anyone's for presenters and moderators. */
  'annotation.remove': {
    request: Type.Object(
      { ...AnnotationPage, strokeId: AnnotationStrokeInput.properties.id },
      { additionalProperties: false },
    ),
    response: Ok,
  },
  /** Stop showing the media (presenters and moderators). */
  'media.close': { request: Empty, response: Ok },
  /**
   * The server's clock (ms since the epoch), which shared media positions refer to: a
   * client asks a few times and keeps the answer with the shortest round trip.
   */
  'media.clock': { request: Empty, response: Type.Object({ now: Type.Number() }) },
  /** Remove every stroke of a page (presenters and moderators; audited). */
  'annotation.clear': {
    request: Type.Object({ ...AnnotationPage }, { additionalProperties: false }),
    response: Ok,
  },
  ...BREAKOUT_REQUESTS,
  ...MINUTES_REQUESTS,
} as const satisfies Record<string, { request: TSchema; response: TSchema }>;

/** A signalling method name. */
export type Method = keyof typeof REQUESTS;
/** All method names. */
export const METHODS = Object.keys(REQUESTS) as Method[];
/** The data a client sends with a method. */
export type RequestData<M extends Method> = Static<(typeof REQUESTS)[M]['request']>;
/** The data the server answers a method with. */
export type ResponseData<M extends Method> = Static<(typeof REQUESTS)[M]['response']>;

/** Every notification the server pushes: name → data schema. */
export const NOTIFICATIONS = {
  /** First frame on a new socket: who I am, who is here, recent chat and the router's capabilities. */
  'session.welcome': Type.Object({
    self: Participant,
    meeting: MeetingInfo,
    participants: Type.Array(Participant),
    chat: Type.Array(ChatMessage),
    /** What is locked for participants who are not moderators. */
    locks: MeetingLocks,
    routerRtpCapabilities: MediasoupObject,
    /** Moderators only: the admission policy, who waits in the lobby, and open reports. */
    policy: Type.Optional(MeetingPolicy),
    lobby: Type.Optional(Type.Array(LobbyEntry)),
    lobbyMessage: Type.Optional(Type.String()),
    reports: Type.Optional(Type.Array(ParticipantReport)),
    /** Moderators only: who asked to share their screen and has no answer yet, oldest first. */
    shareRequests: Type.Optional(Type.Array(Id)),
    /** The presentation shown now, on its current page (absent when none is). */
    presentation: Type.Optional(ShownPresentation),
    /** The shared media shown now, and where it plays (absent when none is). */
    media: Type.Optional(SharedMediaState),
    /** The whiteboard: every element and who may draw besides moderators and presenters. */
    whiteboard: Type.Optional(WhiteboardState),
    /** The strokes on the shown presentation's current page (with `presentation`). */
    annotations: Type.Optional(Type.Array(AnnotationStroke)),
    /** The main meeting's running breakout rooms (absent when none run, and in a room). */
    breakout: Type.Optional(BreakoutState),
    /** Set in a breakout room: the main meeting's id and when the room closes. */
    room: Type.Optional(Type.Object({ parentId: Id, endsAt: Type.String() })),
    /** The notes, decisions and action items, and who takes the minutes. */
    minutes: Type.Optional(MinutesState),
  }),
  'participant.joined': Type.Object({ participant: Participant }),
  'participant.updated': Type.Object({ participant: Participant }),
  'participant.left': Type.Object({ participantId: Id }),
  /** A new consumer, created paused; the client resumes it by reporting its tile visible. */
  'media.newConsumer': Type.Object({
    consumerId: Type.String(),
    producerId: Type.String(),
    participantId: Id,
    kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
    source: MediaSource,
    rtpParameters: MediasoupObject,
    producerPaused: Type.Boolean(),
  }),
  'media.consumerClosed': Type.Object({ consumerId: Type.String() }),
  /** The sender paused or resumed the producer behind a consumer. */
  'media.producerPaused': Type.Object({ consumerId: Type.String(), paused: Type.Boolean() }),
  'chat.message': Type.Object({ message: ChatMessage }),
  /**
   * A moderator deleted a chat message: to everyone who could see it (everyone for a public
   * message; sender and recipient for a private one). The client removes it from its list.
   */
  'chat.deleted': Type.Object({ messageId: Id }),
  /**
   * To moderators: who waits in the lobby now (the full list, oldest first) and the
   * moderators' message to them (absent when there is none).
   */
  'lobby.changed': Type.Object({
    waiting: Type.Array(LobbyEntry),
    message: Type.Optional(Type.String()),
  }),
  /** To moderators: the policy changed (by the organiser or another moderator). */
  'meeting.policyChanged': Type.Object({ policy: MeetingPolicy }),
  /** To moderators: a participant reported another. */
  'moderation.reported': Type.Object({ report: ParticipantReport }),
  /** To moderators: a report was answered (by them or another moderator) and is closed. */
  'moderation.reportClosed': Type.Object({ reportId: Id }),
  /** To moderators: a participant asks for the right to share their screen. */
  'share.requested': Type.Object({ participantId: Id }),
  /** To everyone else: whiteboard elements someone (`from`) changed, already merged. */
  'whiteboard.changed': Type.Object({ elements: Type.Array(WhiteboardElement), from: Id }),
  /** To everyone: a moderator granted or revoked someone's right to draw. */
  'whiteboard.allowed': Type.Object({ participantId: Id, allowed: Type.Boolean() }),
  /** To the reporter: a moderator handled their report. */
  'moderation.reportAnswered': Type.Object({ reportId: Id }),
  /**
   * The first and only kind of frame a socket of someone waiting in the lobby receives
   * (besides the outcome): the moderators' lobby message, if any. Nothing about the meeting
   * (participants, chat, media, locks) reaches the lobby.
   */
  'lobby.waiting': Type.Object({ message: Type.Optional(Type.String()) }),
  /** To the person waiting: a moderator let them in; the socket closes (`admitted`), reconnect. */
  'lobby.admitted': Type.Object({}),
  /** To everyone: a presentation is shown, turned to another page, or closed (`null`). */
  'presentation.changed': Type.Object({
    presentation: Type.Union([ShownPresentation, Type.Null()]),
    /** The strokes on the page shown now (present whenever `presentation` is). */
    annotations: Type.Optional(Type.Array(AnnotationStroke)),
  }),
  /** To everyone: shared media is shown, played, paused, moved, or closed (`null`). */
  'media.changed': Type.Object({ media: Type.Union([SharedMediaState, Type.Null()]) }),
  /** To everyone: a stroke was added to a page of the shown presentation. */
  'annotation.added': Type.Object({ ...AnnotationPage, stroke: AnnotationStroke }),
  /** To everyone: a stroke was removed. */
  'annotation.removed': Type.Object({
    ...AnnotationPage,
    strokeId: AnnotationStrokeInput.properties.id,
  }),
  /** To everyone: every stroke of a page was removed. */
  'annotation.cleared': Type.Object({ ...AnnotationPage }),
  /** A moderator changed the meeting's locks; the full new state, to everyone. */
  'meeting.locksChanged': Type.Object({ locks: MeetingLocks }),
  /**
   * To the participant only: a moderator muted their microphone (the producer is paused;
   * they may unmute) or stopped their camera or screen share (the producer is closed; also
   * when a lock, role change or revoked right ends a share). The client stops the track, so
   * nothing is captured any more.
   */
  'moderation.sourceStopped': Type.Object({ source: MediaSource }),
  /**
   * The meeting ended (by a moderator), this session left or was replaced, or a moderator
   * removed this participant; the socket closes next.
   */
  'meeting.ended': Type.Object({
    reason: Type.Union([
      Type.Literal('ended'),
      Type.Literal('left'),
      Type.Literal('replaced'),
      Type.Literal('removed'),
      Type.Literal('banned'),
      Type.Literal('denied'),
      /** A breakout room closed (time up or ended by a moderator): back to the main room. */
      Type.Literal('breakout_ended'),
      /** A moderator moved me to another breakout room or back to the main room. */
      Type.Literal('moved'),
    ]),
  }),
  ...BREAKOUT_NOTIFICATIONS,
  ...MINUTES_NOTIFICATIONS,
} as const satisfies Record<string, TSchema>;

/** A notification name. */
export type NotificationName = keyof typeof NOTIFICATIONS;
/** The data of a notification. */
export type NotificationData<N extends NotificationName> = Static<(typeof NOTIFICATIONS)[N]>;

/** A request frame, client → server. */
export const RequestFrame = Type.Object(
  {
    id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    method: Type.String({ maxLength: 64 }),
    data: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);
export type RequestFrame = Static<typeof RequestFrame>;

/** A response frame, server → client. `id` is null when the request was too malformed to carry one. */
export type ResponseFrame =
  { id: number; ok: true; data: unknown } | { id: number | null; ok: false; error: ErrorBody };

/** A notification frame, server → client. */
export interface NotificationFrame<N extends NotificationName = NotificationName> {
  notification: N;
  data: NotificationData<N>;
}

/** WebSocket close codes the server uses (4000–4999 are application codes). */
export const CLOSE_CODES = {
  normal: 1000,
  /** The server is shutting down; reconnect (possibly to another process). */
  goingAway: 1001,
  /** A text frame that is not valid UTF-8 (closed by the WebSocket layer). */
  invalidPayload: 1007,
  policy: 1008,
  tooLarge: 1009,
  /** Unexpected server error; reconnect after a pause. */
  internal: 1011,
  /** The meeting's media server was lost; reconnect to rebuild media. */
  restart: 1012,
  /** The server is at its connection limit; try again later. */
  tryAgainLater: 1013,
  unauthenticated: 4401,
  /** The account session the socket was opened under was signed out, revoked or disabled. */
  sessionEnded: 4403,
  /** A moderator removed this participant from the meeting; the session is dead. */
  removed: 4406,
  /** A moderator denied this person waiting in the lobby; the session is dead. */
  denied: 4407,
  /** A moderator admitted this person from the lobby: open a new socket to enter. */
  admitted: 4200,
  meetingEnded: 4410,
  abuse: 4429,
  replaced: 4409,
} as const;

/**
 * What each signalling method does. Handlers receive data already validated against the
 * method's schema, and the caller's identity only from the authenticated session.
 */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import type { MediaService, PeerRef } from '../media/MediaService.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';
import { BREAKOUT_HANDLERS } from './breakoutHandlers.ts';
import { MINUTES_HANDLERS } from './minutesHandlers.ts';

/** What a handler may use. */
export interface HandlerContext {
  session: Session;
  peer: PeerRef;
  meetings: MeetingService;
  media: MediaService;
}

type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

const OK = {} as const;

const HANDLERS: { [M in Method]: Handler<M> } = {
  'media.setRtpCapabilities': (ctx, data) => {
    ctx.media.setRtpCapabilities(ctx.peer, data);
    return Promise.resolve(OK);
  },
  'media.createTransport': (ctx, data) => ctx.media.createTransport(ctx.peer, data),
  'media.connectTransport': async (ctx, data) => {
    await ctx.media.connectTransport(ctx.peer, data);
    return OK;
  },
  'media.produce': async (ctx, data) => {
    // Locks are the domain's: asked before media is touched (never trusting the client).
    await ctx.meetings.assertMaySend(ctx.session, data.source);
    const reply = await ctx.media.produce(ctx.peer, data);
    // A lock that landed while mediasoup worked found no producer to stop: stop it here.
    try {
      await ctx.meetings.assertMaySend(ctx.session, data.source);
    } catch (error) {
      ctx.media.closeProducer(ctx.peer, reply);
      throw error;
    }
    return reply;
  },
  'media.setProducerPaused': async (ctx, data) => {
    if (!data.paused) {
      const source = ctx.media.producerSource(ctx.peer, data.producerId);
      await ctx.meetings.assertMaySend(ctx.session, source);
    }
    await ctx.media.setProducerPaused(ctx.peer, data);
    return OK;
  },
  'media.closeProducer': (ctx, data) => {
    ctx.media.closeProducer(ctx.peer, data);
    return Promise.resolve(OK);
  },
  'media.setConsumerVisible': async (ctx, data) => {
    await ctx.media.setConsumerVisible(ctx.peer, data);
    return OK;
  },
  'media.setPreferredLayers': async (ctx, data) => {
    await ctx.media.setPreferredLayers(ctx.peer, data);
    return OK;
  },
  'chat.send': async (ctx, data) => ({
    message: await ctx.meetings.sendChat(ctx.session, data.text, data.to),
  }),
  'moderation.deleteChat': async (ctx, data) => {
    await ctx.meetings.deleteChat(ctx.session, data.messageId);
    return OK;
  },
  'meeting.leave': async (ctx) => {
    await ctx.meetings.leave(ctx.session);
    return OK;
  },
  'meeting.end': async (ctx) => {
    await ctx.meetings.end(ctx.session);
    return OK;
  },
  'moderation.mute': async (ctx, data) => {
    await ctx.meetings.mute(ctx.session, data.participantId);
    return OK;
  },
  'moderation.muteAll': async (ctx) => {
    await ctx.meetings.muteAll(ctx.session);
    return OK;
  },
  'moderation.stopCamera': async (ctx, data) => {
    await ctx.meetings.stopCamera(ctx.session, data.participantId);
    return OK;
  },
  'share.request': async (ctx) => {
    await ctx.meetings.requestShare(ctx.session);
    return OK;
  },
  'moderation.allowShare': async (ctx, data) => {
    await ctx.meetings.allowShare(ctx.session, data.participantId, data.allowed);
    return OK;
  },
  'moderation.stopShare': async (ctx, data) => {
    await ctx.meetings.stopShare(ctx.session, data.participantId);
    return OK;
  },
  'whiteboard.update': async (ctx, data) => {
    await ctx.meetings.updateWhiteboard(ctx.session, data.elements);
    return OK;
  },
  'moderation.allowDraw': async (ctx, data) => {
    await ctx.meetings.allowDraw(ctx.session, data.participantId, data.allowed);
    return OK;
  },
  'moderation.remove': async (ctx, data) => {
    await ctx.meetings.remove(ctx.session, data.participantId, data.ban ?? false);
    return OK;
  },
  'moderation.setRole': async (ctx, data) => {
    await ctx.meetings.setRole(ctx.session, data.participantId, data.role);
    return OK;
  },
  'moderation.setLocks': async (ctx, data) => ({
    locks: await ctx.meetings.setLocks(ctx.session, data.locks),
  }),
  'lobby.admit': async (ctx, data) => ({
    admitted: await ctx.meetings.admitFromLobby(ctx.session, selectionOf(data)),
  }),
  'lobby.deny': async (ctx, data) => ({
    denied: await ctx.meetings.denyFromLobby(ctx.session, selectionOf(data)),
  }),
  'lobby.message': async (ctx, data) => {
    await ctx.meetings.setLobbyMessage(ctx.session, data.text);
    return OK;
  },
  'meeting.report': async (ctx, data) => ({
    reportId: await ctx.meetings.report(ctx.session, data.participantId, data.reason, data.text),
  }),
  'moderation.answerReport': async (ctx, data) => {
    await ctx.meetings.answerReport(ctx.session, data.reportId, data.answer);
    return OK;
  },
  'presentation.show': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    await ctx.meetings.content.presentations.show(
      participantId,
      meetingId,
      data.presentationId,
      data.page,
    );
    return OK;
  },
  'presentation.close': async (ctx) => {
    await ctx.meetings.content.presentations.close(
      ctx.session.participantId,
      ctx.session.meetingId,
    );
    return OK;
  },
  'media.show': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    await ctx.meetings.content.media.show(participantId, meetingId, data.mediaId);
    return OK;
  },
  'media.control': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    await ctx.meetings.content.media.control(participantId, meetingId, data.action, data.position);
    return OK;
  },
  'media.close': async (ctx) => {
    await ctx.meetings.content.media.close(ctx.session.participantId, ctx.session.meetingId);
    return OK;
  },
  'media.clock': (ctx) => Promise.resolve({ now: ctx.meetings.content.media.now() }),
  'annotation.add': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    const { presentationId, page, stroke } = data;
    return {
      stroke: await ctx.meetings.content.annotations.add(
        participantId,
        meetingId,
        presentationId,
        page,
        stroke,
      ),
    };
  },
  'annotation.remove': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    const { presentationId, page, strokeId } = data;
    await ctx.meetings.content.annotations.remove(
      participantId,
      meetingId,
      presentationId,
      page,
      strokeId,
    );
    return OK;
  },
  'annotation.clear': async (ctx, data) => {
    const { participantId, meetingId } = ctx.session;
    await ctx.meetings.content.annotations.clear(
      participantId,
      meetingId,
      data.presentationId,
      data.page,
    );
    return OK;
  },
  ...BREAKOUT_HANDLERS,
  ...MINUTES_HANDLERS,
};

/** Runs a method's handler. `data` must have passed the method's schema. */
export async function dispatch<M extends Method>(
  ctx: HandlerContext,
  method: M,
  data: unknown,
): Promise<ResponseData<M>> {
  const handler = HANDLERS[method] as Handler<M>;
  return handler(ctx, data as RequestData<M>);
}

/** Listed people, or everyone waiting. */
function selectionOf(data: RequestData<'lobby.admit'>): readonly string[] | 'all' {
  return 'all' in data ? 'all' : data.participantIds;
}

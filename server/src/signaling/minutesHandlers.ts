/** What the minutes methods do: the minutes desk of the meetings domain decides. */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import type { HandlerContext } from './handlers.ts';

type MinutesMethod = Extract<Method, `minutes.${string}`>;
type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

export const MINUTES_HANDLERS: { [M in MinutesMethod]: Handler<M> } = {
  'minutes.update': async (ctx, data) => {
    const { session } = ctx;
    await ctx.meetings.minutes.update(session.participantId, session.meetingId, data.update);
    return {};
  },
  'minutes.addItem': async (ctx, data) => {
    const { session } = ctx;
    const item = await ctx.meetings.minutes.addItem(session.participantId, session.meetingId, data);
    return { item };
  },
  'minutes.updateItem': async (ctx, data) => {
    const { session } = ctx;
    const { id, ...changes } = data;
    const item = await ctx.meetings.minutes.updateItem(
      session.participantId,
      session.meetingId,
      id,
      changes,
    );
    return { item };
  },
  'minutes.removeItem': async (ctx, data) => {
    const { session } = ctx;
    await ctx.meetings.minutes.removeItem(session.participantId, session.meetingId, data.id);
    return {};
  },
  'minutes.appoint': async (ctx, data) => {
    const { session } = ctx;
    await ctx.meetings.minutes.appoint(
      session.participantId,
      session.meetingId,
      data.participantId,
      data.taker,
    );
    return {};
  },
};

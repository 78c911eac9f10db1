/** What the breakout methods do: each is the breakout desk's operation for the caller. */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import type { HandlerContext } from './handlers.ts';

type BreakoutMethod = Extract<Method, `breakout.${string}`>;
type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

const OK = {} as const;

export const BREAKOUT_HANDLERS: { [M in BreakoutMethod]: Handler<M> } = {
  'breakout.start': async ({ meetings, session }, data) => ({
    breakout: await meetings.breakouts.start(session.participantId, session.meetingId, data),
  }),
  'breakout.move': async ({ meetings, session }, data) => {
    await meetings.breakouts.move(
      session.participantId,
      session.meetingId,
      data.participantId,
      data.roomId,
    );
    return OK;
  },
  'breakout.choose': async ({ meetings, session }, data) => {
    await meetings.breakouts.choose(session.participantId, session.meetingId, data.roomId);
    return OK;
  },
  'breakout.broadcast': async ({ meetings, session }, data) => {
    await meetings.breakouts.broadcast(session.participantId, session.meetingId, data.text);
    return OK;
  },
  'breakout.end': async ({ meetings, session }) => {
    await meetings.breakouts.end(session.participantId, session.meetingId);
    return OK;
  },
};

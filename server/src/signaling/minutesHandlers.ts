/** What the minutes methods do: each is the minutes desk's operation for the caller. */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import type { HandlerContext } from './handlers.ts';

type MinutesMethod = Extract<Method, `minutes.${string}`>;
type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

const OK = {} as const;

export const MINUTES_HANDLERS: { [M in MinutesMethod]: Handler<M> } = {
  'minutes.update': async ({ meetings, session }, data) => {
    await meetings.minutes.update(session.participantId, session.meetingId, data.update);
    return OK;
  },
  'minutes.addItem': async ({ meetings, session }, data) => ({
    item: await meetings.minutes.addItem(session.participantId, session.meetingId, data),
  }),
  'minutes.updateItem': async ({ meetings, session }, { id, ...changes }) => ({
    item: await meetings.minutes.updateItem(session.participantId, session.meetingId, id, changes),
  }),
  'minutes.removeItem': async ({ meetings, session }, data) => {
    await meetings.minutes.removeItem(session.participantId, session.meetingId, data.id);
    return OK;
  },
  'minutes.appoint': async ({ meetings, session }, data) => {
    await meetings.minutes.appoint(
      session.participantId,
      session.meetingId,
      data.participantId,
      data.taker,
    );
    return OK;
  },
};

/** What the minutes methods do (placeholder until the minutes land). */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { HandlerContext } from './handlers.ts';

type MinutesMethod = Extract<Method, `minutes.${string}`>;
type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

const notYet = () => Promise.reject(new AppError('unavailable', 'Minutes are not available yet.'));

export const MINUTES_HANDLERS: { [M in MinutesMethod]: Handler<M> } = {
  'minutes.update': notYet,
  'minutes.addItem': notYet,
  'minutes.updateItem': notYet,
  'minutes.removeItem': notYet,
  'minutes.appoint': notYet,
};

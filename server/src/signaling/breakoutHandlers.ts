/** What the breakout methods do (placeholder until the breakouts land). */
import type { Method, RequestData, ResponseData } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { HandlerContext } from './handlers.ts';

type BreakoutMethod = Extract<Method, `breakout.${string}`>;
type Handler<M extends Method> = (
  ctx: HandlerContext,
  data: RequestData<M>,
) => Promise<ResponseData<M>>;

const notYet = () =>
  Promise.reject(new AppError('unavailable', 'Breakout rooms are not available yet.'));

export const BREAKOUT_HANDLERS: { [M in BreakoutMethod]: Handler<M> } = {
  'breakout.start': notYet,
  'breakout.move': notYet,
  'breakout.choose': notYet,
  'breakout.broadcast': notYet,
  'breakout.end': notYet,
};

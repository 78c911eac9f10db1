import type { MinutesListReply, MinutesRecord } from '@konvent/protocol';
import { request } from './request.ts';

/** `GET /api/minutes`: the minutes the signed-in account may read, newest meeting first. */
export function fetchMyMinutes(): Promise<MinutesListReply> {
  return request('GET', '/api/minutes');
}

/** `GET /api/meetings/:meetingId/minutes`: one meeting's minutes (notes as plain text). */
export function fetchMinutes(meetingId: string): Promise<MinutesRecord> {
  return request('GET', `/api/meetings/${encodeURIComponent(meetingId)}/minutes`);
}

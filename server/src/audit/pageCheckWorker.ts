/**
 * The worker thread of `PageCheckPool`: runs the in-place row checks (`rowVerifies`) over
 * a page of events read by binary COPY and answers with one verdict byte per row. The
 * page's memory is handed over (transferred, not copied) and handed back with the answer.
 */
import { parentPort } from 'node:worker_threads';
import { pageVerdicts } from './binaryRow.ts';

/** A page to check, as `PageCheckPool` posts it; `data` and `fields` are transferred. */
export interface PageCheckRequest {
  readonly id: number;
  readonly data: Uint8Array<ArrayBuffer>;
  readonly fields: Int32Array<ArrayBuffer>;
  readonly count: number;
}

/**
 * The answer: the page's memory back, and `verdicts[i]` = 1 when row i verified as event
 * `first + i`, `first` being the seq its first row names, else 0.
 */
export interface PageCheckReply {
  readonly id: number;
  readonly data: Uint8Array<ArrayBuffer>;
  readonly fields: Int32Array<ArrayBuffer>;
  readonly verdicts: Uint8Array<ArrayBuffer>;
}

parentPort?.on('message', (request: PageCheckRequest) => {
  const { id, data, fields, count } = request;
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  const verdicts = pageVerdicts(bytes, fields, count);
  const reply: PageCheckReply = { id, data, fields, verdicts };
  parentPort?.postMessage(reply, [data.buffer, fields.buffer, verdicts.buffer]);
});

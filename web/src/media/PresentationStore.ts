import {
  type PresentationInfo,
  type PresentationsReply,
  type ShownPresentation,
  type UploadPresentationReply,
} from '@konvent/protocol';
import { request } from '../api/request.ts';
import { uploadFile } from '../api/uploadFile.ts';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What the presentation stage renders. */
export interface PresentationSnapshot {
  /** The presentation everyone sees now, on its current page; null when none is shown. */
  shown: ShownPresentation | null;
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

/**
 * The meeting's presentation as this browser knows it (issue 6, item 4): what is shown
 * and on which page, from the welcome and `presentation.changed`, and the commands of
 * presenters and moderators (upload, show, turn pages, close). The server decides who
 * may; this only forwards. It outlives sockets: MeetingClient feeds it whatever channel
 * is current.
 */
export class PresentationStore extends TypedEmitter<{ change: [PresentationSnapshot] }> {
  readonly #meetingId: string;
  readonly #channel: () => SignalingChannel;
  #snapshot: PresentationSnapshot = { shown: null };

  /** `channel` answers the connected channel or throws (as MeetingClient's commands do). */
  constructor(meetingId: string, channel: () => SignalingChannel) {
    super();
    this.#meetingId = meetingId;
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): PresentationSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Takes what a welcome says is shown (a late joiner lands on the current page). */
  welcome(data: WelcomeData): void {
    this.#set(data.presentation ?? null);
  }

  /** Handles `presentation.changed`; false for every other notification. */
  handle(n: ServerNotification): boolean {
    if (n.notification !== 'presentation.changed') return false;
    this.#set(n.data.presentation);
    return true;
  }

  /** Where the PDF of a presentation is downloaded (same origin, the meeting cookie). */
  documentUrl(presentationId: string): string {
    return `/api/meetings/${this.#meetingId}/presentations/${presentationId}`;
  }

  /**
   * Uploads a PDF (presenters and moderators); the server checks type, size and pages.
   * Failures are an `ApiError` with the server's code.
   */
  async upload(file: Blob, name: string): Promise<PresentationInfo> {
    const path = `/api/meetings/${this.#meetingId}/presentations?name=${encodeURIComponent(name)}`;
    const reply = (await uploadFile(path, file, 'application/pdf')) as UploadPresentationReply;
    return reply.presentation;
  }

  /** The meeting's presentations, newest first (presenters and moderators), to show again. */
  async list(): Promise<PresentationInfo[]> {
    const path = `/api/meetings/${this.#meetingId}/presentations`;
    // The meeting cookie speaks here, not an account the browser may also be signed in to.
    const reply = await request<PresentationsReply>('GET', path, undefined, {
      csrf: 'never',
      accountSession: false,
    });
    return reply.presentations;
  }

  /** Shows a presentation to everyone, or turns the shown one to `page` (1-based). */
  async show(presentationId: string, page: number): Promise<void> {
    await this.#channel().request('presentation.show', { presentationId, page });
  }

  /** Stops showing the presentation. */
  async close(): Promise<void> {
    await this.#channel().request('presentation.close', {});
  }

  #set(shown: ShownPresentation | null): void {
    this.#snapshot = { shown };
    this.emit('change', this.#snapshot);
  }
}

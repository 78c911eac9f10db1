import type {
  AnnotationStroke,
  SharedMediaState,
  ShownPresentation,
  WhiteboardState,
} from '@konvent/protocol';
import { AnnotationDesk } from './AnnotationDesk.ts';
import type { DeskContext } from './DeskContext.ts';
import { MediaDesk, type SharedMediaLimits } from './MediaDesk.ts';
import type {
  AnnotationRepository,
  MediaProbe,
  PresentationRepository,
  SharedMediaRepository,
  UploadScanner,
  WhiteboardRepository,
} from './ports.ts';
import { PresentationDesk, type PresentationLimits } from './PresentationDesk.ts';
import { WhiteboardDesk } from './WhiteboardDesk.ts';

/** The storage and tools of what a meeting shares besides talk and chat. */
export interface SharedContentDeps {
  /** Uploaded presentations (PDFs). */
  presentations: PresentationRepository;
  presentationLimits?: Partial<PresentationLimits>;
  /** Shared audio and video files, and what checks their format. */
  sharedMedia: SharedMediaRepository;
  mediaProbe: MediaProbe;
  sharedMediaLimits?: Partial<SharedMediaLimits>;
  /** The virus scan uploads pass before they are stored (`ports.ts`); none when absent. */
  uploadScanner?: UploadScanner;
  whiteboards: WhiteboardRepository;
  annotations: AnnotationRepository;
}

/** What a new socket's welcome says is shared now. */
export interface SharedNow {
  presentation?: ShownPresentation;
  /** The strokes on the shown page (with `presentation`). */
  annotations?: AnnotationStroke[];
  media?: SharedMediaState;
  whiteboard: WhiteboardState;
}

/**
 * What a meeting shares (issue 6): presentations, their page annotations, shared media and
 * the whiteboard, one desk each, wired to one another (annotations go with the shown page
 * and use the whiteboard's right to draw; every upload passes the same virus scan).
 */
export class SharedContent {
  readonly presentations: PresentationDesk;
  readonly media: MediaDesk;
  readonly boards: WhiteboardDesk;
  readonly annotations: AnnotationDesk;

  constructor(deps: SharedContentDeps, context: DeskContext) {
    const scanner = deps.uploadScanner === undefined ? {} : { scanner: deps.uploadScanner };
    const { fanout, audit, clock, events, load } = context;
    this.presentations = new PresentationDesk({
      presentations: deps.presentations,
      fanout,
      audit,
      clock,
      events,
      load,
      ...(deps.presentationLimits === undefined ? {} : { limits: deps.presentationLimits }),
      annotations: (...page) => this.annotations.reader(...page),
      ...scanner,
    });
    this.media = new MediaDesk({
      media: deps.sharedMedia,
      probe: deps.mediaProbe,
      fanout,
      audit,
      clock,
      events,
      load,
      ...(deps.sharedMediaLimits === undefined ? {} : { limits: deps.sharedMediaLimits }),
      ...scanner,
    });
    this.boards = new WhiteboardDesk({ ...context, repo: deps.whiteboards });
    this.annotations = new AnnotationDesk({
      ...context,
      repo: deps.annotations,
      boards: this.boards,
      shown: (meetingId) => this.presentations.current(meetingId),
    });
  }

  /** What is shared in a meeting now, for a new socket's welcome. */
  async now(meetingId: string): Promise<SharedNow> {
    const state: SharedNow = { whiteboard: await this.boards.state(meetingId) };
    const shown = await this.annotations.welcome(meetingId);
    if (shown !== undefined) Object.assign(state, shown);
    const playing = this.media.current(meetingId);
    if (playing !== undefined) state.media = playing;
    return state;
  }

  /** Saves the whiteboards and annotations with unsaved changes (at shutdown). */
  async flush(): Promise<void> {
    await Promise.all([this.boards.flush(), this.annotations.flush()]);
  }
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/AppError.ts';
import type { MediaProbe, ProbedMedia } from '../meetings/ports.ts';

/**
 * The only demuxers ffprobe may use: the containers browsers play. Everything else (HLS or
 * concat playlists, image sequences, devices) is refused before it is parsed, so no
 * uploaded file can make the prober open another file or a URL.
 */
const DEMUXERS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,flac';

/** What the prober needs. */
export interface FfprobeOptions {
  /** The ffprobe binary; `ffprobe` from PATH by default (Debian package ffmpeg). */
  command?: string;
  /** How long one probe may take before it is killed. */
  timeoutMs?: number;
  /**
   * A memory-backed directory (tmpfs) where the file is put for ffprobe to seek in: some
   * containers (Ogg, MP4 with its index at the end) tell their length only at the end.
   * `/dev/shm` by default; `null` (or a directory that cannot be written) probes from a
   * pipe instead, which cannot tell those lengths.
   */
  scratch?: string | null;
}

/** Shape of the JSON ffprobe prints with `-show_format -show_streams`. */
interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[];
}

/**
 * `MediaProbe` with Debian's ffprobe. The upload never lands on disk in the clear: it is
 * put in a private directory on tmpfs (memory) for the probe and removed right after, or
 * written to ffprobe's standard input when there is no tmpfs. Only the `file` (that one
 * path) or `pipe` protocol and the browser containers' demuxers are allowed, and the probe
 * is killed after `timeoutMs`.
 */
export class FfprobeMediaProbe implements MediaProbe {
  readonly #command: string;
  readonly #timeoutMs: number;
  readonly #scratch: string | null;

  constructor(options: FfprobeOptions = {}) {
    this.#command = options.command ?? 'ffprobe';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#scratch = options.scratch === undefined ? '/dev/shm' : options.scratch;
  }

  async probe(content: Uint8Array): Promise<ProbedMedia> {
    const dir =
      this.#scratch === null
        ? undefined
        : await mkdtemp(join(this.#scratch, 'konvent-probe-')).catch(() => undefined);
    if (dir === undefined) return this.#run('pipe', 'pipe:0', content);
    try {
      const path = join(dir, 'upload');
      // A full tmpfs is no reason to refuse the file: the pipe still tells most of it.
      const written = await writeFile(path, content, { mode: 0o600 }).then(
        () => true,
        () => false,
      );
      return written
        ? await this.#run('file', path, undefined)
        : await this.#run('pipe', 'pipe:0', content);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  #run(protocol: string, input: string, stdin: Uint8Array | undefined): Promise<ProbedMedia> {
    return new Promise<ProbedMedia>((resolve, reject) => {
      const child = spawn(
        this.#command,
        [
          '-v',
          'error',
          '-hide_banner',
          '-protocol_whitelist',
          protocol,
          '-format_whitelist',
          DEMUXERS,
          '-print_format',
          'json',
          '-show_format',
          '-show_streams',
          '-i',
          input,
        ],
        { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'] },
      );
      const out: Buffer[] = [];
      let outBytes = 0;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.#timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        // ffprobe's report of a few streams is small; a huge one is not a file we play.
        outBytes += chunk.length;
        if (outBytes <= 1024 * 1024) out.push(chunk);
        else child.kill('SIGKILL');
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(
          new AppError('unavailable', 'Shared media cannot be checked: ffprobe is missing.', {
            cause: error,
          }),
        );
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(new AppError('bad_request', 'The file took too long to check.'));
          return;
        }
        const parsed = status === 0 ? parse(Buffer.concat(out)) : undefined;
        if (parsed === undefined) {
          reject(
            new AppError('bad_request', 'The file is not an audio or video file we can play.'),
          );
          return;
        }
        resolve(parsed);
      });
      // ffprobe stops reading once it knows enough; the rest of the upload is not needed.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(stdin);
    });
  }
}

/** The facts of ffprobe's JSON, or undefined when it names no container. */
function parse(json: Buffer): ProbedMedia | undefined {
  let data: FfprobeJson;
  try {
    data = JSON.parse(json.toString('utf8')) as FfprobeJson;
  } catch {
    return undefined;
  }
  const format = data.format?.format_name;
  if (typeof format !== 'string' || format === '') return undefined;
  const seconds = Number(data.format?.duration);
  return {
    format,
    duration: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
    streams: (data.streams ?? []).map((s) => ({
      type: s.codec_type ?? 'unknown',
      codec: s.codec_name ?? 'unknown',
      ...(typeof s.width === 'number' ? { width: s.width } : {}),
      ...(typeof s.height === 'number' ? { height: s.height } : {}),
    })),
  };
}

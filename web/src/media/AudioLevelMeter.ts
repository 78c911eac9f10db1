/**
 * Measures how loud a microphone track is, with a WebAudio AnalyserNode. Nothing is
 * recorded or sent anywhere; the level only drives the meter on the pre-join page.
 */
export class AudioLevelMeter {
  readonly #context: AudioContext;
  readonly #source: MediaStreamAudioSourceNode;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;
  #closed = false;

  constructor(track: MediaStreamTrack) {
    this.#context = new AudioContext();
    this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
  }

  /** Whether the browser still holds the context suspended for want of a user gesture. */
  get suspended(): boolean {
    return this.#context.state === 'suspended';
  }

  /** Resumes a context that autoplay rules started suspended (call from a user gesture). */
  resume(): void {
    if (!this.#closed && this.#context.state === 'suspended') void this.#context.resume();
  }

  /** The current level from 0 (silence, below −60 dBFS) to 1 (full scale). */
  level(): number {
    if (this.#closed) return 0;
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    const rms = Math.sqrt(sum / this.#samples.length);
    if (rms <= 0) return 0;
    const db = 20 * Math.log10(rms);
    return Math.min(1, Math.max(0, (db + 60) / 60));
  }

  /** Releases the audio graph. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.disconnect();
    void this.#context.close();
  }
}

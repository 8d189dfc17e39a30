package dev.maverick.handler.stt.internal;

import dev.maverick.handler.ds.CoreKeyDescriptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype description of a speech-to-text handler's configuration: the core's keys that
 * apply to it, then its own. The defaults here are the handler's defaults (a unit test holds them
 * together). Method names map to keys by DS rules: {@code __} is {@code _}.
 */
@ObjectClassDefinition(id = SttKind.PID, name = "Maverick speech-to-text handler",
    description = "Speech recognition, offline in this process (Vosk) or on a RealtimeSTT server. Transcribes fed "
        + "audio (WAV/AIFF/AU bytes, raw PCM, PCM chunks, file paths under audio_dirs) and, in producer mode, a "
        + "microphone or a replayed file. Several instances may run as factory configurations, each with its own "
        + "name.")
@interface SttConfiguration {

  // ---- the core's keys ---------------------------------------------------------------------

  @AttributeDefinition(name = "name", required = false,
      description = "The handler's name, unique in the runtime (the handler.name service property): letters, "
          + "digits, '.', '_' and '-', at most 64. Default: stt; required for a factory instance.")
  String name() default "stt";

  @AttributeDefinition(name = "run_as_thread",
      description = "Run worker threads that take fed items from the input queue (the seed's default). When false, "
          + "only generate() transcribes and the producer does not start.")
  boolean run__as__thread() default true;

  @AttributeDefinition(name = "disable_thread",
      description = "Forbid every thread, even with run_as_thread: no workers, no producer, no callbacks.")
  boolean disable__thread() default false;

  @AttributeDefinition(name = "max_queue_size", min = "0",
      description = "Capacity of the input queue of fed audio items; 0 = unbounded.")
  int max__queue__size() default 128;

  @AttributeDefinition(name = "result_queue_size", min = "0", required = false,
      description = "Capacity of the result queue; 0 = unbounded. Default: max_queue_size.")
  int result__queue__size();

  @AttributeDefinition(name = "callback_queue_size", min = "0",
      description = "Capacity of the queue of pending callbacks; 0 = unbounded.")
  int callback__queue__size() default 128;

  @AttributeDefinition(name = "overflow_policy",
      description = "What a full queue does with a new item: drop it (drop_newest, the seed's behaviour), evict the "
          + "oldest (drop_oldest), wait up to offer_timeout (block), or throw QueueFullException (fail).",
      options = {@Option(label = "drop_newest", value = "drop_newest"), @Option(label = "drop_oldest", value = "drop_oldest"),
          @Option(label = "block", value = "block"), @Option(label = "fail", value = "fail")})
  String overflow__policy() default "drop_newest";

  @AttributeDefinition(name = "result_overflow_policy", required = false,
      description = "The result queue's policy. Default: overflow_policy.",
      options = {@Option(label = "drop_newest", value = "drop_newest"), @Option(label = "drop_oldest", value = "drop_oldest"),
          @Option(label = "block", value = "block"), @Option(label = "fail", value = "fail")})
  String result__overflow__policy();

  @AttributeDefinition(name = "callback_overflow_policy", required = false,
      description = "The callback queue's policy (never block). Default: overflow_policy, with block read as "
          + "drop_newest.",
      options = {@Option(label = "drop_newest", value = "drop_newest"), @Option(label = "drop_oldest", value = "drop_oldest"),
          @Option(label = "fail", value = "fail")})
  String callback__overflow__policy();

  @AttributeDefinition(name = "offer_timeout", min = "0",
      description = "Seconds the block policy waits for room; 0 = until there is room or the handler closes.")
  double offer__timeout() default 1.0;

  @AttributeDefinition(name = "shutdown_timeout", min = "0",
      description = "Seconds close() lets queued audio finish before counting the rest as dropped (shutdown).")
  double shutdown__timeout() default 5.0;

  @AttributeDefinition(name = "worker_threads", min = "1", max = "256",
      description = "Worker threads transcribing fed audio in parallel (each with its own recognizer over one "
          + "shared model); results keep feed order only with 1.")
  int worker__threads() default 1;

  @AttributeDefinition(name = "wait_strategy",
      description = CoreKeyDescriptions.WAIT_STRATEGY,
      options = {@Option(label = "park", value = "park"), @Option(label = "spin", value = "spin")})
  String wait__strategy() default "park";

  @AttributeDefinition(name = "verbose", description = "Log lifecycle events at INFO instead of DEBUG.")
  boolean verbose() default false;

  @AttributeDefinition(name = "client_id_prefix",
      description = "Prefix of the generated client_id that every result carries.")
  String client__id__prefix() default "client";

  // ---- the handler's own keys ----------------------------------------------------------------

  @AttributeDefinition(name = "engine",
      description = "What recognizes the audio: vosk (offline, in this process, the bundled small English model) "
          + "or realtimestt (a RealtimeSTT server, Whisper on a GPU machine, over two WebSockets: control_url and "
          + "data_url).",
      options = {@Option(label = "vosk", value = "vosk"), @Option(label = "realtimestt", value = "realtimestt")})
  String engine() default "vosk";

  @AttributeDefinition(name = "source",
      description = "Producer mode: none (transcribe fed audio only), microphone (capture with javax.sound.sampled "
          + "and publish each utterance), or file:<path> (replay a WAV under audio_dirs at its own pace, as if "
          + "live, once). Fed audio is transcribed in every mode.")
  String source() default "none";

  @AttributeDefinition(name = "input_device", required = false,
      description = "Part of the name of the capture mixer to use (case-insensitive); empty = the system's default "
          + "capture device.")
  String input__device() default "";

  @AttributeDefinition(name = "model_path", required = false,
      description = "Directory of a Vosk model (am/, conf/, graph/ inside), e.g. a German model a user installed; "
          + "empty = the model of an installed model bundle (dev.maverick.handler.stt-model: small US English).")
  String model__path() default "";

  @AttributeDefinition(name = "grammar", required = false,
      description = "Command recognition: a list of phrases, e.g. turn on the light, turn off the light, [unk]. "
          + "Only their words are recognized (much more accurate and faster); [unk] stands for any other speech. "
          + "In a .cfg file, which holds no lists, write the list as JSON text: [\"turn on the light\", \"[unk]\"]. "
          + "Empty = dictation over the model's whole vocabulary.")
  String[] grammar() default {};

  @AttributeDefinition(name = "partial_results",
      description = "Also publish the words so far of an utterance under way, as results with \"partial\": true, "
          + "each time they change: with vosk in producer mode; with realtimestt for all audio (the server's "
          + "realtime texts).")
  boolean partial__results() default false;

  @AttributeDefinition(name = "sample_rate", min = "8000", max = "48000",
      description = "Sample rate (Hz) the recognizer runs at: the model's (16000 for the bundled model). Audio is "
          + "converted to it.")
  int sample__rate() default SttSettings.DEFAULT_SAMPLE_RATE;

  @AttributeDefinition(name = "max_audio_seconds", min = "1", max = "86400",
      description = "The longest fed audio accepted, in seconds; longer items are rejected as invalid.")
  double max__audio__seconds() default SttSettings.DEFAULT_MAX_AUDIO_SECONDS;

  @AttributeDefinition(name = "microphone_retry", min = "0", max = "86400",
      description = "Seconds between looks for a missing (or busy) microphone; 0 = look once. The producer waits "
          + "without using CPU in between.")
  double microphone__retry() default SttSettings.DEFAULT_MICROPHONE_RETRY;

  @AttributeDefinition(name = "audio_dirs", required = false,
      description = "Directories (absolute paths) whose audio files may be fed by path, and replayed by "
          + "source = file:<path>. A fed path is read only when its real path (.. and symbolic links resolved) "
          + "lies under one of them; any other path is refused with one message, whether or not it exists, and "
          + "counted as invalid. In a .cfg file, write the list as JSON text: [\"/srv/audio\"]. Empty = no "
          + "fed path is read (bytes and PCM chunks still are).")
  String[] audio__dirs() default {};

  // ---- the realtimestt engine's keys -----------------------------------------------------------

  @AttributeDefinition(name = "control_url",
      description = "realtimestt: the server's control WebSocket (commands), a ws:// or wss:// URL. The server "
          + "binds to localhost; reach another machine through an SSH tunnel or a proxy.")
  String control__url() default RealtimeSttSettings.DEFAULT_CONTROL_URL;

  @AttributeDefinition(name = "data_url",
      description = "realtimestt: the server's data WebSocket (audio in, transcripts out). No two handlers of a "
          + "runtime may use one server: it mixes its clients' audio and sends every transcript to all.")
  String data__url() default RealtimeSttSettings.DEFAULT_DATA_URL;

  @AttributeDefinition(name = "language", required = false,
      description = "realtimestt: the language code sent to the server once connected (set_parameter language), "
          + "e.g. en or de; empty = the server's own.")
  String language() default "";

  @AttributeDefinition(name = "connect_timeout", min = "0.1", max = "300",
      description = "realtimestt: seconds a WebSocket handshake, a control command's reply or an audio send may "
          + "take. A server still loading its model answers no command: it is reported and tried again later.")
  double connect__timeout() default RealtimeSttSettings.DEFAULT_CONNECT_TIMEOUT;

  @AttributeDefinition(name = "reconnect_backoff",
      description = "realtimestt: the first and the longest wait, in seconds, before connecting again after a "
          + "failure, e.g. 0.5, 30; the wait doubles each time up to the longest.")
  double[] reconnect__backoff() default {0.5, 30};

  @AttributeDefinition(name = "server_parameters", required = false,
      description = "realtimestt: key=value settings sent with set_parameter once connected, e.g. "
          + "silero_sensitivity=0.4. Allowed: silero_sensitivity, post_speech_silence_duration, "
          + "deactivity_silence_confirmation_duration, wake_word_activation_delay, use_wake_words. In a .cfg file, "
          + "write the list as JSON text.")
  String[] server__parameters() default {};

  @AttributeDefinition(name = "send_speed", min = "0", max = "100",
      description = "realtimestt: how fast fed audio is sent, in multiples of real time (1 = as it was recorded: "
          + "the server times silences by the clock); 0 = as fast as the socket takes it.")
  double send__speed() default RealtimeSttSettings.DEFAULT_SEND_SPEED;

  @AttributeDefinition(name = "trailing_silence", min = "0", max = "10",
      description = "realtimestt: seconds of silence sent after each fed item (and a replayed file), so that the "
          + "server hears its last utterance end and sends its transcript.")
  double trailing__silence() default RealtimeSttSettings.DEFAULT_TRAILING_SILENCE;
}

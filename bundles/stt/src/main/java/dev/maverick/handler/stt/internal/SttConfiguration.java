package dev.maverick.handler.stt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype description of a speech-to-text handler's configuration: the core's keys that
 * apply to it, then its own. The defaults here are the handler's defaults (a unit test holds them
 * together). Method names map to keys by DS rules: {@code __} is {@code _}.
 */
@ObjectClassDefinition(id = SttKind.PID, name = "Maverick speech-to-text handler",
    description = "Offline speech recognition (Vosk). Transcribes fed audio (WAV/AIFF/AU bytes, PCM chunks, file "
        + "paths) and, in producer mode, a microphone or a replayed file. Several instances may run as factory "
        + "configurations, each with its own name.")
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

  @AttributeDefinition(name = "verbose", description = "Log lifecycle events at INFO instead of DEBUG.")
  boolean verbose() default false;

  @AttributeDefinition(name = "client_id_prefix",
      description = "Prefix of the generated client_id that every result carries.")
  String client__id__prefix() default "client";

  // ---- the handler's own keys ----------------------------------------------------------------

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
      description = "In producer mode, also publish the words so far of an utterance under way, as results with "
          + "\"partial\": true.")
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
}

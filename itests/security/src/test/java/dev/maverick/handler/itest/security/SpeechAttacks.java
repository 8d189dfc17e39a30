package dev.maverick.handler.itest.security;

import dev.maverick.handler.itest.RawHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speech to text fed paths (reading files the user did not allow): it must read only under {@code audio_dirs} and
 * answer the same for every other path, whether it exists, is a directory, or a link out, so that
 * feeding paths tells nothing about the machine's files.
 */
final class SpeechAttacks {
  private SpeechAttacks() {}

  static List<Attack> all() {
    return List.of(new Attack("11", "speech to text fed /etc/passwd, a missing file, a directory, a link out of "
        + "audio_dirs, ../", SpeechAttacks::fedPaths));
  }

  static void fedPaths(Target t, Finding f) {
    List<String> paths = List.of("/etc/passwd", "/nonexistent/speech.wav", t.audio.resolve("sub").toString(),
        t.audio.resolve("link.wav").toString(), t.audio + "/../outside/precious.txt");
    Map<String, RawHttp.Answer> feeds = new LinkedHashMap<>();
    Map<String, RawHttp.Answer> generates = new LinkedHashMap<>();
    for (String path : paths) {
      feeds.put(path, t.send(t.request("POST", "/handlers/stt/feed").json("{\"item\": " + t.toJson(path) + "}")));
      generates.put(path, t.send(t.request("POST", "/handlers/stt/generate").json("{\"item\": " + t.toJson(path) + "}")));
    }
    String wav = t.audio.resolve("ok.wav").toString();
    RawHttp.Answer control = t.send(t.request("POST", "/handlers/stt/feed").json("{\"item\": " + t.toJson(wav) + "}"));
    List<String> feedShapes = feeds.entrySet().stream().map(e -> shape(e.getValue(), e.getKey())).distinct().toList();
    List<String> generateShapes = generates.entrySet().stream().map(e -> shape(e.getValue(), e.getKey())).distinct().toList();
    int want = KeyAttacks.refusal(t, 200);
    boolean statusesRight = feeds.values().stream().allMatch(a -> a.status() == want)
        && generates.values().stream().allMatch(a -> a.status() == KeyAttacks.refusal(t, 400));
    boolean refused = feeds.values().stream().noneMatch(a -> a.body().contains("\"accepted\":true"));
    boolean controlAccepted = control.body().contains("\"accepted\":true");
    f.sent("POST /handlers/stt/feed and /generate with the paths " + String.join(", ", paths) + " (audio_dirs = ["
        + t.audio + "]); a WAV file under audio_dirs as the control" + t.withToken())
        .expected(t.setUp.writable() ? "feed: 200 {\"accepted\": false, ...} and generate: 400, each the same bytes "
            + "but for the path given; the WAV under audio_dirs accepted" : "403 each, the same bytes")
        .got("feed answers, the path replaced by <path>: " + feedShapes + "; generate answers: " + generateShapes
            + "; the control WAV -> " + control);
    f.check(feedShapes.size() == 1, feedShapes.size() + " different feed answers")
        .check(generateShapes.size() == 1, generateShapes.size() + " different generate answers")
        .check(statusesRight, "a status differs from " + want).check(refused, "a path outside was accepted");
    if (t.setUp.writable()) {
      f.check(controlAccepted, "the WAV under audio_dirs was refused: " + control);
    }
    f.figure(paths.size() + " paths x feed and generate -> " + (feedShapes.size() + generateShapes.size())
        + " distinct answers (byte-identical but for the path, " + feedShapes.get(0).length() + " B)"
        + (t.setUp.writable() ? "; a WAV under audio_dirs accepted" : ""));
  }

  /** An answer with the path it was given replaced, as JSON text shows it. */
  private static String shape(RawHttp.Answer answer, String path) {
    return answer.status() + " " + answer.body().replace(path, "<path>");
  }
}

package dev.maverick.handler.itest.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The runnable jar as a user runs it, with a wire: the first start's speech-to-text handler
 * ({@code stt}, Vosk, grammar mode) is given an {@code audio_dirs}, and a file
 * {@code etc/dev.maverick.handler.wire-hearing.cfg} wires its final transcripts' text to the
 * {@code echo} handler. WAV files fed to {@code stt} by path come out of {@code echo} as their
 * transcripts, in the order they were fed, marked with the wire's source.
 */
public class WiredSpeechRuntimeIT {
  @Test
  public void wavFilesFedToSpeechToTextComeOutOfEchoAsTheirTranscripts() throws Exception {
    Path dir = Files.createTempDirectory(workRoot(), "wired-stt-");
    Path audio = Files.createDirectories(dir.resolve("audio"));
    List<String> slugs = List.of("hello-world", "kitchen-light", "one-to-five", "weather");
    List<String> transcripts = List.of("hello world", "turn on the kitchen light", "one two three four five",
        "what is the weather like today");
    for (String slug : slugs) {
      Files.copy(fixture(slug + ".wav"), audio.resolve(slug + ".wav"));
    }
    try (RuntimeProcess runtime = RuntimeProcess.start(javaHere(), dir)) {
      runtime.awaitReady();
      Path etc = dir.resolve("etc");
      // the first start wrote etc/ with echo and stt; the user lets stt read the audio directory ...
      write(etc.resolve("dev.maverick.handler.stt-stt.cfg"), String.join("\n",
          "name = stt",
          "source = none",
          "grammar = [\"hello world\", \"turn on the kitchen light\", \"turn off the kitchen light\", "
              + "\"what is the weather like today\", \"one two three four five\", \"[unk]\"]",
          "audio_dirs = [\"" + audio + "\"]", // a .cfg holds no lists: JSON text
          "max_queue_size = 16",
          ""));
      runtime.awaitLog("handler 'stt' reconfigured from dev.maverick.handler.stt~stt");
      // ... and wires its final transcripts' text to echo
      write(etc.resolve("dev.maverick.handler.wire-hearing.cfg"), String.join("\n",
          "name = hearing",
          "from = stt",
          "to = echo",
          "filter = (partial=false)",
          "select = data",
          ""));
      runtime.awaitLog("wire 'hearing' reads the results of 'stt'");

      Http http = new Http("http://127.0.0.1:" + runtime.httpPort);
      for (String slug : slugs) {
        assertEquals("{\"accepted\":true}", http.post("/handlers/stt/feed",
            "{\"item\":\"" + audio.resolve(slug + ".wav") + "\"}"));
      }
      List<String> fromEcho = new ArrayList<>();
      for (int i = 0; i < slugs.size(); i++) {
        fromEcho.add(http.get("/handlers/echo/result?timeout=60"));
      }
      for (int i = 0; i < slugs.size(); i++) {
        String result = fromEcho.get(i);
        assertTrue(result, result.contains("\"echo\":\"" + transcripts.get(i) + "\""));
        assertTrue(result, result.contains("\"wire.from\":\"stt\""));
      }
      assertEquals("exit code after SIGTERM", 0, runtime.terminate());
      assertTrue(runtime.log(), runtime.log().contains("wire 'hearing' closed"));
      assertTrue(runtime.log(), runtime.log().contains("handler 'echo' (echo) closed: state=CLOSED, fed=4, "
          + "processed=4, errors=0, dropped=0"));
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(part, text);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path workRoot() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("maverick.itest.work", "target/itest-work")));
  }

  private static Path fixture(String name) {
    Path path = Path.of(System.getProperty("maverick.stt.fixtures", "maverick.stt.fixtures is not set"), name);
    assertTrue("fixture " + path, Files.isRegularFile(path));
    return path;
  }

  private static String javaHere() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The admin's HTTP API, as a client sees it: bodies of answers below 300, else a failure. */
  private record Http(String base) {
    String get(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    String post(String path, String json) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).POST(BodyPublishers.ofString(json))
          .header("Content-Type", "application/json"));
    }

    private String send(HttpRequest.Builder request) {
      try {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request
            .timeout(Duration.ofSeconds(90)).build(), BodyHandlers.ofString());
        assertTrue(response.statusCode() + " " + response.body(), response.statusCode() < 300);
        return response.body();
      } catch (IOException e) {
        throw new AssertionError("request failed: " + request, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}

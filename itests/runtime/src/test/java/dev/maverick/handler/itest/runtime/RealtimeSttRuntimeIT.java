package dev.maverick.handler.itest.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.maverick.handler.stt.testing.FakeRealtimeSttServer;
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
 * The runnable jar with a speech-to-text handler on the {@code realtimestt} engine, configured by
 * a {@code .cfg} in {@code etc/} and pointed at the fake RealtimeSTT server this test starts on
 * free ports: WAV files fed over HTTP (by path, under the handler's {@code audio_dirs}, and as the
 * request body itself, WAV or raw PCM) come back from {@code /result} as the server's transcripts,
 * in the shape Vosk's results have.
 */
public class RealtimeSttRuntimeIT {
  private static final String STT_PID = "dev.maverick.handler.stt";

  @Test
  public void wavFilesFedOverHttpComeBackAsTheServersTranscripts() throws Exception {
    Path dir = Files.createTempDirectory(workRoot(), "realtimestt-");
    Path audio = Files.createDirectories(dir.resolve("audio"));
    List<String> slugs = List.of("kitchen-light", "one-to-five", "weather");
    for (String slug : slugs) {
      Files.copy(fixture(slug + ".wav"), audio.resolve(slug + ".wav"));
    }
    try (FakeRealtimeSttServer fake = new FakeRealtimeSttServer()) {
      fake.script("Turn on the kitchen light.", "One, two, three, four, five.", "What is the weather like today?",
          "Hello world.", "Seven eight nine zero six.");
      Files.createDirectories(dir.resolve("etc"));
      write(dir.resolve("etc/" + STT_PID + "-remote.cfg"), String.join("\n",
          "name = remote",
          "engine = realtimestt",
          "control_url = " + fake.controlUrl(),
          "data_url = " + fake.dataUrl(),
          "send_speed = 0",
          "trailing_silence = 0.5",
          "audio_dirs = [\"" + audio + "\"]", // a .cfg holds no lists: JSON text
          ""));
      try (RuntimeProcess runtime = RuntimeProcess.start(javaHere(), dir)) {
        runtime.awaitReady();
        runtime.awaitLog("handler 'remote' (stt) registered from configuration " + STT_PID + "~remote");
        Http http = new Http("http://127.0.0.1:" + runtime.httpPort);
        runtime.await("connected to the fake server", RuntimeProcess.STEP,
            () -> http.get("/handlers/remote").contains("\"connected\":true"));

        for (String slug : slugs) {
          assertEquals("{\"accepted\":true}", http.post("/handlers/remote/feed",
              "{\"item\":\"" + audio.resolve(slug + ".wav") + "\"}"));
        }
        List<String> results = new ArrayList<>();
        for (int i = 0; i < slugs.size(); i++) {
          results.add(http.get("/handlers/remote/result?timeout=30"));
        }
        assertTrue(results.toString(), results.get(0).contains("\"data\":\"Turn on the kitchen light.\""));
        assertTrue(results.toString(), results.get(1).contains("\"data\":\"One, two, three, four, five.\""));
        assertTrue(results.toString(), results.get(2).contains("\"data\":\"What is the weather like today?\""));
        for (String result : results) {
          assertTrue(result, result.contains("\"type\":\"audio\"") && result.contains("\"partial\":false")
              && result.contains("\"source\":\"feed\"") && result.contains("\"engine\":\"realtimestt\""));
        }
        // the audio itself as the body: a WAV file, then raw 16-bit PCM with its rate
        assertEquals("{\"accepted\":true}", http.postBytes("/handlers/remote/feed", "audio/wav",
            Files.readAllBytes(fixture("hello-world.wav"))));
        byte[] wav = Files.readAllBytes(fixture("seven-to-six.wav"));
        assertEquals("{\"accepted\":true}", http.postBytes("/handlers/remote/feed?sample_rate=16000",
            "application/octet-stream", java.util.Arrays.copyOfRange(wav, 44, wav.length))); // the samples after the header
        String fourth = http.get("/handlers/remote/result?timeout=30");
        String fifth = http.get("/handlers/remote/result?timeout=30");
        assertTrue(fourth, fourth.contains("\"data\":\"Hello world.\"") && fourth.contains("\"engine\":\"realtimestt\""));
        assertTrue(fifth, fifth.contains("\"data\":\"Seven eight nine zero six.\""));
        // a path outside audio_dirs is refused, as one that does not exist is
        String refused = http.post("/handlers/remote/feed", "{\"item\":\"" + fixture("hello-world.wav") + "\"}");
        assertTrue(refused, refused.contains("\"accepted\":false"));
        assertEquals(List.of(), fake.problems());
        assertEquals(5, fake.utterances());
        assertEquals("exit code after SIGTERM", 0, runtime.terminate());
        assertTrue(runtime.log(), runtime.log().contains("handler 'remote' (stt) closed: state=CLOSED, fed=6, "
            + "processed=10, errors=0, dropped=1"));
      }
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
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET().header("Content-Type", "application/json"));
    }

    String post(String path, String json) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).POST(BodyPublishers.ofString(json))
          .header("Content-Type", "application/json"));
    }

    /** A binary body, as {@code curl --data-binary @phrase.wav -H 'Content-Type: audio/wav'} sends one. */
    String postBytes(String path, String contentType, byte[] body) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).POST(BodyPublishers.ofByteArray(body))
          .header("Content-Type", contentType));
    }

    private String send(HttpRequest.Builder request) {
      try {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request
            .timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
        assertTrue(response.statusCode() + " " + response.body(), response.statusCode() < 300);
        return response.body();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

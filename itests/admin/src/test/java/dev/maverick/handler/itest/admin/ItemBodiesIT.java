package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Items as the API takes them, through the echo handler (which gives back what it was fed): audio
 * as a binary body ({@code audio/wav}, or {@code application/octet-stream} with its
 * {@code sample_rate}) fed as a {@code byte[]} with its {@code content_type} extra; and items the
 * API could not give back refused at the door (nested deeper than 100 levels, numbers that are not
 * finite) with nothing fed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ItemBodiesIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"), bundleOf("echo"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=echo)");
    http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    Await.until("the admin lists echo", () -> http.get("/handlers/echo").status() == 200);
    AdminHttpIT.drain(http, "echo");
  }

  @Test
  public void aWavBodyIsGeneratedAsItsBytesWithItsContentType() {
    byte[] wav = wav(16_000, 320);
    Http.Answer answer = binary("/handlers/echo/generate", "audio/WAV; codecs=1", wav);
    assertEquals(answer.toString(), 200, answer.status());
    JsonNode result = answer.json().get("result");
    assertArrayEquals("the bytes come back", wav, Base64.getDecoder().decode(result.get("echo").asText()));
    assertEquals("audio/wav", result.get("meta").get("content_type").asText());
    assertTrue(result.get("meta").toString(), !result.get("meta").has("sample_rate"));
  }

  @Test
  public void rawBytesAreFedWithTheirSampleRate() {
    byte[] pcm = pcm(480);
    long fed = fedCount();
    Http.Answer accepted = binary("/handlers/echo/feed?sample_rate=16000&lang=en", "application/octet-stream", pcm);
    assertEquals(accepted.toString(), 200, accepted.status());
    assertTrue(accepted.json().get("accepted").asBoolean());
    JsonNode result = http.get("/handlers/echo/result?timeout=20").json().get("result");
    assertArrayEquals(pcm, Base64.getDecoder().decode(result.get("echo").asText()));
    assertEquals("application/octet-stream", result.get("meta").get("content_type").asText());
    assertTrue("an Integer", result.get("meta").get("sample_rate").isInt());
    assertEquals(16_000, result.get("meta").get("sample_rate").asInt());
    assertEquals("other parameters are extras", "en", result.get("meta").get("lang").asText());

    for (String query : List.of("", "?sample_rate=7999", "?sample_rate=48001", "?sample_rate=fast", "?sample_rate=16000.5",
        "?sample_rate=16000&sample_rate=8000")) {
      AdminHttpIT.assertError(binary("/handlers/echo/feed" + query, "application/octet-stream", pcm), 400, "sample_rate");
    }
    AdminHttpIT.assertError(binary("/handlers/echo/feed?sample_rate=16000&Service.Pid=x", "application/octet-stream", pcm),
        400, "Service.Pid");
    assertEquals("only the first was fed", fed + 1, fedCount());
  }

  @Test
  public void otherBodiesAre415NamingTheAllowedTypes() {
    for (String type : List.of("text/plain", "audio/mpeg", "multipart/form-data; boundary=x", "application/jsonx")) {
      Http.Answer refused = binary("/handlers/echo/feed", type, new byte[] {1, 2, 3});
      AdminHttpIT.assertError(refused, 415, "audio/wav");
      assertTrue(refused.toString(), refused.json().get("error").asText().contains("application/octet-stream"));
    }
  }

  @Test
  public void itemsDeeperThanTheApiCanReturnAreRefusedAtTheDoor() {
    long fed = fedCount();
    AdminHttpIT.assertError(http.post("/handlers/echo/feed", "{\"item\": " + nested(999) + "}"), 400, "deep");
    AdminHttpIT.assertError(http.post("/handlers/echo/feed", "{\"item\": " + nested(101) + "}"), 400, "100");
    AdminHttpIT.assertError(http.post("/handlers/echo/feed", "{\"item\": 1, \"extra\": {\"a\": " + nested(100) + "}}"),
        400, "deep");
    AdminHttpIT.assertError(http.post("/handlers/echo/generate", "{\"item\": " + nested(999) + "}"), 400, "deep");
    assertEquals("nothing was fed", fed, fedCount());

    Http.Answer deepest = http.post("/handlers/echo/feed", "{\"item\": " + nested(100) + "}");
    assertEquals(deepest.toString(), 200, deepest.status());
    Http.Answer result = http.get("/handlers/echo/result?timeout=20");
    assertEquals("the deepest item allowed comes back: " + result.status(), 200, result.status());
    JsonNode node = result.json().get("result").get("echo");
    int depth = 0;
    while (node.isArray()) {
      node = node.get(0);
      depth++;
    }
    assertEquals(100, depth);
  }

  @Test
  public void numbersThatAreNotFiniteAreRefused() {
    long fed = fedCount();
    for (String number : List.of("1e999", "-1e999", "[1, 2, 1e400]")) {
      AdminHttpIT.assertError(http.post("/handlers/echo/feed", "{\"item\": " + number + "}"), 400, "finite");
      AdminHttpIT.assertError(http.post("/handlers/echo/generate", "{\"item\": 1, \"extra\": {\"x\": " + number + "}}"),
          400, "finite");
    }
    assertEquals("nothing was fed", fed, fedCount());
  }

  private Http.Answer binary(String path, String contentType, byte[] body) {
    return http.sendBytes("POST", path, contentType, body);
  }

  private long fedCount() {
    return http.get("/handlers/echo").json().get("stats").get("fed_count").asLong();
  }

  /** {@code [[[...[1]...]]]}: an array nested {@code depth} deep. */
  private static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  private static byte[] pcm(int samples) {
    ByteBuffer buffer = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      buffer.putShort((short) (Math.sin(i / 8.0) * 8000));
    }
    return buffer.array();
  }

  /** A 16-bit mono PCM WAV file. */
  private static byte[] wav(int sampleRate, int samples) {
    byte[] data = pcm(samples);
    ByteBuffer wav = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data.length)
        .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return wav.array();
  }
}

package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Any value a user stores comes back identical after the runtime writes it to a {@code .cfg} file
 * and FileInstall 3.7.4's own reader reads it: nothing is interpolated, unescaped, cut or added,
 * in an untyped file and in a typed one. Random strings over the characters each layer of the
 * format treats specially, and random keys of the allowed alphabet.
 */
class CfgRoundTripTest {
  /** What the format's layers treat specially, weighted up against the rest of Unicode. */
  private static final String SPECIAL = "\\\"'#!=: \t\n\r\f\b${}$__[](),;`%&*?~^|<>@";
  private static final String KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
  private static final List<String> NASTY = List.of("C:\\models\\", "\\\\", "\\", "${auth}", "${env:HOME}",
      "${java.home}", "$__", "a$__b", "${", "}", "{x}", "\\{", "$\\{a}", "  both ends  ", " ", "", "[a]", "I[\"1\"]",
      "(a)", "\"quoted\"", "T\"x\"", "#not a comment", "!nor this", "=", ":", "line\nmax_queue_size = 7",
      "\u00e9\u4e2d\ud83d\ude00", "\u2028\u0085", "\\u0041", "\\n", "${auth:-x}", "$$", "${${a}}", "end\\");

  @Test
  void everyStringComesBackIdenticalFromAnUntypedFile() throws Exception {
    Random random = new Random(20261202);
    for (int round = 0; round < 400; round++) {
      Map<String, Object> values = randomStrings(random, 1 + random.nextInt(6));
      String text = CfgFile.create(List.of("# a header")).rewrite(values, Set.of()).orElseThrow();
      assertThat(FileInstallReader.read(text)).as(text).containsExactlyInAnyOrderEntriesOf(values);
    }
  }

  @Test
  void everyStringComesBackIdenticalFromATypedFile() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 400; round++) {
      Map<String, Object> values = randomStrings(random, 1 + random.nextInt(6));
      values.put("count", random.nextInt()); // an Integer the reader knows no type of: the file is typed
      String text = CfgFile.create(List.of()).rewrite(values, Set.of()).orElseThrow();
      assertThat(CfgFile.parse(text, null).typed()).as(text).isTrue();
      assertThat(FileInstallReader.read(text)).as(text).containsExactlyInAnyOrderEntriesOf(values);
    }
  }

  @Test
  void theValuesThatBrokeTheOldWriteBackComeBackIdenticalInBothFormats() throws Exception {
    for (String value : NASTY) {
      Map<String, Object> untyped = new LinkedHashMap<>(Map.of("note", value));
      String plain = CfgFile.create(List.of()).rewrite(untyped, Set.of()).orElseThrow();
      assertThat(FileInstallReader.read(plain)).as(plain).isEqualTo(untyped);
      Map<String, Object> typed = new LinkedHashMap<>(Map.of("note", value, "size", 7, "tags", new String[] {value}));
      String text = CfgFile.create(List.of()).rewrite(typed, Set.of()).orElseThrow();
      Map<String, Object> back = FileInstallReader.read(text);
      assertThat(back.get("note")).as(text).isEqualTo(value);
      assertThat((String[]) back.get("tags")).as(text).containsExactly(value);
      assertThat(back.get("size")).isEqualTo(7);
    }
  }

  @Test
  void everyTypeOfValueComesBackWithItsType() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("i", 7);
    values.put("l", -7L);
    values.put("d", 0.1);
    values.put("f", 1e10f);
    values.put("b", true);
    values.put("c", '$');
    values.put("s", (short) 3);
    values.put("x", (byte) -1);
    values.put("ints", new int[] {1, 2});
    values.put("longs", new Long[] {3L});
    values.put("none", new String[0]);
    String text = CfgFile.create(List.of()).rewrite(values, Set.of()).orElseThrow();
    Map<String, Object> back = FileInstallReader.read(text);
    assertThat(Values.sameValues(back, values)).as(text + " read as " + back).isTrue();
    assertThat(back.get("ints")).isInstanceOf(int[].class);
    assertThat(back.get("d")).isInstanceOf(Double.class);
  }

  @Test
  void keysOutsideTheKeyRuleNeitherAddLinesNorVanishAsComments() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("note\nmax_queue_size = 7\nverbose", "true");
    values.put("#hidden", "a");
    values.put("!hidden", "b");
    values.put("a=b:c d", "c");
    values.put("back\\slash", "d");
    String text = CfgFile.create(List.of()).rewrite(values, Set.of()).orElseThrow();
    assertThat(FileInstallReader.read(text)).as(text).isEqualTo(values);
    assertThat(text.lines()).as(text).hasSize(values.size());
  }

  private static Map<String, Object> randomStrings(Random random, int count) {
    Map<String, Object> values = new LinkedHashMap<>();
    while (values.size() < count) {
      values.put(randomKey(random), randomValue(random));
    }
    return values;
  }

  private static String randomKey(Random random) {
    StringBuilder key = new StringBuilder();
    for (int i = 1 + random.nextInt(20); i > 0; i--) {
      key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return key.toString();
  }

  private static String randomValue(Random random) {
    if (random.nextInt(5) == 0) {
      return NASTY.get(random.nextInt(NASTY.size()));
    }
    StringBuilder value = new StringBuilder();
    for (int i = random.nextInt(24); i > 0; i--) {
      int pick = random.nextInt(10);
      if (pick < 5) {
        value.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
      } else if (pick < 8) {
        value.append((char) (0x20 + random.nextInt(0x5f)));
      } else {
        value.appendCodePoint(randomCodePoint(random));
      }
    }
    return value.toString();
  }

  private static int randomCodePoint(Random random) {
    while (true) {
      int codePoint = random.nextInt(0x110000);
      if (codePoint < 0xd800 || codePoint > 0xdfff) {
        return codePoint;
      }
    }
  }
}

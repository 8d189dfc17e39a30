package dev.maverick.handler.itest.runtime;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.itest.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;

/**
 * The config-files bundle with FileInstall and Config Admin in Felix: {@code etc/} stays the source
 * of configuration in every direction. {@code .cfg.json} files are applied with their types and
 * rewritten when the configuration changes; a configuration created at run time gets a file that
 * FileInstall adopts (one configuration, not two), and later changes and the deletion follow it.
 * And the write-back is no door: it writes and deletes only a configuration's own file, stores any
 * value so that FileInstall reads back the same string (nothing interpolated), keeps files holding a
 * secret owner-only, and reports a value it cannot write without giving up on later changes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigFilesIT {
  private static final String FILENAME = "felix.fileinstall.filename";
  private static final String SAMPLE = "dev.maverick.itest.sample";

  @Inject ConfigurationAdmin configAdmin;
  @Inject BundleContext context;

  @Configuration
  public Option[] config() throws IOException {
    Path work = Path.of(System.getProperty("maverick.itest.work"), "config-files-" + UUID.randomUUID());
    Path etc = work.resolve("etc");
    Path deploy = work.resolve("deploy");
    return options(platform(),
        // in the runnable jar the runtime bundle points FileInstall at these before it starts;
        // here the start order is Pax Exam's, so FileInstall is told directly
        systemProperty("maverick.etc").value(etc.toString()),
        systemProperty("maverick.deploy").value(deploy.toString()),
        frameworkProperty("felix.fileinstall.dir").value(etc + "," + deploy),
        frameworkProperty("felix.fileinstall.poll").value("100"),
        frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
        frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
        frameworkProperty("felix.fileinstall.configEncoding").value("UTF-8"),
        mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject(),
        jackson(), bundleOf("core"), bundleOf("config-files"), bundleOf("echo"));
  }

  @Test
  public void aJsonFileIsAppliedWithItsTypesAndRewrittenWhenTheConfigurationChanges() throws Exception {
    Path file = etc().resolve(SAMPLE + "-a.cfg.json");
    write(file, "{\n  // a comment\n  \"name\": \"a\",\n  \"size:Integer\": 8,\n  \"tags\": [\"x\", \"y\"]\n}\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(" + FILENAME + "=" + file.toFile().toURI() + ")"));
    assertEquals(SAMPLE + "~a", configuration.getPid());
    assertEquals(8, configuration.getProperties().get("size"));
    assertTrue(Arrays.equals(new String[] {"x", "y"}, (String[]) configuration.getProperties().get("tags")));

    Dictionary<String, Object> changed = configuration.getProperties();
    changed.put("size", 9);
    changed.put("added", true);
    configuration.update(changed);
    Await.until("the change written to " + file, () -> read(file).contains("\"size:Integer\": 9"));
    String text = read(file);
    assertTrue(text, text.contains("\"added\": true"));
    assertTrue(text, text.indexOf("\"name\"") < text.indexOf("\"size:Integer\""));
    assertFalse("the file name is bookkeeping, not content: " + text, text.contains(FILENAME));

    Files.delete(file);
    Await.until("the configuration deleted with its file", () -> find("(service.pid=" + SAMPLE + "~a)") == null);
  }

  @Test
  public void aConfigurationMadeAtRunTimeGetsAFileThatFileInstallAdopts() throws Exception {
    org.osgi.service.cm.Configuration made = configAdmin.getFactoryConfiguration(SAMPLE, "made", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("name", "made");
    properties.put("size", 3);
    made.update(properties);
    Path file = etc().resolve(SAMPLE + "-made.cfg");
    Await.until(file + " written", () -> Files.isRegularFile(file) && read(file).contains("size"));
    assertTrue(read(file), read(file).contains("size = I\"3\""));
    Await.until("the configuration marked with its file",
        () -> file.toFile().toURI().toString().equals(properties(SAMPLE + "~made").get(FILENAME)));

    // FileInstall reads the file back as the same configuration, with the same types
    edit(file, "I\"3\"", "I\"4\"");
    Await.until("the edited file applied", () -> Integer.valueOf(4).equals(properties(SAMPLE + "~made").get("size")));
    assertEquals("one configuration", 1,
        configAdmin.listConfigurations("(&(service.factoryPid=" + SAMPLE + ")(name=made))").length);

    // a change through Config Admin goes back to the file
    Dictionary<String, Object> changed = find("(service.pid=" + SAMPLE + "~made)").getProperties();
    changed.put("size", 5);
    find("(service.pid=" + SAMPLE + "~made)").update(changed);
    Await.until("the change written back", () -> read(file).contains("I\"5\""));

    find("(service.pid=" + SAMPLE + "~made)").delete();
    Await.until(file + " removed with its configuration", () -> !Files.exists(file));
  }

  @Test
  public void aChangeToAConfigurationFromACfgFileIsWrittenBackKeepingItsComments() throws Exception {
    Path file = etc().resolve(SAMPLE + "-edited.cfg");
    write(file, "# the sample, by hand\nname = edited\n# how many\nsize = 3\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + SAMPLE + "~edited)"));
    Dictionary<String, Object> changed = configuration.getProperties();
    changed.put("size", "4");
    changed.put("added", "yes");
    configuration.update(changed);
    Await.until("the change written back", () -> read(file).contains("size = 4"));
    String text = read(file);
    assertTrue(text, text.startsWith("# the sample, by hand\nname = edited\n# how many\nsize = 4\n"));
    assertTrue(text, text.contains("added = yes"));

    configuration.delete();
    Await.until(file + " removed with its configuration", () -> !Files.exists(file));
  }

  @Test
  public void aRunTimeChangeLeavesFileInstallNothingToApplySoTheNextChangeIsNeverOverwritten() throws Exception {
    String echo = "dev.maverick.handler.echo"; // its metatype declares the keys: the file stays untyped
    Path file = etc().resolve(echo + "-quick.cfg");
    write(file, "name = quick\ndelay_ms = 0\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + echo + "~quick)"));
    for (int delay = 1; delay <= 12; delay++) {
      Dictionary<String, Object> changed = configuration.getProperties();
      changed.put("delay_ms", delay); // typed, as the admin's PUT makes it; the file holds a string
      configuration.update(changed);
      // at once, before FileInstall sees the file: the configuration holds what it will read there,
      // so its re-read of this write applies nothing over the next change
      assertEquals("after change " + delay, String.valueOf(delay), configuration.getProperties().get("delay_ms"));
      String expected = "delay_ms = " + delay;
      Await.until("change " + delay + " written back", () -> read(file).contains(expected));
    }
    Await.until("the last change kept in the file and the configuration",
        () -> read(file).contains("delay_ms = 12") && "12".equals(configuration.getProperties().get("delay_ms")));
    configuration.delete();
    Await.until(file + " removed with its configuration", () -> !Files.exists(file));
  }

  @Test
  public void unnamedFactoryAndSingletonConfigurationsGetFilesToo() throws Exception {
    org.osgi.service.cm.Configuration unnamed = configAdmin.createFactoryConfiguration(SAMPLE + ".other", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("name", "weather eu");
    unnamed.update(properties);
    Path factoryFile = etc().resolve(SAMPLE + ".other-weather_eu.cfg");
    Await.until(factoryFile + " written", () -> Files.isRegularFile(factoryFile));

    org.osgi.service.cm.Configuration single = configAdmin.getConfiguration(SAMPLE + ".single", "?");
    Dictionary<String, Object> plain = new Hashtable<>();
    plain.put("greeting", "hello");
    single.update(plain);
    Path singleFile = etc().resolve(SAMPLE + ".single.cfg");
    Await.until(singleFile + " written", () -> Files.isRegularFile(singleFile) && read(singleFile).contains("greeting"));
    assertTrue(read(singleFile), read(singleFile).contains("greeting = hello"));

    // adopted, not duplicated: still one configuration per PID after FileInstall has read the files
    Await.until("both adopted", () -> properties(unnamed.getPid()).get(FILENAME) != null
        && properties(SAMPLE + ".single").get(FILENAME) != null);
    assertEquals(1, configAdmin.listConfigurations("(service.factoryPid=" + SAMPLE + ".other)").length);
    assertNull(find("(service.pid=" + SAMPLE + ".other~weather_eu)"));
  }

  @Test
  public void aConfigurationNamingAnotherFileNeitherOverwritesNorDeletesIt() throws Exception {
    // outside etc/, and a file in etc/ that belongs to another configuration
    Path outside = etc().getParent().resolve("victim.txt");
    write(outside, "precious\n");
    Path sibling = etc().resolve(SAMPLE + "-owner.cfg");
    write(sibling, "name = owner\n");
    Await.value("the owner's configuration", () -> find("(service.pid=" + SAMPLE + "~owner)"));
    for (Path victim : java.util.List.of(outside, sibling)) {
      String before = read(victim);
      org.osgi.service.cm.Configuration attacker = configAdmin.createFactoryConfiguration(SAMPLE, "?");
      Dictionary<String, Object> properties = new Hashtable<>();
      properties.put("name", "attacker");
      // Config Admin compares keys without case: this is FileInstall's marker
      properties.put("Felix.FileInstall.Filename", victim.toUri().toString());
      attacker.update(properties);
      properties.put("size", 7);
      attacker.update(properties);
      attacker.delete();
      // the last effect: the delete's event has been handled (synchronously) when delete() returns
      assertTrue(victim + " still there", Files.isRegularFile(victim));
      assertEquals(victim + " untouched", before, read(victim));
    }
  }

  @Test
  public void anyValueIsWrittenSoThatFileInstallReadsBackTheSameString() throws Exception {
    Path file = etc().resolve(SAMPLE + "-strings.cfg");
    write(file, "name = strings\nauth = s3cret\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + SAMPLE + "~strings)"));
    Dictionary<String, Object> stored = configuration.getProperties();
    java.util.Map<String, String> values = java.util.Map.of("note", "${auth}", "home", "${env:HOME}",
        "models", "C:\\models\\", "pair", "\\\\", "multi", "a\nmax_queue_size = 7", "marker", "a$__b",
        "braces", "{x} \\{y\\}", "padded", "  both ends  ", "bracket", "[a]");
    values.forEach(stored::put);
    stored.put("note\nverbose", "true");
    configuration.update(stored);
    Await.until("the values written back", () -> read(file).contains("note"));
    // FileInstall reads the file again only when it changes: a hand edit makes it read all of it
    // (in the file's format: these values need the typed one, where a plain line would make all plain)
    assertTrue(read(file), read(file).contains("name = \"strings\""));
    write(file, read(file) + "reread = \"yes\"\n");
    Await.until("the file read again", () -> "yes".equals(properties(SAMPLE + "~strings").get("reread")));
    Dictionary<String, Object> back = properties(SAMPLE + "~strings");
    values.forEach((key, value) -> assertEquals(key + " in\n" + read(file), value, back.get(key)));
    assertEquals("true", back.get("note\nverbose"));
    assertNull("no key injected by a newline: " + read(file), back.get("verbose"));
    assertNull(back.get("max_queue_size"));
    assertEquals("s3cret", back.get("auth"));
  }

  @Test
  public void aFileHoldingASecretIsOwnerOnlyAndStaysSo() throws Exception {
    Path file = etc().resolve(SAMPLE + "-secret.cfg");
    write(file, "name = secret\n");
    java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + SAMPLE + "~secret)"));
    Dictionary<String, Object> changed = configuration.getProperties();
    changed.put("auth", "s3cret");
    configuration.update(changed);
    Await.until("the secret written", () -> read(file).contains("s3cret"));
    assertEquals("rw-------", mode(file));
    changed.remove("auth");
    changed.put("size", "2");
    configuration.update(changed);
    Await.until("the next change written", () -> read(file).contains("size"));
    assertEquals("never widened", "rw-------", mode(file));
  }

  @Test
  public void aValueThatCannotBeWrittenLeavesTheFileAndLaterChangesAreWritten() throws Exception {
    Path file = etc().resolve(SAMPLE + "-infinite.cfg");
    write(file, "name = infinite\nsize = 1\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + SAMPLE + "~infinite)"));
    Dictionary<String, Object> changed = configuration.getProperties();
    changed.put("ratio", Double.POSITIVE_INFINITY);
    configuration.update(changed);
    assertEquals("the file is left as it is", "name = infinite\nsize = 1\n", read(file));
    changed.remove("ratio");
    changed.put("size", "2");
    configuration.update(changed);
    Await.until("the next change written", () -> read(file).contains("size = 2"));
  }

  @Test
  public void aHandWrittenFileStaysUntypedWhereTheMetatypeGivesTheType() throws Exception {
    String echo = "dev.maverick.handler.echo";
    Path file = etc().resolve(echo + "-styled.cfg");
    write(file, "# by hand\nname = styled\ndelay_ms = 0\nmax_queue_size = 128\n");
    org.osgi.service.cm.Configuration configuration = Await.value("the configuration of " + file,
        () -> find("(service.pid=" + echo + "~styled)"));
    Dictionary<String, Object> changed = configuration.getProperties();
    changed.put("max_queue_size", 7);
    configuration.update(changed);
    Await.until("the change written back", () -> read(file).contains("max_queue_size = 7"));
    assertEquals("# by hand\nname = styled\ndelay_ms = 0\nmax_queue_size = 7\n", read(file));
    configuration.delete();
    Await.until(file + " removed with its configuration", () -> !Files.exists(file));
  }

  private static String mode(Path file) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private Path etc() {
    return Path.of(System.getProperty("maverick.etc"));
  }

  private org.osgi.service.cm.Configuration find(String filter) {
    try {
      org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations(filter);
      return found == null ? null : found[0];
    } catch (Exception e) {
      throw new IllegalStateException(filter, e);
    }
  }

  /**
   * The write-back tells FileInstall's updates from the running system's by the thread they come on
   * (an update FileInstall makes is never written back: it may be older than the file by then). So
   * FileInstall must apply files on its directory watcher; an upgrade that moves it breaks this.
   */
  @Test
  public void fileInstallAppliesAnEditedFileOnItsDirectoryWatcherThread() throws Exception {
    Path file = etc().resolve(SAMPLE + "-watched.cfg");
    List<String> threads = new CopyOnWriteArrayList<>();
    SynchronousConfigurationListener listener = event -> {
      if (event.getType() == ConfigurationEvent.CM_UPDATED && (SAMPLE + "~watched").equals(event.getPid())) {
        threads.add(Thread.currentThread().getClass().getName());
      }
    };
    ServiceRegistration<SynchronousConfigurationListener> registration =
        context.registerService(SynchronousConfigurationListener.class, listener, null);
    try {
      write(file, "name = watched\nsize = 1\n");
      Await.until("the file applied", () -> "1".equals(properties(SAMPLE + "~watched").get("size")));
      edit(file, "size = 1", "size = 2");
      Await.until("the edit applied", () -> "2".equals(properties(SAMPLE + "~watched").get("size")));
      assertEquals(threads.toString(), "org.apache.felix.fileinstall.internal.DirectoryWatcher",
          threads.get(threads.size() - 1));
    } finally {
      registration.unregister();
      Files.deleteIfExists(file);
    }
  }

  private Dictionary<String, Object> properties(String pid) {
    org.osgi.service.cm.Configuration configuration = find("(service.pid=" + pid + ")");
    return configuration == null ? new Hashtable<>() : configuration.getProperties();
  }

  private static void write(Path file, String text) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.createDirectories(file.getParent());
    Files.writeString(part, text, StandardCharsets.UTF_8);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void edit(Path file, String from, String to) {
    try {
      write(file, read(file).replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

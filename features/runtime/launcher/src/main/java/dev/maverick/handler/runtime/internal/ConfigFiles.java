package dev.maverick.handler.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.utils.properties.TypedProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code etc/} the single source of configuration, beyond what FileInstall does itself.
 *
 * <p>FileInstall feeds {@code *.cfg} files to Config Admin. This component does the rest, with
 * FileInstall's own write-back switched off ({@code felix.fileinstall.enableConfigSave=false}, see
 * {@link #writeCfgIfChanged}):
 * <ul>
 *   <li>a change made at run time to a configuration from a file is written back to that file,
 *       and deleting the configuration deletes the file;
 *   <li>{@code *.cfg.json} files (the Configurator format, see {@link JsonConfig}) are installed,
 *       updated and removed like {@code .cfg} files, and changes made at run time are written back;
 *   <li>a configuration created at run time (by the admin bundle, the shell, any Config Admin
 *       client) gets a file: {@code pid.cfg}, or {@code factoryPid-name.cfg} for a factory
 *       instance. The configuration is first marked with that file (FileInstall's
 *       {@value #FILENAME} property), then the file is written in FileInstall's own typed format,
 *       so FileInstall adopts it without creating a second configuration or changing a value.
 * </ul>
 */
// synchronous: the event is handled in the thread that updated the configuration, so what it reads
// is that update's state, and updates from the file and from the running system keep their order
@Component(service = {SynchronousConfigurationListener.class, ArtifactInstaller.class}, immediate = true)
public final class ConfigFiles implements SynchronousConfigurationListener, ArtifactInstaller {
  /** FileInstall's property naming the file a configuration comes from (an absolute file URI). */
  static final String FILENAME = "felix.fileinstall.filename";
  /** FileInstall's property naming the encoding of configuration files. */
  static final String ENCODING = "felix.fileinstall.configEncoding";
  private static final Set<String> BOOKKEEPING = Set.of(Constants.SERVICE_PID.toLowerCase(),
      ConfigurationAdmin.SERVICE_FACTORYPID.toLowerCase(), ConfigurationAdmin.SERVICE_BUNDLELOCATION.toLowerCase(),
      FILENAME.toLowerCase());
  /** Configurations that belong to the runtime's plumbing, never written to {@code etc/}. */
  private static final List<String> NOT_PERSISTED = List.of("org.apache.felix.fileinstall");
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFiles.class);

  private final ConfigurationAdmin configAdmin;
  private final Layout layout;
  private final Charset encoding;
  /** PID to the file (config key) it came from, to delete the file with it. */
  private final Map<String, String> files = new ConcurrentHashMap<>();
  private final Agreement agreement = new Agreement();

  /** Writes files for configurations that were created before this component started. */
  @Activate
  public ConfigFiles(@Reference ConfigurationAdmin configAdmin, @Reference Layout layout, BundleContext context) {
    this.configAdmin = configAdmin;
    this.layout = layout;
    String charset = context.getProperty(ENCODING);
    this.encoding = charset == null ? StandardCharsets.ISO_8859_1 : Charset.forName(charset);
    try {
      Configuration[] existing = configAdmin.listConfigurations(null);
      for (Configuration configuration : existing == null ? new Configuration[0] : existing) {
        updated(configuration.getPid());
      }
    } catch (IOException | InvalidSyntaxException e) {
      LOG.warn("cannot list configurations to write them to {}: {}", layout.etc(), e.toString());
    }
  }

  // ---- Config Admin to files

  @Override
  public void configurationEvent(ConfigurationEvent event) {
    if (event.getType() == ConfigurationEvent.CM_UPDATED) {
      updated(event.getPid());
    } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
      agreement.forget(event.getPid());
      String key = files.remove(event.getPid());
      Optional<Path> file = key == null ? Optional.empty() : ConfigFileNames.fromConfigKey(key);
      if (file.isPresent() && Files.isRegularFile(file.get())) {
        try {
          Files.delete(file.get());
          LOG.info("configuration {} deleted: removed {}", event.getPid(), file.get());
        } catch (IOException e) {
          LOG.warn("configuration {} deleted, but {} could not be removed: {}", event.getPid(), file.get(), e.toString());
        }
      }
    }
  }

  private void updated(String pid) {
    try {
      Configuration configuration = find("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
      if (configuration == null) {
        return;
      }
      Dictionary<String, Object> properties = configuration.getProperties();
      Object fileName = properties.get(FILENAME);
      if (fileName instanceof String key) {
        files.put(pid, key);
        Optional<Path> file = ConfigFileNames.fromConfigKey(key);
        if (file.isPresent() && ConfigFileNames.isJson(key)) {
          writeJsonIfChanged(pid, file.get(), properties);
        } else if (file.isPresent()) {
          writeCfgIfChanged(pid, file.get(), properties);
        }
        return;
      }
      if (NOT_PERSISTED.stream().anyMatch(pid::startsWith)) {
        return;
      }
      persistNew(configuration, properties);
    } catch (IOException | InvalidSyntaxException | RuntimeException e) {
      LOG.warn("configuration {} could not be written to {}: {}", pid, layout.etc(), e.toString());
    }
  }

  private void persistNew(Configuration configuration, Dictionary<String, Object> properties) throws IOException {
    String pid = configuration.getPid();
    String factoryPid = configuration.getFactoryPid();
    Object name = properties.get("name");
    String fileName = ConfigFileNames.fileName(pid, factoryPid,
        Optional.ofNullable(name instanceof String text ? text : null), ConfigFileNames.CFG);
    Path file = unique(layout.etc().resolve(fileName));
    if ((factoryPid == null ? pid : factoryPid).contains("-")) {
      LOG.warn("PID {} contains '-': FileInstall will read {} back under another PID after a restart", pid, file);
    }
    Map<String, Object> own = userProperties(properties);
    // mark first: when FileInstall sees the file it finds this configuration by its file name
    Hashtable<String, Object> marked = new Hashtable<>(own);
    marked.put(FILENAME, ConfigFileNames.configKey(file));
    configuration.update(marked);
    TypedProperties typed = new TypedProperties(false);
    typed.setHeader(List.of("# " + pid + ": created at run time, written by the Maverick runtime.",
        "# FileInstall keeps this file and the configuration in step; edit either."));
    own.forEach(typed::put);
    StringWriter text = new StringWriter();
    typed.save(text);
    writeWhole(file, text.toString(), encoding);
    agreement.agreed(pid, own);
    LOG.info("configuration {} created at run time: written to {}", pid, file);
  }

  private void writeJsonIfChanged(String pid, Path file, Dictionary<String, Object> properties) {
    if (!Files.isRegularFile(file)) {
      return; // being deleted: the file's removal deletes the configuration
    }
    Map<String, Object> own = userProperties(properties);
    try {
      Map<String, Object> onDisk = readJson(file);
      if (!agreement.fromRunTime(pid, onDisk, own)) {
        return;
      }
      // keep the file's key order, new keys last
      Map<String, Object> ordered = new LinkedHashMap<>();
      onDisk.keySet().stream().filter(own::containsKey).forEach(key -> ordered.put(key, own.get(key)));
      own.forEach(ordered::putIfAbsent);
      writeWhole(file, JsonConfig.write(ordered), StandardCharsets.UTF_8);
      LOG.info("configuration {} changed at run time: written to {}", pid, file);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("configuration {} changed at run time, but {} could not be rewritten: {}", pid, file, e.getMessage());
    }
  }

  /**
   * Writes a run-time change of a configuration back to its {@code .cfg} file, as FileInstall's
   * {@code enableConfigSave} would, but only when a value differs and always as a whole new file
   * moved into place: FileInstall's own write-back rewrites the file on every update, even the one
   * it just read from the file, and its scanner can then read the file half-written (seen here: a
   * configuration applied without its name). Comments and the order of keys are kept.
   */
  private void writeCfgIfChanged(String pid, Path file, Dictionary<String, Object> properties) {
    if (!Files.isRegularFile(file)) {
      return; // being deleted: FileInstall deletes the configuration
    }
    Map<String, Object> own = userProperties(properties);
    try {
      TypedProperties typed = new TypedProperties(false);
      try (java.io.Reader in = Files.newBufferedReader(file, encoding)) {
        typed.load(in);
      }
      if (!agreement.fromRunTime(pid, new LinkedHashMap<>(typed), own)) {
        return;
      }
      if (typed.values().stream().anyMatch(value -> String.valueOf(value).contains("${"))) {
        // FileInstall substitutes ${...} when it reads the file: writing values back would lose the variables
        LOG.warn("configuration {} changed at run time, but {} uses ${...} variables and is left as it is", pid, file);
        return;
      }
      new ArrayList<>(typed.keySet()).stream().filter(key -> !own.containsKey(key)).forEach(typed::remove);
      own.forEach(typed::put);
      StringWriter text = new StringWriter();
      typed.save(text);
      writeWhole(file, text.toString(), encoding);
      LOG.info("configuration {} changed at run time: written to {}", pid, file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("configuration {} changed at run time, but {} could not be rewritten: {}", pid, file, e.toString());
    }
  }

  /** Writes a file whole: a new file beside it, moved into place, so no reader sees half of it. */
  private static void writeWhole(Path file, String text, Charset charset) throws IOException {
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    Files.writeString(part, text, charset);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  // ---- .cfg.json files to Config Admin (FileInstall calls these from its watcher thread)

  @Override
  public boolean canHandle(File artifact) {
    return ConfigFileNames.isJson(artifact.getName());
  }

  @Override
  public void install(File artifact) throws Exception {
    apply(artifact.toPath());
  }

  @Override
  public void update(File artifact) throws Exception {
    apply(artifact.toPath());
  }

  @Override
  public void uninstall(File artifact) throws Exception {
    String key = ConfigFileNames.configKey(artifact.toPath());
    Configuration configuration = find("(" + FILENAME + "=" + escape(key) + ")");
    if (configuration != null) {
      files.remove(configuration.getPid());
      configuration.delete();
      LOG.info("configuration {} deleted: {} was removed", configuration.getPid(), artifact);
    }
  }

  private void apply(Path file) throws IOException, InvalidSyntaxException {
    Map<String, Object> values;
    ConfigFileNames.Target target;
    try {
      target = ConfigFileNames.parse(file.getFileName().toString());
      values = readJson(file);
    } catch (IllegalArgumentException e) {
      // FileInstall retries only when the file changes again: say exactly what to fix
      LOG.error("{} is not applied: {}", file, e.getMessage());
      return;
    }
    String key = ConfigFileNames.configKey(file);
    Configuration configuration = find("(" + FILENAME + "=" + escape(key) + ")");
    if (configuration == null) {
      configuration = target.isFactory()
          ? configAdmin.getFactoryConfiguration(target.factoryPid(), target.name(), "?")
          : configAdmin.getConfiguration(target.pid(), "?");
    }
    files.put(configuration.getPid(), key);
    Dictionary<String, Object> current = configuration.getProperties();
    if (current != null && sameValues(userProperties(current), values)) {
      return;
    }
    Hashtable<String, Object> properties = new Hashtable<>(values);
    properties.put(FILENAME, key);
    configuration.update(properties);
    // worded as FileInstall words it for .cfg files
    LOG.info("{} configuration {{}} from {}", current == null ? "Creating" : "Updating", configuration.getPid(), file);
  }

  // ---- helpers

  private static Map<String, Object> readJson(Path file) throws IOException {
    return JsonConfig.read(Files.readString(file, StandardCharsets.UTF_8));
  }

  private Configuration find(String filter) throws IOException, InvalidSyntaxException {
    Configuration[] found = configAdmin.listConfigurations(filter);
    return found == null || found.length == 0 ? null : found[0];
  }

  private static Path unique(Path file) {
    if (!Files.exists(file)) {
      return file;
    }
    String name = file.getFileName().toString();
    String base = name.substring(0, name.length() - ConfigFileNames.CFG.length());
    for (int i = 2; ; i++) {
      Path candidate = file.resolveSibling(base + "-" + i + ConfigFileNames.CFG);
      if (!Files.exists(candidate)) {
        return candidate;
      }
    }
  }

  /** The properties a user set: without the PIDs, the bundle location and FileInstall's file name. */
  static Map<String, Object> userProperties(Dictionary<String, Object> properties) {
    Map<String, Object> own = new LinkedHashMap<>();
    for (String key : Collections.list(properties.keys())) {
      if (!BOOKKEEPING.contains(key.toLowerCase())) {
        own.put(key, properties.get(key));
      }
    }
    return own;
  }

  /** Equal keys and values, comparing arrays and collections by their elements. */
  static boolean sameValues(Map<String, ?> a, Map<String, ?> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, ?> entry : a.entrySet()) {
      if (!Objects.equals(comparable(entry.getValue()), comparable(b.get(entry.getKey())))) {
        return false;
      }
    }
    return true;
  }

  private static Object comparable(Object value) {
    if (value != null && value.getClass().isArray()) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        items.add(Array.get(value, i));
      }
      return items;
    }
    return value instanceof Collection<?> collection ? new ArrayList<>(collection) : value;
  }

  /** A value for an LDAP filter, with its special characters escaped. */
  static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '*' || c == '(' || c == ')') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}

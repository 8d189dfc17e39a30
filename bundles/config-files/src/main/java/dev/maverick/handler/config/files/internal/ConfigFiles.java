package dev.maverick.handler.config.files.internal;

import static dev.maverick.handler.config.files.ConfigFileNames.FILENAME_PROPERTY;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.config.files.ConfigFileNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configuration directory the single source of configuration, beyond what FileInstall
 * does itself (its own write-back must be off: {@code felix.fileinstall.enableConfigSave=false};
 * with it on, as in Karaf, this component stays idle):
 * <ul>
 *   <li>a change made at run time to a configuration from a file is written back to that file, in
 *       the file's style ({@link CfgFile}); deleting the configuration deletes the file;
 *   <li>{@code *.cfg.json} files ({@link JsonConfigFormat}) are installed, updated and removed
 *       like {@code .cfg} files, and changes made at run time are written back;
 *   <li>a configuration created at run time gets a file, {@code pid.cfg} or
 *       {@code factoryPid-name.cfg}: the configuration is first marked with it (FileInstall's
 *       {@value ConfigFileNames#FILENAME_PROPERTY}), so FileInstall adopts the file without creating
 *       a second configuration.
 * </ul>
 * Only a configuration's own file is ever written or deleted ({@link OwnFile}); keys the framework
 * owns ({@link ConfigKeys#isFrameworkKey}) are never written from a configuration; files holding a
 * secret are owner-only ({@link SafeFiles}). A value that cannot be written (not finite, or a
 * typed file would lose a variable) is logged as an error naming the key, the file is left as it
 * is, and later changes are written as usual.
 */
// synchronous: the event is handled in the thread that updated the configuration, so what it reads
// is that update's state, and updates from the file and from the running system keep their order
@Component(service = {SynchronousConfigurationListener.class, ArtifactInstaller.class}, immediate = true)
public final class ConfigFiles implements SynchronousConfigurationListener, ArtifactInstaller {
  static final String ENCODING = "felix.fileinstall.configEncoding";
  static final String FILEINSTALL_WRITE_BACK = "felix.fileinstall.enableConfigSave";
  /** Configurations that belong to the runtime's plumbing, never written to a file. */
  private static final List<String> NOT_PERSISTED = List.of("org.apache.felix.fileinstall");
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFiles.class);

  private final ConfigurationAdmin configAdmin;
  private final BundleContext context;
  private final Path etc;
  private final Charset encoding;
  private final boolean active;
  /** Made on first use: Jackson's mapper loads about 380 classes, a tenth of a start's, for files rarely there. */
  private JsonConfigFormat json;
  private final Agreement agreement = new Agreement();
  /**
   * One lock per PID: an update from the running system and one FileInstall makes from the file
   * can be seen at the same time on two threads, and each reads the file, decides and writes; done
   * at once, one's agreement overwrote the other's and the next change was taken for an old one.
   */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** PID to its own file (checked by {@link OwnFile}), to delete the file with the configuration. */
  private final Map<String, Path> files = new ConcurrentHashMap<>();

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile MetaTypeService metaType;

  /** Writes files for configurations that were created before this component started. */
  @Activate
  public ConfigFiles(@Reference ConfigurationAdmin configAdmin, BundleContext context) {
    this.configAdmin = configAdmin;
    this.context = context;
    this.etc = ConfigFileNames.configDirectory(context::getProperty);
    String charset = context.getProperty(ENCODING);
    this.encoding = charset == null ? StandardCharsets.ISO_8859_1 : Charset.forName(charset);
    this.active = "false".equalsIgnoreCase(String.valueOf(context.getProperty(FILEINSTALL_WRITE_BACK)).trim());
    if (!active) {
      LOG.info("FileInstall writes configurations back itself ({} is not false): configuration files are left to it",
          FILEINSTALL_WRITE_BACK);
      return;
    }
    for (Configuration configuration : list(null)) {
      if (!deletedWhileStopped(configuration)) {
        synchronized (lock(configuration.getPid())) {
          updated(configuration.getPid());
        }
      }
    }
  }

  /**
   * Deletes a configuration whose own file is gone. Config Admin keeps configurations across
   * restarts (the runtime keeps its bundle cache), but FileInstall only notices a file deleted
   * while it runs: one removed while the runtime was stopped would leave its configuration, and
   * its handler, without a file.
   */
  private boolean deletedWhileStopped(Configuration configuration) {
    Dictionary<String, Object> properties = configuration.getProperties();
    if (properties == null || !(properties.get(FILENAME_PROPERTY) instanceof String marker)) {
      return false;
    }
    String pid = configuration.getPid();
    Optional<Path> file = OwnFile.of(etc, pid, configuration.getFactoryPid(), marker,
        (candidate, namedPid) -> claimedByOthers(pid, candidate, namedPid));
    if (file.isEmpty() || Files.exists(file.get(), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      configuration.delete();
      LOG.info("configuration {} deleted: {} was removed while the runtime was stopped", pid, file.get());
    } catch (IOException | IllegalStateException e) {
      LOG.warn("configuration {} has lost its file {}, but could not be deleted: {}", pid, file.get(), e.toString());
    }
    return true;
  }

  // ---- Config Admin to files

  @Override
  public void configurationEvent(ConfigurationEvent event) {
    if (!active) {
      return;
    }
    String pid = event.getPid();
    synchronized (lock(pid)) {
      if (event.getType() == ConfigurationEvent.CM_UPDATED) {
        updated(pid);
      } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
        deleted(pid);
      }
    }
  }

  private Object lock(String pid) {
    return locks.computeIfAbsent(pid, key -> new Object());
  }

  private void deleted(String pid) {
    agreement.forget(pid);
    locks.remove(pid);
    Path file = files.remove(pid);
    if (file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.delete(file);
        LOG.info("configuration {} deleted: removed {}", pid, file);
      } catch (IOException e) {
        LOG.warn("configuration {} deleted, but {} could not be removed: {}", pid, file, e.toString());
      }
    }
  }

  private void updated(String pid) {
    Configuration configuration = find("(" + Constants.SERVICE_PID + "=" + ConfigKeys.ldapValue(pid) + ")");
    Dictionary<String, Object> properties = configuration == null ? null : configuration.getProperties();
    if (properties == null) {
      return;
    }
    try {
      Map<String, Object> own = userProperties(properties);
      if (properties.get(FILENAME_PROPERTY) instanceof String marker) {
        Optional<Path> file = OwnFile.of(etc, pid, configuration.getFactoryPid(), marker,
            (candidate, namedPid) -> claimedByOthers(pid, candidate, namedPid));
        if (file.isEmpty()) {
          LOG.warn("configuration {} names {} as its file, which is not its own in {} (pid.cfg or factoryPid-name.cfg):"
              + " nothing is written or deleted for it", pid, marker, etc);
          return;
        }
        files.put(pid, file.get());
        if (ConfigFileNames.isJson(file.get().getFileName().toString())) {
          writeJson(pid, file.get(), own);
        } else {
          writeCfg(configuration, file.get(), own);
        }
      } else if (NOT_PERSISTED.stream().noneMatch(pid::startsWith)) {
        persistNew(configuration, properties, own);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("configuration {} could not be written to {}: {}", pid, etc, e.toString());
    }
  }

  private void persistNew(Configuration configuration, Dictionary<String, Object> properties, Map<String, Object> own)
      throws IOException {
    String pid = configuration.getPid();
    String factoryPid = configuration.getFactoryPid();
    Object name = properties.get("name");
    Path file = etc.resolve(ConfigFileNames.fileName(pid, factoryPid,
        Optional.ofNullable(name instanceof String text ? text : null), ConfigFileNames.CFG));
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (factoryPid == null) {
        LOG.warn("configuration {} was created at run time, but {} exists already: FileInstall applies that file", pid,
            file);
        return;
      }
      file = unique(file);
    }
    if ((factoryPid == null ? pid : factoryPid).contains("-")) {
      LOG.warn("PID {} contains '-': FileInstall will read {} back under another PID after a restart", pid, file);
    }
    String text;
    try {
      text = CfgFile.create(List.of("# " + pid + ": created at run time, written by the Maverick runtime.",
              "# FileInstall keeps this file and the configuration in step; edit either."))
          .rewrite(own, declaredScalars(pid, factoryPid)).orElseThrow();
    } catch (IllegalArgumentException unwritable) {
      LOG.error("configuration {} was created at run time, but gets no file: {}", pid, unwritable.getMessage());
      return;
    }
    // mark first: when FileInstall sees the file it finds this configuration by its file name; and
    // hold what it will read there, or it would apply the file over a change made in between (see alignWithFile)
    CfgFile written = CfgFile.parse(text, context);
    Hashtable<String, Object> marked = asFileInstallReads(properties, written);
    marked.put(FILENAME_PROPERTY, ConfigFileNames.configKey(file));
    configuration.update(marked);
    SafeFiles.write(file, text, encoding, holdsSecret(own));
    agreement.agreed(pid, written.typed() ? own : userValues(written.values()));
    LOG.info("configuration {} created at run time: written to {}", pid, file);
  }

  /**
   * Writes a run-time change of a configuration back to its {@code .cfg} file, as FileInstall's
   * {@code enableConfigSave} would, but only when a value differs, in the file's style and as a
   * whole new file moved into place: FileInstall's own write-back rewrites the file on every
   * update, even the one it just read from the file, and its scanner can then read the file
   * half-written.
   */
  private void writeCfg(Configuration configuration, Path file, Map<String, Object> own) throws IOException {
    String pid = configuration.getPid();
    if (!Files.isRegularFile(file)) {
      return; // being deleted: FileInstall deletes the configuration
    }
    CfgFile cfg = CfgFile.parse(Files.readString(file, encoding), context);
    Map<String, Object> onDisk = userValues(cfg.values());
    if (FileInstallThread.isCurrent()) {
      agreement.fromFile(pid, onDisk, own, !cfg.typed());
      return;
    }
    if (!agreement.fromRunTime(pid, onDisk, own, !cfg.typed())) {
      return;
    }
    Optional<String> text;
    try {
      text = cfg.rewrite(own, declaredScalars(pid, configuration.getFactoryPid()));
    } catch (IllegalArgumentException unwritable) {
      agreement.agreed(pid, onDisk); // the file still says what it said: later changes are written as usual
      LOG.error("configuration {} changed at run time, but {} is left as it is: {}", pid, file, unwritable.getMessage());
      return;
    }
    if (text.isPresent()) {
      SafeFiles.write(file, text.get(), encoding, holdsSecret(own));
      LOG.info("configuration {} changed at run time: written to {}", pid, file);
      alignWithFile(configuration, text.get());
    }
  }

  /**
   * Makes the configuration hold what FileInstall will read from the file just written. FileInstall
   * re-reads every file that changes, ours included, and applies it when its values differ from the
   * configuration's, which an untyped file's always do after a run-time change (the file holds
   * strings, the change typed values). Applied a poll or two later, that echo of an older file
   * would overwrite a run-time change made in between: a lost update. Aligned at once, under the
   * PID's lock, the configuration leaves FileInstall nothing to apply. (The nested update is seen
   * here again, on this thread, and agrees with the file.)
   */
  private void alignWithFile(Configuration configuration, String text) throws IOException {
    CfgFile written = CfgFile.parse(text, context);
    Dictionary<String, Object> current = configuration.getProperties();
    if (written.typed() || current == null) {
      return; // a typed file reads back as the typed values it was written from
    }
    Map<String, Object> fileValues = userValues(written.values());
    if (fileValues.equals(userProperties(current))) {
      return;
    }
    agreement.agreed(configuration.getPid(), fileValues);
    configuration.update(asFileInstallReads(current, written));
  }

  /**
   * The properties a configuration has once FileInstall has applied {@code written}: the
   * framework's keys of {@code properties}, then the file's values as FileInstall reads them; for a
   * typed file, which reads back as the typed values it was written from, {@code properties} as
   * they are.
   */
  private static Hashtable<String, Object> asFileInstallReads(Dictionary<String, Object> properties,
      CfgFile written) {
    Hashtable<String, Object> read = new Hashtable<>();
    for (String key : Collections.list(properties.keys())) {
      if (written.typed() || ConfigKeys.isFrameworkKey(key)) {
        read.put(key, properties.get(key));
      }
    }
    if (!written.typed()) {
      read.putAll(userValues(written.values()));
    }
    return read;
  }

  private void writeJson(String pid, Path file, Map<String, Object> own) throws IOException {
    if (!Files.isRegularFile(file)) {
      return; // being deleted: the file's removal deletes the configuration
    }
    Map<String, Object> onDisk = userValues(json().read(Files.readString(file, StandardCharsets.UTF_8)));
    if (FileInstallThread.isCurrent()) {
      agreement.fromFile(pid, onDisk, own, false);
      return;
    }
    if (!agreement.fromRunTime(pid, onDisk, own, false)) {
      return;
    }
    // keep the file's key order, new keys last
    Map<String, Object> ordered = new LinkedHashMap<>();
    onDisk.keySet().stream().filter(own::containsKey).forEach(key -> ordered.put(key, own.get(key)));
    own.forEach(ordered::putIfAbsent);
    String text;
    try {
      text = json().write(ordered);
    } catch (IllegalArgumentException unwritable) {
      agreement.agreed(pid, onDisk);
      LOG.error("configuration {} changed at run time, but {} is left as it is: {}", pid, file, unwritable.getMessage());
      return;
    }
    SafeFiles.write(file, text, StandardCharsets.UTF_8, holdsSecret(own));
    LOG.info("configuration {} changed at run time: written to {}", pid, file);
  }

  // ---- .cfg.json files to Config Admin (FileInstall calls these from its watcher thread)

  @Override
  public boolean canHandle(File artifact) {
    return active && ConfigFileNames.isJson(artifact.getName());
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
    Configuration configuration = byFile(ConfigFileNames.configKey(artifact.toPath()));
    if (configuration != null) {
      files.remove(configuration.getPid());
      configuration.delete();
      LOG.info("configuration {} deleted: {} was removed", configuration.getPid(), artifact);
    }
  }

  private void apply(Path file) throws IOException {
    Map<String, Object> values;
    ConfigFileNames.Target target;
    try {
      target = ConfigFileNames.parse(file.getFileName().toString());
      values = json().read(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // FileInstall retries only when the file changes again: say exactly what to fix
      LOG.error("{} is not applied: {}", file, e.getMessage());
      return;
    }
    String key = ConfigFileNames.configKey(file);
    Configuration configuration = byFile(key);
    if (configuration == null) {
      configuration = target.isFactory()
          ? configAdmin.getFactoryConfiguration(target.factoryPid(), target.name(), "?")
          : configAdmin.getConfiguration(target.pid(), "?");
    }
    Dictionary<String, Object> current = configuration.getProperties();
    if (current != null && Values.sameValues(userProperties(current), userValues(values))) {
      return;
    }
    Hashtable<String, Object> properties = new Hashtable<>(values);
    properties.put(FILENAME_PROPERTY, key);
    configuration.update(properties);
    // worded as FileInstall words it for .cfg files
    LOG.info("{} configuration {{}} from {}", current == null ? "Creating" : "Updating", configuration.getPid(), file);
  }

  // ---- helpers

  private synchronized JsonConfigFormat json() {
    if (json == null) {
      json = new JsonConfigFormat();
    }
    return json;
  }

  private boolean claimedByOthers(String pid, Path file, String namedPid) {
    if (!namedPid.equals(pid) && find("(" + Constants.SERVICE_PID + "=" + ConfigKeys.ldapValue(namedPid) + ")") != null) {
      return true;
    }
    String marker = ConfigKeys.ldapValue(ConfigFileNames.configKey(file));
    return list("(" + FILENAME_PROPERTY + "=" + marker + ")").stream().anyMatch(other -> !other.getPid().equals(pid));
  }

  private Set<String> declaredScalars(String pid, String factoryPid) {
    return DeclaredKeys.scalars(metaType, context.getBundles(), pid, factoryPid);
  }

  private Configuration byFile(String key) {
    return find("(" + FILENAME_PROPERTY + "=" + ConfigKeys.ldapValue(key) + ")");
  }

  private Configuration find(String filter) {
    List<Configuration> found = list(filter);
    return found.isEmpty() ? null : found.get(0);
  }

  private List<Configuration> list(String filter) {
    try {
      Configuration[] found = configAdmin.listConfigurations(filter);
      return found == null ? List.of() : List.of(found);
    } catch (IOException | InvalidSyntaxException e) {
      LOG.warn("cannot list configurations {}: {}", filter == null ? "" : filter, e.toString());
      return List.of();
    }
  }

  private static Path unique(Path file) {
    String name = file.getFileName().toString();
    String base = name.substring(0, name.length() - ConfigFileNames.CFG.length());
    for (int i = 2; ; i++) {
      Path candidate = file.resolveSibling(base + "-" + i + ConfigFileNames.CFG);
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
    }
  }

  private static boolean holdsSecret(Map<String, Object> values) {
    return values.entrySet().stream().anyMatch(e -> HandlerConfig.isSecretKey(e.getKey())
        && e.getValue() != null && !String.valueOf(e.getValue()).isEmpty());
  }

  /** The properties a user set: without the keys the framework owns. */
  static Map<String, Object> userProperties(Dictionary<String, Object> properties) {
    Map<String, Object> own = new LinkedHashMap<>();
    for (String key : Collections.list(properties.keys())) {
      if (!ConfigKeys.isFrameworkKey(key)) {
        own.put(key, properties.get(key));
      }
    }
    return own;
  }

  private static Map<String, Object> userValues(Map<String, Object> values) {
    Map<String, Object> own = new LinkedHashMap<>(values);
    own.keySet().removeIf(ConfigKeys::isFrameworkKey);
    return own;
  }
}

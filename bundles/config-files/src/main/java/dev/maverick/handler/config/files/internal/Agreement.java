package dev.maverick.handler.config.files.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a configuration update made in the running system (which belongs in the configuration's
 * file) from one that came from the file itself, or that the file has already overtaken.
 *
 * <p>Updates are seen synchronously, in the thread that made them (see {@link ConfigFiles}): when
 * FileInstall applies a file, the configuration then equals the file. An update that differs from
 * the file therefore came from the running system, and is written back, unless the file has
 * changed since file and configuration last agreed: then someone edited the file, FileInstall is
 * about to apply the edit, and writing the configuration back would undo it. The file wins.
 */
final class Agreement {
  /** PID to the values its file and its configuration last both had. */
  private final Map<String, Map<String, Object>> agreed = new ConcurrentHashMap<>();

  /**
   * @param onDisk the values in the file now, as FileInstall reads them
   * @param configured the values of the configuration in the event
   * @param untypedFile the file is untyped: a scalar equals the string it is written as
   * @return true if the configuration's values should be written to the file
   */
  boolean fromRunTime(String pid, Map<String, Object> onDisk, Map<String, Object> configured, boolean untypedFile) {
    if (Values.sameValues(onDisk, configured, untypedFile)) {
      agreed.put(pid, onDisk);
      return false;
    }
    Map<String, Object> lastAgreed = agreed.get(pid);
    if (lastAgreed != null && !Values.sameValues(onDisk, lastAgreed, untypedFile)) {
      return false; // the file changed since they last agreed: the file wins
    }
    agreed.put(pid, configured);
    return true;
  }

  /**
   * An update FileInstall made from a file: never written back. FileInstall reads a file some time
   * after it changed, so what it applies may be older than the file by then (two quick run-time
   * changes: it reads the first one's file after the second was written). Writing that back would
   * undo the newer change; left alone, FileInstall sees the newer file and applies it too. Only
   * when the update equals the file do file and configuration agree.
   */
  void fromFile(String pid, Map<String, Object> onDisk, Map<String, Object> configured, boolean untypedFile) {
    if (Values.sameValues(onDisk, configured, untypedFile)) {
      agreed.put(pid, onDisk);
    }
  }

  /** File and configuration have these values: the runtime just wrote them both. */
  void agreed(String pid, Map<String, Object> values) {
    agreed.put(pid, values);
  }

  /** The configuration is gone. */
  void forget(String pid) {
    agreed.remove(pid);
  }
}

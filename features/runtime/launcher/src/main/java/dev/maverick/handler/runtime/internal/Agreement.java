package dev.maverick.handler.runtime.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a configuration update made in the running system (which belongs in the configuration's
 * file) from one that came from the file itself.
 *
 * <p>Config Admin's events arrive late: FileInstall may have read a file, the person editing it
 * saved again, and only then does the event of the first reading arrive. Writing that
 * configuration back would undo the edit. So an update is written back only when the file still
 * holds what it held when file and configuration last agreed; the first update seen of a
 * configuration from a file is FileInstall's reading of it.
 */
final class Agreement {
  /** PID to the values its file and its configuration last both had. */
  private final Map<String, Map<String, Object>> agreed = new ConcurrentHashMap<>();

  /**
   * @param onDisk the values in the file now
   * @param configured the values of the configuration in the event
   * @return true if the configuration's values should be written to the file
   */
  boolean fromRunTime(String pid, Map<String, Object> onDisk, Map<String, Object> configured) {
    if (ConfigFiles.sameValues(onDisk, configured)) {
      agreed.put(pid, onDisk);
      return false;
    }
    Map<String, Object> lastAgreed = agreed.putIfAbsent(pid, configured);
    if (lastAgreed == null || !ConfigFiles.sameValues(lastAgreed, onDisk)) {
      return false; // FileInstall's first reading, or the file changed since: the file wins
    }
    agreed.put(pid, configured);
    return true;
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

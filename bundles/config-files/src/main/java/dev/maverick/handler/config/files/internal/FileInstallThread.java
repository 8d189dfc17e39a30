package dev.maverick.handler.config.files.internal;

/**
 * Tells whether the current thread is FileInstall's directory watcher, the thread on which it
 * applies {@code .cfg} files and calls our {@code .cfg.json} installer. A configuration update seen
 * on that thread came from a file (see {@link Agreement#fromFile}).
 */
final class FileInstallThread {
  /** The watcher's class (Felix FileInstall 3.x, also in Karaf); a thread of its own per directory. */
  static final String WATCHER_CLASS = "org.apache.felix.fileinstall.internal.DirectoryWatcher";

  private FileInstallThread() {}

  static boolean isCurrent() {
    return is(Thread.currentThread());
  }

  static boolean is(Thread thread) {
    for (Class<?> type = thread.getClass(); type != null; type = type.getSuperclass()) {
      if (type.getName().equals(WATCHER_CLASS)) {
        return true;
      }
    }
    return false;
  }
}

package dev.maverick.handler.testing.kafka;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

/**
 * The main class of a test broker's JVM: formats the storage when asked (in this JVM: a second JVM
 * for the storage tool would cost about 2.5 s), then runs {@code kafka.Kafka}. It ends with the JVM
 * that started it, named by the system property {@value #PARENT_PID_PROPERTY}: it looks every
 * second and exits when that process is gone, so that a test JVM killed with {@code kill -9} leaves
 * no broker behind. (Not through a pipe on standard input: the pipe would close, and the broker
 * stop, whenever the garbage collector took the {@code Process} object of the JVM that started it.)
 *
 * <p>Arguments: the {@code server.properties} path, then the cluster id to format the storage with,
 * or nothing when the storage is formatted already (a restart). Kafka's classes are called by
 * reflection: this class is compiled without the broker on the class path.
 */
public final class BrokerMain {
  /** System property: the process id of the JVM that started the broker. */
  static final String PARENT_PID_PROPERTY = "maverick.kafka.parent.pid";

  private BrokerMain() {}

  /** Formats (when given a cluster id) and runs the broker. */
  public static void main(String[] args) throws Exception {
    watchParent(Long.getLong(PARENT_PID_PROPERTY, -1));
    String config = args[0];
    if (args.length > 1) {
      int status = (int) invoke("kafka.tools.StorageTool", "execute",
          new Class<?>[] {String[].class, PrintStream.class},
          new Object[] {new String[] {"format", "--cluster-id=" + args[1], "--config=" + config, "--standalone"}, System.out});
      if (status != 0) {
        System.err.println("formatting the storage failed with status " + status);
        System.exit(status);
      }
    }
    invoke("kafka.Kafka", "main", new Class<?>[] {String[].class}, new Object[] {new String[] {config}});
  }

  private static void watchParent(long parentPid) {
    if (parentPid < 0) {
      return;
    }
    Thread watchdog = new Thread(() -> {
      while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
      // the broker's own shutdown hook stops it in order
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static Object invoke(String className, String method, Class<?>[] types, Object[] args) throws Exception {
    try {
      return Class.forName(className).getMethod(method, types).invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception exception ? exception : new IllegalStateException(cause);
    }
  }
}

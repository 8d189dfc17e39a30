package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.maverick.handler.itest.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/**
 * A real Gogo session for the tests. The admin's commands write their answers to the session's
 * output (as Karaf's client in batch mode needs) and return nothing; {@link #run} checks both.
 */
final class GogoShell implements AutoCloseable {
  /** What the commands print. */
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final CommandSession session;

  /** Opens a session once {@code probe} runs (the commands are registered). */
  GogoShell(CommandProcessor processor, String probe) {
    session = processor.createSession(new ByteArrayInputStream(new byte[0]),
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Await.until("the commands are registered (" + probe + ")", () -> {
      try {
        session.execute(probe);
        return true;
      } catch (Exception notYet) {
        return false;
      }
    });
  }

  /** Runs a command and returns what it printed (without the last line break); it returns nothing itself. */
  String run(String command) throws Exception {
    printed.reset();
    Object returned = session.execute(command);
    assertEquals("commands print, they return nothing: " + command, null, returned);
    return printed.toString(StandardCharsets.UTF_8).stripTrailing();
  }

  /** As {@link #run}, for conditions: a failure is its message. */
  String quietly(String command) {
    try {
      return run(command);
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Asserts that a command fails with an IllegalArgumentException whose message contains {@code messagePart}. */
  void assertError(String command, String messagePart) {
    try {
      Object result = session.execute(command);
      fail(command + " should fail, but printed: " + result);
    } catch (Exception e) {
      assertTrue("'" + e.getMessage() + "' should contain '" + messagePart + "'", String.valueOf(e.getMessage())
          .contains(messagePart));
      assertTrue(e.getClass().getName(), e instanceof IllegalArgumentException);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}

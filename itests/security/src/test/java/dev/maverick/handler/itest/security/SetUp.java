package dev.maverick.handler.itest.security;

/**
 * The three ways the runnable jar is attacked: on loopback without a token (its defaults), bound
 * beyond loopback without a token (exposed by mistake), and beyond loopback with an
 * {@code admin_token} (exposed as the README says to).
 */
enum SetUp {
  LOOPBACK("a", "loopback, no token", false, false),
  EXPOSED("b", "beyond loopback, no token", true, false),
  TOKEN("c", "beyond loopback, admin_token", true, true);

  private final String letter;
  private final String description;
  private final boolean exposed;
  private final boolean token;

  SetUp(String letter, String description, boolean exposed, boolean token) {
    this.letter = letter;
    this.description = description;
    this.exposed = exposed;
    this.token = token;
  }

  /** Whether the HTTP server is bound beyond loopback. */
  boolean exposed() {
    return exposed;
  }

  /** Whether an {@code admin_token} is configured. */
  boolean hasToken() {
    return token;
  }

  /**
   * Whether a client may change anything over HTTP: on loopback, or with the token. Bound beyond
   * loopback without a token, every write is refused (403), for the attacker and the owner alike.
   */
  boolean writable() {
    return !exposed || token;
  }

  /** How the report names it: {@code (a) loopback, no token}. */
  String label() {
    return "(" + letter + ") " + description;
  }

  String letter() {
    return letter;
  }
}

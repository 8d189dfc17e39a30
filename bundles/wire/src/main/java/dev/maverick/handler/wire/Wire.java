package dev.maverick.handler.wire;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running wire: the one reader of its source handler's results, which it feeds to one or more
 * target handlers, each result to every target, in the order the source produced them.
 *
 * <p>Each factory configuration of {@value #FACTORY_PID} (a file
 * {@code etc/dev.maverick.handler.wire-<name>.cfg}, {@code POST /wires}, the shell) makes one wire,
 * registered as a service of this interface with the service properties {@value #NAME_PROPERTY},
 * {@value #FROM_PROPERTY}, {@value #TO_PROPERTY} and {@value #PID_PROPERTY}. A wire whose
 * configuration was refused is registered too, in state {@link WireState#INVALID} with its
 * {@link #error()}, so that tools show it rather than nothing.
 *
 * <p>Every result the wire took is, at every moment, in exactly one place of its
 * {@link #ledger()}: see {@link WireLedger}.
 */
@ProviderType
public interface Wire {

  /** The factory PID of wire configurations. */
  String FACTORY_PID = "dev.maverick.handler.wire";

  /** Service property: the wire's name, its {@code name} key. */
  String NAME_PROPERTY = "wire.name";

  /** Service property: the name of the source handler, its {@code from} key. */
  String FROM_PROPERTY = "wire.from";

  /** Service property: the names of the target handlers, its {@code to} key (a {@code String[]}). */
  String TO_PROPERTY = "wire.to";

  /** Service property: the configuration PID behind the wire. */
  String PID_PROPERTY = "wire.pid";

  /**
   * The extra that names the source, added to every item a wire delivers (also to the dead letter),
   * over any the result carried.
   */
  String FROM_EXTRA = "wire.from";

  /** The extra that says why an item went to the dead letter: a {@link WireDropReason} key or {@code failed}. */
  String REASON_EXTRA = "wire.reason";

  /** The extra that names the target that refused or failed on an item sent to the dead letter. */
  String TARGET_EXTRA = "wire.target";

  /** The extra with the target's error message for an item sent to the dead letter. */
  String ERROR_EXTRA = "wire.error";

  /** The wire's name; for an {@link WireState#INVALID} wire without a valid name, its configuration PID. */
  String name();

  /** The source handler's name; empty for an {@link WireState#INVALID} wire without one. */
  String from();

  /** The target handlers' names, in configured order; empty for an {@link WireState#INVALID} wire without them. */
  List<String> to();

  /** The configuration in force; empty only for an {@link WireState#INVALID} wire. */
  Optional<WireConfig> config();

  /** The configuration PID behind the wire. */
  String pid();

  /** The lifecycle state. */
  WireState state();

  /** Why the configuration was refused, for an {@link WireState#INVALID} wire; it names the key. */
  Optional<String> error();

  /** A snapshot of the ledger; see {@link WireLedger} for what a snapshot under load may show. */
  WireLedger ledger();

  /**
   * The wire's current problems, one short sentence each, empty when there is none: a handler it
   * waits for, blocked for more than 5 seconds, dead-lettering in the last minute, its refused
   * configuration. Health checks warn with each.
   */
  List<String> warnings();
}

package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.Wire;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * A wire's configuration keys as published through Metatype, with their defaults.
 * {@code WireConfig} reads and checks them; this only describes them ({@code WireMetatypeTest}
 * holds the two together).
 */
@ObjectClassDefinition(id = Wire.FACTORY_PID, name = "Maverick wire",
    description = "Feeds one handler's results to other handlers, in order, with backpressure by default. "
        + "One factory configuration per wire.")
@interface WireMetatype {

  @AttributeDefinition(name = "Name", description = "The wire's unique name. Letters, digits, '.', '_' and '-'.")
  String name();

  @AttributeDefinition(name = "From", description = "The handler whose results the wire reads; the wire becomes "
      + "their only reader.")
  String from();

  @AttributeDefinition(name = "To", cardinality = 64, description = "The handlers that get every result, in order: "
      + "one or more names.")
  String[] to();

  @AttributeDefinition(name = "Filter", required = false, description = "An LDAP filter on the keys of map results, "
      + "e.g. (partial=false); results that do not match are counted filtered and delivered nowhere.")
  String filter();

  @AttributeDefinition(name = "Select", required = false, description = "A key of map results: its value is "
      + "delivered instead of the whole result, e.g. data; a result without it is dropped (select_missing).")
  String select();

  @AttributeDefinition(name = "Extra", required = false, cardinality = 64, description = "key=value pairs added to "
      + "the extras of each delivered item; wire.from (the source's name) is always added.")
  String[] extra();

  @AttributeDefinition(name = "Policy", description = "What a full target buffer does: block (wait: backpressure "
      + "reaches the source, nothing is dropped), drop_newest, drop_oldest. Every drop is counted.",
      options = {@Option(value = "block", label = "Block"), @Option(value = "drop_newest", label = "Drop newest"),
          @Option(value = "drop_oldest", label = "Drop oldest")})
  String policy() default "block";

  @AttributeDefinition(name = "Buffer size", min = "1", max = "1000000", description = "Results each target's "
      + "buffer holds, 1 to 1000000.")
  int buffer__size() default 128;

  @AttributeDefinition(name = "Dead letter", required = false, description = "A handler that receives what a "
      + "target refused or failed on, with wire.reason, wire.target and wire.error in its extras.")
  String dead__letter();

  @AttributeDefinition(name = "Enabled", description = "False to stop reading the source; what the wire holds is "
      + "still delivered.")
  boolean enabled() default true;

  @AttributeDefinition(name = "Shutdown timeout (s)", description = "Seconds to wait for a target's successor when "
      + "it is redeployed, and to deliver what the wire holds when it closes; then what is left is counted dropped "
      + "(shutdown).")
  double shutdown__timeout() default 5.0;
}

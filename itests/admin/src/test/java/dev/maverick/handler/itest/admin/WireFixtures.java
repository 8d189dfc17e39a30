package dev.maverick.handler.itest.admin;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireValidator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What the wire tests set up and take down: {@code lower} instances made through Config Admin as
 * targets, and every wire configuration, deleted after each test (wires first, then their handlers).
 */
final class WireFixtures {
  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final List<Configuration> handlers = new ArrayList<>();

  WireFixtures(BundleContext context, ConfigurationAdmin configAdmin) {
    this.context = context;
    this.configAdmin = configAdmin;
  }

  /** A {@code lower} handler of that name with these extra keys, running. */
  Handler<?, ?> lower(String name, Object... keysAndValues) throws Exception {
    Configuration configuration = configAdmin.getFactoryConfiguration(AdminHttpIT.LOWER_PID, name, "?");
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put("name", name);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    configuration.update(properties);
    handlers.add(configuration);
    return Await.service(context, Handler.class, "(handler.name=" + name + ")");
  }

  /** Deletes every wire, waits for them to go, then deletes the handlers made here. */
  void deleteAll() throws Exception {
    Configuration[] wires = configAdmin.listConfigurations("(service.factoryPid=" + Wire.FACTORY_PID + ")");
    if (wires != null) {
      for (Configuration wire : wires) {
        wire.delete();
      }
    }
    Await.until("every wire gone", () -> context.getServiceReference(Wire.class) == null);
    // a deleted wire leaves the graph once it has delivered what it held, just after its service goes
    WireValidator validator = Await.service(context, WireValidator.class, null);
    Await.until("upper free for a new wire", () -> {
      try {
        validator.validate(Map.of("name", "probe", "from", "upper", "to", "probe-target"), false);
        return true;
      } catch (InvalidConfigurationException stillThere) {
        return false;
      }
    });
    Collections.reverse(handlers);
    for (Configuration handler : handlers) {
      handler.delete();
    }
    handlers.clear();
  }
}

package dev.maverick.handler.admin.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MBean per wire in the platform MBean server, {@code dev.maverick.handler:type=Wire,name=<name>}
 * ({@link WireMBean}); it follows the wire's instances (a change of its configuration makes a new
 * one) and goes with the wire. Active while the wire bundle runs.
 */
@Component(immediate = true, service = {})
public final class WireMBeans implements WireRegistry.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(WireMBeans.class);

  private final WireAdmin wires;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  /** The MBean of each wire instance, by service id; while two instances of one wire overlap, the newer has it. */
  private final Map<Long, ObjectName> registered = new ConcurrentHashMap<>();

  @Activate
  public WireMBeans(@Reference WireAdmin wires) {
    this.wires = wires;
    wires.registry().addListener(this);
  }

  @Deactivate
  synchronized void deactivate() {
    wires.registry().removeListener(this);
    registered.keySet().forEach(this::unregister);
  }

  /** The MBean name of a wire. */
  static ObjectName objectName(String wireName) throws MalformedObjectNameException {
    return HandlerMBeans.objectName("Wire", wireName);
  }

  @Override
  public synchronized void added(WireEntry entry) {
    try {
      ObjectName name = objectName(entry.name());
      registered.entrySet().removeIf(old -> {
        if (old.getValue().equals(name)) {
          unregisterName(name);
          return true;
        }
        return false;
      });
      server.registerMBean(new WireMBean(entry.wire(), wires.views()), name);
      registered.put(entry.id(), name);
    } catch (JMException e) {
      LOG.warn("cannot register the MBean of {}: {}", entry, e.toString());
    }
  }

  @Override
  public synchronized void removed(WireEntry entry) {
    unregister(entry.id());
    // an older instance still registered (the newer one went first) takes the name back
    wires.registry().find(entry.name()).filter(other -> other.id() != entry.id()
        && !registered.containsKey(other.id())).ifPresent(this::added);
  }

  private void unregister(Long id) {
    ObjectName name = registered.remove(id);
    if (name != null) {
      unregisterName(name);
    }
  }

  private void unregisterName(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (JMException e) {
      LOG.debug("MBean {} already gone: {}", name, e.toString());
    }
  }
}

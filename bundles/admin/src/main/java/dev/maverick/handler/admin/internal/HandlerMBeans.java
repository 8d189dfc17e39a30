package dev.maverick.handler.admin.internal;

import dev.maverick.handler.ConfigKeys;
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
 * One MBean per handler in the platform MBean server,
 * {@code dev.maverick.handler:type=Handler,name=<name>}, with the stats as read-only attributes.
 * Follows renames; unregisters when the handler goes.
 */
@Component(immediate = true, service = {})
public final class HandlerMBeans implements HandlerListener {
  static final String DOMAIN = "dev.maverick.handler";
  private static final Logger LOG = LoggerFactory.getLogger(HandlerMBeans.class);

  private final HandlerAdmin admin;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<Long, ObjectName> registered = new ConcurrentHashMap<>();

  @Activate
  public HandlerMBeans(@Reference HandlerAdmin admin) {
    this.admin = admin;
    admin.registry().addListener(this);
  }

  @Deactivate
  void deactivate() {
    admin.registry().removeListener(this);
    registered.keySet().forEach(this::unregister);
  }

  /** The MBean name of a handler. */
  static ObjectName objectName(String handlerName) throws MalformedObjectNameException {
    // a name by the core's rule needs no quoting in an ObjectName; anything else is quoted
    String value = ConfigKeys.isValidName(handlerName) ? handlerName : ObjectName.quote(handlerName);
    return new ObjectName(DOMAIN + ":type=Handler,name=" + value);
  }

  @Override
  public synchronized void added(HandlerEntry entry) {
    if (registered.containsKey(entry.id())) {
      return;
    }
    try {
      ObjectName name = objectName(entry.name());
      server.registerMBean(new HandlerMBean(entry, () -> admin.views().redaction(entry)), name);
      registered.put(entry.id(), name);
    } catch (JMException e) {
      LOG.warn("cannot register the MBean of {}: {}", entry, e.toString());
    }
  }

  @Override
  public synchronized void modified(HandlerEntry entry) {
    ObjectName current = registered.get(entry.id());
    try {
      if (current != null && !current.equals(objectName(entry.name()))) {
        unregister(entry.id());
        added(entry);
      }
    } catch (MalformedObjectNameException e) {
      LOG.warn("cannot rename the MBean of {}: {}", entry, e.toString());
    }
  }

  @Override
  public synchronized void removed(HandlerEntry entry) {
    unregister(entry.id());
  }

  private synchronized void unregister(Long id) {
    ObjectName name = registered.remove(id);
    if (name == null) {
      return;
    }
    try {
      server.unregisterMBean(name);
    } catch (JMException e) {
      LOG.debug("MBean {} already gone: {}", name, e.toString());
    }
  }
}

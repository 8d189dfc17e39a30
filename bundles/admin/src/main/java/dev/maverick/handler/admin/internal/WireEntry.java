package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.Wire;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** One wire found in the service registry: a running wire, or one whose configuration was refused. */
record WireEntry(ServiceReference<Wire> reference, Wire wire) {

  /** The service id: stable while this instance of the wire lives. */
  long id() {
    return (Long) reference.getProperty(Constants.SERVICE_ID);
  }

  String name() {
    return wire.name();
  }

  @Override
  public String toString() {
    return "wire '" + wire.name() + "' (" + wire.pid() + ")";
  }
}

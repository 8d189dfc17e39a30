package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerKind;
import org.osgi.framework.ServiceReference;

/**
 * One handler kind found in the service registry, with the reference whose bundle holds the
 * kind's metatype.
 */
record KindEntry(ServiceReference<?> reference, HandlerKind kind) {
  String name() {
    return kind.kind();
  }
}

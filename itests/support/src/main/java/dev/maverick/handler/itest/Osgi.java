package dev.maverick.handler.itest;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Small lookups the integration tests share: bundles by symbolic name, service references, properties. */
public final class Osgi {
  private Osgi() {}

  /** The installed bundle with this symbolic name, or null. */
  public static Bundle bundleOrNull(BundleContext context, String symbolicName) {
    for (Bundle bundle : context.getBundles()) {
      if (symbolicName.equals(bundle.getSymbolicName())) {
        return bundle;
      }
    }
    return null;
  }

  /** The installed bundle with this symbolic name; fails when there is none. */
  public static Bundle bundle(BundleContext context, String symbolicName) {
    Bundle bundle = bundleOrNull(context, symbolicName);
    if (bundle == null) {
      throw new AssertionError("no bundle " + symbolicName);
    }
    return bundle;
  }

  /** The references of services of this type matching the filter, or null when none. */
  public static ServiceReference<?>[] references(BundleContext context, Class<?> type, String filter) {
    try {
      return context.getServiceReferences(type.getName(), filter);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad filter " + filter, e);
    }
  }

  /** The first reference of a service of this type matching the filter, or null. */
  public static ServiceReference<?> reference(BundleContext context, Class<?> type, String filter) {
    ServiceReference<?>[] found = references(context, type, filter);
    return found == null ? null : found[0];
  }

  /** Configuration properties from alternating keys and values. */
  public static Dictionary<String, Object> properties(Object... keysAndValues) {
    Dictionary<String, Object> properties = new Hashtable<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }
}

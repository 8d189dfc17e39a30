package dev.maverick.handler.config.files.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The keys whose type a configuration's metatype gives, with one value each: the reader of an
 * untyped file converts those, so they may be written untyped ({@code delay_ms = 0}, not
 * {@code delay_ms = I"0"}).
 */
final class DeclaredKeys {
  private DeclaredKeys() {}

  /**
   * @param metaType the metatype service, or null (then nothing is declared)
   * @param bundles the bundles whose metatype to search
   * @return the declared single-valued keys of the configuration's OCD, compared without case
   */
  static Set<String> scalars(MetaTypeService metaType, Bundle[] bundles, String pid, String factoryPid) {
    Set<String> keys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    if (metaType == null) {
      return keys;
    }
    for (Bundle bundle : bundles) {
      MetaTypeInformation info;
      try {
        info = metaType.getMetaTypeInformation(bundle);
      } catch (IllegalArgumentException | IllegalStateException gone) {
        continue;
      }
      if (info == null) {
        continue;
      }
      // a kind's OCD may be designated for its PID only: Declarative Services gives the same PID's
      // configuration to the singleton and to every factory instance
      boolean forFactory = factoryPid != null
          && (contains(info.getFactoryPids(), factoryPid) || contains(info.getPids(), factoryPid));
      String id = forFactory ? factoryPid : contains(info.getPids(), pid) ? pid : null;
      if (id == null) {
        continue;
      }
      ObjectClassDefinition ocd = info.getObjectClassDefinition(id, null);
      AttributeDefinition[] attributes = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
      for (AttributeDefinition attribute : attributes == null ? new AttributeDefinition[0] : attributes) {
        if (attribute.getCardinality() == 0) {
          keys.add(attribute.getID());
        }
      }
      return keys;
    }
    return keys;
  }

  private static boolean contains(String[] ids, String id) {
    return ids != null && Arrays.asList(ids).contains(id);
  }
}

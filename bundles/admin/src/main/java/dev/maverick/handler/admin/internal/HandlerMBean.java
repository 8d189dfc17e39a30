package dev.maverick.handler.admin.internal;

import dev.maverick.handler.DropReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;

/**
 * A handler's stats as read-only MBean attributes, read live from {@code stats().toMap()}: the
 * seed's keys and ours; drops by reason as {@code dropped_<reason>}; a subclass's figures as
 * {@code details.<key>}; and {@code kind}, {@code pid}, {@code config_error}. Configuration is
 * changed through Config Admin only, so nothing here is writable.
 */
final class HandlerMBean implements DynamicMBean {
  private final HandlerEntry entry;
  private final Supplier<Redaction> redaction;

  /**
   * @param redaction masks the handler's secrets in every text attribute (a last error may quote one)
   */
  HandlerMBean(HandlerEntry entry, Supplier<Redaction> redaction) {
    this.entry = entry;
    this.redaction = redaction;
  }

  /** The attributes now, by name. */
  @SuppressWarnings("unchecked")
  Map<String, Object> attributes() {
    Redaction masking = redaction.get();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("kind", entry.kind());
    attributes.put("pid", entry.pid());
    attributes.put("config_error", masking.mask(entry.configError()));
    Map<String, Object> stats = (Map<String, Object>) masking.maskAll(entry.handler().stats().toMap());
    stats.forEach((key, value) -> {
      if (key.equals("dropped_by_reason") && value instanceof Map<?, ?> reasons) {
        for (DropReason reason : DropReason.values()) {
          Object count = reasons.get(reason.key());
          attributes.put("dropped_" + reason.key(), count instanceof Number number ? number.longValue() : 0L);
        }
      } else if (key.equals("details") && value instanceof Map<?, ?> details) {
        details.forEach((detail, detailValue) -> attributes.put("details." + detail, scalar(detailValue)));
      } else {
        attributes.put(key, scalar(value));
      }
    });
    return attributes;
  }

  private static Object scalar(Object value) {
    return value == null || value instanceof Number || value instanceof Boolean || value instanceof String ? value
        : String.valueOf(value);
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    Map<String, Object> attributes = attributes();
    if (!attributes.containsKey(attribute)) {
      throw new AttributeNotFoundException("no attribute '" + attribute + "'; attributes: " + attributes.keySet());
    }
    return attributes.get(attribute);
  }

  @Override
  public AttributeList getAttributes(String[] names) {
    Map<String, Object> attributes = attributes();
    AttributeList list = new AttributeList();
    for (String name : names) {
      if (attributes.containsKey(name)) {
        list.add(new Attribute(name, attributes.get(name)));
      }
    }
    return list;
  }

  @Override
  public void setAttribute(Attribute attribute) throws MBeanException {
    throw new MBeanException(new UnsupportedOperationException("'" + attribute.getName()
        + "' is read-only; change a handler's configuration through Config Admin"));
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
    throw new ReflectionException(new NoSuchMethodException(actionName), "this MBean has no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> infos = new ArrayList<>();
    attributes().forEach((name, value) -> infos.add(new MBeanAttributeInfo(name, type(name, value),
        "stat " + name, true, false, false)));
    return new MBeanInfo(HandlerMBean.class.getName(), "Maverick handler '" + entry.name() + "' (" + entry.kind() + ")",
        infos.toArray(new MBeanAttributeInfo[0]), null, null, null);
  }

  private static String type(String name, Object value) {
    if (value != null) {
      return value.getClass().getName();
    }
    return name.endsWith("_at") ? Double.class.getName() : String.class.getName();
  }
}

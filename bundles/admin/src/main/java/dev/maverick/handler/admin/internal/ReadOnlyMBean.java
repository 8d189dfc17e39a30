package dev.maverick.handler.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;

/**
 * An MBean of read-only attributes computed live on every read ({@link #attributes()}); nothing is
 * writable and there are no operations, because configuration changes go through Config Admin only.
 */
abstract class ReadOnlyMBean implements DynamicMBean {

  /** The attributes now, by name: numbers, booleans, strings or null. */
  abstract Map<String, Object> attributes();

  /** What the MBean stands for, in a short phrase. */
  abstract String description();

  static Object scalar(Object value) {
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
        + "' is read-only; change the configuration through Config Admin"));
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
    return new MBeanInfo(getClass().getName(), description(), infos.toArray(new MBeanAttributeInfo[0]), null, null,
        null);
  }

  private static String type(String name, Object value) {
    if (value != null) {
      return value.getClass().getName();
    }
    return name.endsWith("_at") ? Double.class.getName() : String.class.getName();
  }
}

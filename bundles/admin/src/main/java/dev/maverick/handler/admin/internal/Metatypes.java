package dev.maverick.handler.admin.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Reads a kind's metatype (the OCD of its PID, from the kind's bundle) and describes it as JSON. */
final class Metatypes {
  private Metatypes() {}

  /** The OCD of the kind's PID, when the Metatype service is present and the kind's bundle has one. */
  static Optional<ObjectClassDefinition> find(MetaTypeService metaType, KindEntry kind) {
    if (metaType == null) {
      return Optional.empty();
    }
    Bundle bundle = kind.reference().getBundle();
    if (bundle == null) {
      return Optional.empty();
    }
    MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
    String pid = kind.kind().pid();
    if (information == null || !(contains(information.getPids(), pid) || contains(information.getFactoryPids(), pid))) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(information.getObjectClassDefinition(pid, null));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /** The attribute definitions by id. */
  static Map<String, AttributeDefinition> attributes(ObjectClassDefinition ocd) {
    Map<String, AttributeDefinition> byId = new LinkedHashMap<>();
    AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
    if (all != null) {
      for (AttributeDefinition definition : all) {
        byId.put(definition.getID(), definition);
      }
    }
    return byId;
  }

  /** The OCD as JSON: name, description and attributes with type, cardinality, default and options. */
  static Map<String, Object> describe(ObjectClassDefinition ocd) {
    Set<String> required = ids(ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED));
    List<Map<String, Object>> attributes = new ArrayList<>();
    for (AttributeDefinition definition : attributes(ocd).values()) {
      Map<String, Object> attribute = new LinkedHashMap<>();
      attribute.put("id", definition.getID());
      attribute.put("name", definition.getName());
      attribute.put("description", definition.getDescription());
      attribute.put("type", typeName(definition.getType()));
      attribute.put("cardinality", definition.getCardinality());
      attribute.put("required", required.contains(definition.getID()));
      attribute.put("secret", definition.getType() == AttributeDefinition.PASSWORD
          || dev.maverick.handler.HandlerConfig.isSecretKey(definition.getID()));
      String[] defaults = definition.getDefaultValue();
      // a secret's default is shown masked, like its value
      attribute.put("default", defaults == null ? null
          : Boolean.TRUE.equals(attribute.get("secret")) ? List.of(dev.maverick.handler.HandlerConfig.MASK)
          : Arrays.asList(defaults));
      String[] values = definition.getOptionValues();
      String[] labels = definition.getOptionLabels();
      if (values != null && values.length > 0) {
        List<Map<String, String>> options = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
          options.add(Map.of("value", values[i], "label", labels != null && i < labels.length ? labels[i] : values[i]));
        }
        attribute.put("options", options);
      }
      attributes.add(attribute);
    }
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("id", ocd.getID());
    description.put("name", ocd.getName());
    description.put("description", ocd.getDescription());
    description.put("attributes", attributes);
    return description;
  }

  /** The metatype type as a word: string, long, integer, ..., password. */
  static String typeName(int type) {
    return switch (type) {
      case AttributeDefinition.LONG -> "long";
      case AttributeDefinition.INTEGER -> "integer";
      case AttributeDefinition.SHORT -> "short";
      case AttributeDefinition.CHARACTER -> "character";
      case AttributeDefinition.BYTE -> "byte";
      case AttributeDefinition.DOUBLE -> "double";
      case AttributeDefinition.FLOAT -> "float";
      case AttributeDefinition.BOOLEAN -> "boolean";
      case AttributeDefinition.PASSWORD -> "password";
      default -> "string";
    };
  }

  private static Set<String> ids(AttributeDefinition[] definitions) {
    return definitions == null ? Set.of()
        : Arrays.stream(definitions).map(AttributeDefinition::getID).collect(Collectors.toSet());
  }

  private static boolean contains(String[] values, String value) {
    return values != null && Arrays.asList(values).contains(value);
  }
}

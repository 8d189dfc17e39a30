package dev.maverick.handler.config.files.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.felix.fileinstall.shaded.util.properties.InterpolationHelper;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;

/**
 * FileInstall 3.7.4's own reader of {@code .cfg} files, as its {@code ConfigInstaller.setConfig}
 * uses it: the copy of felix utils it ships (shaded into its bundle), with its interpolation from
 * framework properties (none here), system properties and the environment.
 */
final class FileInstallReader {
  private FileInstallReader() {}

  static Map<String, Object> read(String text) throws IOException {
    InterpolationHelper.SubstitutionCallback lookup = new InterpolationHelper.BundleContextSubstitutionCallback(null);
    TypedProperties properties = new TypedProperties((name, key, value) -> lookup.getValue(value));
    properties.load(new StringReader(text));
    Map<String, Object> values = new LinkedHashMap<>();
    for (String key : properties.keySet()) {
      values.put(key, properties.get(key));
    }
    return values;
  }
}

/**
 * The naming rules of configuration files: which directory holds them, which file stands for
 * which configuration, and how FileInstall marks a configuration with its file. The bundle's
 * components (in {@code internal}) keep those files and Config Admin in step; other bundles (the
 * runnable runtime's readiness check) use these rules to find a configuration's file.
 */
@Export
@Version("1.0.0")
package dev.maverick.handler.config.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

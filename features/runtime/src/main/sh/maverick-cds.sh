#!/bin/sh
# Starts the Maverick Handlers runtime with a class-data sharing (CDS) archive: the JVM maps the
# classes it loaded at an earlier run instead of parsing and verifying them again (JDK 13+).
#
#   maverick-cds.sh [runtime arguments]          e.g. maverick-cds.sh --no-shell
#
# The first run records the archive when the runtime stops (-XX:ArchiveClassesAtExit, which adds a
# second or two to that stop); later runs use it (-XX:SharedArchiveFile). A jar newer than the
# archive makes a new one; the JVM itself ignores an archive of another JDK. JVM options go in
# JAVA_OPTS; the archive is ./maverick.jsa unless MAVERICK_CDS_ARCHIVE names another file.
set -eu
jar="$(cd "$(dirname "$0")" && pwd)/maverick-runtime.jar"
archive="${MAVERICK_CDS_ARCHIVE:-maverick.jsa}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ -f "$archive" ] && [ "$archive" -nt "$jar" ]; then
  # -Xshare:auto: a stale or foreign archive is ignored (with a warning), never fatal
  exec "$java" -XX:SharedArchiveFile="$archive" -Xshare:auto ${JAVA_OPTS:-} -jar "$jar" "$@"
fi
rm -f "$archive"
exec "$java" -XX:ArchiveClassesAtExit="$archive" ${JAVA_OPTS:-} -jar "$jar" "$@"

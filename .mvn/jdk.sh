# Sourced by ./tb and ./mvnw (POSIX sh): finds a JDK >= 25, the release the build enforces
# (pom.xml), so `./mvnw ...` works as `./tb ...` does without JAVA_HOME set by hand.
#
#   use_jdk       sets and exports JAVA_HOME (JAVA_HOME if it is >= 25, else the newest >= 25
#                 under TB_JVM_DIR, default /usr/lib/jvm) and adds to MAVEN_OPTS the flag that
#                 keeps Maven 3.9's Guice from warning about sun.misc.Unsafe (JDK 24+). Exits 1
#                 with what to install when there is none.
#   java_feature  prints the feature release of a java binary (25), or nothing.
MIN_JAVA=25

jdk_say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n -E 's/^ *java\.specification\.version = ([0-9]+).*/\1/p' | head -n 1
}

# Prints the JDK's home; runs in a subshell ($(find_jdk)), so its variables and `set +f` stay there.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(java_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$MIN_JAVA" ]; then
      echo "$JAVA_HOME"
      return 0
    fi
    jdk_say "JAVA_HOME=$JAVA_HOME is Java ${v:-?}; looking for Java >= $MIN_JAVA in ${TB_JVM_DIR:-/usr/lib/jvm}"
  fi
  set +f # mvnw runs with globbing off
  best="" best_v=0
  for cand in "${TB_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(java_feature "$cand/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
      best=$cand
      best_v=$v
    fi
  done
  if [ -z "$best" ]; then
    jdk_say "no JDK >= $MIN_JAVA found (JAVA_HOME, ${TB_JVM_DIR:-/usr/lib/jvm}/*). The build needs JDK 25. Install one, e.g.:"
    jdk_say "  sudo apt-get install -y temurin-25-jdk      (Adoptium's apt repository)"
    jdk_say "  or download JDK 25 and run: export JAVA_HOME=/path/to/jdk-25"
    return 1
  fi
  echo "$best"
}

use_jdk() {
  JAVA_HOME=$(find_jdk) || exit 1
  export JAVA_HOME
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access=allow "*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
}

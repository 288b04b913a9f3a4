# Andromeda co-simulation testbed: reproducible build and run image.
#
#   docker build -t andromeda-testbed .
#   docker run --rm andromeda-testbed                  # ./tb demo
#   docker run --rm andromeda-testbed offload --help   # any other tb command
#
# Plain Dockerfile syntax only (no RUN --mount): Testcontainers' DockerImageTest builds
# it through the Docker API, which may use the classic builder.

# ---------------------------------------------------------------------------- build
# A full JDK: Maven compiles the Java side and build-models.sh needs $JAVA_HOME/include/jni.h.
FROM eclipse-temurin:25-jdk AS build

# Verilator, g++ (pulls gcc) and make build the Verilated models and the JNI shim;
# iverilog and yosys are the suite's second simulator and synthesis, tshark decodes the demo's
# capture, gtkwave's fst2vcd reads waveforms back; fontconfig and a font let XChart render
# report charts headless in the tests; libssl3 (libssl3t64 on newer bases) is the sw crypto
# stage's OpenSSL engine, required under CI=true.
RUN apt-get update \
 && apt-get install -y --no-install-recommends verilator g++ make iverilog yosys tshark gtkwave \
      fontconfig fonts-dejavu-core \
 && (apt-get install -y --no-install-recommends libssl3 || apt-get install -y --no-install-recommends libssl3t64) \
 && rm -rf /var/lib/apt/lists/*

# CI=true: an RTL test that cannot load its model fails the build instead of skipping.
ENV CI=true

WORKDIR /src
# The whole repo minus what .dockerignore drops (target/, .git, waveforms, IDE files).
COPY . .

# The full suite: ./mvnw verify -Dtb.rtl.required=true. It verilates every block into
# jni-bridge/target/classes/native/ (so the jni-bridge jar carries the .so files) and
# packages testbench.jar plus its runtime class path in testbench/target/lib/.
RUN ./tb test

# Fail here, not at run time, if the RTL models did not make it into the jar.
RUN jar tf testbench/target/lib/jni-bridge-*.jar | grep -q '^native/linux-x86_64/models.properties$'

# -------------------------------------------------------------------------- runtime
# The launcher needs a JDK >= 22 (FFM); the full JDK keeps jcmd/jfr for profiling runs.
FROM eclipse-temurin:25-jdk

# The Verilated models need only libstdc++6/libgcc_s1, already in the base image.
# Reports render charts (XChart): fontconfig and one font, as in the build stage.
# libssl3 (libssl3t64 on newer bases): the sw crypto stage's OpenSSL engine (the JDK otherwise).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
 && (apt-get install -y --no-install-recommends libssl3 || apt-get install -y --no-install-recommends libssl3t64) \
 && rm -rf /var/lib/apt/lists/*

# The jars are prebuilt: the launcher must not look for sources to rebuild.
ENV TB_NO_BUILD=1

# Same relative layout as a checkout, which is what ./tb puts on the class path:
#   java -cp "testbench/target/testbench.jar:testbench/target/lib/*" ...Tb
WORKDIR /app
COPY --from=build /src/tb ./tb
# The launcher sources the JDK search it shares with ./mvnw.
COPY --from=build /src/.mvn/jdk.sh ./.mvn/jdk.sh
COPY --from=build /src/testbench/target/testbench.jar ./testbench/target/testbench.jar
COPY --from=build /src/testbench/target/lib/ ./testbench/target/lib/

ENTRYPOINT ["./tb"]
CMD ["demo"]

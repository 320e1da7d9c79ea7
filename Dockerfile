# The chatbotctl image: the model-loader initContainer (`chatbotctl model sync ...`), the proxy sidecar in every vLLM
# pod (`chatbotctl proxy ...`) and pipeline jobs.
# Stage 1 builds the jars; stage 2 cuts a minimal Java runtime with jlink and a class-data-sharing archive;
# stage 3 (`product`, the default target) is a small Debian with that runtime and chatbotctl.jar, running as a
# non-root user: the image every GPU node pulls for the model-loader initContainer.
# S3Proxy (chatbotctl-s3proxy.jar, 29 MB) is for `demo` and `model serve-s3` only and stays out of it; the target
# `with-s3proxy` adds it as one more layer on top (docker build --target with-s3proxy).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY cli/pom.xml cli/
RUN mvn -B -q -pl cli -am dependency:go-offline -DexcludeGroupIds=io.chatbotctl || true
COPY cli/src cli/src
# No .git in the build context: `chatbotctl version` reports the commit given here (CI passes --build-arg).
ARG GIT_COMMIT=unknown
RUN mvn -B -q -DskipTests -Dmaven.gitcommitid.skip=true package \
 && mkdir -p /tmp/git/io/chatbotctl \
 && printf 'git.commit.id.abbrev=%s\ngit.dirty=false\n' "$GIT_COMMIT" > /tmp/git/io/chatbotctl/git.properties \
 && (cd /tmp/git && jar uf /src/cli/target/chatbotctl.jar io/chatbotctl/git.properties)

FROM eclipse-temurin:17-jdk AS runtime
COPY --from=build /src/cli/target/chatbotctl.jar /opt/chatbotctl/chatbotctl.jar
# Outside /opt/chatbotctl: the training below runs model commands against it, the product image leaves it out.
COPY --from=build /src/cli/target/chatbotctl-s3proxy.jar /opt/s3proxy/chatbotctl-s3proxy.jar
# The runtime's modules are data (scripts/runtime-modules.txt: what both jars need, which RuntimeModulesIT recomputes
# with jdeps over their dependencies, plus the providers found at run time); ImageWrapperIT runs the same script.
COPY scripts/jlink-runtime scripts/runtime-modules.txt /tmp/jlink/
RUN /tmp/jlink/jlink-runtime /opt/chatbotctl/runtime \
 && /opt/chatbotctl/runtime/bin/java -XX:ArchiveClassesAtExit=/opt/chatbotctl/chatbotctl.jsa -XX:+UseSerialGC \
      -cp /opt/chatbotctl/chatbotctl.jar io.chatbotctl.cli.Main __cds-train --native-dir /opt/chatbotctl/native \
      --s3proxy-jar /opt/s3proxy/chatbotctl-s3proxy.jar >/dev/null \
 && chmod 0755 /opt/chatbotctl/native && chmod 0555 /opt/chatbotctl/native/*

FROM debian:12-slim AS product
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 chatbotctl \
 && useradd --system --uid 10001 --gid chatbotctl --home-dir /home/chatbotctl --create-home chatbotctl
COPY --from=runtime /opt/chatbotctl /opt/chatbotctl
# The wrapper picks the JVM flags by command as ./chatbotctl does (C1 + Serial for model sync, the initContainer).
COPY scripts/jvm-flags.sh /opt/chatbotctl/jvm-flags.sh
COPY scripts/image-chatbotctl /usr/local/bin/chatbotctl
USER 10001:10001
WORKDIR /home/chatbotctl
ENTRYPOINT ["chatbotctl"]
CMD ["--help"]

# The same image plus S3Proxy, for `demo` and `model serve-s3` in a container. The archive above maps here too: it was
# trained with chatbotctl.jar alone on the classpath, a prefix of this image's chatbotctl.jar:chatbotctl-s3proxy.jar.
FROM product AS with-s3proxy
COPY --from=runtime /opt/s3proxy/chatbotctl-s3proxy.jar /opt/chatbotctl/chatbotctl-s3proxy.jar

FROM product

# The JVM flags for one chatbotctl command line, shared by the launcher (./chatbotctl) and the container image's
# wrapper (scripts/image-chatbotctl). Short-lived commands get the quick-starting C1 compiler and the Serial collector;
# long-running ones (sim, loadtest, demo, eval, canary, model serve-s3, proxy) the full JIT and G1. model sync/push/verify
# spend their own CPU mostly in start-up and the kernel, so C1 + Serial costs them the least (docs/benchmarks.md).
#
#   . scripts/jvm-flags.sh; chatbotctl_jvm_flags "$@"; java "${JVM_FLAGS[@]}" ...

# The command word in COMMAND_WORD: the first argument that is neither an option nor an option's value.
# The options that take a value are GlobalOptions' (JvmFlagsScriptTest holds the two lists equal).
chatbotctl_command_word() {
  local skip=0 arg
  COMMAND_WORD=""
  for arg in "$@"; do
    if [ "$skip" -eq 1 ]; then skip=0; continue; fi
    case "$arg" in
      --config|-e|--env|--context|-n|--namespace|-o|--output) skip=1 ;;
      -*) ;;
      *) COMMAND_WORD="$arg"; break ;;
    esac
  done
}

chatbotctl_jvm_flags() {
  chatbotctl_command_word "$@"
  case "$COMMAND_WORD" in
    sim|loadtest|demo|eval|canary) JVM_FLAGS=(-XX:+UseG1GC) ;;
    proxy)
      # the sidecar in every vLLM pod serves for days: full JIT and G1; its keys commands are quick
      if [[ " $* " == *" proxy keys "* ]]; then JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); else JVM_FLAGS=(-XX:+UseG1GC); fi ;;
    model)
      if [[ " $* " == *" serve-s3 "* ]]; then JVM_FLAGS=(-XX:+UseG1GC); else JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); fi ;;
    *) JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ;;
  esac
}

# Whether the command starts an embedded S3 (demo, model serve-s3), which needs chatbotctl-s3proxy.jar.
chatbotctl_starts_s3proxy() {
  chatbotctl_command_word "$@"
  [ "$COMMAND_WORD" = demo ] || { [ "$COMMAND_WORD" = model ] && [[ " $* " == *" serve-s3 "* ]]; }
}

# The whole command line that starts chatbotctl: the class-data-sharing archive and aws-crt's unpacked library when
# they exist, the flags above, JAVA_OPTS, and Main named on -cp (-jar would read the jar's 27,000-entry index twice).
# For demo and model serve-s3 the classpath adds chatbotctl-s3proxy.jar (beside JAR) when it exists, after JAR: the
# archive is trained on JAR alone, and the JVM maps it only when that classpath is a prefix of the running one.
#
#   chatbotctl_java_command JAVA JAR ARCHIVE NATIVE_DIR "$@"; exec "${JAVA_COMMAND[@]}"
chatbotctl_java_command() {
  local java="$1" jar="$2" archive="$3" native="$4"
  shift 4
  local classpath="$jar" s3proxy_jar="${jar%.jar}-s3proxy.jar"
  if [ -f "$s3proxy_jar" ] && chatbotctl_starts_s3proxy "$@"; then classpath="$jar:$s3proxy_jar"; fi
  chatbotctl_jvm_flags "$@"
  JAVA_COMMAND=("$java")
  if [ -f "$archive" ]; then JAVA_COMMAND+=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off); fi
  if [ -d "$native" ]; then JAVA_COMMAND+=(-Djava.library.path="$native"); fi
  # shellcheck disable=SC2206
  JAVA_COMMAND+=("${JVM_FLAGS[@]}" -XX:-UsePerfData -Dfile.encoding=UTF-8 ${JAVA_OPTS:-} -cp "$classpath" io.chatbotctl.cli.Main "$@")
}

# The JVM flags for one chatbotctl command line, shared by the launcher (./chatbotctl) and the container image's
# wrapper (scripts/image-chatbotctl). Short-lived commands get the quick-starting C1 compiler and the Serial collector;
# long-running ones (sim, loadtest, demo, eval, canary, model serve-s3, proxy) the full JIT and G1. model sync/push/verify
# spend their own CPU mostly in start-up and the kernel, so C1 + Serial costs them the least (docs/benchmarks.md).
#
#   . scripts/jvm-flags.sh; chatbotctl_jvm_flags "$@"; java "${JVM_FLAGS[@]}" ...
# The options that take a value are GlobalOptions' (JvmFlagsScriptTest holds the two lists equal).
chatbotctl_jvm_flags() {
  local command="" skip=0 arg
  for arg in "$@"; do
    if [ "$skip" -eq 1 ]; then skip=0; continue; fi
    case "$arg" in
      --config|-e|--env|--context|-n|--namespace|-o|--output) skip=1 ;;
      -*) ;;
      *) command="$arg"; break ;;
    esac
  done
  case "$command" in
    sim|loadtest|demo|eval|canary) JVM_FLAGS=(-XX:+UseG1GC) ;;
    proxy)
      # the sidecar in every vLLM pod serves for days: full JIT and G1; its keys commands are quick
      if [[ " $* " == *" proxy keys "* ]]; then JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); else JVM_FLAGS=(-XX:+UseG1GC); fi ;;
    model)
      if [[ " $* " == *" serve-s3 "* ]]; then JVM_FLAGS=(-XX:+UseG1GC); else JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); fi ;;
    *) JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ;;
  esac
}

# The whole command line that starts chatbotctl: the class-data-sharing archive and aws-crt's unpacked library when
# they exist, the flags above, JAVA_OPTS, and Main named on -cp (-jar would read the jar's 44,000-entry index twice).
#
#   chatbotctl_java_command JAVA JAR ARCHIVE NATIVE_DIR "$@"; exec "${JAVA_COMMAND[@]}"
chatbotctl_java_command() {
  local java="$1" jar="$2" archive="$3" native="$4"
  shift 4
  chatbotctl_jvm_flags "$@"
  JAVA_COMMAND=("$java")
  if [ -f "$archive" ]; then JAVA_COMMAND+=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off); fi
  if [ -d "$native" ]; then JAVA_COMMAND+=(-Djava.library.path="$native"); fi
  # shellcheck disable=SC2206
  JAVA_COMMAND+=("${JVM_FLAGS[@]}" -XX:-UsePerfData -Dfile.encoding=UTF-8 ${JAVA_OPTS:-} -cp "$jar" io.chatbotctl.cli.Main "$@")
}

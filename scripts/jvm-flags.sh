# The JVM flags for one chatbotctl command line, shared by the launcher (./chatbotctl) and the container image's
# wrapper (scripts/image-chatbotctl). Short-lived commands get the quick-starting C1 compiler and the Serial collector;
# long-running ones (sim, loadtest, demo, eval, canary, model serve-s3) the full JIT and G1. model sync/push/verify
# spend their own CPU mostly in start-up and the kernel, so C1 + Serial costs them the least (docs/benchmarks.md).
#
#   . scripts/jvm-flags.sh; chatbotctl_jvm_flags "$@"; java "${JVM_FLAGS[@]}" ...
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
    model)
      if [[ " $* " == *" serve-s3 "* ]]; then JVM_FLAGS=(-XX:+UseG1GC); else JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); fi ;;
    *) JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ;;
  esac
}

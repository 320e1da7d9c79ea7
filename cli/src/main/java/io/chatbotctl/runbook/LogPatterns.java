package io.chatbotctl.runbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The log lines that identify a failure of vLLM or of the model-loader, by finding code. */
final class LogPatterns {
    static final Map<String, Pattern> SERVING = new LinkedHashMap<>();
    static final Pattern MODEL_LOADING = Pattern.compile(
            "Loading model weights|Loading safetensors checkpoint shards|Starting to load model|Loading weights took");
    static final Pattern S3_ERROR = Pattern.compile(
            "AccessDenied|Access Denied|NoSuchBucket|NoSuchKey|InvalidAccessKeyId|ExpiredToken|SignatureDoesNotMatch"
                    + "|Unable to locate credentials|Could not connect to the endpoint URL|WebIdentityErr"
                    + "|An error occurred \\(40[34]\\)|(?i:s3://\\S+.*(error|denied|not found|failed))");

    static {
        SERVING.put("cuda-oom", Pattern.compile(
                "CUDA out of memory|torch\\.(cuda\\.)?OutOfMemoryError|CUDA error: out of memory"));
        SERVING.put("cache-blocks", Pattern.compile("No available memory for the cache blocks"));
        SERVING.put("xid-error", Pattern.compile("NVRM: Xid|\\bXid\\b.*\\d+"));
    }

    private LogPatterns() {}

    /** The first line of {@code log} the pattern matches. */
    static Optional<String> firstMatch(String log, Pattern pattern) {
        return lines(log).stream().filter(l -> pattern.matcher(l).find()).map(String::strip).findFirst();
    }

    static List<String> lines(String log) {
        return log == null || log.isEmpty() ? List.of() : List.of(log.split("\r?\n"));
    }
}

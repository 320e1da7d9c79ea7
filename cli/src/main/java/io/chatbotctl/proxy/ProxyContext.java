package io.chatbotctl.proxy;

import java.util.function.Consumer;

/** What every connection of one proxy shares. */
record ProxyContext(ProxyOptions options, KeyRing keys, Limiter limiter, RequestPolicy policy, Upstream upstream,
                    ProxyMetrics metrics, Consumer<AccessRecord> accessLog) {
}

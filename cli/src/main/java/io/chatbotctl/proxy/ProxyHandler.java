package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** One client connection: authenticates, limits, applies the policy, relays to the upstream, logs. */
final class ProxyHandler extends ChannelInboundHandlerAdapter {
    static final String ADDED_HEADER = "x-chatbotctl-proxy-ms";
    static final String CHAT = "/v1/chat/completions";
    static final String COMPLETIONS = "/v1/completions";
    static final String MODELS = "/v1/models";
    private static final int MAX_UPSTREAM_BODY = 64 * 1024 * 1024;
    /** Headers copied from messages Netty already validated, or written here: not validated twice. */
    private static final io.netty.handler.codec.http.HttpHeadersFactory TRUSTED =
            io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "proxy-connection", "te", "trailer");

    private final ProxyContext proxy;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    /** The HTTP codec's place in the pipeline: what is written from it skips the codec. */
    private ChannelHandlerContext codec;
    /** The connection's peer address, text, once looked up ("" when unknown). */
    private String peerAddress;

    ProxyHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null) {
            queued.add(request);
            return;
        }
        handle(request);
    }

    /** The body is over {@code --max-body} (called by the aggregator before the body is read). */
    void tooLarge(io.netty.handler.codec.http.HttpRequest head) {
        Exchange x = new Exchange(head, System.nanoTime());
        current = x;
        x.keepAlive = false;
        x.error(new ProxyError(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than this service accepts (" + proxy.options().maxBodyBytes() + " bytes)."));
    }

    private void handle(FullHttpRequest request) {
        Exchange x = new Exchange(request, System.nanoTime());
        current = x;
        try {
            x.route(request);
        } catch (ProxyError e) {
            x.error(e);
        } finally {
            request.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange x = current;
        if (x != null && x.call != null) {
            x.call.reading(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange x = current;
        if (x != null && !x.done) {
            x.clientGone();
        }
        queued.forEach(FullHttpRequest::release);
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void next() {
        current = null;
        FullHttpRequest r = queued.poll();
        if (r != null) {
            handle(r);
        }
    }

    /** One request, from its last byte read to its access-log line. */
    private final class Exchange implements Upstream.Listener {
        final long startNanos;
        final String method;
        final String path;
        final String requestId;
        final String client;
        boolean keepAlive;
        ApiKey key;
        RequestPolicy.Applied applied;
        Decision decision;
        Upstream.Call call;
        boolean done;
        boolean headSent;
        boolean relaying;
        int status;
        String errorType;
        long promptTokens;
        long completionTokens;
        boolean usageSeen;
        int contentEvents;
        long upstreamSentNanos;
        long firstTokenNanos;
        long addedNanos;
        long upstreamHeadNanos;
        HttpResponse upstreamHead;
        CompositeByteBuf body;
        ByteBuf pending;
        String requestText;
        final StreamEvents events = new StreamEvents();
        int[] runBounds = new int[4];

        Exchange(io.netty.handler.codec.http.HttpRequest request, long startNanos) {
            this.startNanos = startNanos;
            this.method = request.method().name();
            String uri = request.uri();
            int q = uri.indexOf('?');
            this.path = q < 0 ? uri : uri.substring(0, q);
            String id = request.headers().get("x-request-id");
            this.requestId = id != null && !id.isBlank() && id.length() <= 128 ? id : newRequestId();
            this.client = clientAddress(request.headers());
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        void route(FullHttpRequest request) {
            switch (path) {
                case "/health" -> {
                    requireMethod(HttpMethod.GET, request);
                    sendOwn(200, "{\"status\":\"ok\"}", null);
                }
                case "/ready" -> {
                    requireMethod(HttpMethod.GET, request);
                    ready();
                }
                case CHAT, COMPLETIONS -> {
                    requireMethod(HttpMethod.POST, request);
                    authenticate(request.headers());
                    applied = proxy.policy().apply(ByteBufUtil.getBytes(request.content()), path.equals(CHAT));
                    if (proxy.options().logBodies()) {
                        requestText = PiiMask.mask(request.content().toString(StandardCharsets.UTF_8));
                    }
                    admit();
                }
                case MODELS -> {
                    requireMethod(HttpMethod.GET, request);
                    authenticate(request.headers());
                    forward(null);
                }
                default -> throw new ProxyError(404, "invalid_request_error", "unknown_url", null,
                        "Unknown request URL: " + method + " " + path + ". This service serves " + CHAT + ", "
                                + COMPLETIONS + " and " + MODELS + ".");
            }
        }

        private void requireMethod(HttpMethod expected, FullHttpRequest request) {
            if (!request.method().equals(expected)) {
                throw new ProxyError(405, "invalid_request_error", "method_not_allowed", null,
                        "Use " + expected + " for " + path + ".");
            }
        }

        private void authenticate(HttpHeaders headers) {
            String presented = null;
            String auth = headers.get(HttpHeaderNames.AUTHORIZATION);
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = auth.substring(7).trim();
            } else if (headers.get("x-api-key") != null) {
                presented = headers.get("x-api-key").trim();
            }
            if (presented == null || presented.isEmpty()) {
                throw new ProxyError(401, "invalid_request_error", "missing_api_key", null,
                        "You didn't provide an API key. Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'.");
            }
            ApiKey k = proxy.keys().lookup(presented);
            if (k == null) {
                throw new ProxyError(401, "invalid_request_error", "invalid_api_key", null,
                        "Incorrect API key provided: " + masked(presented) + ".");
            }
            if (k.revoked()) {
                key = k;
                throw new ProxyError(401, "invalid_request_error", "revoked_api_key", null,
                        "The API key '" + k.name() + "' has been revoked.");
            }
            key = k;
        }

        private void admit() {
            CompletableFuture<Decision> f = proxy.limiter().admit(key, applied.admissionTokens(), requestId);
            if (f.isDone() && !f.isCompletedExceptionally()) {
                admitted(f.join(), null);
            } else {
                f.whenComplete((d, e) -> ctx.executor().execute(() -> admitted(d, e)));
            }
        }

        private void admitted(Decision d, Throwable e) {
            if (done) {
                if (d != null && d.admitted()) {
                    proxy.limiter().settle(d, 0, requestId);
                }
                return;
            }
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                error(new ProxyError(503, "service_unavailable", "rate_limiter_unavailable", null,
                        "The service cannot check your rate limits right now (" + cause.getMessage() + "). Retry shortly."));
                return;
            }
            decision = d;
            if (!d.admitted()) {
                proxy.metrics().limited(key.name(), d.limit());
                error(new ProxyError(429, d.limit(), "rate_limit_exceeded", null, limitMessage(d)));
                return;
            }
            forward(applied.body());
        }

        private String limitMessage(Decision d) {
            return switch (d.limit()) {
                case "concurrency" -> "Rate limit reached for key '" + key.name() + "' on concurrent requests: limit "
                        + key.maxConcurrency() + ". Retry when one of your requests has finished.";
                case "requests" -> "Rate limit reached for key '" + key.name() + "' on requests per min (RPM): limit "
                        + key.rpm() + ", used " + d.requestsUsed() + ", requested 1. Please try again in "
                        + d.resetText() + ".";
                default -> "Rate limit reached for key '" + key.name() + "' on tokens per min (TPM): limit "
                        + key.tpm() + ", used " + d.tokensUsed() + ", requested " + d.estimatedTokens()
                        + (d.estimatedTokens() > key.tpm() ? " (more than the limit: lower max_tokens or shorten the input)"
                        : ". Please try again in " + d.resetText()) + ".";
            };
        }

        private void forward(byte[] bodyBytes) {
            HttpMethod m = bodyBytes == null ? HttpMethod.GET : HttpMethod.POST;
            proxy.metrics().inFlight.incrementAndGet();
            relaying = true;
            upstreamSentNanos = System.nanoTime();
            addedNanos = upstreamSentNanos - startNanos;
            call = proxy.upstream().send(ctx.channel().eventLoop(), m, path, bodyBytes, this, "x-request-id", requestId);
        }

        private void ready() {
            call = proxy.upstream().send(ctx.channel().eventLoop(), HttpMethod.GET, "/health", null, new Upstream.Listener() {
                int upstreamStatus;

                @Override
                public void onHead(HttpResponse head) {
                    upstreamStatus = head.status().code();
                }

                @Override
                public void onContent(ByteBuf content, boolean last) {
                    content.release();
                    if (last) {
                        if (upstreamStatus == 200) {
                            sendOwn(200, "{\"status\":\"ready\"}", null);
                        } else {
                            error(new ProxyError(503, "service_unavailable", "upstream_not_ready", null,
                                    "The model server is not ready (its /health answered " + upstreamStatus + ")."));
                        }
                    }
                }

                @Override
                public void onError(Upstream.Failure failure, Throwable cause) {
                    error(new ProxyError(503, "service_unavailable", "upstream_not_ready", null,
                            "The model server does not answer (" + failure.name().toLowerCase() + ")."));
                }
            });
        }

        // ---- the upstream's answer

        @Override
        public void onHead(HttpResponse head) {
            upstreamHead = head;
            upstreamHeadNanos = System.nanoTime();
            if (applied != null && applied.stream() && head.status().code() == 200) {
                HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, head.status(), TRUSTED);
                copyHeaders(head.headers(), out.headers());
                HttpUtil.setTransferEncodingChunked(out, true);
                addedNanos += System.nanoTime() - upstreamHeadNanos;
                ownHeaders(out.headers());
                if (!keepAlive) {
                    out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                status = 200;
                headSent = true;
                ctx.write(out);
            } else {
                body = ctx.alloc().compositeBuffer(1024);
            }
        }

        @Override
        public void onContent(ByteBuf content, boolean last) {
            if (done) {
                content.release();
                return;
            }
            if (headSent) {
                relayEvents(content, last);
                if (last) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> end());
                }
                return;
            }
            if (body.readableBytes() + content.readableBytes() > MAX_UPSTREAM_BODY) {
                content.release();
                call.cancel();
                upstreamFailed(new ProxyError(502, "upstream_error", "bad_gateway", null,
                        "The model server's answer is larger than " + MAX_UPSTREAM_BODY + " bytes."));
                return;
            }
            body.addComponent(true, content);
            if (last) {
                fullAnswer();
            }
        }

        @Override
        public void onError(Upstream.Failure failure, Throwable cause) {
            if (done) {
                return;
            }
            if (failure == Upstream.Failure.TIMEOUT) {
                upstreamFailed(new ProxyError(504, "upstream_error", "upstream_timeout", null,
                        "The model server did not answer within " + io.chatbotctl.core.Durations.format(
                                proxy.options().upstreamTimeout()) + " (--upstream-timeout)."));
            } else if (failure == Upstream.Failure.CONNECT) {
                upstreamFailed(new ProxyError(502, "upstream_error", "bad_gateway", null,
                        "The model server cannot be reached" + (cause == null ? "." : ": " + cause.getMessage())));
            } else {
                upstreamFailed(new ProxyError(502, "upstream_error", "bad_gateway", null,
                        "The model server closed the connection before its answer was complete."));
            }
        }

        private void upstreamFailed(ProxyError e) {
            if (body != null) {
                body.release();
                body = null;
            }
            if (!headSent) {
                error(e);
                return;
            }
            // the status is sent: all we can do is cut the stream so the client sees it incomplete
            errorType = e.kind();
            keepAlive = false;
            releasePending();
            ctx.close();
            end();
        }

        /** A non-streamed answer (or an error) arrived in full: counted, then sent with a length. */
        private void fullAnswer() {
            int code = upstreamHead.status().code();
            status = code;
            if (applied != null && code == 200) {
                firstTokenNanos = System.nanoTime();
                proxy.metrics().upstreamTtftNanos(firstTokenNanos - upstreamSentNanos);
                usage(body);
            } else if (code >= 400) {
                errorType = upstreamErrorType(body, code);
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, upstreamHead.status(), body, TRUSTED, TRUSTED);
            body = null;
            copyHeaders(upstreamHead.headers(), out.headers());
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            String responseText = proxy.options().logBodies() && applied != null
                    ? PiiMask.mask(out.content().toString(StandardCharsets.UTF_8)) : null;
            addedNanos += System.nanoTime() - upstreamHeadNanos;
            ownHeaders(out.headers());
            headSent = true;
            write(out).addListener(f -> {
                this.responseText = responseText;
                end();
            });
        }

        String responseText;

        private void usage(ByteBuf json) {
            try {
                JsonNode u = Json.mapper().readTree(new io.netty.buffer.ByteBufInputStream(json.duplicate())).path("usage");
                if (u.isObject()) {
                    promptTokens = u.path("prompt_tokens").asLong();
                    completionTokens = u.path("completion_tokens").asLong();
                    usageSeen = true;
                }
            } catch (java.io.IOException ignored) {
                // not JSON: counted by the estimate
            }
        }

        /**
         * Forwards whole server-sent events as they complete; drops the usage chunk the client did not ask for. The
         * read's bytes are looked at in a copy on the heap; the events forwarded are copied from it into one HTTP
         * chunk, framed here and written past the HTTP encoder (which still writes the head and the last chunk).
         */
        private void relayEvents(ByteBuf content, boolean last) {
            ByteBuf buf;
            if (pending == null) {
                buf = content;
            } else {
                buf = ctx.alloc().buffer(pending.readableBytes() + content.readableBytes());
                buf.writeBytes(pending).writeBytes(content);
                pending.release();
                content.release();
                pending = null;
            }
            int length = buf.readableBytes();
            byte[] bytes = scratch(length);
            buf.getBytes(buf.readerIndex(), bytes, 0, length);
            // the events forwarded, as runs of bytes [from, to): only a dropped event splits them
            int runs = 0;
            int runStart = -1;
            int eventStart = 0;
            for (int eventEnd; (eventEnd = events.next(bytes, eventStart, length)) >= 0; eventStart = eventEnd) {
                if (forwardEvent(bytes, eventStart, eventEnd)) {
                    runStart = runStart < 0 ? eventStart : runStart;
                } else if (runStart >= 0) {
                    runs = addRun(runs, runStart, eventStart);
                    runStart = -1;
                }
            }
            if (eventStart < length) {
                if (last) {
                    runStart = runStart < 0 ? eventStart : runStart;
                    eventStart = length;
                } else {
                    pending = ctx.alloc().buffer(length - eventStart);
                    pending.writeBytes(buf, buf.readerIndex() + eventStart, length - eventStart);
                }
            }
            if (runStart >= 0) {
                runs = addRun(runs, runStart, eventStart);
            }
            buf.release();
            int size = 0;
            for (int r = 0; r < runs; r += 2) {
                size += runBounds[r + 1] - runBounds[r];
            }
            if (size > 0) { // never an empty chunk: it would end the stream
                boolean first = firstTokenNanos == 0 && contentEvents > 0;
                if (first) {
                    firstTokenNanos = System.nanoTime();
                    proxy.metrics().upstreamTtftNanos(firstTokenNanos - upstreamSentNanos);
                }
                ByteBuf chunk = ctx.alloc().buffer(size + 12);
                chunk.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
                chunk.writeShort(CRLF);
                for (int r = 0; r < runs; r += 2) {
                    chunk.writeBytes(bytes, runBounds[r], runBounds[r + 1] - runBounds[r]);
                }
                chunk.writeShort(CRLF);
                pastEncoder().write(chunk);
            }
        }

        /** Adds the run [from, to) after the {@code runs} bounds already in {@link #runBounds}; the new count. */
        private int addRun(int runs, int from, int to) {
            if (runs + 2 > runBounds.length) {
                runBounds = java.util.Arrays.copyOf(runBounds, runBounds.length * 2);
            }
            runBounds[runs] = from;
            runBounds[runs + 1] = to;
            return runs + 2;
        }

        /** One flush for all the events of the upstream's reads (it is one system call per flush). */
        @Override
        public void onReadComplete() {
            if (headSent && !done) {
                ctx.flush();
            }
        }

        /** Looks at the event {@link #events} just found: counts content, reads usage; false for the usage chunk to strip. */
        private boolean forwardEvent(byte[] bytes, int from, int to) {
            if (events.usage) {
                long[] u = StreamEvents.usage(bytes, from, to);
                if (u != null) { // a malformed chunk is the client's to see
                    promptTokens = u[0];
                    completionTokens = u[1];
                    usageSeen = true;
                }
                return !applied.stripUsage();
            }
            if (events.text) {
                contentEvents++;
            }
            return true;
        }

        private void releasePending() {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }

        // ---- ends

        void clientGone() {
            if (call != null) {
                call.cancel();
                if (relaying) {
                    proxy.metrics().cancelled();
                }
            }
            if (body != null) {
                body.release();
                body = null;
            }
            releasePending();
            status = 499;
            errorType = errorType != null ? errorType : "client_closed_request";
            end();
        }

        void error(ProxyError e) {
            status = e.status;
            errorType = e.kind();
            byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(e.status), Unpooled.wrappedBuffer(bytes));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (e.status == 429) {
                out.headers().set(HttpHeaderNames.RETRY_AFTER, decision.retryAfterSeconds());
            } else if (e.status == 503) {
                out.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
            }
            if (!relaying) {
                addedNanos = System.nanoTime() - startNanos;
            }
            ownHeaders(out.headers());
            headSent = true;
            write(out).addListener(f -> end());
        }

        private void sendOwn(int code, String json, String type) {
            status = code;
            errorType = type;
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                    Unpooled.wrappedBuffer(bytes));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            addedNanos = System.nanoTime() - startNanos;
            ownHeaders(out.headers());
            headSent = true;
            write(out).addListener(f -> end());
        }

        private io.netty.channel.ChannelFuture write(FullHttpResponse out) {
            if (!keepAlive) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                return ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
            return ctx.writeAndFlush(out);
        }

        private void ownHeaders(HttpHeaders h) {
            h.set("x-request-id", requestId);
            h.set(ADDED_HEADER, millis(addedNanos));
            Decision d = decision;
            if (d == null || key == null) {
                return;
            }
            if (key.rpm() > 0) {
                h.set("x-ratelimit-limit-requests", key.rpm());
                h.set("x-ratelimit-remaining-requests", d.remainingRequests());
                h.set("x-ratelimit-reset-requests", d.resetText());
            }
            if (key.tpm() > 0) {
                h.set("x-ratelimit-limit-tokens", key.tpm());
                h.set("x-ratelimit-remaining-tokens", d.remainingTokens());
                h.set("x-ratelimit-reset-tokens", d.resetText());
            }
        }

        /** Once per request: settles the limit, counts, logs, and moves on to the next request on the connection. */
        private void end() {
            if (done) {
                return;
            }
            done = true;
            long now = System.nanoTime();
            if (relaying) {
                proxy.metrics().inFlight.decrementAndGet();
            }
            if (decision != null && decision.admitted()) {
                long actual = usageSeen ? promptTokens + completionTokens
                        : applied.estimatedPrompt() + contentEvents;
                if (!usageSeen && applied != null) {
                    promptTokens = applied.estimatedPrompt();
                    completionTokens = contentEvents;
                }
                proxy.limiter().settle(decision, actual, requestId);
            }
            // kubelet's probes are neither requests of a client nor lines of the access log
            if (!path.equals("/health") && !path.equals("/ready")) {
                String keyName = key == null ? "" : key.name();
                proxy.metrics().request(keyName, status, errorType);
                proxy.metrics().tokens(keyName, promptTokens, completionTokens);
                proxy.metrics().addedNanos(addedNanos);
                proxy.accessLog().accept(new AccessRecord(Instant.now(), requestId, key == null ? null : key.name(),
                        client, method, path, applied == null ? null : applied.model(),
                        applied != null && applied.stream(), status, errorType,
                        decision == null ? null : decision.limit(), promptTokens, completionTokens,
                        firstTokenNanos == 0 ? -1 : (firstTokenNanos - startNanos) / 1e6, (now - startNanos) / 1e6,
                        addedNanos / 1e6, requestText, responseText));
            }
            if (ctx.channel().isActive() && keepAlive) {
                next();
            } else {
                current = null;
                ctx.close();
            }
        }
    }

    /** Each event loop's copy of the upstream read being relayed (grown to the largest read). */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

    private static final short CRLF = ('\r' << 8) | '\n';

    /** Writes bytes straight to the socket's side of the pipeline, past the HTTP codec. */
    private ChannelHandlerContext pastEncoder() {
        if (codec == null) {
            codec = ctx.pipeline().context(io.netty.handler.codec.http.HttpServerCodec.class);
        }
        return codec;
    }

    private static byte[] scratch(int length) {
        byte[] b = SCRATCH.get();
        if (b.length < length) {
            b = new byte[Math.max(length, b.length * 2)];
            SCRATCH.set(b);
        }
        return b;
    }

    private static void copyHeaders(HttpHeaders from, HttpHeaders to) {
        for (var it = from.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!hopByHop(e.getKey())) {
                to.add(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean hopByHop(CharSequence name) {
        for (String h : HOP_BY_HOP) {
            if (io.netty.util.AsciiString.contentEqualsIgnoreCase(h, name)) {
                return true;
            }
        }
        return false;
    }

    private static String upstreamErrorType(ByteBuf body, int code) {
        try {
            JsonNode e = Json.mapper().readTree(new io.netty.buffer.ByteBufInputStream(body.duplicate())).path("error");
            if (e.path("type").isTextual()) {
                return "upstream_" + e.path("type").asText();
            }
        } catch (java.io.IOException ignored) {
            // not JSON
        }
        return "upstream_" + code;
    }

    /**
     * The client: behind a load balancer, the last X-Forwarded-For entry is the address the balancer itself saw
     * (entries further left are whatever the client wrote); without the header, the peer's address.
     */
    private String clientAddress(HttpHeaders headers) {
        String xff = headers.get("x-forwarded-for");
        if (xff != null && !xff.isBlank()) {
            String[] parts = xff.split(",");
            return parts[parts.length - 1].trim();
        }
        if (peerAddress == null) {
            InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
            peerAddress = peer == null ? "" : peer.getAddress().getHostAddress();
        }
        return peerAddress.isEmpty() ? null : peerAddress;
    }

    private static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "req-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 0.118}), without String.format's cost. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        String frac = Long.toString(1000 + micros % 1000).substring(1);
        return (micros / 1000) + "." + frac;
    }

    private static String masked(String key) {
        return key.length() <= 8 ? "****" : key.substring(0, 4) + "****" + key.substring(key.length() - 4);
    }
}

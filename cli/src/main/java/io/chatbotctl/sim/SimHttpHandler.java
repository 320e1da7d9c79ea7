package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** vLLM's HTTP surface on one connection. */
final class SimHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String CHAT = "/v1/chat/completions";
    static final String COMPLETIONS = "/v1/completions";
    private static final Map<String, HttpMethod> ROUTES = Map.of(CHAT, HttpMethod.POST, COMPLETIONS, HttpMethod.POST,
            "/v1/models", HttpMethod.GET, "/health", HttpMethod.GET, "/metrics", HttpMethod.GET,
            "/tokenize", HttpMethod.POST, "/version", HttpMethod.GET);

    /** Handlers vLLM's instrumentator leaves out of {@code http_requests_total}. */
    private static final java.util.Set<String> UNCOUNTED = java.util.Set.of("/metrics", "/health", "/version");

    private final SimContext sim;
    private Generation current;
    private long arrivalNanos;
    private long requestBytes;

    SimHttpHandler(SimContext sim) {
        this.sim = sim;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long arrival = System.nanoTime();
        arrivalNanos = arrival;
        requestBytes = HttpUtil.getContentLength(request, 0L);
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod expected = ROUTES.get(path);
        if (expected == null) {
            send(ctx, "none", request.method(), keepAlive, 404, "{\"detail\":\"Not Found\"}");
            return;
        }
        HttpMethod method = request.method();
        if (!expected.equals(method)) {
            send(ctx, path, method, keepAlive, 405, "{\"detail\":\"Method Not Allowed\"}");
            return;
        }
        try {
            switch (path) {
                case CHAT, COMPLETIONS -> complete(ctx, request, path, keepAlive, arrival);
                case "/health" -> {
                    if (sim.loading()) {
                        throw ApiError.forStatus(503, "The model is still loading.");
                    }
                    send(ctx, path, method, keepAlive, 200, "", "text/plain");
                }
                case "/metrics" -> send(ctx, path, method, keepAlive, 200, sim.metrics.render(),
                        "text/plain; version=0.0.4; charset=utf-8");
                case "/v1/models" -> send(ctx, path, method, keepAlive, 200, models());
                case "/tokenize" -> send(ctx, path, method, keepAlive, 200, tokenize(bytes(request)));
                case "/version" -> send(ctx, path, method, keepAlive, 200, "{\"version\":\"" + sim.metrics.catalog().version() + "+chatbotctl.sim\"}");
                default -> throw new IllegalStateException(path);
            }
        } catch (ApiError e) {
            error(ctx, path, method, keepAlive, e);
            if (path.equals(CHAT) || path.equals(COMPLETIONS)) {
                sim.requestLog.add(new RequestRecord("-", path, false, arrival, 0, System.nanoTime(), 0, 0, 0,
                        e.status, "error", 0, new int[0]));
            }
        }
    }

    private void complete(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive,
                          long arrival) {
        if (sim.loading()) {
            throw ApiError.forStatus(503, "The model is still loading.");
        }
        boolean chat = path.equals(CHAT);
        CompletionRequest req = CompletionRequest.parse(chat, bytes(request), sim.config);
        SimConfig c = sim.config;
        if (c.errorRate() > 0 && sim.random.nextDouble() < c.errorRate()) {
            throw ApiError.forStatus(c.errorStatus(), "Simulated failure (--error-rate " + c.errorRate() + ").");
        }
        SimContext.Answer answer = sim.plan(req);
        int n = answer.pieces().length;
        int half = Math.max(1, n / 2);
        int stallAt = c.stallRate() > 0 && n > 1 && sim.random.nextDouble() < c.stallRate() ? half : -1;
        int disconnectAt = c.disconnectRate() > 0 && n > 1 && sim.random.nextDouble() < c.disconnectRate() ? half : -1;
        String id = sim.nextId(chat);
        long created = System.currentTimeMillis() / 1000;
        Sink sink;
        if (req.stream()) {
            StreamSink s = new StreamSink(ctx.channel(), keepAlive, chat, req.includeUsage(), id, created,
                    sim.escapedModel);
            s.begin();
            sink = s;
        } else {
            sink = new FullSink(ctx.channel(), keepAlive, chat, id, created, sim.escapedModel);
        }
        sim.metrics.http(path, "POST", 200, requestBytes, 0, (System.nanoTime() - arrival) / 1e9);
        sim.metrics.requestParams(req.maxTokens(), req.maxTokens() != null ? req.maxTokens()
                : c.maxModelLen() - req.promptTokens());
        current = new Generation(sim, ctx.channel(), sink, id, path, req.stream(), arrival, req.promptTokens(),
                answer.pieces(), answer.finishReason(), stallAt, disconnectAt);
        sim.engine.submit(current);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (current != null && !current.ended()) {
            current.aborted();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * vLLM's model list (ModelCard and ModelPermission in vllm/entrypoints/openai/protocol.py): {@code created} and
     * the permission's id and {@code created} are made anew for each request, as vLLM makes them.
     */
    private String models() {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("object", "list");
        ObjectNode model = root.putArray("data").addObject();
        model.put("id", sim.config.model());
        model.put("object", "model");
        model.put("created", now);
        model.put("owned_by", "vllm");
        model.put("root", sim.config.model());
        model.putNull("parent");
        model.put("max_model_len", sim.config.maxModelLen());
        ObjectNode permission = model.putArray("permission").addObject();
        permission.put("id", "modelperm-" + java.util.UUID.randomUUID().toString().replace("-", ""));
        permission.put("object", "model_permission");
        permission.put("created", now);
        permission.put("allow_create_engine", false);
        permission.put("allow_sampling", true);
        permission.put("allow_logprobs", true);
        permission.put("allow_search_indices", false);
        permission.put("allow_view", true);
        permission.put("allow_fine_tuning", false);
        permission.put("organization", "*");
        permission.putNull("group");
        permission.put("is_blocking", false);
        return root.toString();
    }

    private String tokenize(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("Invalid JSON body.", null);
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null);
        }
        List<Integer> ids;
        if (root.has("messages")) {
            byte[] chat = root.toString().getBytes(StandardCharsets.UTF_8);
            CompletionRequest req = CompletionRequest.parse(true, chat, sim.config);
            ids = Tokenizer.encodeChat(req.messages());
        } else if (root.path("prompt").isTextual()) {
            ids = root.path("add_special_tokens").asBoolean(true)
                    ? Tokenizer.encodePrompt(root.get("prompt").asText()) : Tokenizer.ids(root.get("prompt").asText());
        } else {
            throw ApiError.badRequest("Give 'prompt' (a string) or 'messages'.", "prompt");
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("count", ids.size());
        out.put("max_model_len", sim.config.maxModelLen());
        ArrayNode tokens = out.putArray("tokens");
        ids.forEach(tokens::add);
        out.putNull("token_strs");
        return out.toString();
    }

    private static byte[] bytes(FullHttpRequest request) {
        return ByteBufUtil.getBytes(request.content());
    }

    private void error(ChannelHandlerContext ctx, String path, HttpMethod method, boolean keepAlive, ApiError e) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type);
        if (e.param == null) {
            error.putNull("param");
        } else {
            error.put("param", e.param);
        }
        error.put("code", e.status);
        send(ctx, path, method, keepAlive, e.status, root.toString());
    }

    private void send(ChannelHandlerContext ctx, String handler, HttpMethod method, boolean keepAlive, int status,
                      String body) {
        send(ctx, handler, method, keepAlive, status, body, "application/json");
    }

    private void send(ChannelHandlerContext ctx, String handler, HttpMethod method, boolean keepAlive, int status,
                      String body, String contentType) {
        ByteBuf buf = ctx.alloc().buffer(body.length() + 16);
        buf.writeCharSequence(body, StandardCharsets.UTF_8);
        if (!UNCOUNTED.contains(handler)) {
            sim.metrics.http(handler, method.name(), status, requestBytes, buf.readableBytes(),
                    (System.nanoTime() - arrivalNanos) / 1e9);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), buf);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        if (status == 429 || status == 503) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }
}

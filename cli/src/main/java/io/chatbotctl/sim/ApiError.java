package io.chatbotctl.sim;

/** An error answered to the client with an OpenAI-shaped body: {@code {"error": {message, type, param, code}}}. */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;

    ApiError(int status, String type, String message, String param) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
    }

    static ApiError badRequest(String message, String param) {
        return new ApiError(400, "BadRequestError", message, param);
    }

    static ApiError forStatus(int status, String message) {
        String type = switch (status) {
            case 429 -> "RateLimitError";
            case 503 -> "ServiceUnavailableError";
            case 404 -> "NotFoundError";
            default -> "InternalServerError";
        };
        return new ApiError(status, type, message, null);
    }
}

package io.scoreline.serve.api;

/** A request the service refuses, with the HTTP status and one line in the caller's terms; answered as {"error": …, "status": …}. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError notReady(String message) {
        return new ApiError(503, message);
    }

    public int status() {
        return status;
    }

    /** The JSON body. */
    public record Body(String error, int status) {}

    public Body body() {
        return new Body(getMessage(), status);
    }
}

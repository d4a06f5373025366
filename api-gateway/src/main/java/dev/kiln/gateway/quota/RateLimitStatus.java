package dev.kiln.gateway.quota;

/**
 * Where an organization stands against its request limit after one request: what the {@code X-RateLimit-*}
 * headers report, and whether the request was taken.
 */
public record RateLimitStatus(long limit, long remaining, long resetEpochSeconds, boolean taken,
    long retryAfterSeconds) {}

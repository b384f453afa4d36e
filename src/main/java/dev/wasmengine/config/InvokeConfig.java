package dev.wasmengine.config;

import java.time.Duration;

/**
 * @param workers        invoker verticle instances, each running one guest at a time
 * @param timeout        how long a caller waits for an invocation's answer
 * @param maxExecuteTime Vert.x's blocked-worker warning threshold for guest and store pools
 */
public record InvokeConfig(int workers, Duration timeout, Duration maxExecuteTime) {}

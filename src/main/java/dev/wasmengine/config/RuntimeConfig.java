package dev.wasmengine.config;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.GuestLimits;

/** @param defaultModel the execution model of a function deployed without one */
public record RuntimeConfig(ExecutionModel defaultModel, GuestLimits limits) {}

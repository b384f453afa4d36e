package dev.wasmengine.runtime;

/** One HTTP header line as it crossed the wire: repeated names stay separate entries, in order. */
public record HttpHeader(String name, String value) {}

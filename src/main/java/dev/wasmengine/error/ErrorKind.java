package dev.wasmengine.error;

import java.util.Arrays;
import java.util.Optional;

/**
 * What went wrong, independent of transport. The code travels as the failure code of an
 * event-bus reply, so a failure keeps its kind across verticles and, later, across nodes.
 */
public enum ErrorKind {
  BAD_REQUEST(4000),
  MALFORMED_MODULE(4001),
  INVALID_MODULE(4002),
  LINK_ERROR(4003),
  BAD_IMAGE(4004),
  NOT_FOUND(4040),
  CONFLICT(4090),
  UNAUTHORIZED(4010),
  LIMIT(4130),
  OVERLOADED(4290),
  TRAP(5001),
  GUEST_EXIT(5002),
  TIMEOUT(5040),
  UNAVAILABLE(5030),
  REGISTRY_UNAVAILABLE(5020),
  INTERNAL(5000);

  private final int code;

  ErrorKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<ErrorKind> fromCode(int code) {
    return Arrays.stream(values()).filter(kind -> kind.code == code).findFirst();
  }
}

package dev.wasmengine.error;

/**
 * The root of every failure the engine reports to a caller. Each subclass is one
 * {@link ErrorKind}; the API maps kinds to HTTP statuses in one place. The message is shown to
 * the caller, so it says what was wrong and never carries host paths of internals or secrets.
 */
public abstract sealed class EngineException extends RuntimeException
    permits BadRequestException, MalformedModuleException, InvalidModuleException, LinkException,
        BadImageException, NotFoundException, ConflictException, UnauthorizedException,
        LimitExceededException, OverloadedException, TrapException, GuestExitException, DeadlineExceededException,
        UnavailableException, RegistryUnavailableException, InternalException {

  protected EngineException(String message) {
    super(message);
  }

  protected EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ErrorKind kind();

  /** Rebuilds an exception of the given kind, e.g. from an event-bus failure. */
  public static EngineException of(ErrorKind kind, String message) {
    return switch (kind) {
      case BAD_REQUEST -> new BadRequestException(message);
      case MALFORMED_MODULE -> new MalformedModuleException(message);
      case INVALID_MODULE -> new InvalidModuleException(message);
      case LINK_ERROR -> new LinkException(message);
      case BAD_IMAGE -> new BadImageException(message);
      case NOT_FOUND -> new NotFoundException(message);
      case CONFLICT -> new ConflictException(message);
      case UNAUTHORIZED -> new UnauthorizedException(message);
      case LIMIT -> new LimitExceededException(message);
      case OVERLOADED -> new OverloadedException(message);
      case TRAP -> new TrapException(message);
      case GUEST_EXIT -> new GuestExitException(message);
      case TIMEOUT -> new DeadlineExceededException(message);
      case UNAVAILABLE -> new UnavailableException(message);
      case REGISTRY_UNAVAILABLE -> new RegistryUnavailableException(message);
      case INTERNAL -> new InternalException(message);
    };
  }
}

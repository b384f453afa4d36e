package dev.wasmengine.runtime;

/** What every runtime's instance does the same way: bind its host imports to one call at a time. */
public abstract class BoundInstance implements GuestInstance {
  private final HostImports imports;
  private int calls;

  protected BoundInstance(HostImports imports) {
    this.imports = imports;
  }

  @Override
  public final void bind(HostContext context) {
    calls++;
    imports.bind(context);
  }

  @Override
  public final void unbind() {
    imports.unbind();
  }

  @Override
  public final int calls() {
    return calls;
  }
}

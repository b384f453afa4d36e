package dev.wasmengine.runtime.wasi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes small wasm binaries for the tests: a module that imports functions and, optionally,
 * exports one page of memory and re-exports every import under its own name (so a test can call
 * a host import through a real instance, with that instance's memory).
 */
final class WasmBinary {
  private static final int TYPE_SECTION = 1;
  private static final int IMPORT_SECTION = 2;
  private static final int MEMORY_SECTION = 5;
  private static final int EXPORT_SECTION = 7;
  private static final int FUNC_TYPE = 0x60;
  private static final int KIND_FUNCTION = 0x00;
  private static final int KIND_MEMORY = 0x02;

  private WasmBinary() {}

  /** Imports each function from {@code module} with the given type; nothing else. */
  static byte[] importing(String module, Map<String, WasiFunctions.Signature> functions) {
    return build(module, functions, false);
  }

  /** Imports the functions, exports "memory" (one page) and every import under its own name. */
  static byte[] passThrough(String module, Map<String, WasiFunctions.Signature> functions) {
    return build(module, functions, true);
  }

  private static byte[] build(String module, Map<String, WasiFunctions.Signature> functions, boolean exports) {
    List<String> names = new ArrayList<>(functions.keySet());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});

    ByteArrayOutputStream types = new ByteArrayOutputStream();
    u32(types, names.size());
    for (String name : names) {
      WasiFunctions.Signature signature = functions.get(name);
      types.write(FUNC_TYPE);
      valueTypes(types, signature.params());
      valueTypes(types, signature.results());
    }
    section(out, TYPE_SECTION, types);

    ByteArrayOutputStream imports = new ByteArrayOutputStream();
    u32(imports, names.size());
    for (int i = 0; i < names.size(); i++) {
      name(imports, module);
      name(imports, names.get(i));
      imports.write(KIND_FUNCTION);
      u32(imports, i);
    }
    section(out, IMPORT_SECTION, imports);

    if (exports) {
      ByteArrayOutputStream memory = new ByteArrayOutputStream();
      u32(memory, 1);
      memory.write(0x00);  // limits: min only
      u32(memory, 1);
      section(out, MEMORY_SECTION, memory);

      ByteArrayOutputStream exported = new ByteArrayOutputStream();
      u32(exported, names.size() + 1);
      name(exported, "memory");
      exported.write(KIND_MEMORY);
      u32(exported, 0);
      for (int i = 0; i < names.size(); i++) {
        name(exported, names.get(i));
        exported.write(KIND_FUNCTION);
        u32(exported, i);
      }
      section(out, EXPORT_SECTION, exported);
    }
    return out.toByteArray();
  }

  private static void valueTypes(ByteArrayOutputStream out, List<String> types) {
    u32(out, types.size());
    for (String type : types) {
      out.write(switch (type) {
        case "i32" -> 0x7f;
        case "i64" -> 0x7e;
        default -> throw new IllegalArgumentException("value type " + type);
      });
    }
  }

  private static void section(ByteArrayOutputStream out, int id, ByteArrayOutputStream body) {
    out.write(id);
    u32(out, body.size());
    out.writeBytes(body.toByteArray());
  }

  private static void name(ByteArrayOutputStream out, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    u32(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void u32(ByteArrayOutputStream out, int value) {
    long rest = Integer.toUnsignedLong(value);
    do {
      int b = (int) (rest & 0x7f);
      rest >>>= 7;
      out.write(rest == 0 ? b : b | 0x80);
    } while (rest != 0);
  }
}

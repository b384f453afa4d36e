package dev.wasmengine.runtime;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.MalformedException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmengine.error.InvalidModuleException;
import dev.wasmengine.error.MalformedModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module imports and exports, read once at deploy to pick and check its ABI. Parsing
 * uses Chicory's standalone parser for both runtimes, so the checks are the same whichever one
 * executes the module.
 */
public record ModuleShape(List<ImportName> imports, Map<String, ExportKind> exports,
    Map<String, Signature> functionSignatures) {

  public static final String WASI_MODULE = "wasi_snapshot_preview1";
  public static final String START = "_start";

  /** @param signature the function type, for a function import */
  public record ImportName(String module, String name, ExportKind kind, Optional<Signature> signature) {
    @Override
    public String toString() {
      return module + "." + name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
  }

  public enum ExportKind { FUNCTION, TABLE, MEMORY, GLOBAL, TAG }

  /** A function type written like the text format, e.g. {@code (i32 i32) -> (i32 i32)}. */
  public record Signature(List<String> params, List<String> results) {
    @Override
    public String toString() {
      return "(" + String.join(" ", params) + ") -> (" + String.join(" ", results) + ")";
    }
  }

  public static ModuleShape inspect(byte[] bytes) {
    return of(parse(bytes));
  }

  /** Parses and validates a module; a runtime may keep the result to compile from. */
  public static WasmModule parse(byte[] bytes) {
    try {
      return Parser.parse(bytes);
    } catch (MalformedException e) {
      throw new MalformedModuleException("not a WebAssembly module: " + e.getMessage());
    } catch (ChicoryException e) {
      throw new InvalidModuleException("invalid WebAssembly module: " + e.getMessage());
    }
  }

  public static ModuleShape of(WasmModule module) {
    List<ImportName> imports = new ArrayList<>();
    List<FunctionType> importedFunctionTypes = new ArrayList<>();
    for (int i = 0; i < module.importSection().importCount(); i++) {
      Import entry = module.importSection().getImport(i);
      Optional<Signature> signature = Optional.empty();
      if (entry instanceof FunctionImport function) {
        FunctionType type = module.typeSection().getType(function.typeIndex());
        importedFunctionTypes.add(type);
        signature = Optional.of(new Signature(names(type.params()), names(type.returns())));
      }
      imports.add(new ImportName(entry.module(), entry.name(), kind(entry.importType()), signature));
    }
    Map<String, ExportKind> exports = new LinkedHashMap<>();
    Map<String, Signature> signatures = new LinkedHashMap<>();
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      exports.put(export.name(), kind(export.exportType()));
      if (export.exportType() == ExternalType.FUNCTION) {
        int index = export.index();
        FunctionType type = index < importedFunctionTypes.size()
            ? importedFunctionTypes.get(index)
            : module.functionSection().getFunctionType(index - importedFunctionTypes.size(), module.typeSection());
        signatures.put(export.name(), new Signature(names(type.params()), names(type.returns())));
      }
    }
    return new ModuleShape(List.copyOf(imports), Map.copyOf(exports), Map.copyOf(signatures));
  }

  public boolean importsWasi() {
    return imports.stream().anyMatch(i -> i.module().equals(WASI_MODULE));
  }

  /** A WASI command: what the original ran through ABI 2. */
  public boolean isWasiCommand() {
    return functionSignatures.containsKey(START) || importsWasi();
  }

  public Optional<Signature> function(String name) {
    return Optional.ofNullable(functionSignatures.get(name));
  }

  public boolean exports(String name, ExportKind kind) {
    return exports.get(name) == kind;
  }

  private static List<String> names(List<ValType> types) {
    return types.stream().map(ModuleShape::name).toList();
  }

  private static String name(ValType type) {
    if (type.equals(ValType.I32)) {
      return "i32";
    } else if (type.equals(ValType.I64)) {
      return "i64";
    } else if (type.equals(ValType.F32)) {
      return "f32";
    } else if (type.equals(ValType.F64)) {
      return "f64";
    } else if (type.equals(ValType.V128)) {
      return "v128";
    }
    return "ref";
  }

  private static ExportKind kind(ExternalType type) {
    return switch (type) {
      case FUNCTION -> ExportKind.FUNCTION;
      case TABLE -> ExportKind.TABLE;
      case MEMORY -> ExportKind.MEMORY;
      case GLOBAL -> ExportKind.GLOBAL;
      case TAG -> ExportKind.TAG;
    };
  }
}

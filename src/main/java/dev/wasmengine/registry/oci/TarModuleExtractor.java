package dev.wasmengine.registry.oci;

import dev.wasmengine.error.BadImageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the one {@code .wasm} file in a tar stream (ustar, with GNU long names and pax paths).
 * Refuses what a container runtime would have to trust blindly: absolute paths, {@code ..},
 * links and device nodes. Reads at most {@code maxBytes} of tar, so a decompression bomb ends
 * as a clear error instead of filling memory.
 */
final class TarModuleExtractor {
  private static final int BLOCK = 512;

  private final long maxBytes;
  private long consumed;

  TarModuleExtractor(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  byte[] extract(InputStream tar) throws IOException {
    List<String> modules = new ArrayList<>();
    byte[] module = null;
    String longName = null;
    byte[] header = new byte[BLOCK];
    while (true) {
      if (!readBlock(tar, header)) {
        throw new BadImageException("image layer is a truncated tar archive");
      }
      if (isZero(header)) {
        break;
      }
      verifyChecksum(header);
      char type = (char) header[156];
      long size = parseSize(header);
      String name = longName != null ? longName : headerName(header);
      longName = null;
      switch (type) {
        case 'L', 'x' -> {
          // The next entry's real name, as a GNU long-name record or a pax "path" record.
          byte[] data = readData(tar, size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
        }
        case 'g' -> readData(tar, size);
        case '5' -> checkPath(name);
        case '0', '\0', '7' -> {
          checkPath(name);
          if (name.endsWith(".wasm")) {
            modules.add(name);
            module = readData(tar, size);
          } else {
            skipData(tar, size);
          }
        }
        case '1', '2' -> throw new BadImageException("image layer holds a link (" + name + "), which is refused");
        default -> throw new BadImageException("image layer holds a special file (" + name + ", tar type '" + type + "'), which is refused");
      }
    }
    if (modules.size() != 1) {
      throw new BadImageException(modules.isEmpty()
          ? "image layer holds no .wasm file"
          : "image layer holds " + modules.size() + " .wasm files " + modules + "; expected exactly one");
    }
    return module;
  }

  private static void checkPath(String name) {
    if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
      throw new BadImageException("image layer entry " + name + " escapes the image root; refused");
    }
  }

  private boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    count(read);
    return read == BLOCK;
  }

  private byte[] readData(InputStream in, long size) throws IOException {
    long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    if (consumed + padded > maxBytes) {
      throw new BadImageException("image layer unpacks to more than " + maxBytes + " bytes; refused");
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream((int) size);
    byte[] block = new byte[BLOCK];
    for (long remaining = size; remaining > 0; remaining -= BLOCK) {
      if (!readBlock(in, block)) {
        throw new BadImageException("image layer is a truncated tar archive");
      }
      data.write(block, 0, (int) Math.min(BLOCK, remaining));
    }
    return data.toByteArray();
  }

  private void skipData(InputStream in, long size) throws IOException {
    byte[] block = new byte[BLOCK];
    for (long remaining = size; remaining > 0; remaining -= BLOCK) {
      if (!readBlock(in, block)) {
        throw new BadImageException("image layer is a truncated tar archive");
      }
    }
  }

  private void count(int bytes) {
    consumed += bytes;
    if (consumed > maxBytes) {
      throw new BadImageException("image layer unpacks to more than " + maxBytes + " bytes; refused");
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] header) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != parseOctal(header, 148, 8)) {
      throw new BadImageException("image layer is not a valid tar archive (header checksum mismatch)");
    }
  }

  private static long parseSize(byte[] header) {
    if ((header[124] & 0x80) != 0) {
      // Base-256 size, used by GNU tar for entries over 8 GiB: far beyond any cap here.
      throw new BadImageException("image layer entry is too large");
    }
    return parseOctal(header, 124, 12);
  }

  private static long parseOctal(byte[] header, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        if (value != 0) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        throw new BadImageException("image layer is not a valid tar archive (bad number in header)");
      }
      value = value * 8 + (b - '0');
    }
    return value;
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    String full = prefix.isEmpty() ? name : prefix + "/" + name;
    return full.startsWith("./") ? full.substring(2) : full;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Pax records are "LEN key=value\n"; only "path" matters here. */
  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      int equals = record.indexOf('=');
      if (space > 0 && equals > space && record.substring(space + 1, equals).equals("path")) {
        return record.substring(equals + 1);
      }
    }
    return null;
  }
}

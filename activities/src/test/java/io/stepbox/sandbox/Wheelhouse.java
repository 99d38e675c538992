package io.stepbox.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A one-module wheel and a PEP 503 "simple" index page for it, written under a site directory:
 * what a package mirror serves, made without any packaging tool.
 */
final class Wheelhouse {
  private Wheelhouse() {}

  static void write(Path site, String name, String version, String module) throws IOException {
    String pkg = name.replace('-', '_');
    String dist = pkg + "-" + version;
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(pkg + "/__init__.py", module.getBytes(StandardCharsets.UTF_8));
    files.put(
        dist + ".dist-info/METADATA",
        ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n").getBytes());
    files.put(
        dist + ".dist-info/WHEEL",
        "Wheel-Version: 1.0\nGenerator: stepbox-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            .getBytes());
    StringBuilder record = new StringBuilder();
    files.forEach(
        (path, body) ->
            record.append(path).append(",sha256=").append(urlsafe(body)).append(',')
                .append(body.length).append('\n'));
    record.append(dist).append(".dist-info/RECORD,,\n");
    files.put(dist + ".dist-info/RECORD", record.toString().getBytes());
    ByteArrayOutputStream wheel = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(wheel)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue());
        zip.closeEntry();
      }
    }
    String file = dist + "-py3-none-any.whl";
    Files.createDirectories(site.resolve("packages"));
    Files.write(site.resolve("packages").resolve(file), wheel.toByteArray());
    Path page = site.resolve("simple").resolve(name);
    Files.createDirectories(page);
    Files.writeString(
        page.resolve("index.html"),
        "<!DOCTYPE html><html><body><a href=\"/packages/"
            + file
            + "#sha256="
            + HexFormat.of().formatHex(sha256(wheel.toByteArray()))
            + "\">"
            + file
            + "</a></body></html>\n");
  }

  private static String urlsafe(byte[] body) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(body));
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

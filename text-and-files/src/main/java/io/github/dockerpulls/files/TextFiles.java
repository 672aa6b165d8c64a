package io.github.dockerpulls.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the small text files that options name (secrets, password hashes, certificates, a
 * configuration) with a bound: a file that is too large ({@code /dev/zero} included) or is not text
 * is refused with a one-line reason instead of filling the heap.
 */
public final class TextFiles {
  /** The bound for a secret or a password hash. */
  public static final int SECRET_LIMIT = 64 * 1024;

  /** The bound for a certificate chain, a key or a configuration file. */
  public static final int DOCUMENT_LIMIT = 1024 * 1024;

  private TextFiles() {}

  /** Why a file was refused; the message is one line and never contains the file's content. */
  public static final class Unusable extends IOException {
    private static final long serialVersionUID = 1L;

    Unusable(String reason) {
      super(reason);
    }
  }

  /**
   * The file's text: UTF-8, at most {@code maxBytes}, without NUL or other control characters than
   * tab, carriage return, line feed and form feed.
   *
   * @throws Unusable with a reason such as "the file does not exist" or "it is larger than 64 KiB"
   */
  public static String read(Path file, int maxBytes) throws Unusable {
    if (Files.isDirectory(file)) {
      throw new Unusable("it is a directory, not a file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (NoSuchFileException e) {
      throw new Unusable("the file does not exist");
    } catch (AccessDeniedException e) {
      throw new Unusable("permission denied");
    } catch (IOException | SecurityException e) {
      throw new Unusable("it cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > maxBytes) {
      throw new Unusable("it is larger than " + size(maxBytes) + ", so it is not what was meant");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Unusable("it is not a text file (not UTF-8)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
        throw new Unusable("it is not a text file (it holds control characters)");
      }
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String size(int bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }
}

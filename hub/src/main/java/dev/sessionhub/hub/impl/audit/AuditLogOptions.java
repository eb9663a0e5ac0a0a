package dev.sessionhub.hub.impl.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a hub's audit log goes and how it rotates: a new file each day and whenever one passes
 * {@link #getMaxFileBytes()}, old files gzipped, kept {@link #getMaxHistoryDays()} days and at most
 * {@link #getTotalSizeCapBytes()} in all.
 */
public final class AuditLogOptions {

  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_HISTORY_DAYS = 90;
  public static final long DEFAULT_TOTAL_SIZE_CAP_BYTES = 4L << 30;
  public static final int DEFAULT_MAX_CODE_CHARS = 64 * 1024;

  private final Path file;
  private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  private int maxHistoryDays = DEFAULT_MAX_HISTORY_DAYS;
  private long totalSizeCapBytes = DEFAULT_TOTAL_SIZE_CAP_BYTES;
  private int maxCodeChars = DEFAULT_MAX_CODE_CHARS;

  public AuditLogOptions(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path getFile() {
    return file;
  }

  public long getMaxFileBytes() {
    return maxFileBytes;
  }

  public AuditLogOptions setMaxFileBytes(long maxFileBytes) {
    if (maxFileBytes < 1024) {
      throw new IllegalArgumentException("audit log files must be allowed at least 1 KiB, got " + maxFileBytes);
    }
    this.maxFileBytes = maxFileBytes;
    return this;
  }

  public int getMaxHistoryDays() {
    return maxHistoryDays;
  }

  public AuditLogOptions setMaxHistoryDays(int maxHistoryDays) {
    if (maxHistoryDays < 1) {
      throw new IllegalArgumentException("audit history must be at least 1 day, got " + maxHistoryDays);
    }
    this.maxHistoryDays = maxHistoryDays;
    return this;
  }

  public long getTotalSizeCapBytes() {
    return totalSizeCapBytes;
  }

  public AuditLogOptions setTotalSizeCapBytes(long totalSizeCapBytes) {
    this.totalSizeCapBytes = totalSizeCapBytes;
    return this;
  }

  public int getMaxCodeChars() {
    return maxCodeChars;
  }

  public AuditLogOptions setMaxCodeChars(int maxCodeChars) {
    if (maxCodeChars < 0) {
      throw new IllegalArgumentException("max code chars must be >= 0, got " + maxCodeChars);
    }
    this.maxCodeChars = maxCodeChars;
    return this;
  }
}

package io.stepbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} on S3 or a compatible store (MinIO, SeaweedFS). Objects up to {@link
 * #PART_SIZE} are one PUT; larger ones are multipart uploads whose parts stream through a buffer of
 * one part, and which are aborted on failure, so a failed put leaves nothing visible. The SDK
 * retries throttling and 5xx answers with backoff.
 */
public final class S3BlobStore implements BlobStore {
  /** Size of one multipart part, and the largest object sent as a single PUT. */
  public static final int PART_SIZE = 16 << 20;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix key prefix inside the bucket, empty or ending without a slash
   */
  public S3BlobStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix.replaceAll("/+$", "") + "/";
  }

  /**
   * Builds the client from the standard AWS environment: {@code AWS_ENDPOINT_URL_S3} or {@code
   * AWS_ENDPOINT_URL} (an S3-compatible endpoint; path-style addressing is then used unless {@code
   * STEPBOX_S3_PATH_STYLE=false}), {@code AWS_REGION} (default us-east-1) and the default
   * credential chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, roles).
   */
  static S3BlobStore fromEnvironment(URI url, Map<String, String> env) {
    String bucket = url.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new BlobStoreException(
          "STEPBOX_BLOB_URL: '" + url + "' names no bucket; write " + "s3://bucket/prefix",
          false,
          null);
    }
    String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
    var builder =
        S3Client.builder()
            .region(
                Region.of(
                    env.getOrDefault(
                        "AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"))))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(5)));
    if (endpoint != null) {
      builder
          .endpointOverride(URI.create(endpoint))
          .forcePathStyle(!"false".equals(env.get("STEPBOX_S3_PATH_STYLE")));
    }
    return new S3BlobStore(builder.build(), bucket, url.getPath().replaceFirst("^/", ""));
  }

  @Override
  public Optional<BlobInfo> stat(String key) {
    try {
      var head = s3.headObject(b -> b.bucket(bucket).key(full(key)));
      return Optional.of(new BlobInfo(key, head.contentLength(), head.lastModified()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("head", key, e);
    } catch (SdkException e) {
      throw failure("head", key, e);
    }
  }

  @Override
  public void put(String key, InputStream data, long length) {
    String k = full(key);
    try {
      if (length <= PART_SIZE) {
        s3.putObject(
            b -> b.bucket(bucket).key(k),
            RequestBody.fromBytes(readExactly(data, (int) length, key)));
      } else {
        multipart(k, key, data, length);
      }
    } catch (SdkException e) {
      throw failure("put", key, e);
    } catch (IOException e) {
      throw new BlobStoreException("put " + key + ": reading the data failed: " + e, true, e);
    }
  }

  private void multipart(String k, String key, InputStream data, long length) throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(k)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long left = length;
      for (int n = 1; left > 0; n++) {
        int size = (int) Math.min(PART_SIZE, left);
        byte[] part = readExactly(data, size, key);
        int number = n;
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(k).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        left -= size;
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(k)
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  private static byte[] readExactly(InputStream in, int size, String key) throws IOException {
    byte[] buf = in.readNBytes(size);
    if (buf.length != size) {
      throw new BlobStoreException(
          "put "
              + key
              + ": expected "
              + size
              + " more bytes, the "
              + "stream ended after "
              + buf.length,
          false,
          null);
    }
    return buf;
  }

  @Override
  public Optional<InputStream> get(String key) {
    try {
      return Optional.of(s3.getObject(b -> b.bucket(bucket).key(full(key))));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("get", key, e);
    }
  }

  @Override
  public List<BlobInfo> list(String keyPrefix) {
    try {
      List<BlobInfo> out = new ArrayList<>();
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
        out.add(new BlobInfo(o.key().substring(prefix.length()), o.size(), o.lastModified()));
      }
      return out;
    } catch (SdkException e) {
      throw failure("list", keyPrefix + "*", e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(full(key)));
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public String url() {
    return "s3://" + bucket + "/" + prefix;
  }

  private String full(String key) {
    return prefix + Keys.check(key);
  }

  private BlobStoreException failure(String op, String key, SdkException e) {
    String code =
        e instanceof S3Exception s && s.awsErrorDetails() != null
            ? String.valueOf(s.awsErrorDetails().errorCode())
            : "";
    boolean retryable =
        !code.equals("NoSuchBucket")
            && (e instanceof SdkClientException
                || (e instanceof S3Exception s
                    && (s.statusCode() >= 500 || s.statusCode() == 429)));
    String hint =
        code.equals("NoSuchBucket") || e instanceof S3Exception s && s.statusCode() == 404
            ? "; does bucket '" + bucket + "' exist?"
            : e instanceof SdkClientException ? "; is the S3 endpoint reachable?" : "";
    return new BlobStoreException(
        op + " " + key + " in " + url() + ": " + e.getMessage() + hint, retryable, e);
  }

  @Override
  public void close() {
    s3.close();
  }
}

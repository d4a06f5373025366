package dev.kiln.gateway.api;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.BlobInfo;
import dev.kiln.archive.BlobStore;
import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.build.Fields;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.Forbidden;
import dev.kiln.gateway.http.RequestIds;
import dev.kiln.gateway.upload.UploadReceiver;
import dev.kiln.gateway.upload.UploadSigner;
import dev.kiln.template.FilesHashes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * COPY sources: {@code POST /v1/templates/files/upload-link} hands out a signed, expiring URL served by Kiln
 * itself; {@code PUT /uploads/...} (no API key: the signature is the credential) receives the gzip tarball of
 * exactly the signed length. A link stores one content: the same bytes again answer as the first time, others 409.
 */
@RestController
public class UploadsController {
  private static final Duration LINK_LIFETIME = Duration.ofHours(1);
  private final BlobStore blobs;
  private final UploadSigner signer;
  private final UploadReceiver receiver;
  private final ArchiveLimits limits;
  private final JsonMapper json;
  private final Clock clock;

  public UploadsController(BlobStore blobs, UploadSigner signer, UploadReceiver receiver, ArchiveLimits limits,
      JsonMapper json, Clock clock) {
    this.blobs = blobs;
    this.signer = signer;
    this.receiver = receiver;
    this.limits = limits;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping("/v1/templates/files/upload-link")
  public Map<String, Object> uploadLink(@RequestBody(required = false) String body, HttpServletRequest request)
      throws IOException {
    JsonNode root = readObject(body);
    String filesHash = filesHash(root.path("files_hash").asString(""), "files_hash");
    JsonNode length = root.get("content_length");
    if (length == null || !length.isIntegralNumber() || !length.canConvertToLong() || length.asLong() < 1) {
      throw new InvalidRequest("content_length must be an integer of at least 1");
    }
    if (length.asLong() > limits.maxCompressedBytes()) {
      throw new InvalidRequest("content_length exceeds the upload limit of " + limits.maxCompressedBytes() + " bytes");
    }
    String organization = ApiKeyFilter.organizationOf(request);
    Map<String, Object> answer = new LinkedHashMap<>();
    boolean present = blobs.info(organization, filesHash).isPresent();
    answer.put("present", present);
    if (!present) {
      Instant expiresAt = clock.instant().plus(LINK_LIFETIME).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      answer.put("upload_url", ServletUriComponentsBuilder.fromContextPath(request)
          .path("/uploads/{org}/{hash}").queryParam("expires", expiresAt.getEpochSecond())
          .queryParam("length", length.asLong())
          .queryParam("signature", signer.sign(organization, filesHash, expiresAt.getEpochSecond(), length.asLong()))
          .buildAndExpand(organization, filesHash).toUriString());
      answer.put("expires_at", expiresAt.toString());
    }
    answer.put("files_hash", filesHash);
    answer.put("request_id", RequestIds.of(request));
    return answer;
  }

  @PutMapping("/uploads/{organization}/{filesHash}")
  public Map<String, Object> upload(@PathVariable String organization, @PathVariable String filesHash,
      @RequestParam long expires, @RequestParam long length, @RequestParam String signature,
      HttpServletRequest request) throws IOException {
    if (!signer.valid(organization, filesHash, expires, length, signature)) {
      throw new Forbidden("upload link is invalid or expired");
    }
    BlobInfo stored = receiver.receive(organization, filesHash, length, request.getInputStream());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("files_hash", filesHash);
    answer.put("sha256", stored.sha256());
    answer.put("size", stored.size());
    answer.put("request_id", RequestIds.of(request));
    return answer;
  }

  private JsonNode readObject(String body) {
    return Fields.readObject(json, body);
  }

  /** The one form of a files hash; anything else names the field that held it. */
  private static String filesHash(String hash, String field) {
    try {
      return FilesHashes.normalize(hash);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequest(field + " " + e.getMessage());
    }
  }
}

package dev.kiln.gateway.api;

import dev.kiln.gateway.admin.AuditLog;
import dev.kiln.gateway.admin.IdentityAdmin;
import dev.kiln.gateway.auth.AdminTokenFilter;
import dev.kiln.gateway.build.Fields;
import dev.kiln.gateway.http.RequestIds;
import dev.kiln.gateway.projection.IdentityDirectory;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.ApiKey;
import dev.kiln.schema.Organization;
import dev.kiln.schema.OrganizationQuotas;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin API: organizations with their quotas, and their API keys (issued, listed, revoked, rotated). */
@RestController
@RequestMapping("/admin/v1")
public class AdminController {
  private static final int MAX_NAME_CHARS = 200;
  private final IdentityAdmin admin;
  private final IdentityDirectory directory;
  private final JsonMapper json;
  private final Clock clock;

  public AdminController(IdentityAdmin admin, IdentityDirectory directory, JsonMapper json, Clock clock) {
    this.admin = admin;
    this.directory = directory;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping("/organizations")
  @ResponseStatus(HttpStatus.CREATED)
  public Map<String, Object> createOrganization(@RequestBody(required = false) String body, HttpServletRequest request) {
    JsonNode root = Fields.readObject(json, body);
    Organization created = admin.createOrganization(Fields.requiredString(root, "id"),
        Fields.optionalString(root, "display_name", MAX_NAME_CHARS), quotas(root.get("quotas"), true), actor(request));
    return withRequestId(organization(created), request);
  }

  @GetMapping("/organizations")
  public Map<String, Object> listOrganizations(HttpServletRequest request) {
    return withRequestId(Map.of("data", directory.organizations().stream().map(AdminController::organization).toList()),
        request);
  }

  @GetMapping("/organizations/{id}")
  public Map<String, Object> getOrganization(@PathVariable String id, HttpServletRequest request) {
    return withRequestId(organization(admin.organization(id)), request);
  }

  @PatchMapping("/organizations/{id}")
  public Map<String, Object> updateOrganization(@PathVariable String id, @RequestBody(required = false) String body,
      HttpServletRequest request) {
    JsonNode root = Fields.readObject(json, body);
    Organization updated = admin.updateOrganization(id, Fields.optionalString(root, "display_name", MAX_NAME_CHARS),
        quotas(root.get("quotas"), false), actor(request));
    return withRequestId(organization(updated), request);
  }

  @PostMapping("/organizations/{id}/keys")
  @ResponseStatus(HttpStatus.CREATED)
  public Map<String, Object> issueKey(@PathVariable String id, @RequestBody(required = false) String body,
      HttpServletRequest request) {
    JsonNode root = body == null || body.isBlank() ? json.createObjectNode() : Fields.readObject(json, body);
    IdentityAdmin.IssuedKey issued = admin.issueKey(id, Fields.optionalString(root, "name", MAX_NAME_CHARS),
        actor(request));
    return withRequestId(issued(issued), request);
  }

  @GetMapping("/organizations/{id}/keys")
  public Map<String, Object> listKeys(@PathVariable String id, HttpServletRequest request) {
    admin.organization(id);
    return withRequestId(Map.of("data", directory.keys(id).stream().map(this::key).toList()), request);
  }

  @PostMapping("/keys/{keyId}/revoke")
  public Map<String, Object> revokeKey(@PathVariable String keyId, HttpServletRequest request) {
    return withRequestId(key(admin.revokeKey(keyId, actor(request))), request);
  }

  @PostMapping("/keys/{keyId}/rotate")
  @ResponseStatus(HttpStatus.CREATED)
  public Map<String, Object> rotateKey(@PathVariable String keyId, @RequestBody(required = false) String body,
      HttpServletRequest request) {
    JsonNode root = body == null || body.isBlank() ? json.createObjectNode() : Fields.readObject(json, body);
    Integer grace = Fields.optionalInt(root, "grace_seconds");
    IdentityAdmin.IssuedKey successor = admin.rotateKey(keyId, Duration.ofSeconds(grace == null ? 86_400 : grace),
        actor(request));
    Map<String, Object> answer = issued(successor);
    answer.put("previous", key(admin.key(keyId)));
    return withRequestId(answer, request);
  }

  /** Quotas from the body; with {@code fillMissing} an absent object means the gateway's defaults. */
  private static OrganizationQuotas quotas(JsonNode node, boolean fillMissing) {
    if (node == null || node.isNull()) {
      return fillMissing ? new OrganizationQuotas(null, null, null) : null;
    }
    if (!node.isObject()) {
      throw new InvalidRequest("quotas must be an object");
    }
    Integer requests = limit(node, "requests_per_minute");
    Integer builds = limit(node, "builds_per_hour");
    return new OrganizationQuotas(requests == null ? null : requests.longValue(),
        builds == null ? null : builds.longValue(), limit(node, "max_active_builds"));
  }

  private static Integer limit(JsonNode quotas, String field) {
    Integer value = Fields.optionalInt(quotas, field);
    if (value != null && (value < 0 || value > 100_000_000)) {
      throw new InvalidRequest("quotas." + field + " must be between 0 (no limit) and 100000000");
    }
    return value;
  }

  private static AuditLog.Actor actor(HttpServletRequest request) {
    return new AuditLog.Actor(AdminTokenFilter.ACTOR, request.getRemoteAddr(), RequestIds.of(request));
  }

  private static Map<String, Object> organization(Organization organization) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", organization.getId());
    answer.put("display_name", organization.getDisplayName());
    OrganizationQuotas quotas = organization.getQuotas();
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("requests_per_minute", quotas.getRequestsPerMinute());
    limits.put("builds_per_hour", quotas.getBuildsPerHour());
    limits.put("max_active_builds", quotas.getMaxActiveBuilds());
    answer.put("quotas", limits);
    answer.put("created_at", organization.getCreatedAt().toString());
    answer.put("updated_at", organization.getUpdatedAt().toString());
    return answer;
  }

  private Map<String, Object> key(ApiKey key) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("key_id", key.getKeyId());
    answer.put("organization_id", key.getOrganizationId());
    answer.put("name", key.getName());
    answer.put("prefix", key.getPrefix());
    answer.put("status", IdentityDirectory.status(key, clock.instant()));
    answer.put("created_at", key.getCreatedAt().toString());
    answer.put("expires_at", key.getExpiresAt() == null ? null : key.getExpiresAt().toString());
    answer.put("revoked_at", key.getRevokedAt() == null ? null : key.getRevokedAt().toString());
    return answer;
  }

  /** The key with its secret, which is never shown again. */
  private Map<String, Object> issued(IdentityAdmin.IssuedKey issued) {
    Map<String, Object> answer = key(issued.key());
    answer.put("key", issued.secret());
    return answer;
  }

  private static Map<String, Object> withRequestId(Map<String, Object> body, HttpServletRequest request) {
    Map<String, Object> answer = new LinkedHashMap<>(body);
    answer.put("request_id", RequestIds.of(request));
    return answer;
  }
}

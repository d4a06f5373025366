package dev.kiln.gateway.api;

import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.build.BuildAcceptance;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.http.RequestIds;
import dev.kiln.gateway.projection.TemplateProjection;
import dev.kiln.schema.TemplateState;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/templates}: list, get (by id or name) and delete an organization's templates. */
@RestController
@RequestMapping("/v1/templates")
public class TemplatesController {
  private final TemplateProjection templates;
  private final BuildAcceptance ledger;
  private final Duration unknownWait;

  public TemplatesController(TemplateProjection templates, BuildAcceptance ledger, Duration unknownWait) {
    this.templates = templates;
    this.ledger = ledger;
    this.unknownWait = unknownWait;
  }

  @GetMapping
  public Map<String, Object> list(HttpServletRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", templates.list(ApiKeyFilter.organizationOf(request)).stream().map(TemplateResponses::item).toList());
    body.put("has_more", false);
    body.put("url", "/v1/templates");
    body.put("request_id", RequestIds.of(request));
    return body;
  }

  @GetMapping("/{idOrName}")
  public Map<String, Object> get(@PathVariable String idOrName, HttpServletRequest request) {
    return TemplateResponses.detail(own(idOrName, request), RequestIds.of(request));
  }

  @DeleteMapping("/{id}")
  public CompletableFuture<Map<String, Object>> delete(@PathVariable String id, HttpServletRequest request) {
    TemplateState template = own(id, request);
    String requestId = RequestIds.of(request);
    return ledger.delete(template.getOrganizationId(), template.getName()).thenApply(done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("deleted", true);
      body.put("id", template.getTemplateId());
      body.put("request_id", requestId);
      return body;
    });
  }

  /** Another organization's template is reported missing, never forbidden. */
  private TemplateState own(String idOrName, HttpServletRequest request) {
    return templates.find(ApiKeyFilter.organizationOf(request), idOrName, unknownWait)
        .orElseThrow(() -> new NotFound("template " + idOrName + " not found"));
  }
}

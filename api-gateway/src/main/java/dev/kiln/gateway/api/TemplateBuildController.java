package dev.kiln.gateway.api;

import dev.kiln.gateway.http.RequestIds;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.refusal.Conflict;
import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.build.BuildAcceptance;
import dev.kiln.gateway.build.BuildRequestParser;
import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.gateway.projection.BuildView;
import dev.kiln.gateway.messaging.CancelPublisher;
import dev.kiln.gateway.projection.BuildLogs;
import dev.kiln.schema.BuildCancelRequested;
import java.time.Instant;
import java.util.LinkedHashMap;
import dev.kiln.gateway.projection.LogPage;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /v1/templates/build}: start a build, follow its status and its logs. */
@RestController
@RequestMapping("/v1/templates/build")
public class TemplateBuildController {
  private static final int MAX_LINES_PER_PAGE = 1000;
  private final BuildRequestParser parser;
  private final BuildAcceptance acceptance;
  private final BuildProjection builds;
  private final BuildLogs logs;
  private final LogStreams logStreams;
  private final CancelPublisher cancels;
  private final Duration unknownBuildWait;

  public TemplateBuildController(BuildRequestParser parser, BuildAcceptance acceptance, BuildProjection builds,
      BuildLogs logs, LogStreams logStreams, CancelPublisher cancels, Duration unknownBuildWait) {
    this.cancels = cancels;
    this.parser = parser;
    this.acceptance = acceptance;
    this.builds = builds;
    this.logs = logs;
    this.logStreams = logStreams;
    this.unknownBuildWait = unknownBuildWait;
  }

  /** Answers 202 only after Kafka acknowledged the request; no thread waits for that meanwhile. */
  @PostMapping
  public CompletableFuture<ResponseEntity<Map<String, Object>>> build(@RequestBody(required = false) String body,
      HttpServletRequest request) {
    String requestId = RequestIds.of(request);
    var parsed = parser.parse(body);
    String logsBase = ServletUriComponentsBuilder.fromContextPath(request).path("/v1/templates/build/").toUriString();
    return acceptance.accept(ApiKeyFilter.organizationOf(request), parsed, requestId)
        .thenApply(queued -> ResponseEntity.status(HttpStatus.ACCEPTED)
            .body(BuildResponses.accepted(queued, logsBase + queued.getBuildId() + "/logs", requestId)));
  }

  /** Stops a running build: the worker kills its container within about 2 s and the build ends failed. */
  @PostMapping("/{id}/cancel")
  public CompletableFuture<ResponseEntity<Map<String, Object>>> cancel(@PathVariable String id,
      HttpServletRequest request) {
    BuildView build = ownBuild(id, request);
    if (build.terminal()) {
      throw new Conflict("build " + build.buildId() + " already ended (" + BuildResponses.statusName(build) + ")");
    }
    String requestId = RequestIds.of(request);
    BuildCancelRequested cancel = BuildCancelRequested.newBuilder().setBuildId(build.buildId())
        .setOrganizationId(build.organizationId()).setRequestId(requestId).setRequestedAt(Instant.now()).build();
    return cancels.cancel(cancel).thenApply(done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("build_id", build.buildId());
      body.put("status", "cancelling");
      body.put("request_id", requestId);
      return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    });
  }

  @GetMapping("/{id}/status")
  public Map<String, Object> status(@PathVariable String id, HttpServletRequest request) {
    return BuildResponses.status(ownBuild(id, request), RequestIds.of(request));
  }

  /** {@code offset} counts lines of the build over all its attempts; the answer's offset is the next cursor. */
  @GetMapping("/{id}/logs")
  public Map<String, Object> logs(@PathVariable String id, @RequestParam(defaultValue = "0") long offset,
      @RequestParam(defaultValue = "" + MAX_LINES_PER_PAGE) int limit, HttpServletRequest request) {
    if (offset < 0) {
      throw new InvalidRequest("offset must be 0 or more");
    }
    if (limit < 1 || limit > MAX_LINES_PER_PAGE) {
      throw new InvalidRequest("limit must be between 1 and " + MAX_LINES_PER_PAGE);
    }
    BuildView build = ownBuild(id, request);
    LogPage page = logs.page(build.buildId(), offset, limit);
    String text = page.lines().stream().map(line -> line.line().getMessage() + "\n").collect(Collectors.joining());
    return BuildResponses.logs(text, page.nextOffset(), build, logs.complete(build, page.nextOffset()),
        RequestIds.of(request));
  }

  /** The same log as Server-Sent Events; a reconnecting client resumes from {@code Last-Event-ID}. */
  @GetMapping(path = "/{id}/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter streamLogs(@PathVariable String id, @RequestParam(required = false) Long offset,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, HttpServletRequest request) {
    long from = lastEventId != null ? cursor(lastEventId) : offset != null ? offset : 0;
    if (from < 0) {
      throw new InvalidRequest("offset must be 0 or more");
    }
    return logStreams.open(ownBuild(id, request), from);
  }

  /** A {@code Last-Event-ID} is a cursor this gateway sent: a line count from 0 to Long.MAX_VALUE. */
  private static long cursor(String lastEventId) {
    try {
      long cursor = Long.parseLong(lastEventId.trim());
      if (cursor >= 0) {
        return cursor;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidRequest("Last-Event-ID must be a log cursor (an integer from 0)");
  }

  /** The caller's build; another organization's build is reported missing, never forbidden. */
  private BuildView ownBuild(String id, HttpServletRequest request) {
    return builds.find(id, unknownBuildWait)
        .filter(build -> build.organizationId().equals(ApiKeyFilter.organizationOf(request)))
        .orElseThrow(() -> new NotFound("build " + id + " not found"));
  }
}

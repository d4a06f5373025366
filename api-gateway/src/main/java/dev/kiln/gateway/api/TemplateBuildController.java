package dev.kiln.gateway.api;

import dev.kiln.gateway.http.RequestIds;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.build.BuildAcceptance;
import dev.kiln.gateway.build.BuildRequestParser;
import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.gateway.projection.BuildView;
import dev.kiln.gateway.projection.LogIndex;
import dev.kiln.gateway.projection.LogPage;
import dev.kiln.gateway.projection.LogReader;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /v1/templates/build}: start a build, follow its status and its logs. */
@RestController
@RequestMapping("/v1/templates/build")
public class TemplateBuildController {
  private static final int MAX_LINES_PER_PAGE = 1000;
  private final BuildRequestParser parser;
  private final BuildAcceptance acceptance;
  private final BuildProjection builds;
  private final LogIndex logIndex;
  private final LogReader logReader;
  private final Duration unknownBuildWait;

  public TemplateBuildController(BuildRequestParser parser, BuildAcceptance acceptance, BuildProjection builds,
      LogIndex logIndex, LogReader logReader, Duration unknownBuildWait) {
    this.parser = parser;
    this.acceptance = acceptance;
    this.builds = builds;
    this.logIndex = logIndex;
    this.logReader = logReader;
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

  @GetMapping("/{id}/status")
  public Map<String, Object> status(@PathVariable String id, HttpServletRequest request) {
    return BuildResponses.status(ownBuild(id, request), RequestIds.of(request));
  }

  /** {@code offset} counts lines of the build over all its attempts; the answer's offset is the next cursor. */
  @GetMapping("/{id}/logs")
  public Map<String, Object> logs(@PathVariable String id, @RequestParam(defaultValue = "0") long offset,
      @RequestParam(defaultValue = "" + MAX_LINES_PER_PAGE) int limit, HttpServletRequest request) {
    if (offset < 0) {
      throw ApiException.invalid("offset must be 0 or more");
    }
    if (limit < 1 || limit > MAX_LINES_PER_PAGE) {
      throw ApiException.invalid("limit must be between 1 and " + MAX_LINES_PER_PAGE);
    }
    BuildView build = ownBuild(id, request);
    LogPage page = logReader.read(build.buildId(), offset, limit);
    String text = page.lines().stream().map(line -> line.line().getMessage() + "\n").collect(Collectors.joining());
    return BuildResponses.logs(text, page.nextOffset(), build, complete(build, page.nextOffset()),
        RequestIds.of(request));
  }

  /** Complete once the build is terminal and every chunk its final attempt wrote has been indexed and served. */
  private boolean complete(BuildView build, long nextOffset) {
    if (!build.terminal() || nextOffset < logIndex.lineCount(build.buildId())) {
      return false;
    }
    return build.logChunks() == null || logIndex.chunkCount(build.buildId(), build.attempt()) >= build.logChunks();
  }

  /** The caller's build; another organization's build is reported missing, never forbidden. */
  private BuildView ownBuild(String id, HttpServletRequest request) {
    return builds.find(id, unknownBuildWait)
        .filter(build -> build.organizationId().equals(ApiKeyFilter.organizationOf(request)))
        .orElseThrow(() -> ApiException.notFound("build " + id + " not found"));
  }
}

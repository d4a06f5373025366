package dev.kiln.gateway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class BuildRequestParserTest {
  private final BuildRequestParser parser = new BuildRequestParser(JsonMapper.builder().build(), ResourceLimits.HOPX_DEFAULT);

  private static String body(String steps) {
    return "{\"name\":\"app\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":2,\"memory\":2048,\"diskGB\":10,\"steps\":" + steps + "}";
  }

  @Test
  void parse_envInAllThreeEncodings_normalizesToPairs() {
    TemplateBuildRequest request = parser.parse(body("["
        + "{\"type\":\"ENV\",\"args\":[\"A=1\",\"B=x=y\"]},"
        + "{\"type\":\"ENV\",\"args\":[\"C\",\"3\",\"D\",\"four\"]},"
        + "{\"type\":\"env\",\"key\":\"E\",\"value\":\"5\"},"
        + "{\"type\":\"run\",\"args\":[\"echo hi\"]}]"));

    assertThat(request.steps()).extracting(Step::getArgs).containsExactly(
        List.of("A=1", "B=x=y"), List.of("C=3", "D=four"), List.of("E=5"), List.of("echo hi"));
    assertThat(request.steps().get(3).getKind()).isEqualTo(StepKind.RUN);
  }

  @Test
  void parse_workdirUserCmdForms_normalizeToArgs() {
    TemplateBuildRequest request = parser.parse(body("["
        + "{\"type\":\"workdir\",\"path\":\"/app\"},{\"type\":\"WORKDIR\",\"args\":[\"/srv\"]},"
        + "{\"type\":\"USER\",\"args\":[\"1000\"]},{\"type\":\"CMD\",\"args\":[\"python\",\"app.py\"]}]"));

    assertThat(request.steps()).extracting(Step::getArgs)
        .containsExactly(List.of("/app"), List.of("/srv"), List.of("1000"), List.of("python", "app.py"));
  }

  @Test
  void parse_fullBody_keepsOptionalFields() {
    TemplateBuildRequest request = parser.parse("{\"name\":\"a.b-c_1\",\"from_image\":\"python:3.11-slim\",\"cpu\":1,"
        + "\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"RUN\",\"args\":[\"true\"],\"skipCache\":true}],"
        + "\"startCmd\":\"python -m http.server 8000\",\"readyCmd\":{\"type\":\"port\",\"port\":8000},"
        + "\"skipCache\":true,\"update\":false,\"agent_version\":\"1.2.3\"}");

    assertThat(request.startCmd()).isEqualTo("python -m http.server 8000");
    assertThat(request.readyCmd().getPort()).isEqualTo(8000);
    assertThat(request.readyCmd().getTimeoutMs()).isEqualTo(30000);
    assertThat(request.readyCmd().getIntervalMs()).isEqualTo(2000);
    assertThat(request.skipCache()).isTrue();
    assertThat(request.steps().get(0).getSkipCache()).isTrue();
    assertThat(request.agentVersion()).isEqualTo("1.2.3");
  }

  @Test
  void parse_registryCredentials_basicAndToken_neverEchoedInErrors() {
    TemplateBuildRequest basic = parser.parse(body("[{\"type\":\"RUN\",\"args\":[\"x\"]}]").replaceFirst("}$",
        ",\"registry_credentials\":{\"type\":\"basic\",\"username\":\"u\",\"password\":\"p4ss\"}}"));
    TemplateBuildRequest token = parser.parse(body("[{\"type\":\"RUN\",\"args\":[\"x\"]}]").replaceFirst("}$",
        ",\"registry_credentials\":{\"type\":\"token\",\"token\":\"t0k\"}}"));

    assertThat(basic.credentials().username()).isEqualTo("u");
    assertThat(basic.credentials().password()).isEqualTo("p4ss");
    assertThat(token.credentials().type()).isEqualTo("token");
    assertThat(token.credentials().password()).isEqualTo("t0k");
    assertThatThrownBy(() -> parser.parse(body("[{\"type\":\"RUN\",\"args\":[\"x\"]}]").replaceFirst("}$",
        ",\"registry_credentials\":{\"type\":\"basic\",\"username\":\"u\"}}")))
        .hasMessage("password is required");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON        | {\"name\": | malformed JSON",
      "not an object         | [1,2] | request body must be a JSON object",
      "empty body            | '' | request body is required",
      "missing name          | {\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1} | name is required",
      "bad name              | {\"name\":\"My App\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1} | name must be",
      "missing from_image    | {\"name\":\"a\",\"cpu\":1,\"memory\":512,\"diskGB\":1} | from_image is required",
      "alpine                | {\"name\":\"a\",\"from_image\":\"python:3.12-alpine\",\"cpu\":1,\"memory\":512,\"diskGB\":1} | Alpine Linux is not supported. Use glibc-based images like ubuntu, debian, python-slim, node-slim",
      "missing cpu           | {\"name\":\"a\",\"from_image\":\"debian\",\"memory\":512,\"diskGB\":1} | cpu is required",
      "cpu not int           | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":\"two\",\"memory\":512,\"diskGB\":1} | cpu must be an integer",
      "memory range          | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":100,\"diskGB\":1} | Invalid memory: must be between 512 and 64000 MB",
      "cpu range             | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":9,\"memory\":512,\"diskGB\":1} | Invalid cpu: must be between 1 and 8 vCPUs",
      "disk range            | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":0} | Invalid diskGB: must be between 1 and 250 GB",
      "no steps              | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1} | steps must contain at least one RUN, COPY or CMD step",
      "only metadata steps   | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"ENV\",\"args\":[\"A=1\"]}]} | steps must contain at least one",
      "unknown step type     | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"RUN\",\"args\":[\"x\"]},{\"type\":\"FROB\",\"args\":[\"x\"]}]} | steps[1]: unknown step type 'FROB'",
      "step without type     | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"args\":[\"x\"]}]} | steps[0]: type is required",
      "RUN without args      | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"RUN\"}]} | steps[0]: args must be a non-empty array",
      "odd ENV               | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"RUN\",\"args\":[\"x\"]},{\"type\":\"ENV\",\"args\":[\"A\",\"1\",\"B\"]}]} | steps[1]: ENV args must be K=V pairs",
      "COPY without hash     | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"COPY\",\"args\":[\"/app\"]}]} | steps[0]: COPY needs filesHash",
      "bad readyCmd type     | {\"name\":\"a\",\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"RUN\",\"args\":[\"x\"]}],\"readyCmd\":{\"type\":\"smoke\"}} | readyCmd.type must be one of",
  })
  void parse_badInput_refusedNamingTheProblem(String caseName, String body, String message) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({"alpine,true", "alpine:3.19,true", "library/alpine,true", "node:20-alpine3.19,true",
      "debian:bookworm-slim,false", "python:3.11-slim,false", "registry.local:5000/team/app:1,false"})
  void isAlpineByName_recognizesAlpineTags(String image, boolean alpine) {
    assertThat(BaseImages.isAlpineByName(image)).isEqualTo(alpine);
  }
}

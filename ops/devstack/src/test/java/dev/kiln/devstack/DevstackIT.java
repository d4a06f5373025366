package dev.kiln.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DevstackIT {

  @Test
  void shared_startsBrokerAndRegistry_withBackwardRule() throws Exception {
    Devstack.Endpoints endpoints = Devstack.shared();

    int kafkaPort = Integer.parseInt(endpoints.bootstrapServers().replaceAll(".*:", ""));
    assertThat(Ports.listening(kafkaPort)).isTrue();
    HttpResponse<String> rule = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(endpoints.registryCoreUrl() + "/admin/rules/COMPATIBILITY")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(rule.statusCode()).isEqualTo(200);
    assertThat(rule.body()).contains("BACKWARD");
  }

  @Test
  void shared_calledTwice_returnsTheSameStack() {
    assertThat(Devstack.shared()).isSameAs(Devstack.shared());
  }
}

package dev.kiln.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.refusal.NoCapacity;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class HttpStatusesTest {
  @Test
  void aFullQueue_is503_afterItsExpectedWait() {
    HttpStatuses.Answer answer = HttpStatuses.of(new NoCapacity("no available nodes", 42L), "req_1");

    assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(answer.retryAfterSeconds()).isEqualTo(42);
    assertThat(answer.body().code()).isEqualTo("SERVICE_UNAVAILABLE");
  }

  @Test
  void noWorkerOfTheSize_is503_afterTheFixedWait() {
    HttpStatuses.Answer answer = HttpStatuses.of(new NoCapacity("no available nodes"), "req_1");

    assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(answer.retryAfterSeconds()).isEqualTo(HttpStatuses.RETRY_AFTER_UNAVAILABLE_SECONDS);
  }
}

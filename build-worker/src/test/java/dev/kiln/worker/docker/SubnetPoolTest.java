package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetPoolTest {
  @Test
  void aSixteen_holdsFourThousandNinetySixBuildSubnets_inOrder() {
    SubnetPool pool = SubnetPool.parse("10.213.0.0/16");

    assertThat(pool.size()).isEqualTo(4096);
    assertThat(pool.subnet(0)).isEqualTo("10.213.0.0/28");
    assertThat(pool.subnet(1)).isEqualTo("10.213.0.16/28");
    assertThat(pool.subnet(4095)).isEqualTo("10.213.255.240/28");
    assertThat(pool.anySubnet()).startsWith("10.213.").endsWith("/28");
  }

  @Test
  void aPoolOfOneSubnet_isThatSubnet() {
    assertThat(SubnetPool.parse("192.168.7.32/28").anySubnet()).isEqualTo("192.168.7.32/28");
  }

  @Test
  void highAddresses_stayUnsigned() {
    assertThat(SubnetPool.parse("240.0.0.0/8").subnet(1)).isEqualTo("240.0.0.16/28");
  }

  @Test
  void misspeltPools_areRefusedAtStart() {
    assertThatThrownBy(() -> SubnetPool.parse("10.213.0.1/16")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> SubnetPool.parse("10.213.0.0/30")).hasMessageContaining("/8 to a /28");
    assertThatThrownBy(() -> SubnetPool.parse("10.213.0.0")).hasMessageContaining("a.b.c.d/n");
    assertThatThrownBy(() -> SubnetPool.parse("10.300.0.0/16")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> SubnetPool.parse("10.213.0.0/16").subnet(4096))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}

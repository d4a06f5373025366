package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerHardeningTest {
  @Test
  void buildContainer_dropsAll_addsBackPackageCapabilities_andKeepsNoLog() {
    HostConfig host = ContainerHardening.DEFAULT.apply(HostConfig.newHostConfig(), false);

    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd()).containsExactlyInAnyOrder(Capability.CHOWN, Capability.DAC_OVERRIDE,
        Capability.FOWNER, Capability.FSETID, Capability.SETUID, Capability.SETGID, Capability.KILL);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getPidsLimit()).isEqualTo(1024L);
    assertThat(host.getLogConfig().getType()).isEqualTo(LogConfig.LoggingType.NONE);
  }

  @Test
  void startCommand_mayAlsoBindLowPorts() {
    assertThat(ContainerHardening.DEFAULT.apply(HostConfig.newHostConfig(), true).getCapAdd())
        .contains(Capability.NET_BIND_SERVICE);
  }

  @Test
  void misspeltCapability_isRefusedAtStart() {
    assertThatThrownBy(() -> new ContainerHardening(List.of("CHOWN", "NET_ROW"), true, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

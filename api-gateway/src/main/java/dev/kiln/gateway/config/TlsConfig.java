package dev.kiln.gateway.config;

import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TLS on the gateway's port when {@code KILN_TLS_CERTIFICATE} and {@code KILN_TLS_PRIVATE_KEY} name PEM files; the
 * links the gateway hands out ({@code logs_url}, {@code upload_url}) then say {@code https}. Without them the port
 * speaks plain HTTP, for a TLS-terminating proxy in front (see README).
 */
@Configuration(proxyBeanMethods = false)
public class TlsConfig {

  @Bean
  WebServerFactoryCustomizer<ConfigurableWebServerFactory> tls(GatewayProperties properties) {
    return factory -> {
      GatewayProperties.Tls tls = properties.tls();
      if (tls == null || blank(tls.certificate())) {
        return;
      }
      if (blank(tls.privateKey())) {
        throw new IllegalStateException("KILN_TLS_CERTIFICATE is set but KILN_TLS_PRIVATE_KEY is not");
      }
      Ssl ssl = new Ssl();
      ssl.setEnabled(true);
      ssl.setCertificate(tls.certificate());
      ssl.setCertificatePrivateKey(tls.privateKey());
      factory.setSsl(ssl);
    };
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}

package dev.kiln.gateway.config;

import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.auth.AdminTokenFilter;
import dev.kiln.gateway.auth.ApiKeys;
import dev.kiln.gateway.auth.Credentials;
import dev.kiln.gateway.auth.KeyResolver;
import dev.kiln.gateway.auth.PublicRoutes;
import dev.kiln.gateway.auth.SecurityRefusals;
import dev.kiln.gateway.http.ErrorResponses;
import dev.kiln.gateway.projection.IdentityDirectory;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security's chain for the API and, with a management port, for the actuator too: stateless API key
 * authentication, {@link PublicRoutes} as the one allow list, every refusal a HopX error body.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  @Bean
  ApiKeys apiKeys(GatewayProperties properties) {
    return Credentials.configuredKeys(properties.bootstrapApiKey(), properties.defaultOrganization(),
        properties.apiKeys(), adminToken(properties), properties.localMode());
  }

  @Bean
  KeyResolver keyResolver(ApiKeys configured, IdentityDirectory issued) {
    return new KeyResolver(configured, issued);
  }

  private static Optional<String> adminToken(GatewayProperties properties) {
    return Credentials.adminToken(properties.adminToken(), properties.adminTokenFile());
  }

  /** The admin API: the admin token and nothing else opens it; an API key never does. */
  @Bean
  @Order(1)
  SecurityFilterChain adminFilterChain(HttpSecurity http, GatewayProperties properties,
      SecurityRefusals refusals) {
    return stateless(http.securityMatcher(PublicRoutes::isAdmin))
        .addFilterBefore(new AdminTokenFilter(adminToken(properties)), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(requests -> requests
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .anyRequest().hasRole("ADMIN"))
        .exceptionHandling(failures -> failures.authenticationEntryPoint(refusals.admin()).accessDeniedHandler(refusals))
        .build();
  }

  /** Also the firewall's {@code RequestRejectedHandler}: Spring Security finds it by type. */
  @Bean
  SecurityRefusals securityRefusals(ErrorResponses errors) {
    return new SecurityRefusals(errors);
  }

  @Bean
  @Order(2)
  SecurityFilterChain securityFilterChain(HttpSecurity http, KeyResolver keys, SecurityRefusals refusals) {
    RequestMatcher publicRoutes = PublicRoutes::isPublic;
    return stateless(http)
        .addFilterBefore(new ApiKeyFilter(keys), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(requests -> requests
            // The request was authorized when it came in; an SSE stream's async dispatch or an error page is not
            // a new request and must not be refused halfway.
            .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
            // Only the admin chain may answer these; should its matcher ever miss a spelling, no API key gets in.
            .requestMatchers(PublicRoutes::isAdmin).denyAll()
            .requestMatchers(publicRoutes).permitAll()
            .anyRequest().authenticated())
        .exceptionHandling(failures -> failures.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
        .build();
  }

  /** No cookies, no sessions, no browser flows: a credential on every request is the only one. */
  private static HttpSecurity stateless(HttpSecurity http) {
    return http
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
  }
}

package dev.kiln.gateway.config;

import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.auth.ApiKeys;
import dev.kiln.gateway.auth.PublicRoutes;
import dev.kiln.gateway.auth.SecurityRefusals;
import dev.kiln.gateway.http.ErrorResponses;
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
    return ApiKeys.parse(properties.bootstrapApiKey(), properties.defaultOrganization(), properties.apiKeys());
  }

  /** Also the firewall's {@code RequestRejectedHandler}: Spring Security finds it by type. */
  @Bean
  SecurityRefusals securityRefusals(ErrorResponses errors) {
    return new SecurityRefusals(errors);
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, ApiKeys keys, SecurityRefusals refusals) {
    RequestMatcher publicRoutes = PublicRoutes::isPublic;
    return http
        // No cookies, no sessions, no browser flows: a key on every request is the only credential.
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new ApiKeyFilter(keys), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(requests -> requests
            // The request was authorized when it came in; an SSE stream's async dispatch or an error page is not
            // a new request and must not be refused halfway.
            .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
            .requestMatchers(publicRoutes).permitAll()
            .anyRequest().authenticated())
        .exceptionHandling(failures -> failures.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
        .build();
  }
}

package io.tributary.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.health}: the connections' entries in {@code /actuator/health}.
 *
 * @param cacheTtl how long a connection's health, once read from its run records, is
 * answered again without reading them: anyone may ask for {@code /actuator/health}, and
 * each answer would otherwise run several queries per connection; {@code 0} reads them
 * for every answer
 */
@ConfigurationProperties("tributary.health")
record HealthProperties(@DefaultValue("PT5S") Duration cacheTtl) {

	HealthProperties {
		if (cacheTtl.isNegative()) {
			throw new IllegalArgumentException("tributary.health.cache-ttl must not be negative, was " + cacheTtl);
		}
	}

}

package io.tributary.sync;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One health indicator per connection, under {@code connections} in
 * {@code /actuator/health}: UP while its last success is within 3 poll intervals,
 * OUT_OF_SERVICE (with the lag and the last error) once it is stale, UNKNOWN while a
 * connection that never succeeded is still within 3 poll intervals of the gateway's
 * start; a disabled connection is UP. Neither probe includes it: a stale upstream never
 * restarts the gateway nor takes it out of a load balancer, which still serves what it
 * has.
 */
final class ConnectionHealth implements HealthIndicator {

	private final ConfiguredConnection connection;

	private final Freshness freshness;

	ConnectionHealth(ConfiguredConnection connection, Freshness freshness) {
		this.connection = connection;
		this.freshness = freshness;
	}

	/**
	 * @return every configured connection's indicator, by name
	 */
	static CompositeHealthContributor all(Connections connections, Freshness freshness) {
		Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
		connections.all()
			.forEach((connection) -> indicators.put(connection.name(), new ConnectionHealth(connection, freshness)));
		return CompositeHealthContributor.fromMap(indicators);
	}

	@Override
	public Health health() {
		Freshness.State state = this.freshness.of(this.connection);
		Health.Builder health;
		if (state.stale()) {
			health = Health.outOfService();
		}
		else if (state.lastSuccess() == null && !"disabled".equals(state.health())) {
			health = Health.unknown();
		}
		else {
			health = Health.up();
		}
		health.withDetail("health", state.health())
			.withDetail("stale", state.stale())
			.withDetail("running", state.running())
			.withDetail("staleAfter", state.staleAfter().toString());
		if (state.lagSeconds() != null) {
			health.withDetail("lagSeconds", state.lagSeconds());
		}
		if (state.lastSuccessAt() != null) {
			health.withDetail("lastSuccessAt", state.lastSuccessAt().toString());
		}
		if (state.lastError() != null) {
			health.withDetail("lastError", state.lastError());
		}
		return health.build();
	}

}

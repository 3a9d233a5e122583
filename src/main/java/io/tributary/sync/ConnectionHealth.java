package io.tributary.sync;

import java.time.Duration;
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
 * start; a disabled connection is UP. A full pass that is open or backing off after
 * failures is shown in the {@code pass} detail (new data keeps arriving meanwhile, so it
 * does not change the status). Neither probe includes it: a stale upstream never restarts
 * the gateway nor takes it out of a load balancer, which still serves what it has. Each
 * is kept for {@code tributary.health.cache-ttl} once read, so callers (anyone may ask)
 * cannot make the gateway read the run records at their pace.
 */
final class ConnectionHealth implements HealthIndicator {

	private final ConfiguredConnection connection;

	private final Freshness freshness;

	private final FullPasses passes;

	ConnectionHealth(ConfiguredConnection connection, Freshness freshness, FullPasses passes) {
		this.connection = connection;
		this.freshness = freshness;
		this.passes = passes;
	}

	/**
	 * @param cacheTtl how long each connection's health is kept once read
	 * ({@code tributary.health.cache-ttl})
	 * @return every configured connection's indicator, by name
	 */
	static CompositeHealthContributor all(Connections connections, Freshness freshness, FullPasses passes,
			Duration cacheTtl) {
		Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
		connections.all()
			.forEach((connection) -> indicators.put(connection.name(),
					CachedHealth.of(new ConnectionHealth(connection, freshness, passes), cacheTtl)));
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
		PassStatus pass = this.passes.status(this.connection);
		if (!"idle".equals(pass.state())) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", pass.state());
			details.put("startedAt", String.valueOf(pass.startedAt()));
			details.put("runs", pass.runs());
			details.put("failures", pass.failures());
			if (pass.lastError() != null) {
				details.put("lastError", pass.lastError());
			}
			if (pass.nextAttemptAt() != null) {
				details.put("nextAttemptAt", pass.nextAttemptAt().toString());
			}
			health.withDetail("pass", details);
		}
		return health.build();
	}

}

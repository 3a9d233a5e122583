package io.tributary.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tributary.common.ConnectionScope;
import io.tributary.common.DataFreshness;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The freshness block of the data answers, from {@link Freshness}. Each connection's
 * state is kept for {@value #KEEP_MILLIS} ms, so a busy list endpoint does not read the
 * run records on every request (the block may be that much behind).
 */
@Component
class AnswerFreshness implements DataFreshness.Source {

	static final long KEEP_MILLIS = 2000;

	private final Connections connections;

	private final Freshness freshness;

	private final ConnectionScope scope;

	private final Map<String, Kept> kept = new ConcurrentHashMap<>();

	AnswerFreshness(Connections connections, Freshness freshness, ConnectionScope scope) {
		this.connections = connections;
		this.freshness = freshness;
		this.scope = scope;
	}

	@Override
	public DataFreshness of(@Nullable List<String> sources, @Nullable String connection) {
		List<DataFreshness.Connection> states = this.connections.all(this.scope)
			.stream()
			.filter((configured) -> connection == null || configured.name().equals(connection))
			.filter((configured) -> sources == null || sources.isEmpty() || sources.contains(configured.kind().name()))
			.map(this::state)
			.toList();
		return new DataFreshness(states.stream().anyMatch((state) -> state.stale() || state.lastRunFailed()), states);
	}

	private DataFreshness.Connection state(ConfiguredConnection configured) {
		long now = System.nanoTime();
		Kept cached = this.kept.get(configured.name());
		if (cached != null && now - cached.at() < KEEP_MILLIS * 1_000_000) {
			return cached.state();
		}
		Freshness.State state = this.freshness.of(configured);
		DataFreshness.Connection answer = new DataFreshness.Connection(configured.name(), configured.kind().name(),
				state.lastSuccessAt(), state.lagSeconds(), state.stale(), "failing".equals(state.health()));
		this.kept.put(configured.name(), new Kept(now, answer));
		return answer;
	}

	private record Kept(long at, DataFreshness.Connection state) {
	}

}

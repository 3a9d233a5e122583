package io.tributary.source;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * One connection's kind-specific settings ({@code tributary.sources.<name>.<kind>}),
 * handed to {@link SourceConnector#settings} at start-up: binds them with their defaults,
 * and words a refusal the same way for every kind.
 */
public final class KindSettings {

	private final String connection;

	private final SourceKind kind;

	private final Binder binder;

	KindSettings(String connection, SourceKind kind, Binder binder) {
		this.connection = connection;
		this.kind = kind;
		this.binder = binder;
	}

	/**
	 * @param <T> the settings type (a record with {@code @DefaultValue}s)
	 * @param type its class
	 * @return the bound settings; defaults when none are configured
	 */
	public <T> T bind(Class<T> type) {
		return this.binder.bindOrCreate(prefix(), type);
	}

	/**
	 * @param field the setting, relative to the kind's prefix (e.g. {@code org})
	 * @param problem what is wrong, e.g. "is required: the x-org header"
	 * @return the start-up failure naming connection and field
	 */
	public IllegalArgumentException invalid(String field, String problem) {
		return new IllegalArgumentException(
				prefix() + "." + field + " " + problem + " (connection '" + this.connection + "')");
	}

	private String prefix() {
		return "tributary.sources." + this.connection + "." + this.kind.name();
	}

}

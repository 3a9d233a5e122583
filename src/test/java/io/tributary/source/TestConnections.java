package io.tributary.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tributary.source.SourcesProperties.Connection;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Connections bound exactly as the application binds them (defaults included), from
 * property pairs.
 */
public final class TestConnections {

	private TestConnections() {
	}

	/**
	 * @param name connection name
	 * @param properties pairs of property (relative to the connection) and value, e.g.
	 * "type", "zylon"
	 * @return the bound connection
	 */
	public static Connection connection(String name, String... properties) {
		return bind(name, properties).sources().get(name);
	}

	/**
	 * @param name connection name
	 * @param properties pairs of property and value
	 * @return the bound properties; binding runs the start-up checks
	 */
	public static SourcesProperties bind(String name, String... properties) {
		return binder(name, properties).bind("tributary", SourcesProperties.class).get();
	}

	/**
	 * A connection checked against one connector, as {@link Connections} checks it at
	 * start-up (base URL resolved, the kind's own settings bound).
	 * @param connector the connector of the connection's kind
	 * @param name connection name
	 * @param properties pairs of property and value
	 * @return the configured connection
	 */
	public static ConfiguredConnection configured(SourceConnector connector, String name, String... properties) {
		return connections(connector, name, properties).get(name);
	}

	/**
	 * @param connector the connector of the connection's kind
	 * @param name connection name
	 * @param properties pairs of property and value
	 * @return a registry of that one connection, as a gateway configured with it has
	 */
	public static Connections connections(SourceConnector connector, String name, String... properties) {
		Binder binder = binder(name, properties);
		return new Connections(binder.bind("tributary", SourcesProperties.class).get(), List.of(connector), binder);
	}

	/**
	 * @param connector the connector of the connection's kind
	 * @param name connection name
	 * @param mode the run's mode
	 * @param watermark the checkpoint
	 * @param startedAt the run's start
	 * @param properties pairs of property and value
	 * @return the request a run of that connection hands its connector
	 */
	public static SyncRequest request(SourceConnector connector, String name, SyncMode mode, Instant watermark,
			Instant startedAt, String... properties) {
		ConfiguredConnection configured = configured(connector, name, properties);
		Map<String, Instant> watermarks = new LinkedHashMap<>();
		if (watermark != null) {
			// the single-stream kinds' stream, and each configured Zylon project's
			watermarks.put("list", watermark);
			for (int i = 0; i < properties.length; i += 2) {
				if (properties[i].equals("zylon.project-ids")) {
					for (String project : properties[i + 1].split(",")) {
						watermarks.put("project:" + project.trim(), watermark);
					}
				}
			}
		}
		return SyncRequest.fresh(name, configured.connection(), configured.settings(), mode, watermarks, startedAt,
				configured.personalData());
	}

	private static Binder binder(String name, String... properties) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < properties.length; i += 2) {
			map.put("tributary.sources." + name + "." + properties[i], properties[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(map));
	}

}

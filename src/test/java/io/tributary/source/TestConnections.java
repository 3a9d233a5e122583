package io.tributary.source;

import java.util.LinkedHashMap;
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
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < properties.length; i += 2) {
			map.put("tributary.sources." + name + "." + properties[i], properties[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(map)).bind("tributary", SourcesProperties.class).get();
	}

}

package io.tributary.source;

import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tributary.common.ConnectionScope;
import io.tributary.hygiene.PersonalData;
import io.tributary.interaction.SourceNames;
import io.tributary.source.SourcesProperties.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The registered source kinds (one {@link SourceConnector} each) and the configured
 * connections, checked against them when the application starts: a connection of a kind
 * nobody registered, without a base URL where its kind has no public host, with settings
 * its kind refuses, or with a personal-data rule that cannot work stops the start with
 * one message naming the connection and the field.
 */
@Component
public class Connections implements SourceNames {

	private static final Logger log = LoggerFactory.getLogger(Connections.class);

	private final Map<String, SourceConnector> kinds = new TreeMap<>();

	private final Map<String, ConfiguredConnection> connections = new LinkedHashMap<>();

	private final String globalHashKey;

	@Autowired
	Connections(SourcesProperties properties, List<SourceConnector> connectors, Environment environment) {
		this(properties, connectors, Binder.get(environment));
	}

	/**
	 * @param properties the bound connections
	 * @param connectors every registered kind
	 * @param binder where the kinds bind their own settings from
	 */
	public Connections(SourcesProperties properties, List<SourceConnector> connectors, Binder binder) {
		for (SourceConnector connector : connectors) {
			SourceConnector other = this.kinds.putIfAbsent(connector.kind().name(), connector);
			if (other != null) {
				throw new IllegalStateException("Source kind '" + connector.kind() + "' is registered twice: by "
						+ other.getClass().getName() + " and " + connector.getClass().getName());
			}
		}
		this.globalHashKey = properties.personalData().hashKey();
		properties.sources()
			.forEach((name, connection) -> this.connections.put(name, configure(name, connection, binder)));
	}

	private ConfiguredConnection configure(String name, Connection connection, Binder binder) {
		String prefix = "tributary.sources." + name + ".";
		if (connection.type() == null || !this.kinds.containsKey(connection.type().name())) {
			throw new IllegalArgumentException(prefix + "type "
					+ ((connection.type() == null) ? "is required" : "'" + connection.type() + "' is not a known kind")
					+ ": one of " + String.join(", ", names()) + " (connection '" + name + "')");
		}
		SourceConnector connector = this.kinds.get(connection.type().name());
		URI baseUrl = (connection.baseUrl() != null) ? connection.baseUrl() : connector.defaultBaseUrl();
		if (baseUrl == null) {
			throw new IllegalArgumentException(prefix + "base-url is required for type " + connection.type()
					+ ", which has no public host: e.g. https://" + connection.type()
					+ ".example.com/api/v1 (connection '" + name + "')");
		}
		if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
				|| !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
			throw new IllegalArgumentException(prefix + "base-url '" + SourcesProperties.shown(baseUrl)
					+ "' is not an http(s) URL with a host (connection '" + name + "')");
		}
		if (baseUrl.getRawUserInfo() != null) {
			throw new IllegalArgumentException(prefix
					+ "base-url must not carry credentials (user:password@): put the secret in api-key, which is never shown (connection '"
					+ name + "')");
		}
		Object settings = connector.settings(new KindSettings(name, connection.type(), binder));
		PersonalData personalData = PersonalDataRule.configure(name, connection.type(), connection.personalData(),
				this.globalHashKey, connector.personalFields());
		if (personalData.mode() != PersonalData.Mode.KEEP) {
			log.info("Connection '{}': personal data {} at {}", name,
					(personalData.mode() == PersonalData.Mode.HASH) ? "hashed" : "removed", personalData.paths());
		}
		return new ConfiguredConnection(name, connection.withBaseUrl(baseUrl), connector, settings, personalData);
	}

	/**
	 * @return every configured connection, in configuration order
	 */
	public Collection<ConfiguredConnection> all() {
		return Collections.unmodifiableCollection(this.connections.values());
	}

	/**
	 * @param name a connection's name
	 * @return the connection
	 * @throws ConnectionNotFound when none is configured under that name
	 */
	public ConfiguredConnection get(String name) {
		ConfiguredConnection connection = this.connections.get(name);
		if (connection == null) {
			throw new ConnectionNotFound(name, this.connections.keySet());
		}
		return connection;
	}

	/**
	 * A connection the caller may see.
	 * @param name its name
	 * @param scope what the caller may see
	 * @return the connection
	 * @throws ConnectionNotFound when none is configured under that name or the caller
	 * may not see it (the two are told apart by nobody: the message lists only visible
	 * names)
	 */
	public ConfiguredConnection get(String name, ConnectionScope scope) {
		ConfiguredConnection connection = this.connections.get(name);
		if (connection == null || !scope.allows(name)) {
			throw new ConnectionNotFound(name, scope.visible(this.connections.keySet()));
		}
		return connection;
	}

	/**
	 * @param scope what the caller may see
	 * @return the connections the caller may see, in configuration order
	 */
	public List<ConfiguredConnection> all(ConnectionScope scope) {
		return all().stream().filter((connection) -> scope.allows(connection.name())).toList();
	}

	@Override
	public Set<String> names() {
		return Collections.unmodifiableSet(this.kinds.keySet());
	}

}

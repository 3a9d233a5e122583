package io.tributary.source;

import java.util.Collection;

import io.tributary.common.DomainException;

/**
 * No connection is configured under the requested name.
 */
public class ConnectionNotFound extends DomainException {

	ConnectionNotFound(String name, Collection<String> configured) {
		super(Kind.NOT_FOUND, "connection",
				"No connection named '" + name + "'; configured: " + String.join(", ", configured));
	}

}

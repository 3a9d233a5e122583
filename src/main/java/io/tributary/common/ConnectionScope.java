package io.tributary.common;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The connections the caller of the current request may see. An API key can be limited to
 * some connections; everything it reads is then filtered to them, and another
 * connection's rows answer as if they did not exist.
 */
public interface ConnectionScope {

	/** No limit: every connection is visible (background work, security switched off). */
	ConnectionScope ALL = Optional::empty;

	/**
	 * @return the connections the caller may see, or empty when it may see every one
	 */
	Optional<Set<String>> limitedTo();

	/**
	 * @param connection a connection name
	 * @return whether the caller may see it
	 */
	default boolean allows(String connection) {
		return limitedTo().map((visible) -> visible.contains(connection)).orElse(true);
	}

	/**
	 * @param connections connection names
	 * @return those the caller may see, in their order
	 */
	default <C extends Collection<String>> java.util.List<String> visible(C connections) {
		return connections.stream().filter(this::allows).toList();
	}

}

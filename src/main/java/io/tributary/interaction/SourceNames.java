package io.tributary.interaction;

import java.util.Set;

/**
 * The source kinds the gateway knows, by the name stored in {@code interaction.source}
 * and used by the API ({@code greenflash}, {@code zylon}, …). Implemented by whoever
 * registers the connectors, so the model never lists them itself.
 */
public interface SourceNames {

	/**
	 * @return every registered kind's name, sorted
	 */
	Set<String> names();

}

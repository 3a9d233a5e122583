package io.tributary.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import io.tributary.hygiene.FieldPaths;
import io.tributary.hygiene.PersonalData;
import io.tributary.hygiene.PersonalData.Mode;
import io.tributary.source.SourcesProperties.PersonalDataSettings;

/**
 * Turns a connection's {@code tributary.sources.<name>.personal-data} into its
 * {@link PersonalData} rule at start-up, refusing a setting that cannot work with a
 * message naming the property.
 */
final class PersonalDataRule {

	private PersonalDataRule() {
	}

	/**
	 * @param name the connection
	 * @param kind its kind
	 * @param settings {@code tributary.sources.<name>.personal-data}
	 * @param globalKey {@code tributary.personal-data.hash-key}, used when the connection
	 * sets none
	 * @param kindFields the kind's known personal fields
	 * @return the rule
	 */
	static PersonalData configure(String name, SourceKind kind, PersonalDataSettings settings, String globalKey,
			List<String> kindFields) {
		String prefix = "tributary.sources." + name + ".personal-data.";
		String suffix = " (connection '" + name + "')";
		String key = (settings.hashKey() != null && !settings.hashKey().isBlank()) ? settings.hashKey() : null;
		if (key != null && key.length() < PersonalData.MIN_KEY_LENGTH) {
			throw new IllegalArgumentException(
					prefix + "hash-key must be at least " + PersonalData.MIN_KEY_LENGTH + " characters" + suffix);
		}
		key = (key != null) ? key : ((globalKey != null && !globalKey.isBlank()) ? globalKey : null);
		if (settings.mode() == Mode.HASH && key == null) {
			throw new IllegalArgumentException(prefix + "hash-key is required for mode hash: a secret of at least "
					+ PersonalData.MIN_KEY_LENGTH
					+ " characters, set here or for every connection in tributary.personal-data.hash-key" + suffix);
		}
		try {
			PersonalData.check(kindFields);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"Kind " + kind + " declares a personal field that is not a path: " + ex.getMessage(), ex);
		}
		List<String> own = (settings.fields() != null) ? settings.fields() : List.of();
		try {
			PersonalData.check(own);
		}
		catch (FieldPaths.InvalidPath ex) {
			throw new IllegalArgumentException(
					prefix + "fields[" + ex.index() + "] '" + own.get(ex.index()) + "' " + ex.getMessage() + suffix);
		}
		LinkedHashSet<String> paths = new LinkedHashSet<>();
		if (settings.defaultFields()) {
			paths.addAll(kindFields);
		}
		paths.addAll(own);
		if (settings.mode() != Mode.KEEP && paths.isEmpty()) {
			String action = settings.mode().name().toLowerCase(Locale.ROOT);
			throw new IllegalArgumentException(prefix + "fields is empty and "
					+ (settings.defaultFields() ? "type " + kind + " has no known personal fields"
							: "default-fields is false")
					+ ": mode " + action + " would change nothing; list the JSON paths to " + action + suffix);
		}
		if (settings.mode() == Mode.KEEP) {
			return PersonalData.KEEP;
		}
		return PersonalData.of(settings.mode(), key, new ArrayList<>(paths));
	}

}

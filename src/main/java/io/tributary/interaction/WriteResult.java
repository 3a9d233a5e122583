package io.tributary.interaction;

/**
 * What one {@link InteractionWriter#write} did.
 *
 * @param inserted rows that were new
 * @param updated existing rows whose content changed
 * @param unchanged items whose stored content was already the same (not rewritten)
 */
public record WriteResult(int inserted, int updated, int unchanged) {

	public static final WriteResult EMPTY = new WriteResult(0, 0, 0);

	/**
	 * @param other another write
	 * @return the counts of both
	 */
	public WriteResult plus(WriteResult other) {
		return new WriteResult(this.inserted + other.inserted, this.updated + other.updated,
				this.unchanged + other.unchanged);
	}

}

package dev.polyfence.app;

/**
 * Why a plan cannot be read or applied; the web layer maps each kind to one problem type.
 */
public class PlanException extends RuntimeException {

	public enum Kind {

		/** No plan has that id. */
		NOT_FOUND,
		/** The plan is past its expiry. */
		EXPIRED,
		/** The plan was applied already (successfully or not): make a new one. */
		ALREADY_APPLIED,
		/** The plan has error findings. */
		HAS_ERRORS,
		/** The live state changed since the plan was made. */
		STALE,
		/** Another apply holds one of the plan's targets. */
		TARGET_LOCKED,
		/**
		 * The service is shutting down and starts no new apply; another replica or a
		 * restart will.
		 */
		SHUTTING_DOWN

	}

	private final Kind kind;

	public PlanException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public Kind kind() {
		return kind;
	}

	/**
	 * The kind as the audit trail writes it, such as {@code stale} or
	 * {@code target-locked}.
	 */
	public String wire() {
		return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}

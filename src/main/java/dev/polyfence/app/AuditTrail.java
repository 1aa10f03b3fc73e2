package dev.polyfence.app;

import java.util.List;

/** Who planned and applied what, when, with which result. */
public interface AuditTrail {

	void record(AuditEvent event);

	/** The latest events, newest first. */
	List<AuditEvent> latest(int limit);

}
